/**
 * Every way an LLM call can fail, as one literal union. `switch (error.kind)` over it is exhaustive.
 *
 * - transient: the same request may succeed later (`rate_limited`, `server`, `bad_gateway`,
 *   `unavailable`, `overloaded`, `timeout`, `connection`, `stream_interrupted`, `conflict`);
 * - client: the request itself is wrong for this provider (`bad_request`, `auth`, `forbidden`,
 *   `not_found`, `too_large`, `unprocessable`, `quota_exhausted`);
 * - content: the call succeeded but the answer is unusable (`empty`, `malformed_json`,
 *   `schema_mismatch`, `refusal`, `truncated`, `content_filter`);
 * - `cancelled`: the caller aborted; `unknown`: nothing above matched.
 */
export type ErrorKind =
  | 'rate_limited'
  | 'quota_exhausted'
  | 'server'
  | 'bad_gateway'
  | 'unavailable'
  | 'overloaded'
  | 'timeout'
  | 'connection'
  | 'stream_interrupted'
  | 'conflict'
  | 'bad_request'
  | 'auth'
  | 'forbidden'
  | 'not_found'
  | 'too_large'
  | 'unprocessable'
  | 'empty'
  | 'malformed_json'
  | 'schema_mismatch'
  | 'refusal'
  | 'truncated'
  | 'content_filter'
  | 'cancelled'
  | 'unknown';

/** The broad family of a kind: what kind of remedy can help. */
export type ErrorCategory = 'transient' | 'client' | 'content' | 'cancelled' | 'unknown';

/** What is true of every error of one kind, unless the provider said otherwise (`x-should-retry`). */
export interface KindTraits {
  readonly category: ErrorCategory;
  /** The same request to the same model may succeed if sent again. */
  readonly retryable: boolean;
  /** Another model or provider may succeed where this one failed. */
  readonly fallbackable: boolean;
  /** A sentence a person can read; nothing internal, nothing secret. */
  readonly userMessage: string;
}

/**
 * The traits of each kind. Reasons for the less obvious ones:
 * - `quota_exhausted` is not retryable: a spent quota or a request larger than the per-minute token
 *   limit fails the same way every time, but another provider has its own quota.
 * - `auth`, `forbidden` and `not_found` are fallbackable: keys, regions and model names are per provider.
 * - `too_large` (context length) is fallbackable: a bigger-context model may take the request.
 * - `refusal` and `truncated` are not retryable as-is (the same prompt and limit give the same answer),
 *   but another model may answer.
 * - `bad_request` and `unprocessable` are neither: the request is malformed for any model.
 */
export const kindTraits: Readonly<Record<ErrorKind, KindTraits>> = {
  rate_limited: {
    category: 'transient',
    retryable: true,
    fallbackable: true,
    userMessage: 'The AI service is receiving too many requests right now. Please try again in a moment.',
  },
  quota_exhausted: {
    category: 'client',
    retryable: false,
    fallbackable: true,
    userMessage: 'The AI service has reached its usage limit. Please try again later.',
  },
  server: {
    category: 'transient',
    retryable: true,
    fallbackable: true,
    userMessage: 'The AI service had an internal problem. Please try again.',
  },
  bad_gateway: {
    category: 'transient',
    retryable: true,
    fallbackable: true,
    userMessage: 'The AI service could not be reached properly. Please try again.',
  },
  unavailable: {
    category: 'transient',
    retryable: true,
    fallbackable: true,
    userMessage: 'The AI service is temporarily unavailable. Please try again shortly.',
  },
  overloaded: {
    category: 'transient',
    retryable: true,
    fallbackable: true,
    userMessage: 'The AI service is overloaded right now. Please try again shortly.',
  },
  timeout: {
    category: 'transient',
    retryable: true,
    fallbackable: true,
    userMessage: 'The AI service took too long to answer. Please try again.',
  },
  connection: {
    category: 'transient',
    retryable: true,
    fallbackable: true,
    userMessage: 'The AI service could not be reached. Please try again.',
  },
  stream_interrupted: {
    category: 'transient',
    retryable: true,
    fallbackable: true,
    userMessage: 'The answer was interrupted before it was complete. Please try again.',
  },
  conflict: {
    category: 'transient',
    retryable: true,
    fallbackable: true,
    userMessage: 'The AI service could not process the request at this moment. Please try again.',
  },
  bad_request: {
    category: 'client',
    retryable: false,
    fallbackable: false,
    userMessage: 'The request could not be processed. Please check what was sent.',
  },
  auth: {
    category: 'client',
    retryable: false,
    fallbackable: true,
    userMessage: 'The AI service rejected the credentials it was given.',
  },
  forbidden: {
    category: 'client',
    retryable: false,
    fallbackable: true,
    userMessage: 'The AI service refused access to this request.',
  },
  not_found: {
    category: 'client',
    retryable: false,
    fallbackable: true,
    userMessage: 'The requested AI model is not available.',
  },
  too_large: {
    category: 'client',
    retryable: false,
    fallbackable: true,
    userMessage: 'The request is too long for the AI model. Please shorten it.',
  },
  unprocessable: {
    category: 'client',
    retryable: false,
    fallbackable: false,
    userMessage: 'The request could not be processed. Please check what was sent.',
  },
  empty: {
    category: 'content',
    retryable: true,
    fallbackable: true,
    userMessage: 'The AI service returned an empty answer. Please try again.',
  },
  malformed_json: {
    category: 'content',
    retryable: true,
    fallbackable: true,
    userMessage: 'The AI service returned an answer in the wrong format. Please try again.',
  },
  schema_mismatch: {
    category: 'content',
    retryable: true,
    fallbackable: true,
    userMessage: 'The AI service returned an answer in the wrong format. Please try again.',
  },
  refusal: {
    category: 'content',
    retryable: false,
    fallbackable: true,
    userMessage: 'The AI model declined to answer this request.',
  },
  truncated: {
    category: 'content',
    retryable: false,
    fallbackable: true,
    userMessage: 'The answer was cut off before it was complete.',
  },
  content_filter: {
    category: 'content',
    retryable: false,
    fallbackable: true,
    userMessage: "The request or its answer was blocked by the AI service's content policy.",
  },
  cancelled: {
    category: 'cancelled',
    retryable: false,
    fallbackable: false,
    userMessage: 'The request was cancelled.',
  },
  unknown: {
    category: 'unknown',
    retryable: false,
    fallbackable: false,
    userMessage: 'Something went wrong while contacting the AI service.',
  },
};

/** Every kind, in declaration order. */
export const errorKinds: readonly ErrorKind[] = Object.keys(kindTraits) as ErrorKind[];
