import type { ChatRequest } from '@steadfast/core';
import { describe, expect, it } from 'vitest';
import { decodeAnthropicMessages } from './decode.ts';

type Body = Record<string, unknown>;

const hi = [{ role: 'user', content: 'Hi' }];

/** The neutral request expected for `body`: `fields` plus the body itself as `original`. */
function neutral(body: Body, fields: Omit<ChatRequest, 'original'>): ChatRequest {
  return { ...fields, original: { format: 'anthropic-messages', body } };
}

describe('decodeAnthropicMessages: valid requests', () => {
  it('reads the smallest request and keeps the body itself, untouched, as the original', () => {
    const body = { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: hi };
    const decoded = decodeAnthropicMessages(body);
    expect(decoded).toEqual({
      request: neutral(body, {
        model: 'claude-sonnet-4-5',
        maxOutputTokens: 1024,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
      stream: false,
      includeUsage: true,
      untranslatable: [],
    });
    expect(decoded.request.original?.body).toBe(body);
  });

  const cases: Array<{ name: string; body: Body; request: Omit<ChatRequest, 'original'> }> = [
    {
      name: 'reads the system prompt as text blocks, joined',
      body: {
        model: 'm',
        max_tokens: 10,
        system: [
          { type: 'text', text: 'Be brief.' },
          { type: 'text', text: 'Answer in French.', cache_control: { type: 'ephemeral' } },
        ],
        messages: hi,
      },
      request: {
        model: 'm',
        maxOutputTokens: 10,
        system: 'Be brief.\n\nAnswer in French.',
        messages: [{ role: 'user', content: 'Hi' }],
      },
    },
    {
      name: 'reads text and images, by base64 and by URL',
      body: {
        model: 'm',
        max_tokens: 10,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Compare:' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
              { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
            ],
          },
        ],
      },
      request: {
        model: 'm',
        maxOutputTokens: 10,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Compare:' },
              { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
              { type: 'image', url: 'https://example.com/cat.png' },
            ],
          },
        ],
      },
    },
    {
      name: 'reads tool use, and splits a user turn into its tool results and the text after them',
      body: {
        model: 'm',
        max_tokens: 10,
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Checking.' },
              { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' },
              {
                type: 'tool_result',
                tool_use_id: 'toolu_2',
                content: [
                  { type: 'text', text: 'no ' },
                  { type: 'text', text: 'such city' },
                ],
                is_error: true,
              },
              { type: 'text', text: 'And tomorrow?' },
            ],
          },
        ],
      },
      request: {
        model: 'm',
        maxOutputTokens: 10,
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Checking.' },
              { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'toolu_1', toolName: 'get_weather', content: '18°C' },
              {
                type: 'tool-result',
                toolCallId: 'toolu_2',
                toolName: '',
                content: 'no such city',
                isError: true,
              },
            ],
          },
          { role: 'user', content: [{ type: 'text', text: 'And tomorrow?' }] },
        ],
      },
    },
    {
      name: 'reads tools, each tool_choice and a JSON schema output format',
      body: {
        model: 'm',
        max_tokens: 10,
        messages: hi,
        tools: [
          {
            name: 'get_weather',
            description: 'Weather by city',
            input_schema: { type: 'object', properties: { city: { type: 'string' } } },
            strict: true,
            cache_control: { type: 'ephemeral' },
          },
          { type: 'custom', name: 'now', input_schema: { type: 'object' } },
        ],
        tool_choice: { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true },
        output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
      },
      request: {
        model: 'm',
        maxOutputTokens: 10,
        messages: [{ role: 'user', content: 'Hi' }],
        tools: [
          {
            name: 'get_weather',
            description: 'Weather by city',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
            strict: true,
          },
          { name: 'now', parameters: { type: 'object' } },
        ],
        toolChoice: { tool: 'get_weather' },
        responseFormat: { type: 'json_schema', schema: { type: 'object' } },
      },
    },
    ...(
      [
        ['auto', 'auto'],
        ['any', 'required'],
        ['none', 'none'],
      ] as const
    ).map(([type, toolChoice]) => ({
      name: `reads tool_choice ${type} as ${toolChoice}`,
      body: { model: 'm', max_tokens: 10, messages: hi, tool_choice: { type } },
      request: {
        model: 'm',
        maxOutputTokens: 10,
        messages: [{ role: 'user' as const, content: 'Hi' }],
        toolChoice,
      },
    })),
    {
      name: 'reads the sampling settings; metadata.user_id is the end user',
      body: {
        model: 'm',
        max_tokens: 10,
        messages: hi,
        stop_sequences: ['END'],
        temperature: 0.2,
        top_p: 0.9,
        metadata: { user_id: 'user-42' },
      },
      request: {
        model: 'm',
        maxOutputTokens: 10,
        messages: [{ role: 'user', content: 'Hi' }],
        stop: ['END'],
        temperature: 0.2,
        topP: 0.9,
        user: 'user-42',
      },
    },
    {
      name: 'carries every field it does not translate in providerOptions.anthropic, output_config less its format',
      body: {
        model: 'm',
        max_tokens: 10,
        messages: hi,
        top_k: 40,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        service_tier: 'standard_only',
        inference_geo: 'us',
        output_config: { effort: 'low', format: { type: 'json_schema', schema: { type: 'object' } } },
        a_field_anthropic_adds_next_year: [true],
      },
      request: {
        model: 'm',
        maxOutputTokens: 10,
        messages: [{ role: 'user', content: 'Hi' }],
        responseFormat: { type: 'json_schema', schema: { type: 'object' } },
        providerOptions: {
          anthropic: {
            top_k: 40,
            thinking: { type: 'enabled', budget_tokens: 2048 },
            service_tier: 'standard_only',
            inference_geo: 'us',
            a_field_anthropic_adds_next_year: [true],
            output_config: { effort: 'low' },
          },
        },
      },
    },
    {
      name: 'reads the older output_format as the response format',
      body: {
        model: 'm',
        max_tokens: 10,
        messages: hi,
        output_format: { type: 'json_schema', schema: { type: 'object' } },
      },
      request: {
        model: 'm',
        maxOutputTokens: 10,
        messages: [{ role: 'user', content: 'Hi' }],
        responseFormat: { type: 'json_schema', schema: { type: 'object' } },
      },
    },
  ];

  it.each(cases)('$name', ({ body, request }) => {
    expect(decodeAnthropicMessages(body).request).toEqual(neutral(body, request));
  });

  it('lists what the neutral request cannot carry, by path, and keeps it out of the neutral request', () => {
    const body = {
      model: 'm',
      max_tokens: 10,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } },
            { type: 'image', source: { type: 'file', file_id: 'file_1' } },
            { type: 'text', text: 'Summarise.' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Hmm.', signature: 'sig' },
            { type: 'text', text: 'Done.' },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't',
              content: [{ type: 'image', source: { type: 'url', url: 'u' } }],
            },
          ],
        },
      ],
      tools: [{ type: 'web_search_20250305', name: 'web_search' }],
    };
    const decoded = decodeAnthropicMessages(body);
    expect(decoded.untranslatable).toEqual([
      'messages[0].content[0] (document)',
      'messages[0].content[1] (image file)',
      'messages[1].content[0] (thinking)',
      'messages[2].content[0].content[0] (image)',
      'tools[0] (web_search_20250305)',
    ]);
    expect(decoded.request).toEqual(
      neutral(body, {
        model: 'm',
        maxOutputTokens: 10,
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Summarise.' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't', toolName: '', content: '' }] },
        ],
      }),
    );
  });

  it('streams when asked; Messages API streams always carry usage', () => {
    expect(decodeAnthropicMessages({ model: 'm', max_tokens: 10, messages: hi, stream: true })).toMatchObject(
      {
        stream: true,
        includeUsage: true,
      },
    );
  });
});
