import type { IngressCodec } from '../codec.ts';
import { decodeAnthropicMessages } from './decode.ts';
import { encodeAnthropicMessages } from './encode.ts';
import { anthropicErrorBody } from './error-body.ts';
import { anthropicStreamEncoder } from './stream-encoder.ts';

export { decodeAnthropicMessages } from './decode.ts';
export { type AnthropicMessageBody, anthropicStopReason, encodeAnthropicMessages } from './encode.ts';
export {
  type AnthropicError,
  anthropicErrorBody,
  anthropicErrorTypes,
  anthropicStatus,
} from './error-body.ts';
export { anthropicStreamEncoder } from './stream-encoder.ts';

/** The Anthropic Messages API (`POST /v1/messages`), as the gateway serves it. */
export const anthropicMessagesCodec: IngressCodec = {
  format: 'anthropic-messages',
  decode: decodeAnthropicMessages,
  encode: encodeAnthropicMessages,
  streamEncoder: anthropicStreamEncoder,
  errorBody: anthropicErrorBody,
};
