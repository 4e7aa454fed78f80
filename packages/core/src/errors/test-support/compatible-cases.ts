import { type ClassifyCase, http } from './classify-case.ts';

// OpenAI-compatible servers and the proxies in front of them, from reference/provider-wire-formats.md §7.

const nginx502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export const compatibleCases: ClassifyCase[] = [
  {
    name: 'vLLM flat {"object":"error"} body with a context-length message and an integer code',
    input: http(400, {
      object: 'error',
      message:
        "This model's maximum context length is 4096 tokens. However, you requested 5120 tokens (4096 in the messages, 1024 in the completion). Please reduce the length of the messages or completion.",
      type: 'BadRequestError',
      param: null,
      code: 400,
    }),
    kind: 'too_large',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 400, code: 'BadRequestError' },
  },
  {
    name: 'vLLM nested body stating its status in an integer code, read without an HTTP status',
    input: {
      status: 0,
      body: {
        error: {
          message: 'The model `llama-9` does not exist.',
          type: 'NotFoundError',
          param: null,
          code: 404,
        },
      },
    },
    kind: 'not_found',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: undefined },
  },
  {
    name: 'Ollama native {"error":"…"} 404 model not found',
    input: http(404, { error: 'model "llama9" not found, try pulling it first' }),
    kind: 'not_found',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
    messageIncludes: 'model "llama9" not found',
  },
  {
    name: 'Groq 498 capacity_exceeded (flex tier)',
    input: http(498, {
      error: {
        message:
          'Flex tier capacity exceeded. This is a known issue and we are working on it. Please try again later.',
        type: 'invalid_request_error',
        code: 'capacity_exceeded',
      },
    }),
    kind: 'overloaded',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Groq 429 TPM with retry-after and x-ratelimit-reset-requests: 2m59.56s',
    input: http(
      429,
      {
        error: {
          message:
            'Rate limit reached for model `llama-3.1-8b-instant` in organization `org_01abc` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Used 5890, Requested 1241. Please try again in 11.31s. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing',
          type: 'tokens',
          code: 'rate_limit_exceeded',
        },
      },
      {
        'retry-after': '12',
        'x-ratelimit-limit-requests': '14400',
        'x-ratelimit-remaining-requests': '14370',
        'x-ratelimit-reset-requests': '2m59.56s',
        'x-ratelimit-reset-tokens': '7.66s',
      },
    ),
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 12_000,
  },
  {
    name: 'Groq 429 RPD with no retry-after: the Go duration in the message is the wait',
    input: http(
      429,
      {
        error: {
          message:
            'Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_01abc` service tier `on_demand` on requests per day (RPD): Limit 1000, Used 1000, Requested 1. Please try again in 2m59.56s.',
          type: 'requests',
          code: 'rate_limit_exceeded',
        },
      },
      { 'x-ratelimit-reset-requests': '2m59.56s' },
    ),
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 179_560,
  },
  {
    name: 'Together 403 "`inputs` tokens + `max_new_tokens` must be <= N" is context length',
    input: http(403, {
      error: {
        message:
          'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 32769. Given: 30512 `inputs` tokens and 8192 `max_new_tokens`',
        type: 'invalid_request_error',
        param: 'max_tokens',
        code: null,
      },
    }),
    kind: 'too_large',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Together 402 spend limit',
    input: http(402, {
      error: {
        message:
          'Credit limit exceeded. Please navigate to https://api.together.xyz/settings/billing to add credit.',
        type: 'credit_limit',
        param: null,
        code: null,
      },
    }),
    kind: 'quota_exhausted',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Mistral flat 429 service_tier_capacity_exceeded is overload',
    input: http(429, {
      object: 'error',
      message: 'Service tier capacity exceeded for this model.',
      type: 'service_tier_capacity_exceeded',
      param: null,
      code: '3505',
    }),
    kind: 'overloaded',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { code: '3505' },
  },
  {
    name: 'Mistral plain 429 {"message":"Requests rate limit exceeded"}',
    input: http(429, { message: 'Requests rate limit exceeded' }),
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    messageIncludes: 'Requests rate limit exceeded',
  },
  {
    name: 'Mistral 422 with message:{detail:[…]}',
    input: http(422, {
      object: 'error',
      message: {
        detail: [{ type: 'missing', loc: ['body', 'messages'], msg: 'Field required', input: null }],
      },
      type: 'invalid_request_error',
      param: null,
      code: null,
    }),
    kind: 'unprocessable',
    retryable: false,
    fallbackable: false,
    retryAfterMs: undefined,
    messageIncludes: 'Field required',
  },
  {
    name: 'Mistral 400 "too large for model with 32768 maximum context length"',
    input: http(400, {
      object: 'error',
      message:
        'Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum context length',
      type: 'invalid_request_error',
      param: null,
      code: '3051',
    }),
    kind: 'too_large',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'DeepSeek 402 Insufficient Balance',
    input: http(402, {
      error: {
        message: 'Insufficient Balance',
        type: 'unknown_error',
        param: null,
        code: 'invalid_request_error',
      },
    }),
    kind: 'quota_exhausted',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'OpenRouter 402 credits',
    input: http(402, {
      error: {
        code: 402,
        message:
          'This request requires more credits, or fewer max_tokens. You requested up to 4096 tokens, but can only afford 1017. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account',
      },
    }),
    kind: 'quota_exhausted',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'OpenRouter 408 timeout',
    input: http(408, { error: { code: 408, message: 'Request timed out. Please try again later.' } }),
    kind: 'timeout',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'OpenRouter 429 with retry-after',
    input: http(
      429,
      {
        error: { code: 429, message: 'Rate limit exceeded: free-models-per-min.', metadata: { headers: {} } },
      },
      { 'retry-after': '5' },
    ),
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 5000,
  },
  {
    name: 'OpenRouter 502 bad upstream response with metadata.provider_name',
    input: http(502, {
      error: {
        code: 502,
        message: 'Provider returned error',
        metadata: { provider_name: 'Together', raw: '{"error":"upstream connect error"}' },
      },
    }),
    kind: 'bad_gateway',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'OpenRouter 503 no eligible provider',
    input: http(503, {
      error: { code: 503, message: 'No allowed providers are available for the selected model.' },
    }),
    kind: 'unavailable',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'OpenRouter 403 moderation with metadata.reasons',
    input: http(403, {
      error: {
        code: 403,
        message: 'gpt-4o requires moderation on OpenRouter. Your input was flagged for "harassment".',
        metadata: {
          reasons: ['harassment'],
          flagged_input: 'you are…',
          provider_name: 'OpenAI',
          model_slug: 'openai/gpt-4o',
        },
      },
    }),
    kind: 'content_filter',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'HTML 502 page from a proxy: the message names HTML and never holds the page',
    input: http(502, nginx502, { 'content-type': 'text/html' }),
    context: { provider: 'groq' },
    kind: 'bad_gateway',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 502 },
    messageIncludes: 'HTML page (502 Bad Gateway)',
    hidden: ['<html', '<center>', 'nginx'],
  },
  {
    name: 'empty-body 500',
    input: http(500, ''),
    kind: 'server',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 500, code: undefined },
    messageIncludes: 'no error message',
  },
  {
    name: 'Cloudflare 524 "error code: 524" (origin took too long)',
    input: http(524, 'error code: 524', { 'content-type': 'text/plain; charset=UTF-8' }),
    kind: 'timeout',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 524 },
  },
];
