import { describe, expect, it } from 'vitest';
import { CodecError } from '../codec.ts';
import { decodeAnthropicMessages } from './decode.ts';

const hi = [{ role: 'user', content: 'Hi' }];

function failure(body: unknown): CodecError {
  try {
    decodeAnthropicMessages(body);
  } catch (error) {
    if (CodecError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('the body was accepted');
}

describe('decodeAnthropicMessages: invalid requests are refused with a 400 naming the field', () => {
  const base = { model: 'm', max_tokens: 10 };
  const user = (content: unknown) => ({ ...base, messages: [{ role: 'user', content }] });
  const cases: Array<[string, unknown, string, string | null]> = [
    ['a body that is not an object', 'hello', 'body: expected an object, got a string', null],
    ['no model', { max_tokens: 10, messages: hi }, 'model: required', 'model'],
    [
      'no max_tokens, which the Messages API requires',
      { model: 'm', messages: hi },
      'max_tokens: required',
      'max_tokens',
    ],
    [
      'max_tokens as text',
      { model: 'm', max_tokens: '10', messages: hi },
      'max_tokens: expected an integer, got a string',
      'max_tokens',
    ],
    [
      'a zero max_tokens',
      { model: 'm', max_tokens: 0, messages: hi },
      'max_tokens: must be at least 1',
      'max_tokens',
    ],
    ['no messages', base, 'messages: required', 'messages'],
    ['no message at all', { ...base, messages: [] }, 'messages: must hold at least one message', 'messages'],
    [
      'a system role in messages',
      { ...base, messages: [{ role: 'system', content: 'x' }] },
      'messages[0].role: expected one of "user", "assistant", got a string',
      'messages[0].role',
    ],
    [
      'content that is neither a string nor blocks',
      {
        ...base,
        messages: [...hi, { role: 'assistant', content: 'Hello' }, { role: 'user', content: { text: 'x' } }],
      },
      'messages[2].content: expected a string or an array of content blocks, got an object',
      'messages[2].content',
    ],
    [
      'a block without a type',
      user([{ text: 'x' }]),
      'messages[0].content[0].type: required',
      'messages[0].content[0].type',
    ],
    [
      'a text block without text',
      user([{ type: 'text' }]),
      'messages[0].content[0].text: required',
      'messages[0].content[0].text',
    ],
    [
      'an image without its media type',
      user([{ type: 'image', source: { type: 'base64', data: 'x' } }]),
      'messages[0].content[0].source.media_type: required',
      'messages[0].content[0].source.media_type',
    ],
    [
      'a tool result without its call id',
      user([{ type: 'tool_result', content: 'x' }]),
      'messages[0].content[0].tool_use_id: required',
      'messages[0].content[0].tool_use_id',
    ],
    [
      'a tool result whose content is a number',
      user([{ type: 'tool_result', tool_use_id: 't', content: 5 }]),
      'messages[0].content[0].content: expected a string or an array of blocks, got a number',
      'messages[0].content[0].content',
    ],
    [
      'tool use whose input is JSON text',
      {
        ...base,
        messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: '{}' }] }],
      },
      'messages[0].content[0].input: expected an object, got a string',
      'messages[0].content[0].input',
    ],
    [
      'a system prompt of the wrong type',
      { ...base, messages: hi, system: 1 },
      'system: expected a string or an array of text blocks, got a number',
      'system',
    ],
    [
      'a tool without its schema',
      { ...base, messages: hi, tools: [{ name: 'f' }] },
      'tools[0].input_schema: required',
      'tools[0].input_schema',
    ],
    [
      'an unknown tool_choice type',
      { ...base, messages: hi, tool_choice: { type: 'required' } },
      'tool_choice.type: expected one of "auto", "any", "tool", "none", got a string',
      'tool_choice.type',
    ],
    [
      'a forced tool without its name',
      { ...base, messages: hi, tool_choice: { type: 'tool' } },
      'tool_choice.name: required',
      'tool_choice.name',
    ],
    [
      'stop sequences as a string',
      { ...base, messages: hi, stop_sequences: 'END' },
      'stop_sequences: expected an array, got a string',
      'stop_sequences',
    ],
    [
      'a fractional top_k',
      { ...base, messages: hi, top_k: 0.5 },
      'top_k: expected an integer, got a number',
      'top_k',
    ],
    [
      'a user id that is not text',
      { ...base, messages: hi, metadata: { user_id: 7 } },
      'metadata.user_id: expected a string, got a number',
      'metadata.user_id',
    ],
    [
      'an output format without its schema',
      { ...base, messages: hi, output_config: { format: { type: 'json_schema' } } },
      'output_config.format.schema: required',
      'output_config.format.schema',
    ],
    [
      'stream as text',
      { ...base, messages: hi, stream: 'true' },
      'stream: expected a boolean, got a string',
      'stream',
    ],
  ];

  it.each(cases)('%s', (_name, body, message, param) => {
    expect(failure(body)).toMatchObject({ status: 400, message, param });
  });
});
