import { describe, expect, it } from 'vitest';
import { SteadfastError } from '../../errors/steadfast-error.ts';
import type { ChatRequest } from '../../neutral/request.ts';
import type { ChatResponse, FinishReason } from '../../neutral/response.ts';
import type { StreamEvent } from '../../neutral/stream-event.ts';
import { thrown } from '../../test-support/thrown.ts';
import type { ExchangeFacts } from '../http-adapter.ts';
import { decodeRecorded, readFixture, readJsonFixture, recordedAnswer } from '../test-support/recorded.ts';
import { fromAnthropicBody } from './parse-response.ts';
import { anthropicStreamDecoder } from './stream-decoder.ts';
import { anthropicDroppedFields, toAnthropicBody } from './translate-request.ts';

// Fixtures: recorded shapes of the Messages API (reference/provider-wire-formats.md §5).
const sse = (name: string): string => readFixture(import.meta.url, `./fixtures/${name}`);
const json = (name: string): Record<string, unknown> =>
  readJsonFixture(import.meta.url, `./fixtures/${name}`);

const facts: ExchangeFacts = {
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  requestId: 'req_011CSHoEeqs5C35K2UUqR7Fy',
  rateLimit: undefined,
  timings: { startedAt: 1_767_225_600_000, headersMs: 655, totalMs: 4_120 },
};

function decode(text: string, chunkBytes?: number): Promise<StreamEvent[]> {
  const decoder = anthropicStreamDecoder(
    { provider: 'anthropic', model: 'claude-sonnet-4-5' },
    { requestId: 'req_011CSHoEeqs5C35K2UUqR7Fy', rateLimit: undefined },
  );
  return decodeRecorded(text, decoder, chunkBytes);
}

function start(id: string, model = 'claude-sonnet-4-5-20250929'): StreamEvent {
  return {
    type: 'start',
    id,
    provider: 'anthropic',
    model,
    requestId: 'req_011CSHoEeqs5C35K2UUqR7Fy',
    rateLimit: undefined,
  };
}

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    required: ['location', 'unit'],
  },
};
const hello: ChatRequest = { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hello' }] };
const defaultMaxTokens = 4096;

describe('Anthropic request translation (neutral → Messages body)', () => {
  it('puts the system prompt in the top-level system field, not in the messages', () => {
    const request: ChatRequest = { ...hello, system: 'You are terse.' };
    expect(toAnthropicBody(request, 'claude-sonnet-4-5-20250929', false, defaultMaxTokens)).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'Hello' }],
      system: 'You are terse.',
    });
  });

  it('always sends max_tokens, which Anthropic requires: the request’s limit, else the adapter default', () => {
    expect(toAnthropicBody({ ...hello, maxOutputTokens: 1024 }, 'claude-sonnet-4-5', false, 4096)).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(toAnthropicBody(hello, 'claude-sonnet-4-5', false, 64_000).max_tokens).toBe(64_000);
  });

  it('sends user images by URL as url sources and base64 bytes (or a data URL) as base64 sources', () => {
    const request: ChatRequest = {
      model: 'claude-sonnet-4-5',
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
            { type: 'image', url: 'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJ' },
          ],
        },
      ],
    };
    expect(toAnthropicBody(request, 'claude-sonnet-4-5', false, defaultMaxTokens)).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What differs between these?' },
            {
              type: 'image',
              source: {
                type: 'url',
                url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
              },
            },
            {
              type: 'image',
              source: {
                type: 'base64',
                media_type: 'image/png',
                data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
              },
            },
            {
              type: 'image',
              source: {
                type: 'base64',
                media_type: 'image/jpeg',
                data: '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJ',
              },
            },
          ],
        },
      ],
    });
  });

  it('sends assistant text and tool calls as blocks, parsing the arguments into input and dropping empty text', () => {
    const request: ChatRequest = {
      model: 'claude-sonnet-4-5',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: '' },
            { type: 'text', text: 'Let me check.' },
            {
              type: 'tool-call',
              id: 'toolu_01A09q90qw90lq917835lq9',
              name: 'get_weather',
              arguments: '{"location":"Paris, France","unit":"celsius"}',
            },
            // Arguments a model wrote that do not parse are kept visible rather than lost.
            {
              type: 'tool-call',
              id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
              name: 'get_weather',
              arguments: '{"location":"Par',
            },
          ],
        },
      ],
    };
    expect(toAnthropicBody(request, 'claude-sonnet-4-5', false, defaultMaxTokens).messages).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me check.' },
          {
            type: 'tool_use',
            id: 'toolu_01A09q90qw90lq917835lq9',
            name: 'get_weather',
            input: { location: 'Paris, France', unit: 'celsius' },
          },
          {
            type: 'tool_use',
            id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
            name: 'get_weather',
            input: { _unparsed: '{"location":"Par' },
          },
        ],
      },
    ]);
  });

  it('sends tool results as tool_result blocks in a user turn, merged with the neighbouring user turns', () => {
    const request: ChatRequest = {
      model: 'claude-sonnet-4-5',
      messages: [
        { role: 'user', content: 'Weather in Paris and Tokyo?' },
        {
          role: 'assistant',
          content: [
            {
              type: 'tool-call',
              id: 'toolu_01A09q90qw90lq917835lq9',
              name: 'get_weather',
              arguments: '{"location":"Paris, France"}',
            },
            {
              type: 'tool-call',
              id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
              name: 'get_weather',
              arguments: '{"location":"Tokyo, Japan"}',
            },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'toolu_01A09q90qw90lq917835lq9',
              toolName: 'get_weather',
              content: '{"temperature":18}',
            },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
              toolName: 'get_weather',
              content: 'Service unavailable',
              isError: true,
            },
          ],
        },
        { role: 'user', content: 'Answer in Celsius.' },
        { role: 'user', content: 'And be brief.' },
      ],
    };
    expect(toAnthropicBody(request, 'claude-sonnet-4-5', false, defaultMaxTokens).messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Tokyo?' },
      {
        role: 'assistant',
        content: [
          {
            type: 'tool_use',
            id: 'toolu_01A09q90qw90lq917835lq9',
            name: 'get_weather',
            input: { location: 'Paris, France' },
          },
          {
            type: 'tool_use',
            id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
            name: 'get_weather',
            input: { location: 'Tokyo, Japan' },
          },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_01A09q90qw90lq917835lq9',
            content: '{"temperature":18}',
          },
          {
            type: 'tool_result',
            tool_use_id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
            content: 'Service unavailable',
            is_error: true,
          },
          { type: 'text', text: 'Answer in Celsius.' },
          { type: 'text', text: 'And be brief.' },
        ],
      },
    ]);
  });

  it('declares tools with input_schema, description and strict only where given', () => {
    const request: ChatRequest = {
      ...hello,
      tools: [
        { ...weatherTool, strict: true },
        { name: 'now', parameters: { type: 'object', properties: {} } },
      ],
    };
    expect(toAnthropicBody(request, 'claude-sonnet-4-5', false, defaultMaxTokens).tools).toEqual([
      {
        name: 'get_weather',
        description: 'Current weather for a city',
        input_schema: weatherTool.parameters,
        strict: true,
      },
      { name: 'now', input_schema: { type: 'object', properties: {} } },
    ]);
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['none', { type: 'none' }],
    ['required', { type: 'any' }],
    [{ tool: 'get_weather' }, { type: 'tool', name: 'get_weather' }],
  ] as const)('sends tool choice %j as %j', (choice, wire) => {
    const request: ChatRequest = { ...hello, tools: [weatherTool], toolChoice: choice };
    expect(toAnthropicBody(request, 'claude-sonnet-4-5', false, defaultMaxTokens)).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'Hello' }],
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather for a city',
          input_schema: weatherTool.parameters,
        },
      ],
      tool_choice: wire,
    });
  });

  it('sends no tool_choice without tools, which Anthropic would reject', () => {
    expect(toAnthropicBody({ ...hello, toolChoice: 'required' }, 'claude-sonnet-4-5', false, 4096)).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'Hello' }],
    });
  });

  it('sends a JSON Schema response format as output_config.format', () => {
    const request: ChatRequest = {
      ...hello,
      responseFormat: {
        type: 'json_schema',
        name: 'weather_query',
        schema: weatherTool.parameters,
        strict: true,
      },
    };
    expect(toAnthropicBody(request, 'claude-sonnet-4-5', false, defaultMaxTokens)).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'Hello' }],
      output_config: { format: { type: 'json_schema', schema: weatherTool.parameters } },
    });
  });

  it.each([{ type: 'text' }, { type: 'json' }] as const)(
    'sends nothing for response format %j, which Anthropic has no field for',
    (format) => {
      expect(toAnthropicBody({ ...hello, responseFormat: format }, 'claude-sonnet-4-5', false, 4096)).toEqual(
        {
          model: 'claude-sonnet-4-5',
          max_tokens: 4096,
          messages: [{ role: 'user', content: 'Hello' }],
        },
      );
    },
  );

  const sampling: ChatRequest = {
    ...hello,
    stop: ['\n\nHuman:', 'END'],
    seed: 42,
    temperature: 0.2,
    topP: 0.9,
    user: 'user-7f3a',
    metadata: { tenant: 'acme' },
  };

  it('sends stop as stop_sequences, temperature, top_p, and the user as metadata.user_id', () => {
    expect(toAnthropicBody(sampling, 'claude-sonnet-4-5', false, defaultMaxTokens)).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'Hello' }],
      stop_sequences: ['\n\nHuman:', 'END'],
      temperature: 0.2,
      top_p: 0.9,
      metadata: { user_id: 'user-7f3a' },
    });
  });

  it('reports the fields it has to drop: seed, JSON mode without a schema, free-form metadata', () => {
    expect(anthropicDroppedFields({ ...sampling, responseFormat: { type: 'json' } })).toEqual([
      'seed',
      'responseFormat',
      'metadata',
    ]);
    expect(anthropicDroppedFields(hello)).toEqual([]);
  });

  it('streams with stream: true', () => {
    expect(toAnthropicBody(hello, 'claude-sonnet-4-5', true, defaultMaxTokens)).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
    });
  });

  it('merges providerOptions.anthropic last, over translated fields', () => {
    const request: ChatRequest = {
      ...hello,
      temperature: 0.2,
      providerOptions: {
        anthropic: { thinking: { type: 'enabled', budget_tokens: 2048 }, top_k: 40, temperature: 1 },
        openai: { reasoning_effort: 'low' },
      },
    };
    expect(toAnthropicBody(request, 'claude-sonnet-4-5', false, defaultMaxTokens)).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'Hello' }],
      temperature: 1,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      top_k: 40,
    });
  });

  it('merges providerOptions.anthropic.output_config into the JSON format it sets', () => {
    const request: ChatRequest = {
      ...hello,
      responseFormat: { type: 'json_schema', schema: weatherTool.parameters },
      providerOptions: { anthropic: { output_config: { effort: 'low' } } },
    };
    expect(toAnthropicBody(request, 'claude-opus-4-5', false, defaultMaxTokens)).toEqual({
      model: 'claude-opus-4-5',
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'Hello' }],
      output_config: { format: { type: 'json_schema', schema: weatherTool.parameters }, effort: 'low' },
    });
  });

  describe('a request that arrived as a Messages body (original)', () => {
    const original = json('request-messages.json');
    const request: ChatRequest = {
      ...hello,
      system: 'ignored: the original wins',
      original: { format: 'anthropic-messages', body: original },
    };

    it('is sent on unchanged but for the model, cache_control and unknown fields included', () => {
      const { stream: _stream, ...rest } = original;
      expect(toAnthropicBody(request, 'claude-sonnet-4-5-20250929', false, defaultMaxTokens)).toEqual({
        ...rest,
        model: 'claude-sonnet-4-5-20250929',
      });
    });

    it('streams when the call streams', () => {
      expect(toAnthropicBody(request, 'claude-sonnet-4-5-20250929', true, defaultMaxTokens)).toEqual({
        ...original,
        model: 'claude-sonnet-4-5-20250929',
      });
    });

    it('is not reused when it arrived in another wire format', () => {
      const foreign: ChatRequest = { ...hello, original: { format: 'openai-chat', body: original } };
      expect(toAnthropicBody(foreign, 'claude-sonnet-4-5', false, defaultMaxTokens)).toEqual({
        model: 'claude-sonnet-4-5',
        max_tokens: 4096,
        messages: [{ role: 'user', content: 'Hello' }],
      });
    });
  });
});

describe('Anthropic response translation (Messages body → neutral)', () => {
  const textResponse: ChatResponse = {
    id: 'msg_015rNfb3tKqW9xYz2HcVd8Lm',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5-20250929',
    requestId: 'req_011CSHoEeqs5C35K2UUqR7Fy',
    content: [{ type: 'text', text: recordedAnswer }],
    text: recordedAnswer,
    toolCalls: [],
    finishReason: 'stop',
    rawFinishReason: 'end_turn',
    // input_tokens (86) leaves cache reads (1920) and writes (248) out; the neutral count has them all.
    usage: { inputTokens: 2254, outputTokens: 231, cachedInputTokens: 1920, totalTokens: 2485 },
    rateLimit: undefined,
    timings: facts.timings,
  };

  it('reads a text answer and adds cache reads and writes to the input tokens', () => {
    expect(fromAnthropicBody(json('message-text.json'), facts)).toEqual(textResponse);
  });

  it('reads text and tool_use blocks in order, the input as JSON text', () => {
    const calls = [
      {
        type: 'tool-call',
        id: 'toolu_01A09q90qw90lq917835lq9',
        name: 'get_weather',
        arguments: '{"location":"Paris, France","unit":"celsius"}',
      },
      {
        type: 'tool-call',
        id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        name: 'get_weather',
        arguments: '{"location":"Tokyo, Japan","unit":"celsius"}',
      },
    ] as const;
    expect(fromAnthropicBody(json('message-tool-use.json'), facts)).toEqual({
      ...textResponse,
      id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
      content: [{ type: 'text', text: "I'll check the weather in both cities." }, ...calls],
      text: "I'll check the weather in both cities.",
      toolCalls: calls,
      finishReason: 'tool_calls',
      rawFinishReason: 'tool_use',
      usage: { inputTokens: 412, outputTokens: 121, cachedInputTokens: 0, totalTokens: 533 },
    });
  });

  it('reads a refusal with the explanation from stop_details', () => {
    expect(fromAnthropicBody(json('message-refusal.json'), facts)).toEqual({
      ...textResponse,
      id: 'msg_01RefusalExampleAbcdefghijk',
      content: [],
      text: '',
      refusal:
        "This request triggered restrictions on violative cyber content and was blocked under Anthropic's Usage Policy.",
      finishReason: 'refusal',
      rawFinishReason: 'refusal',
      usage: { inputTokens: 18, outputTokens: 5, cachedInputTokens: 0, totalTokens: 23 },
    });
  });

  it('reads a refusal without stop_details with the answer’s own text as the refusal', () => {
    const body = { ...json('message-text.json'), stop_reason: 'refusal' };
    expect(fromAnthropicBody(body, facts)).toEqual({
      ...textResponse,
      refusal: recordedAnswer,
      finishReason: 'refusal',
      rawFinishReason: 'refusal',
    });
  });

  it('reads pause_turn (a long server-tool turn paused) as stop, server tool blocks aside', () => {
    expect(fromAnthropicBody(json('message-pause-turn.json'), facts)).toEqual({
      ...textResponse,
      id: 'msg_01Vq3bRk8sPzN2xW7yLm4Tfd',
      content: [{ type: 'text', text: "I'll search for the latest release notes." }],
      text: "I'll search for the latest release notes.",
      finishReason: 'stop',
      rawFinishReason: 'pause_turn',
      usage: { inputTokens: 2679, outputTokens: 64, cachedInputTokens: 0, totalTokens: 2743 },
    });
  });

  it('reads model_context_window_exceeded as length', () => {
    expect(fromAnthropicBody(json('message-context-window-exceeded.json'), facts)).toEqual({
      ...textResponse,
      id: 'msg_01Hk7pQw2nRt5yLx8vZc3Bdm',
      content: [
        { type: 'text', text: 'Section 14 restates the indemnity clause from section 9, with one change:' },
      ],
      text: 'Section 14 restates the indemnity clause from section 9, with one change:',
      finishReason: 'length',
      rawFinishReason: 'model_context_window_exceeded',
      usage: { inputTokens: 199_980, outputTokens: 20, cachedInputTokens: 0, totalTokens: 200_000 },
    });
  });

  it.each<[string, FinishReason]>([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['a_reason_added_next_year', 'other'],
  ])('maps stop_reason %s to %s', (stopReason, finishReason) => {
    const body = { ...json('message-text.json'), stop_reason: stopReason };
    expect(fromAnthropicBody(body, facts)).toEqual({
      ...textResponse,
      finishReason,
      rawFinishReason: stopReason,
    });
  });

  it('reads thinking tokens from usage.output_tokens_details as reasoning tokens', () => {
    const body = json('message-text.json');
    const usage = {
      ...(body.usage as Record<string, unknown>),
      output_tokens_details: { thinking_tokens: 180 },
    };
    expect(fromAnthropicBody({ ...body, usage }, facts).usage).toEqual({
      inputTokens: 2254,
      outputTokens: 231,
      cachedInputTokens: 1920,
      reasoningTokens: 180,
      totalTokens: 2485,
    });
  });

  it('throws the error of an error envelope answered with HTTP 200', () => {
    const body = {
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
      request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy',
    };
    expect(thrown(() => fromAnthropicBody(body, facts))).toEqual(
      new SteadfastError('overloaded', 'anthropic answered error overloaded_error: Overloaded', {
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        requestId: 'req_011CSHoEeqs5C35K2UUqR7Fy',
        code: 'overloaded_error',
      }),
    );
  });
});

describe('Anthropic stream decoding (recorded SSE → stream events)', () => {
  const textEvents: StreamEvent[] = [
    start('msg_01QC4g3HwBThD4BaNtBckFDJ'),
    { type: 'text-delta', text: 'Hello' },
    { type: 'text-delta', text: "! I'm doing well, thank you for asking." },
    { type: 'text-delta', text: ' How can I help?' },
    // Input counts come from message_start, the output count from message_delta (cumulative).
    {
      type: 'usage',
      usage: { inputTokens: 2060, outputTokens: 19, cachedInputTokens: 2048, totalTokens: 2079 },
    },
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn' },
  ];

  it('streams text, ignoring ping and event types it does not know', async () => {
    expect(await decode(sse('message-text.sse'))).toEqual(textEvents);
  });

  it.each([1, 9, 100_000])(
    'decodes the same events when the body arrives in %i-byte chunks',
    async (size) => {
      expect(await decode(sse('message-text.sse'), size)).toEqual(textEvents);
    },
  );

  it('finishes a stream cut after message_delta but before message_stop', async () => {
    const withoutStop = sse('message-text.sse').replace(/event: message_stop\n.*\n\n$/, '');
    expect(withoutStop).not.toContain('message_stop');
    expect(await decode(withoutStop)).toEqual(textEvents);
  });

  it('ends a stream cut before any stop reason with stream_interrupted', async () => {
    expect(await decode(sse('message-cut.sse'))).toEqual([
      start('msg_01QC4g3HwBThD4BaNtBckFDJ'),
      { type: 'text-delta', text: 'Hello' },
      {
        type: 'error',
        error: new SteadfastError(
          'stream_interrupted',
          'The stream from anthropic ended before a finish reason',
          {
            provider: 'anthropic',
            model: 'claude-sonnet-4-5',
            requestId: 'req_011CSHoEeqs5C35K2UUqR7Fy',
            code: 'no_finish_reason',
          },
        ),
      },
    ]);
  });

  it('streams tool use as tool-call deltas of input_json_delta, skipping thinking', async () => {
    expect(await decode(sse('message-tool-use.sse'))).toEqual([
      start('msg_014p7gG3wDgGV9EUtLvnow3U'),
      { type: 'text-delta', text: 'Let me check the weather in Paris.' },
      {
        type: 'tool-call-delta',
        index: 0,
        id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        name: 'get_weather',
        argumentsDelta: '',
      },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"location": "Par' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'is, France"}' },
      {
        type: 'usage',
        usage: { inputTokens: 472, outputTokens: 89, cachedInputTokens: 0, totalTokens: 561 },
      },
      { type: 'finish', finishReason: 'tool_calls', rawFinishReason: 'tool_use' },
    ]);
  });

  it('streams a refusal’s explanation from stop_details as a refusal delta, then finishes with refusal', async () => {
    expect(await decode(sse('message-refusal.sse'))).toEqual([
      start('msg_01RefusalStreamAbcdefghijk'),
      {
        type: 'refusal-delta',
        text: "This request triggered restrictions on violative cyber content and was blocked under Anthropic's Usage Policy.",
      },
      { type: 'usage', usage: { inputTokens: 18, outputTokens: 5, cachedInputTokens: 0, totalTokens: 23 } },
      { type: 'finish', finishReason: 'refusal', rawFinishReason: 'refusal' },
    ]);
  });

  it('ends with the error of an event: error frame sent after HTTP 200', async () => {
    expect(await decode(sse('overloaded-error.sse'))).toEqual([
      start('msg_01Lq9wXc4vBn7mZt2kRy5Hsd'),
      { type: 'text-delta', text: 'The first' },
      {
        type: 'error',
        error: new SteadfastError('overloaded', 'anthropic answered error overloaded_error: Overloaded', {
          provider: 'anthropic',
          model: 'claude-sonnet-4-5',
          code: 'overloaded_error',
        }),
      },
    ]);
  });
});
