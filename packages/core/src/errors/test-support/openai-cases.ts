import { type ClassifyCase, http, nowMs } from './classify-case.ts';

// Bodies and headers from reference/provider-wire-formats.md §3 (OpenAI) and §4 (Azure).

const tpmMessage =
  'Rate limit reached for gpt-4o-mini in organization org-a1b2c3 on tokens per min (TPM): Limit 200000, ' +
  'Used 195869, Requested 4412. Please try again in 84ms. Visit https://platform.openai.com/account/rate-limits to learn more.';

function openAiError(message: string, type: string | null, code: string | null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

export const openAiCases: ClassifyCase[] = [
  {
    name: 'OpenAI 429 TPM rate limit: the retry-after header wins over the message hint',
    input: http(429, openAiError(tpmMessage, 'tokens', 'rate_limit_exceeded'), {
      'retry-after': '1',
      'x-request-id': 'req_8c2f1e',
      'x-ratelimit-remaining-tokens': '0',
      'x-ratelimit-reset-tokens': '84ms',
    }),
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 1000,
    facts: { status: 429, requestId: 'req_8c2f1e', code: 'rate_limit_exceeded' },
  },
  {
    name: 'OpenAI 429 with retry-after-ms: milliseconds win over seconds',
    input: http(429, openAiError(tpmMessage, 'tokens', 'rate_limit_exceeded'), {
      'retry-after-ms': '1500',
      'retry-after': '2',
    }),
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 1500,
  },
  {
    name: 'OpenAI 429 with only "Please try again in 84ms" in the message',
    input: http(429, openAiError(tpmMessage, 'tokens', 'rate_limit_exceeded')),
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 84,
  },
  {
    name: 'OpenAI 429 RPM with "Please try again in 20s."',
    input: http(
      429,
      openAiError(
        'Rate limit reached for gpt-4o in organization org-a1b2c3 on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 20s.',
        'requests',
        'rate_limit_exceeded',
      ),
    ),
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 20_000,
  },
  {
    name: 'OpenAI 429 RPD with a Go duration hint "Please try again in 1m26.4s"',
    input: http(
      429,
      openAiError(
        'Rate limit reached for gpt-4o in organization org-a1b2c3 on requests per day (RPD): Limit 10000, Used 10000, Requested 1. Please try again in 1m26.4s.',
        'requests',
        'rate_limit_exceeded',
      ),
    ),
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 86_400,
  },
  {
    name: 'OpenAI 429 insufficient_quota is spent quota: not retried, fallen back from',
    input: http(
      429,
      openAiError(
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        'insufficient_quota',
        'insufficient_quota',
      ),
    ),
    kind: 'quota_exhausted',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 429, code: 'insufficient_quota' },
  },
  {
    name: 'OpenAI 429 "Request too large … tokens per min (TPM)" can never pass',
    input: http(
      429,
      openAiError(
        'Request too large for gpt-4o in organization org-a1b2c3 on tokens per min (TPM): Limit 30000, Requested 34307. The input or output tokens must be reduced in order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more.',
        'tokens',
        'rate_limit_exceeded',
      ),
    ),
    kind: 'quota_exhausted',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'OpenAI 429 credit_balance_exhausted',
    input: http(
      429,
      openAiError('You have no credits remaining.', 'insufficient_quota', 'credit_balance_exhausted'),
    ),
    kind: 'quota_exhausted',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'OpenAI 400 context_length_exceeded',
    input: http(
      400,
      openAiError(
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens. Please reduce the length of the messages.",
        'invalid_request_error',
        'context_length_exceeded',
        'messages',
      ),
    ),
    kind: 'too_large',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 400, code: 'context_length_exceeded' },
  },
  {
    name: 'OpenAI Responses 400 "Your input exceeds the context window of this model"',
    input: http(
      400,
      openAiError(
        'Your input exceeds the context window of this model. Please adjust your input and try again.',
        'invalid_request_error',
        'context_length_exceeded',
        'input',
      ),
    ),
    kind: 'too_large',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'OpenAI 400 malformed request is neither retried nor fallen back from',
    input: http(
      400,
      openAiError(
        "Invalid type for 'messages[0].content': expected one of a string or array of objects, but got an integer instead.",
        'invalid_request_error',
        'invalid_type',
        'messages[0].content',
      ),
    ),
    kind: 'bad_request',
    retryable: false,
    fallbackable: false,
    retryAfterMs: undefined,
  },
  {
    name: 'OpenAI 401 invalid_api_key: the echoed key is redacted',
    input: http(
      401,
      openAiError(
        'Incorrect API key provided: sk-proj-abc123XYZ789secretKEYvalue0000. You can find your API key at https://platform.openai.com/account/api-keys.',
        'invalid_request_error',
        'invalid_api_key',
      ),
      { 'x-request-id': 'req_401a' },
    ),
    context: { provider: 'openai', model: 'gpt-4o' },
    kind: 'auth',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 401, requestId: 'req_401a', provider: 'openai' },
    messageIncludes: 'Incorrect API key provided: [redacted]',
    hidden: ['sk-proj-abc123', 'secretKEYvalue'],
  },
  {
    name: 'OpenAI 403 unsupported_country_region_territory',
    input: http(
      403,
      openAiError(
        'Country, region, or territory not supported',
        'request_forbidden',
        'unsupported_country_region_territory',
      ),
    ),
    kind: 'forbidden',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'OpenAI 404 model_not_found',
    input: http(
      404,
      openAiError(
        'The model `gpt-9` does not exist or you do not have access to it.',
        'invalid_request_error',
        'model_not_found',
      ),
    ),
    kind: 'not_found',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'OpenAI 500 server_error',
    input: http(
      500,
      openAiError(
        'The server had an error while processing your request. Sorry about that!',
        'server_error',
        null,
      ),
    ),
    kind: 'server',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 500, code: 'server_error' },
  },
  {
    name: 'OpenAI 503 server_is_overloaded is overload, not an outage',
    input: http(
      503,
      openAiError(
        'The engine is currently overloaded, please try again later',
        'service_unavailable_error',
        'server_is_overloaded',
      ),
      { 'retry-after': '3' },
    ),
    kind: 'overloaded',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 3000,
  },
  {
    name: 'OpenAI 409 conflict is retried',
    input: http(
      409,
      openAiError(
        'The request conflicted with another request. Please try again.',
        'invalid_request_error',
        null,
      ),
    ),
    kind: 'conflict',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'OpenAI 422 unprocessable',
    input: http(422, openAiError('Unprocessable Entity', 'invalid_request_error', null)),
    kind: 'unprocessable',
    retryable: false,
    fallbackable: false,
    retryAfterMs: undefined,
  },
  {
    name: 'OpenAI 500 with x-should-retry: false is not retried',
    input: http(500, openAiError('The server had an error processing your request.', 'server_error', null), {
      'x-should-retry': 'false',
    }),
    kind: 'server',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'OpenAI 409 with x-should-retry: true is retried',
    input: http(409, openAiError('Conflict', 'invalid_request_error', null), { 'x-should-retry': 'true' }),
    kind: 'conflict',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'OpenAI 400 with x-should-retry: true is retried against the kind default',
    input: http(400, openAiError('Try again.', 'invalid_request_error', null), { 'x-should-retry': 'true' }),
    kind: 'bad_request',
    retryable: true,
    fallbackable: false,
    retryAfterMs: undefined,
  },
  {
    name: 'OpenAI 429 with retry-after as an HTTP date, against a fixed clock',
    input: http(429, openAiError(tpmMessage, 'tokens', 'rate_limit_exceeded'), {
      'retry-after': 'Thu, 21 Aug 2025 12:40:30 GMT',
    }),
    context: { nowMs },
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 30_000,
  },
  {
    name: 'OpenAI 429 with retry-after as an HTTP date already past waits 0 ms',
    input: http(429, openAiError('Rate limit reached.', 'requests', 'rate_limit_exceeded'), {
      'retry-after': 'Thu, 21 Aug 2025 12:39:00 GMT',
    }),
    context: { nowMs },
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 0,
  },
];

export const azureCases: ClassifyCase[] = [
  {
    name: 'Azure 429 with code "429", no type, retry-after and retry-after-ms headers',
    input: http(
      429,
      {
        error: {
          code: '429',
          message:
            'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-06-01 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 8 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.',
        },
      },
      {
        'retry-after': '8',
        'retry-after-ms': '7750',
        'apim-request-id': '6f1f0c1e-7c55-4a47-9d1c-3f4a1b2c3d4e',
        'x-ratelimit-remaining-tokens': '0',
        'x-ratelimit-reset-tokens': '8',
      },
    ),
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 7750,
    facts: { status: 429, requestId: '6f1f0c1e-7c55-4a47-9d1c-3f4a1b2c3d4e', code: '429' },
  },
  {
    name: 'Azure 429 "call rate limit" with only "Please retry after 2 seconds" in the message',
    input: http(429, {
      error: {
        code: '429',
        message:
          'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after 2 seconds.',
      },
    }),
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 2000,
  },
  {
    name: 'Azure 400 content_filter with innererror ResponsibleAIPolicyViolation',
    input: http(400, {
      error: {
        message:
          "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: {
          code: 'ResponsibleAIPolicyViolation',
          content_filter_result: {
            hate: { filtered: false, severity: 'safe' },
            self_harm: { filtered: false, severity: 'safe' },
            sexual: { filtered: false, severity: 'safe' },
            violence: { filtered: true, severity: 'high' },
            jailbreak: { filtered: true, detected: true },
          },
        },
      },
    }),
    kind: 'content_filter',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 400, code: 'content_filter' },
  },
  {
    name: 'Azure 401 "Access denied due to invalid subscription key"',
    input: http(401, {
      error: {
        code: '401',
        message:
          'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
      },
    }),
    kind: 'auth',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Azure 404 DeploymentNotFound',
    input: http(404, {
      error: {
        code: 'DeploymentNotFound',
        message:
          'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
      },
    }),
    kind: 'not_found',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { code: 'DeploymentNotFound' },
  },
];
