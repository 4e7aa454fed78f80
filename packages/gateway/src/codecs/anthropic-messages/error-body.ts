import { type ErrorKind, SteadfastError, type UserMessageOptions } from '@steadfast/core';
import type { CodecError, ErrorReply } from '../codec.ts';
import { retryHeaders, safeMessage, statusByKind } from '../error-reply.ts';

/**
 * The Messages API's `error.type` for each kind, from the SDK's own list (invalid_request_error,
 * authentication_error, permission_error, not_found_error, rate_limit_error, timeout_error,
 * overloaded_error, api_error) and the documented `conflict_error`.
 */
export const anthropicErrorTypes: Readonly<Record<ErrorKind, string>> = {
  bad_request: 'invalid_request_error',
  too_large: 'invalid_request_error',
  content_filter: 'invalid_request_error',
  unprocessable: 'invalid_request_error',
  refusal: 'invalid_request_error',
  auth: 'authentication_error',
  forbidden: 'permission_error',
  not_found: 'not_found_error',
  conflict: 'conflict_error',
  rate_limited: 'rate_limit_error',
  // Anthropic's own spend cap is a rate_limit_error too; `x-should-retry: false` tells them apart.
  quota_exhausted: 'rate_limit_error',
  cancelled: 'api_error',
  server: 'api_error',
  unknown: 'api_error',
  bad_gateway: 'api_error',
  connection: 'api_error',
  stream_interrupted: 'api_error',
  empty: 'api_error',
  malformed_json: 'api_error',
  schema_mismatch: 'api_error',
  truncated: 'api_error',
  unavailable: 'api_error',
  overloaded: 'overloaded_error',
  timeout: 'timeout_error',
};

/** The shared status table, but overload: Anthropic clients know 529 as "overloaded, retry". */
export function anthropicStatus(kind: ErrorKind): number {
  return kind === 'overloaded' ? 529 : statusByKind[kind];
}

/** Anthropic's error object, as bodies and `event: error` frames carry it. */
export interface AnthropicError {
  type: string;
  message: string;
}

/** The `error` object for a failure; the message is safe to show (see `safeMessage`). */
export function anthropicError(
  error: SteadfastError | CodecError,
  messages?: UserMessageOptions,
): AnthropicError {
  const kind: ErrorKind = SteadfastError.isInstance(error) ? error.kind : 'bad_request';
  // The request id has a field of its own in this API (`request_id`); the message does not repeat it.
  return { type: anthropicErrorTypes[kind], message: safeMessage(error, undefined, messages) };
}

/** The error response of the Messages API: `{ type: 'error', error: { type, message }, request_id }`. */
export function anthropicErrorBody(
  error: SteadfastError | CodecError,
  requestId: string,
  messages?: UserMessageOptions,
): ErrorReply<{ type: 'error'; error: AnthropicError; request_id: string }> {
  return {
    status: SteadfastError.isInstance(error) ? anthropicStatus(error.kind) : error.status,
    headers: retryHeaders(error),
    body: { type: 'error', error: anthropicError(error, messages), request_id: requestId },
  };
}
