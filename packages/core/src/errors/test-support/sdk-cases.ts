import Anthropic from '@anthropic-ai/sdk';
import { ApiError } from '@google/genai';
import OpenAI from 'openai';
import { ContentFilterFinishReasonError, LengthFinishReasonError } from 'openai/error';
import type { ClassifyCase } from './classify-case.ts';

// Errors built with the installed SDKs' own classes, the way their clients build them
// (openai/client.js `makeStatusError`, @anthropic-ai/sdk/client.js and core/streaming.js).

function econnreset(): Error {
  return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' });
}

export const sdkCases: ClassifyCase[] = [
  {
    name: 'openai RateLimitError 429 with retry-after and x-request-id',
    input: OpenAI.APIError.generate(
      429,
      {
        error: {
          message:
            'Rate limit reached for gpt-4o in organization org-a1b2c3 on tokens per min (TPM): Limit 30000, Used 29000, Requested 2000. Please try again in 2s.',
          type: 'tokens',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
      undefined,
      new Headers({ 'retry-after': '3', 'x-request-id': 'req_sdk429' }),
    ),
    context: { provider: 'openai', model: 'gpt-4o' },
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 3000,
    facts: { status: 429, requestId: 'req_sdk429', code: 'rate_limit_exceeded', provider: 'openai' },
  },
  {
    name: 'openai BadRequestError 400 context_length_exceeded',
    input: OpenAI.APIError.generate(
      400,
      {
        error: {
          message:
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens. Please reduce the length of the messages.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      },
      undefined,
      new Headers({ 'x-request-id': 'req_sdk400' }),
    ),
    kind: 'too_large',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 400, requestId: 'req_sdk400' },
  },
  {
    name: 'openai AuthenticationError 401 echoing the key: redacted',
    input: OpenAI.APIError.generate(
      401,
      {
        error: {
          message:
            'Incorrect API key provided: sk-proj-abc123XYZ789secretKEYvalue0000. You can find your API key at https://platform.openai.com/account/api-keys.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      },
      undefined,
      new Headers({ 'x-request-id': 'req_sdk401' }),
    ),
    kind: 'auth',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 401, requestId: 'req_sdk401' },
    hidden: ['sk-proj-abc123', 'secretKEYvalue'],
  },
  {
    name: 'openai InternalServerError 500 with x-should-retry: false',
    input: OpenAI.APIError.generate(
      500,
      {
        error: {
          message: 'The server had an error processing your request.',
          type: 'server_error',
          param: null,
          code: null,
        },
      },
      undefined,
      new Headers({ 'x-should-retry': 'false', 'x-request-id': 'req_sdk500' }),
    ),
    kind: 'server',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 500, requestId: 'req_sdk500' },
  },
  {
    name: 'openai InternalServerError 502 whose body was an HTML page (kept only in message)',
    input: OpenAI.APIError.generate(
      502,
      undefined,
      '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n',
      new Headers({ 'content-type': 'text/html' }),
    ),
    kind: 'bad_gateway',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 502 },
    messageIncludes: 'HTML page (502 Bad Gateway)',
    hidden: ['<html', '<center>', 'cloudflare'],
  },
  {
    name: 'openai InternalServerError 500 with an empty body',
    input: OpenAI.APIError.generate(500, undefined, '', new Headers()),
    kind: 'server',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 500 },
    messageIncludes: 'no error message',
  },
  {
    name: 'openai RateLimitError with a flat Mistral body (normalised to .error by the client)',
    input: OpenAI.APIError.generate(
      429,
      {
        error: {
          object: 'error',
          message: 'Service tier capacity exceeded for this model.',
          type: 'service_tier_capacity_exceeded',
          param: null,
          code: '3505',
        },
      },
      undefined,
      new Headers(),
    ),
    kind: 'overloaded',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 429 },
  },
  {
    name: 'openai APIConnectionTimeoutError',
    input: new OpenAI.APIConnectionTimeoutError(),
    context: { provider: 'openai' },
    kind: 'timeout',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: undefined, requestId: undefined },
  },
  {
    name: 'openai APIUserAbortError',
    input: new OpenAI.APIUserAbortError(),
    kind: 'cancelled',
    retryable: false,
    fallbackable: false,
    retryAfterMs: undefined,
  },
  {
    name: 'openai APIConnectionError wrapping fetch failed / ECONNREFUSED',
    input: new OpenAI.APIConnectionError({
      cause: new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
          code: 'ECONNREFUSED',
          errno: -111,
          syscall: 'connect',
        }),
      }),
    }),
    kind: 'connection',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { code: 'ECONNREFUSED' },
  },
  {
    name: 'openai APIConnectionError with no cause',
    input: new OpenAI.APIConnectionError({}),
    kind: 'connection',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'openai stream error: APIError with no status from a data: {"error":…} payload',
    input: new OpenAI.APIError(
      undefined,
      {
        message: 'The server had an error while processing your request. Sorry about that!',
        type: 'server_error',
      },
      undefined,
      new Headers({ 'x-request-id': 'req_stream' }),
    ),
    kind: 'server',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: undefined, requestId: 'req_stream', code: 'server_error' },
  },
  {
    name: 'openai LengthFinishReasonError: truncated',
    input: new LengthFinishReasonError(),
    kind: 'truncated',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'openai ContentFilterFinishReasonError: content_filter',
    input: new ContentFilterFinishReasonError(),
    kind: 'content_filter',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'anthropic OverloadedError 529 with request-id header and body request_id',
    input: Anthropic.APIError.generate(
      529,
      {
        type: 'error',
        error: { type: 'overloaded_error', message: 'Overloaded' },
        request_id: 'req_011CSdk529',
      },
      undefined,
      new Headers({ 'request-id': 'req_011CSdk529' }),
    ),
    context: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
    kind: 'overloaded',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 529, requestId: 'req_011CSdk529', code: 'overloaded_error', provider: 'anthropic' },
  },
  {
    name: 'anthropic RateLimitError 429 with retry-after',
    input: Anthropic.APIError.generate(
      429,
      {
        type: 'error',
        error: {
          type: 'rate_limit_error',
          message: 'Number of request tokens has exceeded your per-minute rate limit',
        },
        request_id: 'req_011CSdk429',
      },
      undefined,
      new Headers({ 'retry-after': '24', 'request-id': 'req_011CSdk429' }),
    ),
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 24_000,
    facts: { status: 429, requestId: 'req_011CSdk429' },
  },
  {
    name: 'anthropic RateLimitError 429 enforced_spend_limit_reached: spent quota',
    input: Anthropic.APIError.generate(
      429,
      {
        type: 'error',
        error: {
          type: 'rate_limit_error',
          message: 'You have reached your specified API usage limits.',
          details: { error_code: 'enforced_spend_limit_reached' },
        },
        request_id: 'req_011CSdkSpend',
      },
      undefined,
      new Headers(),
    ),
    kind: 'quota_exhausted',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 429, requestId: 'req_011CSdkSpend' },
  },
  {
    name: 'anthropic BadRequestError 400 prompt is too long',
    input: Anthropic.APIError.generate(
      400,
      {
        type: 'error',
        error: {
          type: 'invalid_request_error',
          message: 'prompt is too long: 208423 tokens > 200000 maximum',
        },
        request_id: 'req_011CSdk400',
      },
      undefined,
      new Headers({ 'request-id': 'req_011CSdk400' }),
    ),
    kind: 'too_large',
    retryable: false,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 400, requestId: 'req_011CSdk400' },
  },
  {
    name: 'anthropic APIConnectionError wrapping ECONNRESET',
    input: new Anthropic.APIConnectionError({ cause: econnreset() }),
    context: { provider: 'anthropic' },
    kind: 'connection',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { code: 'ECONNRESET', provider: 'anthropic' },
  },
  {
    name: 'anthropic APIConnectionTimeoutError',
    input: new Anthropic.APIConnectionTimeoutError(),
    kind: 'timeout',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'anthropic APIUserAbortError',
    input: new Anthropic.APIUserAbortError(),
    kind: 'cancelled',
    retryable: false,
    fallbackable: false,
    retryAfterMs: undefined,
  },
  {
    name: 'genai ApiError 429 from a JSON error body (RetryInfo read from message)',
    input: new ApiError({
      status: 429,
      message: JSON.stringify({
        error: {
          code: 429,
          message: 'You exceeded your current quota, please check your plan and billing details.',
          status: 'RESOURCE_EXHAUSTED',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
              violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }],
            },
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '21s' },
          ],
        },
      }),
    }),
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 21_000,
    facts: { status: 429, code: 'RESOURCE_EXHAUSTED' },
  },
  {
    name: 'genai ApiError 502 whose HTML body js-genai wrapped as {error:{message:<page>}}',
    input: new ApiError({
      status: 502,
      message: JSON.stringify({
        error: {
          message:
            '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>gfe</center>\r\n</body>\r\n</html>\r\n',
          code: 502,
          status: 'Bad Gateway',
        },
      }),
    }),
    kind: 'bad_gateway',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 502 },
    messageIncludes: 'HTML page (502 Bad Gateway)',
    hidden: ['<html', '<center>', 'gfe'],
  },
  {
    name: 'genai ApiError from a stream chunk ("got status: …") with a PerDay quota',
    input: new ApiError({
      status: 429,
      message: `got status: RESOURCE_EXHAUSTED. ${JSON.stringify({
        error: {
          code: 429,
          message: 'You exceeded your current quota, please check your plan and billing details.',
          status: 'RESOURCE_EXHAUSTED',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
              violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }],
            },
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '43s' },
          ],
        },
      })}`,
    }),
    kind: 'quota_exhausted',
    retryable: false,
    fallbackable: true,
    retryAfterMs: 43_000,
    facts: { status: 429, code: 'RESOURCE_EXHAUSTED' },
  },
  {
    name: 'genai ApiError from a stream chunk ("got status: …") 503 UNAVAILABLE',
    input: new ApiError({
      status: 503,
      message: `got status: UNAVAILABLE. ${JSON.stringify({
        error: {
          code: 503,
          message: 'The model is overloaded. Please try again later.',
          status: 'UNAVAILABLE',
        },
      })}`,
    }),
    kind: 'unavailable',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: 503, code: 'UNAVAILABLE' },
    messageIncludes: 'The model is overloaded',
  },
  {
    name: 'anthropic stream error: APIError with no status from event: error',
    input: new Anthropic.APIError(
      undefined,
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      undefined,
      new Headers({ 'request-id': 'req_011CStream' }),
      'overloaded_error',
    ),
    kind: 'overloaded',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: undefined, requestId: 'req_011CStream' },
  },
];
