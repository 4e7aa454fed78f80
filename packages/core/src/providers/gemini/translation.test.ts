import { describe, expect, it } from 'vitest';
import { SteadfastError } from '../../errors/steadfast-error.ts';
import type { ChatRequest } from '../../neutral/request.ts';
import type { ChatResponse, FinishReason } from '../../neutral/response.ts';
import type { StreamEvent } from '../../neutral/stream-event.ts';
import { thrown } from '../../test-support/thrown.ts';
import type { ExchangeFacts } from '../http-adapter.ts';
import { decodeRecorded, readFixture, readJsonFixture, recordedAnswer } from '../test-support/recorded.ts';
import { fromGeminiBody } from './parse-response.ts';
import { geminiStreamDecoder } from './stream-decoder.ts';
import { toGeminiBody } from './translate-request.ts';

// Fixtures: recorded shapes of generateContent and streamGenerateContent?alt=sse
// (reference/provider-wire-formats.md §6).
const sse = (name: string): string => readFixture(import.meta.url, `./fixtures/${name}`);
const json = (name: string): Record<string, unknown> =>
  readJsonFixture(import.meta.url, `./fixtures/${name}`);

const facts: ExchangeFacts = {
  provider: 'gemini',
  model: 'gemini-2.5-flash',
  requestId: undefined,
  rateLimit: undefined,
  timings: { startedAt: 1_767_225_600_000, headersMs: 380, totalMs: 2_940 },
};

function decode(text: string, chunkBytes?: number): Promise<StreamEvent[]> {
  const decoder = geminiStreamDecoder(
    { provider: 'gemini', model: 'gemini-2.5-flash' },
    { requestId: undefined, rateLimit: undefined },
  );
  return decodeRecorded(text, decoder, chunkBytes);
}

function start(id: string): StreamEvent {
  return {
    type: 'start',
    id,
    provider: 'gemini',
    model: 'gemini-2.5-flash',
    requestId: undefined,
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
const hello: ChatRequest = { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Hello' }] };

describe('Gemini request translation (neutral → generateContent body)', () => {
  it('puts the system prompt in systemInstruction; there is no system role', () => {
    expect(toGeminiBody({ ...hello, system: 'You are terse.' })).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hello' }] }],
      systemInstruction: { parts: [{ text: 'You are terse.' }] },
    });
  });

  it('sends user images by URL as fileData, and base64 bytes (or a data URL) as inlineData', () => {
    const request: ChatRequest = {
      model: 'gemini-2.5-flash',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What differs between these?' },
            {
              type: 'image',
              url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
              mediaType: 'image/jpeg',
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
    expect(toGeminiBody(request)).toEqual({
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'What differs between these?' },
            {
              fileData: {
                fileUri:
                  'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
                mimeType: 'image/jpeg',
              },
            },
            {
              inlineData: {
                mimeType: 'image/png',
                data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
              },
            },
            {
              inlineData: {
                mimeType: 'image/jpeg',
                data: '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJ',
              },
            },
          ],
        },
      ],
    });
  });

  it('sends assistant text and tool calls as a model turn with functionCall parts, arguments parsed into args', () => {
    const request: ChatRequest = {
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Let me check.' },
            {
              type: 'tool-call',
              id: 'call_0',
              name: 'get_weather',
              arguments: '{"location":"Paris, France","unit":"celsius"}',
            },
          ],
        },
        { role: 'assistant', content: 'One moment.' },
      ],
    };
    expect(toGeminiBody(request)).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
        {
          role: 'model',
          parts: [
            { text: 'Let me check.' },
            {
              functionCall: {
                id: 'call_0',
                name: 'get_weather',
                args: { location: 'Paris, France', unit: 'celsius' },
              },
            },
            { text: 'One moment.' },
          ],
        },
      ],
    });
  });

  it('sends tool results as functionResponse parts matched by name, in a user turn merged with its neighbours', () => {
    const request: ChatRequest = {
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'user', content: 'Weather in Paris and Tokyo?' },
        {
          role: 'assistant',
          content: [
            {
              type: 'tool-call',
              id: 'call_0',
              name: 'get_weather',
              arguments: '{"location":"Paris, France"}',
            },
            { type: 'tool-call', id: 'call_1', name: 'get_time', arguments: '{"city":"Tokyo"}' },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'call_0',
              toolName: 'get_weather',
              content: '{"temperature":18}',
            },
            // The response must be an object: text and non-object JSON are wrapped.
            {
              type: 'tool-result',
              toolCallId: 'call_1',
              toolName: 'get_time',
              content: '14:05 JST',
              isError: false,
            },
          ],
        },
        { role: 'user', content: 'Answer briefly.' },
      ],
    };
    expect(toGeminiBody(request).contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris and Tokyo?' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { id: 'call_0', name: 'get_weather', args: { location: 'Paris, France' } } },
          { functionCall: { id: 'call_1', name: 'get_time', args: { city: 'Tokyo' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { id: 'call_0', name: 'get_weather', response: { temperature: 18 } } },
          { functionResponse: { id: 'call_1', name: 'get_time', response: { result: '14:05 JST' } } },
          { text: 'Answer briefly.' },
        ],
      },
    ]);
  });

  it('declares tools as functionDeclarations with their JSON Schema (strict has no Gemini field)', () => {
    const request: ChatRequest = {
      ...hello,
      tools: [
        { ...weatherTool, strict: true },
        { name: 'now', parameters: { type: 'object', properties: {} } },
      ],
    };
    expect(toGeminiBody(request).tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Current weather for a city',
            parametersJsonSchema: weatherTool.parameters,
          },
          { name: 'now', parametersJsonSchema: { type: 'object', properties: {} } },
        ],
      },
    ]);
  });

  it.each([
    ['auto', { functionCallingConfig: { mode: 'AUTO' } }],
    ['none', { functionCallingConfig: { mode: 'NONE' } }],
    ['required', { functionCallingConfig: { mode: 'ANY' } }],
    [
      { tool: 'get_weather' },
      { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
    ],
  ] as const)('sends tool choice %j as toolConfig %j', (choice, wire) => {
    expect(toGeminiBody({ ...hello, tools: [weatherTool], toolChoice: choice })).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hello' }] }],
      tools: [
        {
          functionDeclarations: [
            {
              name: 'get_weather',
              description: 'Current weather for a city',
              parametersJsonSchema: weatherTool.parameters,
            },
          ],
        },
      ],
      toolConfig: wire,
    });
  });

  it('sends no toolConfig without tools', () => {
    expect(toGeminiBody({ ...hello, toolChoice: 'required' })).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hello' }] }],
    });
  });

  it.each([
    [{ type: 'text' }, undefined],
    [{ type: 'json' }, { responseMimeType: 'application/json' }],
    [
      { type: 'json_schema', name: 'weather_query', schema: weatherTool.parameters, strict: true },
      { responseMimeType: 'application/json', responseJsonSchema: weatherTool.parameters },
    ],
  ] as const)('sends response format %j as generationConfig %j', (format, generationConfig) => {
    const body = toGeminiBody({ ...hello, responseFormat: format });
    expect(body).toEqual(
      generationConfig === undefined
        ? { contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] }
        : { contents: [{ role: 'user', parts: [{ text: 'Hello' }] }], generationConfig },
    );
  });

  it('sends the output limit, stop, seed, temperature and top_p in generationConfig; user and metadata have no field', () => {
    const request: ChatRequest = {
      ...hello,
      maxOutputTokens: 1024,
      stop: ['END'],
      seed: 42,
      temperature: 0.2,
      topP: 0.9,
      user: 'user-7f3a',
      metadata: { tenant: 'acme' },
    };
    expect(toGeminiBody(request)).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hello' }] }],
      generationConfig: {
        maxOutputTokens: 1024,
        temperature: 0.2,
        topP: 0.9,
        stopSequences: ['END'],
        seed: 42,
      },
    });
  });

  it('merges providerOptions.gemini last, generationConfig one level deep', () => {
    const request: ChatRequest = {
      ...hello,
      maxOutputTokens: 1024,
      temperature: 0.2,
      providerOptions: {
        gemini: {
          safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }],
          generationConfig: { thinkingConfig: { thinkingBudget: 0 }, temperature: 1 },
        },
        openai: { reasoning_effort: 'low' },
      },
    };
    expect(toGeminiBody(request)).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hello' }] }],
      generationConfig: { maxOutputTokens: 1024, temperature: 1, thinkingConfig: { thinkingBudget: 0 } },
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }],
    });
  });

  describe('a request that arrived as a generateContent body (original)', () => {
    const original = json('request-generate.json');

    it('is sent on unchanged (the model is in the URL), unknown fields included', () => {
      const request: ChatRequest = {
        ...hello,
        system: 'ignored',
        original: { format: 'gemini', body: original },
      };
      expect(toGeminiBody(request)).toEqual(original);
    });

    it('is not reused when it arrived in another wire format', () => {
      const request: ChatRequest = { ...hello, original: { format: 'openai-chat', body: original } };
      expect(toGeminiBody(request)).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Hello' }] }] });
    });
  });
});

describe('Gemini response translation (generateContent body → neutral)', () => {
  const textResponse: ChatResponse = {
    id: 'Un6LaZW8Fp_3nsEPqtaSwQ4',
    provider: 'gemini',
    model: 'gemini-2.5-flash',
    requestId: undefined,
    content: [{ type: 'text', text: recordedAnswer }],
    text: recordedAnswer,
    toolCalls: [],
    finishReason: 'stop',
    rawFinishReason: 'STOP',
    // Thoughts (412) count as output: totalTokenCount includes them.
    usage: {
      inputTokens: 2006,
      outputTokens: 643,
      cachedInputTokens: 1920,
      reasoningTokens: 412,
      totalTokens: 2649,
    },
    rateLimit: undefined,
    timings: facts.timings,
  };

  it('reads a text answer, with cached prompt tokens and thoughts counted in the output', () => {
    expect(fromGeminiBody(json('generate-text.json'), facts)).toEqual(textResponse);
  });

  it('reads STOP with functionCall parts as tool_calls, giving each call a stable id', () => {
    const calls = [
      {
        type: 'tool-call',
        id: 'call_0',
        name: 'get_weather',
        arguments: '{"location":"Paris, France","unit":"celsius"}',
      },
      {
        type: 'tool-call',
        id: 'call_1',
        name: 'get_weather',
        arguments: '{"location":"Tokyo, Japan","unit":"celsius"}',
      },
    ] as const;
    expect(fromGeminiBody(json('generate-function-call.json'), facts)).toEqual({
      ...textResponse,
      id: 'm36LaZGyCLz1xs0PtNSB-QU',
      content: calls,
      text: '',
      toolCalls: calls,
      finishReason: 'tool_calls',
      rawFinishReason: 'STOP',
      usage: {
        inputTokens: 29,
        outputTokens: 923,
        cachedInputTokens: 0,
        reasoningTokens: 893,
        totalTokens: 952,
      },
    });
  });

  it('keeps the id of a functionCall that has one', () => {
    const body = {
      candidates: [
        {
          content: { role: 'model', parts: [{ functionCall: { id: 'fc_7d2k', name: 'now', args: {} } }] },
          finishReason: 'STOP',
        },
      ],
    };
    expect(fromGeminiBody(body, facts).toolCalls).toEqual([
      { type: 'tool-call', id: 'fc_7d2k', name: 'now', arguments: '{}' },
    ]);
  });

  it('leaves thought parts out of the text', () => {
    const body = json('generate-text.json');
    const candidate = {
      content: {
        role: 'model',
        parts: [{ text: '**Weighing the options**', thought: true }, { text: 'Use a breaker.' }],
      },
      finishReason: 'STOP',
      index: 0,
    };
    expect(fromGeminiBody({ ...body, candidates: [candidate] }, facts)).toEqual({
      ...textResponse,
      content: [{ type: 'text', text: 'Use a breaker.' }],
      text: 'Use a breaker.',
    });
  });

  it('reads a SAFETY stop with no content as content_filter', () => {
    expect(fromGeminiBody(json('generate-safety.json'), facts)).toEqual({
      ...textResponse,
      id: 'q5yMaa7dK4mXnsEP3bGQ8Ak',
      content: [],
      text: '',
      finishReason: 'content_filter',
      rawFinishReason: 'SAFETY',
      usage: { inputTokens: 15, outputTokens: 0, cachedInputTokens: 0, totalTokens: 15 },
    });
  });

  it.each<[string, FinishReason]>([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['BLOCKLIST', 'content_filter'],
    ['SPII', 'content_filter'],
    ['IMAGE_SAFETY', 'content_filter'],
    ['LANGUAGE', 'other'],
    ['MALFORMED_FUNCTION_CALL', 'other'],
    ['OTHER', 'other'],
    ['FINISH_REASON_UNSPECIFIED', 'other'],
  ])('maps finishReason %s to %s', (raw, finishReason) => {
    const body = json('generate-text.json');
    const [candidate] = body.candidates as Array<Record<string, unknown>>;
    expect(fromGeminiBody({ ...body, candidates: [{ ...candidate, finishReason: raw }] }, facts)).toEqual({
      ...textResponse,
      finishReason,
      rawFinishReason: raw,
    });
  });

  it('throws content_filter for a blocked prompt: HTTP 200, no candidates, promptFeedback.blockReason', () => {
    expect(thrown(() => fromGeminiBody(json('prompt-blocked.json'), facts))).toEqual(
      new SteadfastError('content_filter', 'gemini blocked the prompt (PROHIBITED_CONTENT)', {
        provider: 'gemini',
        model: 'gemini-2.5-flash',
        code: 'PROHIBITED_CONTENT',
      }),
    );
  });
});

describe('Gemini stream decoding (recorded SSE → stream events)', () => {
  const textEvents: StreamEvent[] = [
    start('bH6LaZW8Fp_3nsEPqtaSwQ4'),
    { type: 'text-delta', text: 'There are **3**' },
    { type: 'text-delta', text: ' "r"s in strawberry.\n\nst**r**awbe**rr**y' },
    // Every chunk repeats the running totals; the last one counts.
    {
      type: 'usage',
      usage: {
        inputTokens: 9,
        outputTokens: 208,
        cachedInputTokens: 0,
        reasoningTokens: 185,
        totalTokens: 217,
      },
    },
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'STOP' },
  ];

  it('streams text deltas and finishes at the end of the body, as Gemini sends no terminator', async () => {
    expect(await decode(sse('stream-text.sse'))).toEqual(textEvents);
  });

  it('decodes the same events with CRLF line ends, as Google’s servers send them', async () => {
    const crlf = sse('stream-text.sse').replaceAll('\n', '\r\n');
    expect(crlf).toContain('\r\n\r\n');
    expect(await decode(crlf)).toEqual(textEvents);
    expect(await decode(crlf, 1)).toEqual(textEvents);
  });

  it.each([1, 11, 100_000])(
    'decodes the same events when the body arrives in %i-byte chunks',
    async (size) => {
      expect(await decode(sse('stream-text.sse'), size)).toEqual(textEvents);
    },
  );

  it('ends a stream cut before any finish reason with stream_interrupted', async () => {
    expect(await decode(sse('stream-cut.sse'))).toEqual([
      start('bH6LaZW8Fp_3nsEPqtaSwQ4'),
      { type: 'text-delta', text: 'There are **3**' },
      { type: 'text-delta', text: ' "r"s in strawberry.\n\nst**r**awbe**rr**y' },
      {
        type: 'error',
        error: new SteadfastError(
          'stream_interrupted',
          'The stream from gemini ended before a finish reason',
          {
            provider: 'gemini',
            model: 'gemini-2.5-flash',
            code: 'no_finish_reason',
          },
        ),
      },
    ]);
  });

  it('streams a whole functionCall as one tool-call delta, and STOP after it as tool_calls', async () => {
    expect(await decode(sse('stream-function-call.sse'))).toEqual([
      start('b36LacjwM668nsEP2tbsgQQ'),
      {
        type: 'tool-call-delta',
        index: 0,
        id: 'call_0',
        name: 'get_weather',
        argumentsDelta: '{"location":"Paris, France"}',
      },
      {
        type: 'usage',
        usage: {
          inputTokens: 29,
          outputTokens: 60,
          cachedInputTokens: 0,
          reasoningTokens: 45,
          totalTokens: 89,
        },
      },
      { type: 'finish', finishReason: 'tool_calls', rawFinishReason: 'STOP' },
    ]);
  });

  it('ends a blocked prompt’s stream with content_filter before any start', async () => {
    expect(await decode(sse('stream-prompt-blocked.sse'))).toEqual([
      {
        type: 'error',
        error: new SteadfastError('content_filter', 'gemini blocked the prompt (PROHIBITED_CONTENT)', {
          provider: 'gemini',
          model: 'gemini-2.5-flash',
          code: 'PROHIBITED_CONTENT',
        }),
      },
    ]);
  });

  it('ends with the error of a mid-stream {"error":…} chunk', async () => {
    expect(await decode(sse('stream-error.sse'))).toEqual([
      start('k9pLaeXcH7v2nsEPr4ydsQw'),
      { type: 'text-delta', text: 'The Treaty of Westphalia' },
      {
        type: 'error',
        error: new SteadfastError(
          'unavailable',
          'gemini answered error UNAVAILABLE: The model is overloaded. Please try again later.',
          { provider: 'gemini', model: 'gemini-2.5-flash', code: 'UNAVAILABLE' },
        ),
      },
    ]);
  });
});
