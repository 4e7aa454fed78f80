import { type ErrorKind, SteadfastError, type UserMessageOptions } from '@steadfast/core';
import type { CodecError, ErrorReply } from '../codec.ts';
import { retryHeaders, safeMessage, statusByKind } from '../error-reply.ts';

/**
 * OpenAI's `error.type` for each kind: the values OpenAI itself sends where it has one
 * (`invalid_request_error`, `insufficient_quota`, `server_error`, `service_unavailable_error`), a
 * name in the same style where it has none. SDKs pick their error class from the status, not the type.
 */
export const openAiErrorTypes: Readonly<Record<ErrorKind, string>> = {
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
  quota_exhausted: 'insufficient_quota',
  cancelled: 'request_cancelled',
  server: 'server_error',
  unknown: 'server_error',
  bad_gateway: 'server_error',
  connection: 'server_error',
  stream_interrupted: 'server_error',
  empty: 'server_error',
  malformed_json: 'server_error',
  schema_mismatch: 'server_error',
  truncated: 'server_error',
  unavailable: 'service_unavailable_error',
  overloaded: 'service_unavailable_error',
  timeout: 'timeout_error',
};

/** OpenAI's error object, as bodies and stream frames carry it. */
export interface OpenAiError {
  message: string;
  type: string;
  /** The offending request field, for a malformed request. */
  param: string | null;
  /** The Steadfast kind (`rate_limited`, `too_large`, …): one stable code across every upstream. */
  code: ErrorKind;
}

/** The `error` object for a failure; the message is safe to show (see `safeMessage`). */
export function openAiError(
  error: SteadfastError | CodecError,
  requestId: string | undefined,
  messages?: UserMessageOptions,
): OpenAiError {
  const kind: ErrorKind = SteadfastError.isInstance(error) ? error.kind : 'bad_request';
  return {
    message: safeMessage(error, requestId, messages),
    type: openAiErrorTypes[kind],
    param: SteadfastError.isInstance(error) ? null : error.param,
    code: kind,
  };
}

/** The error response of the Chat Completions API: `{ error: { message, type, param, code } }`. */
export function openAiErrorBody(
  error: SteadfastError | CodecError,
  requestId: string,
  messages?: UserMessageOptions,
): ErrorReply<{ error: OpenAiError }> {
  const status = SteadfastError.isInstance(error) ? statusByKind[error.kind] : error.status;
  return {
    status,
    headers: retryHeaders(error),
    body: { error: openAiError(error, requestId, messages) },
  };
}
