import type { IngressCodec } from '../codec.ts';
import { decodeOpenAiChat } from './decode.ts';
import { encodeOpenAiChat } from './encode.ts';
import { openAiErrorBody } from './error-body.ts';
import { openAiStreamEncoder } from './stream-encoder.ts';

export { decodeOpenAiChat } from './decode.ts';
export { type ChatCompletionBody, encodeOpenAiChat, openAiFinishReason } from './encode.ts';
export { type OpenAiError, openAiErrorBody, openAiErrorTypes } from './error-body.ts';
export { openAiStreamEncoder } from './stream-encoder.ts';

/** The OpenAI Chat Completions API (`POST /v1/chat/completions`), as the gateway serves it. */
export const openAiChatCodec: IngressCodec = {
  format: 'openai-chat',
  decode: decodeOpenAiChat,
  encode: encodeOpenAiChat,
  streamEncoder: openAiStreamEncoder,
  errorBody: openAiErrorBody,
};
