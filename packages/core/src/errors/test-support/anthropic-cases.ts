import { type ClassifyCase, http, nowMs } from './classify-case.ts';

// Bodies and headers from reference/provider-wire-formats.md §5.

function anthropicError(
  type: string,
  message: string,
  requestId: string | null = 'req_011CSHoEeqs5C35K2UUqR7Fy',
) {
  return { type: 'error', error: { type, message }, request_id: requestId };
}

export const anthropicCases: ClassifyCase[] = [
  {
    name: 'Anthropic 529 overloaded_error',
    input: http(529, anthropicError('overloaded_error', 'Overloaded'), { 'request-id': 'req_529' }),
    kind: 'overloaded',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 529, requestId: 'req_529', code: 'overloaded_error' },
  },
  {
    name: 'Anthropic 429 rate_limit_error with retry-after and RFC 3339 reset headers',
    input: http(
      429,
      anthropicError(
        'rate_limit_error',
        'This request would exceed the rate limit for your organization (0f6a7c1e-1d2b-4c3a-9e8f-123456789abc) of 50,000 input tokens per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.',
      ),
      {
        'retry-after': '18',
        'request-id': 'req_429',
        'anthropic-ratelimit-input-tokens-limit': '50000',
        'anthropic-ratelimit-input-tokens-remaining': '0',
        'anthropic-ratelimit-input-tokens-reset': '2025-08-21T12:40:18Z',
      },
    ),
    context: { nowMs },
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 18_000,
  },
  {
    name: 'Anthropic 429 enforced_spend_limit_reached without retry-after is spent quota',
    input: http(429, {
      type: 'error',
      error: {
        type: 'rate_limit_error',
        message:
          'You have reached your specified API usage limits. You will regain access on 2025-09-01 at 00:00 UTC.',
        details: { error_code: 'enforced_spend_limit_reached' },
      },
      request_id: 'req_spend',
    }),
    kind: 'quota_exhausted',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Anthropic 400 "prompt is too long"',
    input: http(
      400,
      anthropicError('invalid_request_error', 'prompt is too long: 208423 tokens > 200000 maximum'),
    ),
    kind: 'too_large',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Anthropic 400 "input length and `max_tokens` exceed context limit"',
    input: http(
      400,
      anthropicError(
        'invalid_request_error',
        'input length and `max_tokens` exceed context limit: 199000 + 8000 > 200000, decrease input length or `max_tokens` and try again',
      ),
    ),
    kind: 'too_large',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Anthropic 400 credit balance too low is spent quota',
    input: http(
      400,
      anthropicError(
        'invalid_request_error',
        'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      ),
    ),
    kind: 'quota_exhausted',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Anthropic 400 invalid_request_error (malformed request)',
    input: http(
      400,
      anthropicError(
        'invalid_request_error',
        'messages: roles must alternate between "user" and "assistant"',
      ),
    ),
    kind: 'bad_request',
    retryable: false,
    fallbackable: false,
    retryAfterMs: undefined,
  },
  {
    name: 'Anthropic 401 authentication_error',
    input: http(401, anthropicError('authentication_error', 'invalid x-api-key')),
    kind: 'auth',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Anthropic 402 billing_error',
    input: http(402, anthropicError('billing_error', 'Your account has a billing issue.')),
    kind: 'quota_exhausted',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Anthropic 403 permission_error',
    input: http(
      403,
      anthropicError(
        'permission_error',
        'Your API key does not have permission to use the specified resource.',
      ),
    ),
    kind: 'forbidden',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Anthropic 404 not_found_error',
    input: http(404, anthropicError('not_found_error', 'model: claude-9-opus')),
    kind: 'not_found',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Anthropic 413 request_too_large (from Cloudflare)',
    input: http(
      413,
      anthropicError('request_too_large', 'Request exceeds the maximum allowed number of bytes.'),
    ),
    kind: 'too_large',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Anthropic 500 api_error',
    input: http(500, anthropicError('api_error', 'Internal server error')),
    kind: 'server',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Anthropic 504 timeout_error',
    input: http(504, anthropicError('timeout_error', 'Request timed out')),
    kind: 'timeout',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Anthropic requestId read from the top-level request_id when no header carries one',
    input: http(500, anthropicError('api_error', 'Internal server error', 'req_011CBodyOnly')),
    kind: 'server',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { requestId: 'req_011CBodyOnly' },
  },
  {
    name: 'Anthropic requestId read from the request-id header when request_id is null',
    input: http(529, anthropicError('overloaded_error', 'Overloaded', null), {
      'request-id': 'req_011CHeader',
    }),
    kind: 'overloaded',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { requestId: 'req_011CHeader' },
  },
];
