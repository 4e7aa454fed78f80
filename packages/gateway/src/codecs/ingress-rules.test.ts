import { describe, expect, it } from 'vitest';
import { anthropicMessagesCodec } from './anthropic-messages/index.ts';
import { CodecError, type IngressCodec } from './codec.ts';
import { openAiChatCodec } from './openai-chat/index.ts';

/** A valid request of each API, to which each case adds one field. */
const valid: Array<{ codec: IngressCodec; body: Record<string, unknown> }> = [
  { codec: openAiChatCodec, body: { model: 'm', messages: [{ role: 'user', content: 'Hi' }] } },
  {
    codec: anthropicMessagesCodec,
    body: { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] },
  },
];

function refusal(codec: IngressCodec, body: unknown): CodecError {
  try {
    codec.decode(body);
  } catch (error) {
    if (CodecError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('the body was accepted');
}

describe.each(valid)('$codec.format: rules every request passes before anything else', ({ codec, body }) => {
  const smuggled: Array<[string, Record<string, unknown>, string]> = [
    ['an upstream URL at the top', { api_base: 'https://evil.test/v1' }, 'api_base'],
    ['a provider key in metadata', { metadata: { api_key: 'sk-attacker' } }, 'metadata.api_key'],
    [
      'a base URL inside a provider extra',
      { extra_body: { litellm: { base_url: 'https://evil.test' } } },
      'extra_body.litellm.base_url',
    ],
    ['a Portkey config', { 'x-portkey-config': { targets: [] } }, '["x-portkey-config"]'],
    [
      'an endpoint inside a message',
      { messages: [{ role: 'user', content: 'Hi', endpoint: 'https://evil.test' }] },
      'messages[0].endpoint',
    ],
  ];

  it.each(smuggled)('refuses %s with a 400 naming its path', (_name, extra, path) => {
    const error = refusal(codec, { ...body, ...extra });
    expect(error).toMatchObject({ status: 400, param: path });
    expect(error.message.startsWith(`${path}: not accepted`)).toBe(true);
  });

  it('refuses a body nested deeper than 64 levels before reading it', () => {
    let deep: unknown = {};
    for (let level = 0; level < 70; level++) deep = { inner: deep };
    expect(refusal(codec, { ...body, some_extra: deep }).message).toMatch(
      /^some_extra(\.inner)+: nested deeper than 64 levels$/,
    );
  });
});

describe('the forbidden keys are data where the caller names things', () => {
  const schema = {
    type: 'object',
    properties: { endpoint: { type: 'string' }, api_key: { type: 'string' } },
  };

  it('OpenAI: in tool parameters and in a response schema', () => {
    const body = {
      model: 'm',
      messages: [{ role: 'user', content: 'Register the webhook' }],
      tools: [{ type: 'function', function: { name: 'register_webhook', parameters: schema } }],
      response_format: { type: 'json_schema', json_schema: { name: 'hook', schema } },
    };
    expect(openAiChatCodec.decode(body).request.tools?.[0]?.parameters).toBe(schema);
  });

  it("Anthropic: in tool input schemas, output schemas and a tool call's input", () => {
    const body = {
      model: 'm',
      max_tokens: 10,
      messages: [
        { role: 'user', content: 'Register the webhook' },
        {
          role: 'assistant',
          content: [
            {
              type: 'tool_use',
              id: 't',
              name: 'register_webhook',
              input: { endpoint: 'https://hooks.test' },
            },
          ],
        },
      ],
      tools: [{ name: 'register_webhook', input_schema: schema }],
      output_config: { format: { type: 'json_schema', schema } },
    };
    expect(anthropicMessagesCodec.decode(body).request.messages[1]).toEqual({
      role: 'assistant',
      content: [
        {
          type: 'tool-call',
          id: 't',
          name: 'register_webhook',
          arguments: '{"endpoint":"https://hooks.test"}',
        },
      ],
    });
  });
});

describe('CodecError', () => {
  it('is recognised by its brand, as one from another copy of the package would be', () => {
    const error = new CodecError('model: required', 'model');
    expect(CodecError.isInstance(error)).toBe(true);
    expect(CodecError.isInstance({ ...error })).toBe(false);
    expect(CodecError.isInstance(Object.assign(Object.create(Object.getPrototypeOf(error)), error))).toBe(
      true,
    );
    expect(CodecError.isInstance(new Error('model: required'))).toBe(false);
  });
});
