import type { ChatResult } from '@steadfast/core';
import { describe, expect, it } from 'vitest';
import { answer, toolAnswer, usage, weatherCall } from '../test-support/answers.ts';
import { json, openAiClient } from '../test-support/sdk.ts';
import { type ChatCompletionBody, encodeOpenAiChat } from './encode.ts';

const context = { id: 'chatcmpl-gw1', created: 1_735_689_600 };

/** The body `encodeOpenAiChat` must write for a result whose message and finish are these. */
function completion(
  message: ChatCompletionBody['choices'][0]['message'],
  finishReason: ChatCompletionBody['choices'][0]['finish_reason'],
  model = 'gpt-4o-mini-2024-07-18',
): ChatCompletionBody {
  return {
    id: 'chatcmpl-gw1',
    object: 'chat.completion',
    created: 1_735_689_600,
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage: {
      prompt_tokens: 12,
      completion_tokens: 3,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 4 },
    },
  };
}

describe('encodeOpenAiChat', () => {
  const cases: Array<{ name: string; result: ChatResult; body: ChatCompletionBody }> = [
    {
      name: 'a text answer, named after the model that actually answered',
      result: answer({ model: 'claude-haiku-4-5', provider: 'anthropic', rawFinishReason: 'end_turn' }),
      body: completion({ role: 'assistant', content: 'Paris.', refusal: null }, 'stop', 'claude-haiku-4-5'),
    },
    {
      name: 'an answer cut at the output limit',
      result: answer({ finishReason: 'length', rawFinishReason: 'max_tokens' }),
      body: completion({ role: 'assistant', content: 'Paris.', refusal: null }, 'length'),
    },
    {
      name: 'tool calls, with null content as OpenAI sends it',
      result: toolAnswer([weatherCall, { ...weatherCall, id: 'call_2', arguments: '{"city":"Rome"}' }]),
      body: completion(
        {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
            {
              id: 'call_2',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Rome"}' },
            },
          ],
        },
        'tool_calls',
      ),
    },
    {
      name: 'text beside tool calls',
      result: toolAnswer([weatherCall], 'Let me check.'),
      body: completion(
        {
          role: 'assistant',
          content: 'Let me check.',
          refusal: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        'tool_calls',
      ),
    },
    {
      name: "a native refusal: its text in message.refusal, content null, finish 'stop'",
      result: answer({
        content: [],
        text: '',
        refusal: "I can't help with that.",
        finishReason: 'refusal',
        rawFinishReason: 'stop',
      }),
      body: completion({ role: 'assistant', content: null, refusal: "I can't help with that." }, 'stop'),
    },
    {
      name: 'an Anthropic refusal whose explanation differs from the text: both kept',
      result: answer({
        text: 'Partial answer',
        content: [{ type: 'text', text: 'Partial answer' }],
        refusal: 'Policy: cyber',
        finishReason: 'refusal',
        rawFinishReason: 'refusal',
      }),
      body: completion({ role: 'assistant', content: 'Partial answer', refusal: 'Policy: cyber' }, 'stop'),
    },
    {
      name: 'an Anthropic refusal whose only text is the refusal: content null',
      result: answer({
        text: 'No.',
        content: [{ type: 'text', text: 'No.' }],
        refusal: 'No.',
        finishReason: 'refusal',
        rawFinishReason: 'refusal',
      }),
      body: completion({ role: 'assistant', content: null, refusal: 'No.' }, 'stop'),
    },
    {
      name: 'a content-filtered answer',
      result: answer({ text: '', content: [], finishReason: 'content_filter', rawFinishReason: 'SAFETY' }),
      body: completion({ role: 'assistant', content: '', refusal: null }, 'content_filter'),
    },
    {
      name: "a finish reason no client knows, as 'stop'",
      result: answer({ finishReason: 'other', rawFinishReason: 'MALFORMED_FUNCTION_CALL' }),
      body: completion({ role: 'assistant', content: 'Paris.', refusal: null }, 'stop'),
    },
  ];

  it.each(cases)('writes $name', ({ result, body }) => {
    expect(encodeOpenAiChat(result, context)).toEqual(body);
  });

  it('always writes usage, with reasoning tokens when the upstream reported them', () => {
    const body = encodeOpenAiChat(answer({ usage: { ...usage, reasoningTokens: 2 } }), context);
    expect(body.usage).toEqual({
      prompt_tokens: 12,
      completion_tokens: 3,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 4 },
      completion_tokens_details: { reasoning_tokens: 2 },
    });
  });

  it('is read by the official OpenAI SDK as the completion it describes', async () => {
    const { client } = openAiClient(json(encodeOpenAiChat(toolAnswer([weatherCall], 'Checking.'), context)));
    const completion = await client.chat.completions.create({
      model: 'default',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    expect(completion.model).toBe('gpt-4o-mini-2024-07-18');
    expect(completion.choices[0]?.message.content).toBe('Checking.');
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(4);
  });
});
