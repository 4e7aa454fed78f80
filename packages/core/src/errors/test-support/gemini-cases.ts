import { type ClassifyCase, http } from './classify-case.ts';

// Google RPC bodies from reference/provider-wire-formats.md §6. Gemini sends no rate-limit headers.

function quotaBody(quotaId: string, retryDelay: string | undefined) {
  const details: unknown[] = [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
          quotaId,
          quotaDimensions: { model: 'gemini-2.5-flash', location: 'global' },
          quotaValue: '15',
        },
      ],
    },
    {
      '@type': 'type.googleapis.com/google.rpc.Help',
      links: [
        {
          description: 'Learn more about Gemini API quotas',
          url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
        },
      ],
    },
  ];
  if (retryDelay !== undefined) {
    details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay });
  }
  return {
    error: {
      code: 429,
      message:
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
      status: 'RESOURCE_EXHAUSTED',
      details,
    },
  };
}

function rpcError(code: number, status: string, message: string) {
  return { error: { code, message, status } };
}

export const geminiCases: ClassifyCase[] = [
  {
    name: 'Gemini 429 RESOURCE_EXHAUSTED per minute with RetryInfo "34.4s"',
    input: http(429, quotaBody('GenerateRequestsPerMinutePerProjectPerModel-FreeTier', '34.4s')),
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 34_400,
    facts: { status: 429, code: 'RESOURCE_EXHAUSTED' },
  },
  {
    name: 'Gemini 429 RESOURCE_EXHAUSTED with a PerDay quota is spent quota',
    input: http(429, quotaBody('GenerateRequestsPerDayPerProjectPerModel-FreeTier', undefined)),
    kind: 'quota_exhausted',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Gemini 400 API_KEY_INVALID is an auth failure despite the 400',
    input: http(400, {
      error: {
        code: 400,
        message: 'API key not valid. Please pass a valid API key.',
        status: 'INVALID_ARGUMENT',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
            metadata: { service: 'generativelanguage.googleapis.com' },
          },
          {
            '@type': 'type.googleapis.com/google.rpc.LocalizedMessage',
            locale: 'en-US',
            message: 'API key not valid. Please pass a valid API key.',
          },
        ],
      },
    }),
    kind: 'auth',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Gemini 400 "The input token count … exceeds the maximum"',
    input: http(
      400,
      rpcError(
        400,
        'INVALID_ARGUMENT',
        'The input token count (1300000) exceeds the maximum number of tokens allowed (1048576).',
      ),
    ),
    kind: 'too_large',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Gemini 400 INVALID_ARGUMENT (malformed request)',
    input: http(
      400,
      rpcError(
        400,
        'INVALID_ARGUMENT',
        'Invalid JSON payload received. Unknown name "foo" at \'generation_config\': Cannot find field.',
      ),
    ),
    kind: 'bad_request',
    retryable: false,
    fallbackable: false,
    retryAfterMs: undefined,
  },
  {
    name: 'Gemini 400 FAILED_PRECONDITION (free tier not in this region) can fall back',
    input: http(
      400,
      rpcError(
        400,
        'FAILED_PRECONDITION',
        'Gemini API free tier is not available in your country. Please enable billing on your project in Google AI Studio.',
      ),
    ),
    kind: 'forbidden',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Gemini 403 PERMISSION_DENIED',
    input: http(
      403,
      rpcError(
        403,
        'PERMISSION_DENIED',
        "Method doesn't allow unregistered callers (callers without established identity).",
      ),
    ),
    kind: 'forbidden',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Gemini 404 NOT_FOUND',
    input: http(
      404,
      rpcError(
        404,
        'NOT_FOUND',
        'models/gemini-9 is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.',
      ),
    ),
    kind: 'not_found',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Gemini 500 INTERNAL',
    input: http(
      500,
      rpcError(
        500,
        'INTERNAL',
        'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
      ),
    ),
    kind: 'server',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Gemini 503 UNAVAILABLE "The model is overloaded" (by status: unavailable)',
    input: http(503, rpcError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.')),
    kind: 'unavailable',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { code: 'UNAVAILABLE' },
  },
  {
    name: 'Gemini 504 DEADLINE_EXCEEDED',
    input: http(504, rpcError(504, 'DEADLINE_EXCEEDED', 'Deadline expired before operation could complete.')),
    kind: 'timeout',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'Gemini body given as a JSON array (streaming without alt=sse)',
    input: http(429, [quotaBody('GenerateContentInputTokensPerModelPerMinute-FreeTier', '7s')]),
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 7000,
    facts: { code: 'RESOURCE_EXHAUSTED' },
  },
];
