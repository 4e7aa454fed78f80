import { describe, expect, it } from 'vitest';
import type { ChatRequest, ToolDefinition } from '../neutral/request.ts';
import { estimateTokens, fitsContext } from './estimate-tokens.ts';
import type { ModelInfo } from './model-info.ts';

function ask(text: string): ChatRequest {
  return { model: 'gpt-4o', messages: [{ role: 'user', content: text }] };
}

const weather: ToolDefinition = {
  name: 'get_weather',
  description: 'The current weather in a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', description: 'The city, in English' } },
    required: ['city'],
  },
};

const image = { type: 'image', url: 'https://example.com/cat.png' } as const;

const model: ModelInfo = {
  id: 'test-model',
  provider: 'openai',
  contextWindow: 10_000,
  maxOutputTokens: 4_000,
  capabilities: { tools: true, jsonSchema: true, vision: true, streaming: true, prefill: false },
  tokenizer: 'o200k',
};

describe('estimateTokens', () => {
  it('grows with the text, never shrinks', () => {
    let previous = estimateTokens(ask(''), 'o200k');
    for (const length of [1, 10, 100, 1_000, 10_000, 100_000]) {
      const estimate = estimateTokens(ask('a'.repeat(length)), 'o200k');
      expect(estimate).toBeGreaterThanOrEqual(previous);
      previous = estimate;
    }
    expect(previous).toBeGreaterThan(estimateTokens(ask(''), 'o200k'));
  });

  it.each([
    ['o200k', 4],
    ['gemini', 4],
    ['claude', 3.5],
  ] as const)('counts %s text at %d characters a token, plus 10 %', (tokenizer, charsPerToken) => {
    const extraChars = 70_000;
    const extraTokens = (extraChars / charsPerToken) * 1.1;
    const difference =
      estimateTokens(ask('a'.repeat(extraChars)), tokenizer) - estimateTokens(ask(''), tokenizer);
    // Each estimate is rounded up once, so the difference may be off by one.
    expect(Math.abs(difference - extraTokens)).toBeLessThanOrEqual(1);
  });

  it('estimates no text at all as more than nothing: messages carry overhead', () => {
    expect(estimateTokens(ask(''), 'o200k')).toBeGreaterThan(0);
    const twoEmpty: ChatRequest = {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: '' },
        { role: 'user', content: '' },
      ],
    };
    expect(estimateTokens(twoEmpty, 'o200k')).toBeGreaterThan(estimateTokens(ask(''), 'o200k'));
  });

  it('assumes the finest tokenizer when none is given', () => {
    const text = ask('a'.repeat(10_000));
    expect(estimateTokens(text)).toBe(estimateTokens(text, 'claude'));
    expect(estimateTokens(text)).toBeGreaterThan(estimateTokens(text, 'o200k'));
  });

  it('counts non-Latin text by its UTF-8 bytes, so that it is not underestimated', () => {
    const latin = estimateTokens(ask('a'.repeat(3_000)), 'o200k');
    const cjk = estimateTokens(ask('字'.repeat(1_000)), 'o200k');
    const emoji = estimateTokens(ask('😀'.repeat(750)), 'o200k');
    expect(cjk).toBe(latin);
    expect(emoji).toBe(latin);
  });

  it('counts the system prompt', () => {
    const plain = ask('Hi');
    const framed: ChatRequest = { ...plain, system: 'x'.repeat(4_000) };
    expect(estimateTokens(framed, 'o200k') - estimateTokens(plain, 'o200k')).toBeGreaterThanOrEqual(1_100);
  });

  it('counts tool definitions, their schemas included', () => {
    const plain = ask('What is the weather in Paris?');
    const withTool = estimateTokens({ ...plain, tools: [weather] }, 'o200k');
    const schemaTokens = JSON.stringify(weather.parameters).length / 4;
    expect(withTool - estimateTokens(plain, 'o200k')).toBeGreaterThan(schemaTokens);
    const bigger: ToolDefinition = {
      ...weather,
      parameters: { ...weather.parameters, description: 'y'.repeat(4_000) },
    };
    expect(estimateTokens({ ...plain, tools: [bigger] }, 'o200k') - withTool).toBeGreaterThanOrEqual(1_100);
  });

  it('counts the response schema', () => {
    const plain = ask('List three cities');
    const schema = { type: 'array', description: 'z'.repeat(4_000) };
    const structured: ChatRequest = { ...plain, responseFormat: { type: 'json_schema', schema } };
    expect(estimateTokens(structured, 'o200k') - estimateTokens(plain, 'o200k')).toBeGreaterThanOrEqual(
      1_100,
    );
  });

  it('counts tool calls and tool results', () => {
    const plain = ask('What is the weather in Paris?');
    const withToolTurns: ChatRequest = {
      ...plain,
      messages: [
        ...plain.messages,
        {
          role: 'assistant',
          content: [{ type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: 'a'.repeat(4_000) }],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'call_1',
              toolName: 'get_weather',
              content: 'b'.repeat(4_000),
            },
          ],
        },
      ],
    };
    expect(estimateTokens(withToolTurns, 'o200k') - estimateTokens(plain, 'o200k')).toBeGreaterThanOrEqual(
      2_200,
    );
  });

  it('counts each image at a flat 1,000 tokens, plus 10 %', () => {
    const text = { type: 'text', text: 'What is in these pictures?' } as const;
    const none: ChatRequest = { model: 'gpt-4o', messages: [{ role: 'user', content: [text] }] };
    const two: ChatRequest = { model: 'gpt-4o', messages: [{ role: 'user', content: [text, image, image] }] };
    expect(estimateTokens(two, 'o200k') - estimateTokens(none, 'o200k')).toBe(2_200);
  });
});

describe('fitsContext', () => {
  const request: ChatRequest = { ...ask('x'.repeat(20_000)), maxOutputTokens: 2_000 };
  const needed = estimateTokens(request, 'o200k') + 2_000;

  it('fits when the estimate plus the output room equals the context window', () => {
    expect(fitsContext(request, { ...model, contextWindow: needed })).toBe(true);
  });

  it('does not fit one token short', () => {
    expect(fitsContext(request, { ...model, contextWindow: needed - 1 })).toBe(false);
  });

  it('reserves no output room when maxOutputTokens is absent', () => {
    const { maxOutputTokens: _room, ...withoutRoom } = request;
    expect(fitsContext(withoutRoom, { ...model, contextWindow: needed - 2_000 })).toBe(true);
    expect(fitsContext(withoutRoom, { ...model, contextWindow: needed - 2_001 })).toBe(false);
  });

  it("estimates with the model's own tokenizer", () => {
    const claude: ModelInfo = { ...model, tokenizer: 'claude', contextWindow: needed };
    expect(fitsContext(request, claude)).toBe(false);
  });
});
