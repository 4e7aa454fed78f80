import type { ChatResult, FinishReason } from '@steadfast/core';
import { describe, expect, it } from 'vitest';
import { answer, toolAnswer, weatherCall } from '../test-support/answers.ts';
import { anthropicClient, json } from '../test-support/sdk.ts';
import {
  type AnthropicMessageBody,
  type AnthropicStopReason,
  anthropicStopReason,
  encodeAnthropicMessages,
} from './encode.ts';

const context = { id: 'msg_gw1', created: 1_735_689_600 };

function message(overrides: Partial<AnthropicMessageBody>): AnthropicMessageBody {
  return {
    id: 'msg_gw1',
    type: 'message',
    role: 'assistant',
    model: 'gpt-4o-mini-2024-07-18',
    content: [{ type: 'text', text: 'Paris.' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    stop_details: null,
    // 12 in, 4 of them read from the cache: Anthropic counts the cache reads apart.
    usage: { input_tokens: 8, output_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 4 },
    ...overrides,
  };
}

describe('encodeAnthropicMessages', () => {
  const cases: Array<{ name: string; result: ChatResult; body: AnthropicMessageBody }> = [
    {
      name: 'a text answer, named after the model that actually answered',
      result: answer(),
      body: message({}),
    },
    {
      name: 'tool calls as tool_use blocks with their input parsed, after the text',
      result: toolAnswer([weatherCall, { ...weatherCall, id: 'call_2', arguments: '' }], 'Checking.'),
      body: message({
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_weather', input: {} },
        ],
        stop_reason: 'tool_use',
      }),
    },
    {
      name: 'arguments that are not a JSON object, kept visible',
      result: toolAnswer([{ ...weatherCall, arguments: '{"city": "Par' }]),
      body: message({
        content: [
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { _unparsed: '{"city": "Par' } },
        ],
        stop_reason: 'tool_use',
      }),
    },
    {
      name: 'an OpenAI refusal, which has no text: the refusal becomes the text',
      result: answer({
        content: [],
        text: '',
        refusal: "I can't help with that.",
        finishReason: 'refusal',
        rawFinishReason: 'stop',
      }),
      body: message({
        content: [{ type: 'text', text: "I can't help with that." }],
        stop_reason: 'refusal',
        stop_details: { type: 'refusal', category: null, explanation: "I can't help with that." },
      }),
    },
    {
      name: 'a refusal with text of its own: the text stays, the explanation in stop_details',
      result: answer({ refusal: 'Policy: cyber', finishReason: 'refusal', rawFinishReason: 'refusal' }),
      body: message({
        stop_reason: 'refusal',
        stop_details: { type: 'refusal', category: null, explanation: 'Policy: cyber' },
      }),
    },
    {
      name: 'a content filter, as a refusal (the Messages API has no other way to say it)',
      result: answer({
        content: [],
        text: '',
        finishReason: 'content_filter',
        rawFinishReason: 'content_filter',
      }),
      body: message({
        content: [],
        stop_reason: 'refusal',
        stop_details: {
          type: 'refusal',
          category: null,
          explanation: "The request or its answer was blocked by the AI service's content policy.",
        },
      }),
    },
    {
      name: 'no empty text blocks, which the API would refuse when sent back',
      result: answer({ content: [{ type: 'text', text: '' }], text: '' }),
      body: message({ content: [] }),
    },
  ];

  it.each(cases)('writes $name', ({ result, body }) => {
    expect(encodeAnthropicMessages(result, context)).toEqual(body);
  });

  const stopReasons: Array<[FinishReason, string | undefined, AnthropicStopReason]> = [
    ['stop', 'stop', 'end_turn'],
    ['stop', 'end_turn', 'end_turn'],
    ['stop', 'stop_sequence', 'stop_sequence'],
    ['stop', 'pause_turn', 'pause_turn'],
    ['length', 'length', 'max_tokens'],
    ['length', 'model_context_window_exceeded', 'model_context_window_exceeded'],
    ['tool_calls', 'tool_calls', 'tool_use'],
    ['refusal', 'stop', 'refusal'],
    ['content_filter', 'SAFETY', 'refusal'],
    ['other', 'MALFORMED_FUNCTION_CALL', 'end_turn'],
    // A raw reason that contradicts the neutral one is not trusted.
    ['length', 'end_turn', 'max_tokens'],
    ['stop', undefined, 'end_turn'],
  ];

  it.each(stopReasons)("maps %s (raw %s) to stop_reason '%s'", (reason, raw, expected) => {
    expect(anthropicStopReason(reason, raw)).toBe(expected);
  });

  it('is read by the official Anthropic SDK as the message it describes', async () => {
    const { client } = anthropicClient(
      json(encodeAnthropicMessages(toolAnswer([weatherCall], 'Checking.'), context)),
    );
    const reply = await client.messages.create({
      model: 'default',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    expect(reply.model).toBe('gpt-4o-mini-2024-07-18');
    expect(reply.content).toEqual([
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    expect(reply.stop_reason).toBe('tool_use');
    expect(reply.usage).toMatchObject({ input_tokens: 8, output_tokens: 3, cache_read_input_tokens: 4 });
  });
});
