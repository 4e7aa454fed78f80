import { type ErrorKind, SteadfastError, type UserMessageOptions, userMessageFor } from '@steadfast/core';
import type { CodecError } from './codec.ts';

/**
 * The HTTP status a client gets for each kind, the same for both APIs but where one has its own (the
 * Messages API answers `overloaded` with 529). The kind decides, never the upstream's status: a 401 from a
 * provider is the gateway's problem, not the client's.
 *
 * - 400 for requests that fail on any model as sent: malformed, too long for the context, filtered.
 * - 422 for requests understood but declined (`refusal` under a `fail` policy, `unprocessable`).
 * - 429 for rate limits and spent quotas; `x-should-retry` tells SDKs which of the two may be retried.
 * - 502 when the upstream answered unusably or not at all (`bad_gateway`, `connection`, a cut stream,
 *   an empty, malformed or truncated answer): the gateway stands in front of a broken upstream.
 * - 503 when no upstream can take the request now (`unavailable`, `overloaded`); 504 for `timeout`.
 * - 499 for `cancelled`: the client closed the request (nginx's convention); nobody usually reads it.
 */
export const statusByKind: Readonly<Record<ErrorKind, number>> = {
  bad_request: 400,
  too_large: 400,
  content_filter: 400,
  auth: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  refusal: 422,
  rate_limited: 429,
  quota_exhausted: 429,
  cancelled: 499,
  server: 500,
  unknown: 500,
  bad_gateway: 502,
  connection: 502,
  stream_interrupted: 502,
  empty: 502,
  malformed_json: 502,
  schema_mismatch: 502,
  truncated: 502,
  unavailable: 503,
  overloaded: 503,
  timeout: 504,
};

/**
 * What a client may read about a failure. A provider's own message is never included: it can quote a
 * key (`Incorrect API key provided: sk-…`, in shapes no redaction pattern knows), an organisation id, an
 * internal URL or the name of the provider behind a route. What is left is safe by construction:
 * - a CodecError's message, which the gateway wrote from field names and JSON types;
 * - for a SteadfastError, the kind's user message (localisable through `messages`), and the gateway's
 *   own request id, so that an operator can find the full story in the logs.
 */
export function safeMessage(
  error: SteadfastError | CodecError,
  requestId: string | undefined,
  messages?: UserMessageOptions,
): string {
  if (!SteadfastError.isInstance(error)) return error.message;
  const text = userMessageFor(error, messages);
  return requestId === undefined || requestId === '' ? text : `${text} (request id: ${requestId})`;
}

/**
 * Headers both official SDKs obey before their own rules: `x-should-retry` from the error's
 * `retryable` (so that a spent quota, also a 429, is not retried), and the wait the upstream asked for as
 * `retry-after-ms` and, rounded up to whole seconds, `retry-after`.
 */
export function retryHeaders(error: SteadfastError | CodecError): Record<string, string> {
  if (!SteadfastError.isInstance(error)) return { 'x-should-retry': 'false' };
  const headers: Record<string, string> = { 'x-should-retry': String(error.retryable) };
  if (error.retryable && error.retryAfterMs !== undefined && error.retryAfterMs >= 0) {
    headers['retry-after-ms'] = String(Math.ceil(error.retryAfterMs));
    headers['retry-after'] = String(Math.ceil(error.retryAfterMs / 1000));
  }
  return headers;
}
