import { describe, expect, it } from 'vitest';
import { CodecError } from '../codec.ts';
import { decodeOpenAiChat } from './decode.ts';

const hi = [{ role: 'user', content: 'Hi' }];

function failure(body: unknown): CodecError {
  try {
    decodeOpenAiChat(body);
  } catch (error) {
    if (CodecError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('the body was accepted');
}

describe('decodeOpenAiChat: invalid requests are refused with a 400 naming the field', () => {
  const user = (content: unknown) => ({ model: 'm', messages: [{ role: 'user', content }] });
  const cases: Array<[string, unknown, string, string | null]> = [
    ['a body that is not an object', [], 'body: expected an object, got an array', null],
    ['no model', { messages: hi }, 'model: required', 'model'],
    [
      'a model that is not a string',
      { model: 4, messages: hi },
      'model: expected a string, got a number',
      'model',
    ],
    ['an empty model', { model: '', messages: hi }, 'model: must not be empty', 'model'],
    ['no messages', { model: 'm' }, 'messages: required', 'messages'],
    [
      'messages as an object',
      { model: 'm', messages: {} },
      'messages: expected an array, got an object',
      'messages',
    ],
    [
      'no message at all',
      { model: 'm', messages: [] },
      'messages: must hold at least one message',
      'messages',
    ],
    [
      'a message that is not an object',
      { model: 'm', messages: [...hi, 'Hi'] },
      'messages[1]: expected an object, got a string',
      'messages[1]',
    ],
    [
      'an unknown role',
      { model: 'm', messages: [{ role: 'function', content: 'x' }] },
      'messages[0].role: expected one of "system", "developer", "user", "assistant", "tool", got a string',
      'messages[0].role',
    ],
    [
      'content that is neither a string nor parts',
      {
        model: 'm',
        messages: [...hi, { role: 'assistant', content: 'Hello' }, { role: 'user', content: 42 }],
      },
      'messages[2].content: expected a string or an array of parts, got a number',
      'messages[2].content',
    ],
    [
      'a user message without content',
      { model: 'm', messages: [{ role: 'user' }] },
      'messages[0].content: required',
      'messages[0].content',
    ],
    [
      'a part without a type',
      user([{ type: 'text', text: 'a' }, { text: 'b' }]),
      'messages[0].content[1].type: required',
      'messages[0].content[1].type',
    ],
    [
      'a text part whose text is not a string',
      user([{ type: 'text', text: 7 }]),
      'messages[0].content[0].text: expected a string, got a number',
      'messages[0].content[0].text',
    ],
    [
      'an image part without a URL',
      user([{ type: 'image_url', image_url: {} }]),
      'messages[0].content[0].image_url.url: required',
      'messages[0].content[0].image_url.url',
    ],
    [
      'an image in a system message',
      {
        model: 'm',
        messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'x' } }] }],
      },
      'messages[0].content[0].type: expected one of "text", got a string',
      'messages[0].content[0].type',
    ],
    [
      'assistant content of the wrong type',
      { model: 'm', messages: [{ role: 'assistant', content: 1 }] },
      'messages[0].content: expected a string, null or an array of parts, got a number',
      'messages[0].content',
    ],
    [
      'tool call arguments as an object instead of JSON text',
      {
        model: 'm',
        messages: [
          {
            role: 'assistant',
            tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: {} } }],
          },
        ],
      },
      'messages[0].tool_calls[0].function.arguments: expected a string, got an object',
      'messages[0].tool_calls[0].function.arguments',
    ],
    [
      'a tool call without an id',
      {
        model: 'm',
        messages: [
          { role: 'assistant', tool_calls: [{ type: 'function', function: { name: 'f', arguments: '' } }] },
        ],
      },
      'messages[0].tool_calls[0].id: required',
      'messages[0].tool_calls[0].id',
    ],
    [
      'a tool result without its call id',
      { model: 'm', messages: [{ role: 'tool', content: 'x' }] },
      'messages[0].tool_call_id: required',
      'messages[0].tool_call_id',
    ],
    [
      'a tool without its function',
      { model: 'm', messages: hi, tools: [{ type: 'function' }] },
      'tools[0].function: required',
      'tools[0].function',
    ],
    [
      'tool parameters that are not an object',
      { model: 'm', messages: hi, tools: [{ type: 'function', function: { name: 'f', parameters: [] } }] },
      'tools[0].function.parameters: expected an object, got an array',
      'tools[0].function.parameters',
    ],
    [
      'an unknown tool_choice mode',
      { model: 'm', messages: hi, tool_choice: 'any' },
      'tool_choice: expected one of "none", "auto", "required", got a string',
      'tool_choice',
    ],
    [
      'a tool_choice of the wrong type',
      { model: 'm', messages: hi, tool_choice: 1 },
      'tool_choice: expected "none", "auto", "required" or an object, got a number',
      'tool_choice',
    ],
    [
      'a JSON schema format without its name',
      { model: 'm', messages: hi, response_format: { type: 'json_schema', json_schema: { schema: {} } } },
      'response_format.json_schema.name: required',
      'response_format.json_schema.name',
    ],
    [
      'a zero output limit',
      { model: 'm', messages: hi, max_tokens: 0 },
      'max_tokens: must be at least 1',
      'max_tokens',
    ],
    [
      'a fractional output limit',
      { model: 'm', messages: hi, max_completion_tokens: 1.5 },
      'max_completion_tokens: expected an integer, got a number',
      'max_completion_tokens',
    ],
    [
      'a temperature as text',
      { model: 'm', messages: hi, temperature: '0.2' },
      'temperature: expected a number, got a string',
      'temperature',
    ],
    [
      'a stop list holding a number',
      { model: 'm', messages: hi, stop: [1] },
      'stop[0]: expected a string, got a number',
      'stop[0]',
    ],
    [
      'a fractional seed',
      { model: 'm', messages: hi, seed: 1.5 },
      'seed: expected an integer, got a number',
      'seed',
    ],
    [
      'metadata with a number',
      { model: 'm', messages: hi, metadata: { a: 1 } },
      'metadata.a: expected a string, got a number',
      'metadata.a',
    ],
    [
      'stream as text',
      { model: 'm', messages: hi, stream: 'yes' },
      'stream: expected a boolean, got a string',
      'stream',
    ],
    [
      'include_usage as text',
      { model: 'm', messages: hi, stream: true, stream_options: { include_usage: 'true' } },
      'stream_options.include_usage: expected a boolean, got a string',
      'stream_options.include_usage',
    ],
    // The neutral answer has one choice; n > 1 would silently drop the others.
    ['several choices', { model: 'm', messages: hi, n: 2 }, 'n: only 1 choice per request is supported', 'n'],
  ];

  it.each(cases)('%s', (_name, body, message, param) => {
    const error = failure(body);
    expect(error).toMatchObject({ status: 400, message, param });
  });

  it('never quotes the value it refuses, only its type', () => {
    const secret = 'sk-proj-a-key-pasted-in-the-wrong-field';
    expect(failure({ model: 'm', messages: hi, temperature: secret }).message).toBe(
      'temperature: expected a number, got a string',
    );
  });
});
