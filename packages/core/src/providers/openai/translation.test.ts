import { describe, expect, it } from 'vitest';
import { SteadfastError } from '../../errors/steadfast-error.ts';
import type { ChatRequest } from '../../neutral/request.ts';
import type { ChatResponse, FinishReason } from '../../neutral/response.ts';
import type { StreamEvent } from '../../neutral/stream-event.ts';
import { thrown } from '../../test-support/thrown.ts';
import type { ExchangeFacts } from '../http-adapter.ts';
import { decodeRecorded, readFixture, readJsonFixture, recordedAnswer } from '../test-support/recorded.ts';
import { fromOpenAiBody } from './parse-response.ts';
import { type OpenAiQuirks, openAiFlavours } from './quirks.ts';
import { openAiStreamDecoder } from './stream-decoder.ts';
import { toOpenAiBody } from './translate-request.ts';

// Fixtures: recorded shapes of OpenAI, Azure and OpenAI-compatible servers
// (reference/provider-wire-formats.md §1, §4, §7).
const sse = (name: string): string => readFixture(import.meta.url, `./fixtures/${name}`);
const json = (name: string): Record<string, unknown> =>
  readJsonFixture(import.meta.url, `./fixtures/${name}`);

function quirksOf(flavour: string): OpenAiQuirks {
  const quirks = openAiFlavours[flavour];
  if (quirks === undefined) throw new TypeError(`no flavour ${flavour}`);
  return quirks;
}
const openai = quirksOf('openai');

function facts(provider: string, model: string): ExchangeFacts {
  return {
    provider,
    model,
    requestId: 'req_8d3c5e0f4a2b',
    rateLimit: undefined,
    timings: { startedAt: 1_767_225_600_000, headersMs: 412, totalMs: 1_310 },
  };
}

function decode(flavour: string, provider: string, model: string, text: string, chunkBytes?: number) {
  const decoder = openAiStreamDecoder(
    quirksOf(flavour),
    { provider, model },
    { requestId: 'req_8d3c5e0f4a2b', rateLimit: undefined },
  );
  return decodeRecorded(text, decoder, chunkBytes);
}

function start(provider: string, id: string, model: string): StreamEvent {
  return { type: 'start', id, provider, model, requestId: 'req_8d3c5e0f4a2b', rateLimit: undefined };
}

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    required: ['location', 'unit'],
    additionalProperties: false,
  },
};
const hello: ChatRequest = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello' }] };

describe('OpenAI request translation (neutral → Chat Completions body)', () => {
  it('puts the system prompt first as a system message and calls the upstream model given', () => {
    const request: ChatRequest = { ...hello, model: 'fast', system: 'You are terse.' };
    expect(toOpenAiBody(request, 'gpt-4o-2024-08-06', false, openai)).toEqual({
      model: 'gpt-4o-2024-08-06',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hello' },
      ],
    });
  });

  it('sends user images by URL, and base64 bytes as a data URL', () => {
    const request: ChatRequest = {
      model: 'gpt-4o',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What differs between these?' },
            {
              type: 'image',
              url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
            },
            {
              type: 'image',
              data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
              mediaType: 'image/png',
            },
          ],
        },
      ],
    };
    expect(toOpenAiBody(request, 'gpt-4o', false, openai)).toEqual({
      model: 'gpt-4o',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What differs between these?' },
            {
              type: 'image_url',
              image_url: {
                url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
              },
            },
            {
              type: 'image_url',
              image_url: {
                url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
              },
            },
          ],
        },
      ],
    });
  });

  it('sends assistant tool calls with JSON-text arguments, content null when there is no text, and each tool result as a tool message', () => {
    const request: ChatRequest = {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'Weather in Paris and Tokyo?' },
        {
          role: 'assistant',
          content: [
            {
              type: 'tool-call',
              id: 'call_8qZbKcYy3Jw1Fv6Tn0Rm2Hxd',
              name: 'get_weather',
              arguments: '{"location":"Paris, France","unit":"celsius"}',
            },
            {
              type: 'tool-call',
              id: 'call_Qm4Lr7Vt1Np9Sd2Kb6Xw3Jcf',
              name: 'get_weather',
              arguments: '{"location":"Tokyo, Japan","unit":"celsius"}',
            },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'call_8qZbKcYy3Jw1Fv6Tn0Rm2Hxd',
              toolName: 'get_weather',
              content: '{"temperature":18}',
            },
            {
              type: 'tool-result',
              toolCallId: 'call_Qm4Lr7Vt1Np9Sd2Kb6Xw3Jcf',
              toolName: 'get_weather',
              content: 'Service unavailable',
              isError: true,
            },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Paris is 18 °C; ' },
            { type: 'text', text: 'let me retry Tokyo.' },
            {
              type: 'tool-call',
              id: 'call_Zt5Pq2Wn8Lm1Xc4Vb7Rk0Jyd',
              name: 'get_weather',
              arguments: '{"location":"Tokyo, Japan","unit":"celsius"}',
            },
          ],
        },
      ],
    };
    expect(toOpenAiBody(request, 'gpt-4o', false, openai)).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'Weather in Paris and Tokyo?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_8qZbKcYy3Jw1Fv6Tn0Rm2Hxd',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"location":"Paris, France","unit":"celsius"}' },
            },
            {
              id: 'call_Qm4Lr7Vt1Np9Sd2Kb6Xw3Jcf',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"location":"Tokyo, Japan","unit":"celsius"}' },
            },
          ],
        },
        // OpenAI has no error flag on tool results: the text says it.
        { role: 'tool', tool_call_id: 'call_8qZbKcYy3Jw1Fv6Tn0Rm2Hxd', content: '{"temperature":18}' },
        { role: 'tool', tool_call_id: 'call_Qm4Lr7Vt1Np9Sd2Kb6Xw3Jcf', content: 'Service unavailable' },
        {
          role: 'assistant',
          content: 'Paris is 18 °C; let me retry Tokyo.',
          tool_calls: [
            {
              id: 'call_Zt5Pq2Wn8Lm1Xc4Vb7Rk0Jyd',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"location":"Tokyo, Japan","unit":"celsius"}' },
            },
          ],
        },
      ],
    });
  });

  it('declares tools as functions, with description and strict only where given', () => {
    const request: ChatRequest = {
      ...hello,
      tools: [
        { ...weatherTool, strict: true },
        { name: 'now', parameters: { type: 'object', properties: {} } },
      ],
    };
    expect(toOpenAiBody(request, 'gpt-4o', false, openai).tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Current weather for a city',
          parameters: weatherTool.parameters,
          strict: true,
        },
      },
      { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } },
    ]);
  });

  it.each([
    ['auto', 'auto'],
    ['none', 'none'],
    ['required', 'required'],
    [{ tool: 'get_weather' }, { type: 'function', function: { name: 'get_weather' } }],
  ] as const)('sends tool choice %j as %j', (choice, wire) => {
    const request: ChatRequest = { ...hello, tools: [weatherTool], toolChoice: choice };
    expect(toOpenAiBody(request, 'gpt-4o', false, openai)).toEqual({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hello' }],
      tools: [{ type: 'function', function: weatherTool }],
      tool_choice: wire,
    });
  });

  it.each([
    [{ type: 'text' }, { type: 'text' }],
    [{ type: 'json' }, { type: 'json_object' }],
    [
      { type: 'json_schema', schema: weatherTool.parameters },
      { type: 'json_schema', json_schema: { name: 'response', schema: weatherTool.parameters } },
    ],
    [
      {
        type: 'json_schema',
        name: 'weather_query',
        description: 'A city and a unit',
        schema: weatherTool.parameters,
        strict: true,
      },
      {
        type: 'json_schema',
        json_schema: {
          name: 'weather_query',
          description: 'A city and a unit',
          schema: weatherTool.parameters,
          strict: true,
        },
      },
    ],
  ] as const)('sends response format %j as %j', (format, wire) => {
    expect(toOpenAiBody({ ...hello, responseFormat: format }, 'gpt-4o', false, openai)).toEqual({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hello' }],
      response_format: wire,
    });
  });

  it.each([
    ['openai', 'max_completion_tokens'],
    ['azure', 'max_completion_tokens'],
    ['generic', 'max_tokens'],
    ['vllm', 'max_tokens'],
    ['ollama', 'max_tokens'],
    ['groq', 'max_tokens'],
    ['mistral', 'max_tokens'],
    ['deepseek', 'max_tokens'],
    ['openrouter', 'max_tokens'],
  ])('limits output on %s with %s', (flavour, field) => {
    expect(toOpenAiBody({ ...hello, maxOutputTokens: 1024 }, 'm', false, quirksOf(flavour))).toEqual({
      model: 'm',
      messages: [{ role: 'user', content: 'Hello' }],
      [field]: 1024,
    });
  });

  const sampling: ChatRequest = {
    ...hello,
    stop: ['\n\n', 'END'],
    seed: 42,
    temperature: 0.2,
    topP: 0.9,
    user: 'user-7f3a',
    metadata: { tenant: 'acme', feature: 'summaries' },
  };

  it('sends stop, seed, temperature, top_p, user and metadata to OpenAI', () => {
    expect(toOpenAiBody(sampling, 'gpt-4o', false, openai)).toEqual({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hello' }],
      stop: ['\n\n', 'END'],
      seed: 42,
      temperature: 0.2,
      top_p: 0.9,
      user: 'user-7f3a',
      metadata: { tenant: 'acme', feature: 'summaries' },
    });
  });

  it.each(['azure', 'generic', 'mistral'])('leaves metadata out on %s, which does not take it', (flavour) => {
    expect(toOpenAiBody(sampling, 'm', false, quirksOf(flavour))).toEqual({
      model: 'm',
      messages: [{ role: 'user', content: 'Hello' }],
      stop: ['\n\n', 'END'],
      seed: 42,
      temperature: 0.2,
      top_p: 0.9,
      user: 'user-7f3a',
    });
  });

  it('omits an empty stop list', () => {
    expect(toOpenAiBody({ ...hello, stop: [] }, 'gpt-4o', false, openai)).toEqual({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hello' }],
    });
  });

  it('streams with stream_options.include_usage, so the usage chunk is sent', () => {
    expect(toOpenAiBody(hello, 'gpt-4o', true, openai)).toEqual({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('merges providerOptions.openai last, over translated fields, and ignores other providers’ options', () => {
    const request: ChatRequest = {
      ...hello,
      temperature: 0.2,
      providerOptions: {
        openai: { reasoning_effort: 'low', service_tier: 'flex', temperature: 1 },
        anthropic: { top_k: 40 },
      },
    };
    expect(toOpenAiBody(request, 'o4-mini', false, openai)).toEqual({
      model: 'o4-mini',
      messages: [{ role: 'user', content: 'Hello' }],
      temperature: 1,
      reasoning_effort: 'low',
      service_tier: 'flex',
    });
  });

  it('merges providerOptions.openai.stream_options into the stream options it sets, keeping include_usage', () => {
    const request: ChatRequest = {
      ...hello,
      providerOptions: { openai: { stream_options: { include_obfuscation: false } } },
    };
    expect(toOpenAiBody(request, 'gpt-4o', true, openai)).toEqual({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
      stream_options: { include_usage: true, include_obfuscation: false },
    });
  });

  describe('a request that arrived as Chat Completions (original)', () => {
    const original = json('request-chat.json');
    const request: ChatRequest = {
      model: 'gpt-4o',
      system: 'ignored: the original wins',
      messages: [{ role: 'user', content: 'ignored' }],
      original: { format: 'openai-chat', body: original },
    };

    it('is sent on unchanged but for the model, unknown fields included', () => {
      const { stream: _stream, stream_options: _options, ...rest } = original;
      expect(toOpenAiBody(request, 'gpt-4o-2024-08-06', false, openai)).toEqual({
        ...rest,
        model: 'gpt-4o-2024-08-06',
      });
    });

    it('streams when the call streams, keeping the caller’s stream_options', () => {
      expect(toOpenAiBody(request, 'gpt-4o-2024-08-06', true, openai)).toEqual({
        ...original,
        model: 'gpt-4o-2024-08-06',
        stream: true,
      });
    });

    it('is not reused when it arrived in another wire format', () => {
      const foreign: ChatRequest = { ...hello, original: { format: 'anthropic-messages', body: original } };
      expect(toOpenAiBody(foreign, 'gpt-4o', false, openai)).toEqual({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'Hello' }],
      });
    });
  });
});

describe('OpenAI response translation (Chat Completions body → neutral)', () => {
  const textResponse: ChatResponse = {
    id: 'chatcmpl-AzT9c2fNq1ZVx8Lk3mRrW0pYbE7Hd',
    provider: 'openai',
    model: 'gpt-4o-2024-08-06',
    requestId: 'req_8d3c5e0f4a2b',
    content: [{ type: 'text', text: recordedAnswer }],
    text: recordedAnswer,
    toolCalls: [],
    finishReason: 'stop',
    rawFinishReason: 'stop',
    usage: {
      inputTokens: 2006,
      outputTokens: 231,
      cachedInputTokens: 1920,
      reasoningTokens: 0,
      totalTokens: 2237,
    },
    rateLimit: undefined,
    timings: facts('openai', 'gpt-4o').timings,
  };

  it('reads a text answer, the model that answered, and usage with cached prompt tokens', () => {
    expect(fromOpenAiBody(json('chat-text.json'), openai, facts('openai', 'gpt-4o'))).toEqual(textResponse);
  });

  it('reads tool calls in order, arguments kept as the JSON text the model wrote', () => {
    const toolCalls = [
      {
        type: 'tool-call',
        id: 'call_8qZbKcYy3Jw1Fv6Tn0Rm2Hxd',
        name: 'get_weather',
        arguments: '{"location":"Paris, France","unit":"celsius"}',
      },
      {
        type: 'tool-call',
        id: 'call_Qm4Lr7Vt1Np9Sd2Kb6Xw3Jcf',
        name: 'get_weather',
        arguments: '{"location":"Tokyo, Japan","unit":"celsius"}',
      },
    ] as const;
    expect(fromOpenAiBody(json('chat-tool-calls.json'), openai, facts('openai', 'gpt-4o'))).toEqual({
      ...textResponse,
      id: 'chatcmpl-B0a1Xy7uQe4KpN2sLm9TvR3wZcD5f',
      content: toolCalls,
      text: '',
      toolCalls,
      finishReason: 'tool_calls',
      rawFinishReason: 'tool_calls',
      usage: {
        inputTokens: 82,
        outputTokens: 54,
        cachedInputTokens: 0,
        reasoningTokens: 0,
        totalTokens: 136,
      },
    });
  });

  it('reads a Structured Outputs refusal (content null, refusal text) as finish reason refusal', () => {
    expect(fromOpenAiBody(json('chat-refusal.json'), openai, facts('openai', 'gpt-4o'))).toEqual({
      ...textResponse,
      id: 'chatcmpl-B0aC4kR9pW2mXz7Tn5Ly1Qv8Hs3Jd',
      content: [],
      text: '',
      refusal: "I'm sorry, I can't assist with that request.",
      finishReason: 'refusal',
      rawFinishReason: 'stop',
      usage: {
        inputTokens: 117,
        outputTokens: 11,
        cachedInputTokens: 0,
        reasoningTokens: 0,
        totalTokens: 128,
      },
    });
  });

  it('reads an Azure output filter (HTTP 200, finish_reason content_filter) as content_filter', () => {
    expect(
      fromOpenAiBody(json('azure-content-filter.json'), quirksOf('azure'), facts('azure', 'gpt-4o')),
    ).toEqual({
      ...textResponse,
      id: 'chatcmpl-B0aD7nT2qY5pLw8Xm1Rz4Kc6Vf9Hs',
      provider: 'azure',
      model: 'gpt-4o-2024-11-20',
      content: [],
      text: '',
      finishReason: 'content_filter',
      rawFinishReason: 'content_filter',
      usage: { inputTokens: 31, outputTokens: 38, cachedInputTokens: 0, reasoningTokens: 0, totalTokens: 69 },
    });
  });

  it('throws content_filter for an Azure answer with prompt filter results and no choices', () => {
    const filtered = { ...json('azure-content-filter.json'), choices: [] };
    expect(thrown(() => fromOpenAiBody(filtered, quirksOf('azure'), facts('azure', 'gpt-4o')))).toEqual(
      new SteadfastError('content_filter', 'azure filtered the prompt', {
        provider: 'azure',
        model: 'gpt-4o',
      }),
    );
  });

  function withFinish(finishReason: string): Record<string, unknown> {
    const body = json('chat-text.json');
    const [choice] = body.choices as Array<Record<string, unknown>>;
    return { ...body, choices: [{ ...choice, finish_reason: finishReason }] };
  }

  it.each<[string, string, FinishReason]>([
    ['openai', 'stop', 'stop'],
    ['openai', 'length', 'length'],
    ['openai', 'tool_calls', 'tool_calls'],
    ['openai', 'function_call', 'tool_calls'],
    ['openai', 'content_filter', 'content_filter'],
    ['openai', 'a_reason_added_next_year', 'other'],
    ['mistral', 'model_length', 'length'],
    ['vllm', 'abort', 'other'],
    // Only DeepSeek's flavour knows this one as a failure.
    ['openai', 'insufficient_system_resource', 'other'],
  ])('maps %s finish_reason %s to %s', (flavour, raw, finishReason) => {
    expect(fromOpenAiBody(withFinish(raw), quirksOf(flavour), facts('openai', 'gpt-4o'))).toEqual({
      ...textResponse,
      finishReason,
      rawFinishReason: raw,
    });
  });

  it('reads a Mistral answer cut by the context window (model_length) as length', () => {
    expect(
      fromOpenAiBody(
        json('mistral-model-length.json'),
        quirksOf('mistral'),
        facts('mistral', 'mistral-large'),
      ),
    ).toEqual({
      id: 'cmpl-e5cc70bb28c444948073e77776eb30ef',
      provider: 'mistral',
      model: 'mistral-large-latest',
      requestId: 'req_8d3c5e0f4a2b',
      content: [{ type: 'text', text: 'The treaty was signed in three stages. The first,' }],
      text: 'The treaty was signed in three stages. The first,',
      toolCalls: [],
      finishReason: 'length',
      rawFinishReason: 'model_length',
      usage: { inputTokens: 131_060, outputTokens: 12, cachedInputTokens: 0, totalTokens: 131_072 },
      rateLimit: undefined,
      timings: textResponse.timings,
    });
  });

  it('throws Mistral finish_reason error as a server error', () => {
    expect(
      thrown(() =>
        fromOpenAiBody(withFinish('error'), quirksOf('mistral'), facts('mistral', 'mistral-large')),
      ),
    ).toEqual(
      new SteadfastError(
        'server',
        'mistral answered error server_error: The stream ended with finish_reason "error"',
        {
          provider: 'mistral',
          model: 'mistral-large',
          code: 'server_error',
        },
      ),
    );
  });

  it('throws DeepSeek insufficient_system_resource (load shed mid-answer) as a retryable server error', () => {
    const error = thrown(() =>
      fromOpenAiBody(
        json('deepseek-insufficient-resource.json'),
        quirksOf('deepseek'),
        facts('deepseek', 'deepseek-reasoner'),
      ),
    );
    expect(error).toEqual(
      new SteadfastError(
        'server',
        'deepseek ended the answer with finish_reason "insufficient_system_resource"',
        {
          provider: 'deepseek',
          model: 'deepseek-reasoner',
          code: 'insufficient_system_resource',
        },
      ),
    );
    expect(SteadfastError.isInstance(error) && error.retryable).toBe(true);
  });

  it('throws an OpenRouter answer with finish_reason error as the upstream error in its choice', () => {
    expect(
      thrown(() =>
        fromOpenAiBody(
          json('openrouter-error.json'),
          quirksOf('openrouter'),
          facts('openrouter', 'google/gemini-2.5-pro'),
        ),
      ),
    ).toEqual(
      new SteadfastError(
        'bad_gateway',
        'openrouter answered error: Upstream error from Google: Internal error encountered.',
        {
          provider: 'openrouter',
          model: 'google/gemini-2.5-pro',
        },
      ),
    );
  });

  it('reads DeepSeek prompt_cache_hit_tokens as cached input', () => {
    expect(
      fromOpenAiBody(
        json('deepseek-cache-hit.json'),
        quirksOf('deepseek'),
        facts('deepseek', 'deepseek-chat'),
      ),
    ).toEqual({
      id: '7c0b3c5a-5e7e-4f6b-9f1a-2d3e4f5a6b7c',
      provider: 'deepseek',
      model: 'deepseek-chat',
      requestId: 'req_8d3c5e0f4a2b',
      content: [
        { type: 'text', text: 'The function returns early when the list is empty, so the loop never runs.' },
      ],
      text: 'The function returns early when the list is empty, so the loop never runs.',
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: { inputTokens: 1563, outputTokens: 17, cachedInputTokens: 1536, totalTokens: 1580 },
      rateLimit: undefined,
      timings: textResponse.timings,
    });
  });

  it('reads Groq usage, its timing fields aside', () => {
    expect(
      fromOpenAiBody(json('groq-chat.json'), quirksOf('groq'), facts('groq', 'llama-3.3-70b-versatile')),
    ).toEqual({
      id: 'chatcmpl-f51b2cd2-bef7-417e-964e-a08f0b513c22',
      provider: 'groq',
      model: 'llama-3.3-70b-versatile',
      requestId: 'req_8d3c5e0f4a2b',
      content: [{ type: 'text', text: 'Low latency lets a model answer while the user is still reading.' }],
      text: 'Low latency lets a model answer while the user is still reading.',
      toolCalls: [],
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: { inputTokens: 18, outputTokens: 13, cachedInputTokens: 0, totalTokens: 31 },
      rateLimit: undefined,
      timings: textResponse.timings,
    });
  });
});

describe('OpenAI stream decoding (recorded SSE → stream events)', () => {
  const textEvents: StreamEvent[] = [
    start('openai', 'chatcmpl-B0bQ3xT7mYkP1vN5sR8wL2cZ9dFhJ', 'gpt-4o-2024-08-06'),
    ...['Paris', ' is', ' the', ' capital', ' of', ' France', '.'].map(
      (text): StreamEvent => ({ type: 'text-delta', text }),
    ),
    {
      type: 'usage',
      usage: { inputTokens: 24, outputTokens: 8, cachedInputTokens: 0, reasoningTokens: 0, totalTokens: 32 },
    },
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' },
  ];

  it('holds the finish until [DONE], so the usage chunk that follows the finish chunk is not lost', async () => {
    expect(await decode('openai', 'openai', 'gpt-4o', sse('chat-text.sse'))).toEqual(textEvents);
  });

  it.each([1, 7, 64, 100_000])(
    'decodes the same events when the body arrives in %i-byte chunks',
    async (size) => {
      expect(await decode('openai', 'openai', 'gpt-4o', sse('chat-text.sse'), size)).toEqual(textEvents);
    },
  );

  it('accepts a stream whose [DONE] never came once the finish reason did', async () => {
    const withoutDone = sse('chat-text.sse').replace('data: [DONE]\n\n', '');
    expect(await decode('openai', 'openai', 'gpt-4o', withoutDone)).toEqual(textEvents);
  });

  it('ends a stream cut before any finish reason with stream_interrupted', async () => {
    expect(await decode('openai', 'openai', 'gpt-4o', sse('chat-cut.sse'))).toEqual([
      start('openai', 'chatcmpl-B0bQ3xT7mYkP1vN5sR8wL2cZ9dFhJ', 'gpt-4o-2024-08-06'),
      { type: 'text-delta', text: 'Paris' },
      { type: 'text-delta', text: ' is' },
      {
        type: 'error',
        error: new SteadfastError(
          'stream_interrupted',
          'The stream from openai ended before a finish reason',
          {
            provider: 'openai',
            model: 'gpt-4o',
            requestId: 'req_8d3c5e0f4a2b',
            code: 'no_finish_reason',
          },
        ),
      },
    ]);
  });

  it('streams tool-call fragments by index, id and name on the first fragment of each call', async () => {
    expect(await decode('openai', 'openai', 'gpt-4o', sse('chat-tool-calls.sse'))).toEqual([
      start('openai', 'chatcmpl-B0bR8pL3nV6xQ1tY4mK7wZ2cF5dHj', 'gpt-4o-2024-08-06'),
      {
        type: 'tool-call-delta',
        index: 0,
        id: 'call_8qZbKcYy3Jw1Fv6Tn0Rm2Hxd',
        name: 'get_weather',
        argumentsDelta: '',
      },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"lo' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'cation": "Paris, France"}' },
      {
        type: 'tool-call-delta',
        index: 1,
        id: 'call_Qm4Lr7Vt1Np9Sd2Kb6Xw3Jcf',
        name: 'get_weather',
        argumentsDelta: '',
      },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"location": "Tokyo, Japan"}' },
      {
        type: 'usage',
        usage: {
          inputTokens: 82,
          outputTokens: 46,
          cachedInputTokens: 0,
          reasoningTokens: 0,
          totalTokens: 128,
        },
      },
      { type: 'finish', finishReason: 'tool_calls', rawFinishReason: 'tool_calls' },
    ]);
  });

  it('streams a refusal as refusal deltas and finishes with refusal', async () => {
    expect(await decode('openai', 'openai', 'gpt-4o', sse('chat-refusal.sse'))).toEqual([
      start('openai', 'chatcmpl-B0bS2kT6yP9mW3xL7qN1vR4cZ8dFh', 'gpt-4o-2024-08-06'),
      { type: 'refusal-delta', text: "I'm sorry" },
      { type: 'refusal-delta', text: ", I can't assist with that request." },
      {
        type: 'usage',
        usage: {
          inputTokens: 117,
          outputTokens: 11,
          cachedInputTokens: 0,
          reasoningTokens: 0,
          totalTokens: 128,
        },
      },
      { type: 'finish', finishReason: 'refusal', rawFinishReason: 'stop' },
    ]);
  });

  it('skips Azure’s filter-only first chunk (empty id, no choices) and its trailing filter-offsets chunk', async () => {
    expect(await decode('azure', 'azure', 'gpt-4o', sse('azure-text.sse'))).toEqual([
      start('azure', 'chatcmpl-CYPS1lijGoK8gd9lYzY3r9Sx50nbt', 'gpt-4o-2024-11-20'),
      { type: 'text-delta', text: 'Capital' },
      { type: 'text-delta', text: ' of' },
      { type: 'text-delta', text: ' Denmark' },
      { type: 'text-delta', text: ': Copenhagen.' },
      {
        type: 'usage',
        usage: {
          inputTokens: 15,
          outputTokens: 7,
          cachedInputTokens: 0,
          reasoningTokens: 0,
          totalTokens: 22,
        },
      },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' },
    ]);
  });

  it('starts a stream whose chunks all have an empty id (Hugging Face TGI) at its first choice', async () => {
    const chunk = (delta: string, finish: string | null): string =>
      `data:${JSON.stringify({
        object: 'chat.completion.chunk',
        id: '',
        created: 1739367000,
        model: 'meta-llama/Meta-Llama-3.1-8B-Instruct',
        system_fingerprint: '2.3.1-dev0-native',
        choices: [
          { index: 0, delta: { role: 'assistant', content: delta }, logprobs: null, finish_reason: finish },
        ],
        usage: null,
      })}\n\n`;
    const tgi = `${chunk('Deep', null)}${chunk(' learning', null)}${chunk('', 'stop')}data:[DONE]\n\n`;
    expect(await decode('generic', 'tgi', 'llama-3.1-8b', tgi)).toEqual([
      start('tgi', '', 'meta-llama/Meta-Llama-3.1-8B-Instruct'),
      { type: 'text-delta', text: 'Deep' },
      { type: 'text-delta', text: ' learning' },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' },
    ]);
  });

  it('ends with the error of a mid-stream {"error":…} data payload', async () => {
    expect(await decode('openai', 'openai', 'gpt-4o', sse('chat-server-error.sse'))).toEqual([
      start('openai', 'chatcmpl-B0bQ3xT7mYkP1vN5sR8wL2cZ9dFhJ', 'gpt-4o-2024-08-06'),
      { type: 'text-delta', text: 'Paris' },
      {
        type: 'error',
        error: new SteadfastError(
          'server',
          'openai answered error server_error: The server had an error while processing your request. Sorry about that!',
          { provider: 'openai', model: 'gpt-4o', code: 'server_error' },
        ),
      },
    ]);
  });

  it('ends with the error of an event: error frame', async () => {
    const framed =
      'event: error\ndata: {"error":{"message":"Rate limit reached for gpt-4o. Please try again in 1.2s.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}\n\n';
    expect(await decode('openai', 'openai', 'gpt-4o', framed)).toEqual([
      {
        type: 'error',
        error: new SteadfastError(
          'rate_limited',
          'openai answered error rate_limit_exceeded: Rate limit reached for gpt-4o. Please try again in 1.2s.',
          { provider: 'openai', model: 'gpt-4o', code: 'rate_limit_exceeded', retryAfterMs: 1200 },
        ),
      },
    ]);
  });

  const ollamaEvents: StreamEvent[] = [
    start('ollama', 'chatcmpl-123', 'llama3.2'),
    { type: 'text-delta', text: 'The' },
    { type: 'text-delta', text: ' answer' },
    {
      type: 'error',
      error: new SteadfastError(
        'server',
        'ollama answered error api_error: an error was encountered while running the model: unexpected EOF',
        { provider: 'ollama', model: 'llama3.2', code: 'api_error' },
      ),
    },
  ];

  it('recognises Ollama’s raw JSON error line, written without data:', async () => {
    expect(await decode('ollama', 'ollama', 'llama3.2', sse('ollama-raw-error.sse'))).toEqual(ollamaEvents);
  });

  it('recognises Ollama’s raw error line when chunk boundaries cut it', async () => {
    expect(await decode('ollama', 'ollama', 'llama3.2', sse('ollama-raw-error.sse'), 13)).toEqual(
      ollamaEvents,
    );
  });

  it('recognises Ollama’s raw error line as the last bytes of the body, with no line end', async () => {
    const unterminated = sse('ollama-raw-error.sse').trimEnd();
    expect(await decode('ollama', 'ollama', 'llama3.2', unterminated)).toEqual(ollamaEvents);
  });

  it('skips OpenRouter’s : OPENROUTER PROCESSING comments and reads usage from the chunk after the finish', async () => {
    expect(
      await decode('openrouter', 'openrouter', 'anthropic/claude-sonnet-4.5', sse('openrouter-text.sse')),
    ).toEqual([
      start('openrouter', 'gen-1739366820-Qw8eRt5yUi2oPa7sDf4G', 'anthropic/claude-sonnet-4.5'),
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: '! How can I help?' },
      {
        type: 'usage',
        usage: {
          inputTokens: 14,
          outputTokens: 11,
          cachedInputTokens: 0,
          reasoningTokens: 0,
          totalTokens: 25,
        },
      },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' },
    ]);
  });

  it('ends with OpenRouter’s mid-stream error chunk (top-level error, finish_reason error)', async () => {
    expect(
      await decode('openrouter', 'openrouter', 'anthropic/claude-sonnet-4.5', sse('openrouter-error.sse')),
    ).toEqual([
      start('openrouter', 'gen-1739366820-Qw8eRt5yUi2oPa7sDf4G', 'anthropic/claude-sonnet-4.5'),
      { type: 'text-delta', text: 'Hello' },
      {
        type: 'error',
        error: new SteadfastError(
          'bad_gateway',
          'openrouter answered error: Provider disconnected unexpectedly',
          {
            provider: 'openrouter',
            model: 'anthropic/claude-sonnet-4.5',
          },
        ),
      },
    ]);
  });

  it('reads Groq usage, cached tokens included, from x_groq.usage on the finish chunk', async () => {
    expect(await decode('groq', 'groq', 'openai/gpt-oss-120b', sse('groq-text.sse'))).toEqual([
      start('groq', 'chatcmpl-5f1c8b2e-3d4a-4b6c-9e8f-7a1b2c3d4e5f', 'openai/gpt-oss-120b'),
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: '!' },
      {
        type: 'usage',
        usage: { inputTokens: 1570, outputTokens: 10, cachedInputTokens: 1536, totalTokens: 1580 },
      },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' },
    ]);
  });

  it('ends DeepSeek’s insufficient_system_resource with a server error, keep-alive comments skipped', async () => {
    expect(
      await decode('deepseek', 'deepseek', 'deepseek-chat', sse('deepseek-insufficient-resource.sse')),
    ).toEqual([
      start('deepseek', '9f3e2d1c-0b4a-4c5d-8e6f-7a8b9c0d1e2f', 'deepseek-chat'),
      { type: 'text-delta', text: 'Sure' },
      {
        type: 'error',
        error: new SteadfastError(
          'server',
          'deepseek ended the stream with finish_reason "insufficient_system_resource"',
          {
            provider: 'deepseek',
            model: 'deepseek-chat',
            requestId: 'req_8d3c5e0f4a2b',
            code: 'insufficient_system_resource',
          },
        ),
      },
    ]);
  });
});
