/**
 * Ingress codecs: what a client sends to the gateway, read into the neutral request, and the answer
 * written back in the client's own API. One folder per API, the inverse of the core's adapters.
 * @module
 */
export { anthropicMessagesCodec } from './anthropic-messages/index.ts';
export { maxNestingDepth } from './body-guard.ts';
export {
  CodecError,
  type DecodedRequest,
  type ErrorReply,
  type IngressCodec,
  type ResponseContext,
  type StreamContext,
  type StreamEncoder,
} from './codec.ts';
export { retryHeaders, safeMessage, statusByKind } from './error-reply.ts';
export { openAiChatCodec } from './openai-chat/index.ts';
