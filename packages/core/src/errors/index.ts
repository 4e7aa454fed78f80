export { classify, classifyResponse } from './classify.ts';
export { type ClassifyContext, classifyHttp, type HttpFailure, kindFromStatus } from './classify-http.ts';
export { classifyNetwork } from './classify-network.ts';
export { classifySdkError } from './classify-sdk.ts';
export { classifyStreamEvent } from './classify-stream.ts';
export { parseDurationMs } from './duration.ts';
export type { HeadersLike } from './headers.ts';
export { type ErrorCategory, type ErrorKind, errorKinds, type KindTraits, kindTraits } from './kinds.ts';
export {
  parseRateLimitHeaders,
  parseResetMs,
  parseRetryAfterMs,
  type RateLimitInfo,
  type RateLimitWindow,
} from './rate-limit.ts';
export { redactSecrets } from './redact.ts';
export { SteadfastError, type SteadfastErrorDetails } from './steadfast-error.ts';
export { type UserMessageOptions, type UserMessages, userMessageFor } from './user-messages.ts';
