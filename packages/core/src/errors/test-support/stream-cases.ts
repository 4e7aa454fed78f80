import type { ClassifyCase } from './classify-case.ts';

// Error events that arrive inside a stream after HTTP 200 (reference/provider-wire-formats.md §1, §5-7).

/** An Anthropic `event: error` data payload. */
export const anthropicErrorEvent = {
  type: 'error',
  error: { type: 'overloaded_error', message: 'Overloaded' },
};

/** An OpenAI `data: {"error":…}` payload. */
export const openAiErrorEvent = {
  error: {
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error',
    param: null,
    code: null,
  },
};

/** A Gemini mid-stream error object. */
export const geminiErrorEvent = {
  error: { code: 500, message: 'An internal error has occurred.', status: 'INTERNAL' },
};

/** An OpenRouter chunk after streaming began: a top-level error and `finish_reason: "error"`. */
export const openRouterErrorChunk = {
  id: 'gen-1756000000-abc',
  object: 'chat.completion.chunk',
  created: 1756000000,
  model: 'anthropic/claude-sonnet-4.5',
  provider: 'Anthropic',
  error: { code: 502, message: 'Provider disconnected unexpectedly' },
  choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error', native_finish_reason: 'error' }],
};

/** An ordinary OpenAI content chunk. */
export const ordinaryChunk = {
  id: 'chatcmpl-abc',
  object: 'chat.completion.chunk',
  created: 1735689600,
  model: 'gpt-4o-2024-08-06',
  choices: [{ index: 0, delta: { content: 'Hi' }, logprobs: null, finish_reason: null }],
};

export const streamCases: ClassifyCase[] = [
  {
    name: 'stream: Anthropic event: error overloaded_error',
    input: anthropicErrorEvent,
    context: { provider: 'anthropic' },
    kind: 'overloaded',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: undefined, code: 'overloaded_error' },
  },
  {
    name: 'stream: Anthropic event: error rate_limit_error',
    input: { type: 'error', error: { type: 'rate_limit_error', message: 'Rate limited' } },
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'stream: OpenAI Responses event: error with code rate_limit_exceeded',
    input: {
      type: 'error',
      code: 'rate_limit_exceeded',
      message: 'Rate limit reached for gpt-4o on tokens per min (TPM). Please try again in 1.2s.',
      param: null,
      sequence_number: 4,
    },
    kind: 'rate_limited',
    retryable: true,
    fallbackable: true,
    retryAfterMs: 1200,
    facts: { code: 'rate_limit_exceeded' },
    messageIncludes: 'Rate limit reached for gpt-4o',
  },
  {
    name: 'stream: a bare {"type":"error"} event is a server failure',
    input: { type: 'error' },
    kind: 'server',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'stream: OpenAI data: {"error":{type:"server_error"}}',
    input: openAiErrorEvent,
    kind: 'server',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { code: 'server_error' },
  },
  {
    name: 'stream: Gemini {"error":{code:500,status:"INTERNAL"}}',
    input: geminiErrorEvent,
    kind: 'server',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { status: undefined, code: 'INTERNAL' },
  },
  {
    name: 'stream: OpenRouter chunk with finish_reason "error" and a top-level error',
    input: openRouterErrorChunk,
    kind: 'bad_gateway',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    messageIncludes: 'Provider disconnected unexpectedly',
  },
  {
    name: 'stream: OpenRouter chunk with finish_reason "error" and no error field',
    input: { ...openRouterErrorChunk, error: undefined },
    kind: 'server',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
];
