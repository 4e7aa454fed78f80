import type { ChatRequest } from '@steadfast/core';
import { describe, expect, it } from 'vitest';
import { decodeOpenAiChat } from './decode.ts';

type Body = Record<string, unknown>;

const hi = [{ role: 'user', content: 'Hi' }];

/** The neutral request expected for `body`: `fields` plus the body itself as `original`. */
function neutral(body: Body, fields: Omit<ChatRequest, 'original'>): ChatRequest {
  return { ...fields, original: { format: 'openai-chat', body } };
}

describe('decodeOpenAiChat: valid requests', () => {
  it('reads the smallest request and keeps the body itself, untouched, as the original', () => {
    const body = { model: 'gpt-4o', messages: hi };
    const decoded = decodeOpenAiChat(body);
    expect(decoded).toEqual({
      request: neutral(body, { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }),
      stream: false,
      includeUsage: false,
      untranslatable: [],
    });
    expect(decoded.request.original?.body).toBe(body);
  });

  const cases: Array<{ name: string; body: Body; request: Omit<ChatRequest, 'original'> }> = [
    {
      name: 'joins system and developer messages into the one neutral system text',
      body: {
        model: 'm',
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'developer',
            content: [
              { type: 'text', text: 'Answer in ' },
              { type: 'text', text: 'French.' },
            ],
          },
          { role: 'user', content: 'Hi' },
        ],
      },
      request: {
        model: 'm',
        system: 'Be brief.\n\nAnswer in French.',
        messages: [{ role: 'user', content: 'Hi' }],
      },
    },
    {
      name: 'reads text and image parts, by https and data URL',
      body: {
        model: 'm',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            ],
          },
        ],
      },
      request: {
        model: 'm',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image', url: 'https://example.com/cat.png' },
              { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' },
            ],
          },
        ],
      },
    },
    {
      name: 'reads tool calls and their results, naming each result after its call',
      body: {
        model: 'm',
        messages: [
          { role: 'user', content: 'Weather in Paris and Rome?' },
          {
            role: 'assistant',
            content: null,
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
          { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
          { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '24°C' }] },
          { role: 'tool', tool_call_id: 'call_unknown', content: '?' },
        ],
      },
      request: {
        model: 'm',
        messages: [
          { role: 'user', content: 'Weather in Paris and Rome?' },
          {
            role: 'assistant',
            content: [
              { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
              { type: 'tool-call', id: 'call_2', name: 'get_weather', arguments: '{"city":"Rome"}' },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'call_1', toolName: 'get_weather', content: '18°C' },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'call_2', toolName: 'get_weather', content: '24°C' },
            ],
          },
          {
            role: 'tool',
            content: [{ type: 'tool-result', toolCallId: 'call_unknown', toolName: '', content: '?' }],
          },
        ],
      },
    },
    {
      name: 'keeps the text beside tool calls, and reads refusal parts of the history as text',
      body: {
        model: 'm',
        messages: [
          {
            role: 'assistant',
            content: 'Let me look.',
            tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{}' } }],
          },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'No: ' },
              { type: 'refusal', refusal: 'I cannot help.' },
            ],
          },
          { role: 'assistant', content: null },
        ],
      },
      request: {
        model: 'm',
        messages: [
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Let me look.' },
              { type: 'tool-call', id: 'c', name: 'f', arguments: '{}' },
            ],
          },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'No: ' },
              { type: 'text', text: 'I cannot help.' },
            ],
          },
          { role: 'assistant', content: '' },
        ],
      },
    },
    {
      name: 'reads tools, a forced tool choice and a JSON schema response format',
      body: {
        model: 'm',
        messages: hi,
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Weather by city',
              parameters: { type: 'object', properties: { city: { type: 'string' } } },
              strict: true,
            },
          },
          { type: 'function', function: { name: 'now' } },
        ],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'city', description: 'A city', schema: { type: 'object' }, strict: true },
        },
      },
      request: {
        model: 'm',
        messages: [{ role: 'user', content: 'Hi' }],
        tools: [
          {
            name: 'get_weather',
            description: 'Weather by city',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
            strict: true,
          },
          { name: 'now', parameters: { type: 'object', properties: {} } },
        ],
        toolChoice: { tool: 'get_weather' },
        responseFormat: {
          type: 'json_schema',
          name: 'city',
          description: 'A city',
          schema: { type: 'object' },
          strict: true,
        },
      },
    },
    {
      name: 'reads tool_choice modes and json_object',
      body: { model: 'm', messages: hi, tool_choice: 'required', response_format: { type: 'json_object' } },
      request: {
        model: 'm',
        messages: [{ role: 'user', content: 'Hi' }],
        toolChoice: 'required',
        responseFormat: { type: 'json' },
      },
    },
    {
      name: 'reads the sampling settings; a stop string becomes a list',
      body: {
        model: 'm',
        messages: hi,
        max_completion_tokens: 300,
        temperature: 0.2,
        top_p: 0.9,
        stop: 'END',
        seed: -7,
        user: 'user-42',
        metadata: { team: 'search' },
      },
      request: {
        model: 'm',
        messages: [{ role: 'user', content: 'Hi' }],
        maxOutputTokens: 300,
        temperature: 0.2,
        topP: 0.9,
        stop: ['END'],
        seed: -7,
        user: 'user-42',
        metadata: { team: 'search' },
      },
    },
    {
      name: 'takes max_completion_tokens over the deprecated max_tokens, and max_tokens alone',
      body: { model: 'm', messages: hi, max_tokens: 100, max_completion_tokens: 200, stop: ['a', 'b'] },
      request: {
        model: 'm',
        messages: [{ role: 'user', content: 'Hi' }],
        maxOutputTokens: 200,
        stop: ['a', 'b'],
      },
    },
    {
      name: 'treats null as "not set", as OpenAI does',
      body: {
        model: 'm',
        messages: hi,
        temperature: null,
        stop: null,
        tools: null,
        tool_choice: null,
        response_format: null,
        max_tokens: null,
        stream: null,
        stream_options: null,
        logprobs: null,
      },
      request: { model: 'm', messages: [{ role: 'user', content: 'Hi' }] },
    },
    {
      name: 'carries every field it does not translate in providerOptions.openai, as sent',
      body: {
        model: 'm',
        messages: hi,
        reasoning_effort: 'low',
        service_tier: 'flex',
        prompt_cache_key: 'tenant-7',
        logprobs: true,
        top_logprobs: 3,
        n: 1,
        parallel_tool_calls: false,
        prediction: { type: 'content', content: 'Paris' },
        verbosity: 'low',
        a_field_openai_adds_next_year: { nested: [1, 2] },
        stream_options: { include_usage: true, include_obfuscation: false },
      },
      request: {
        model: 'm',
        messages: [{ role: 'user', content: 'Hi' }],
        providerOptions: {
          openai: {
            reasoning_effort: 'low',
            service_tier: 'flex',
            prompt_cache_key: 'tenant-7',
            logprobs: true,
            top_logprobs: 3,
            n: 1,
            parallel_tool_calls: false,
            prediction: { type: 'content', content: 'Paris' },
            verbosity: 'low',
            a_field_openai_adds_next_year: { nested: [1, 2] },
          },
        },
      },
    },
  ];

  it.each(cases)('$name', ({ body, request }) => {
    expect(decodeOpenAiChat(body).request).toEqual(neutral(body, request));
  });

  it('lists what the neutral request cannot carry, by path, and keeps it out of the neutral request', () => {
    const body = {
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Transcribe:' },
            { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
            { type: 'file', file: { file_id: 'file-1' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'ct', type: 'custom', custom: { name: 'grammar', input: 'x' } }],
        },
        { role: 'assistant', content: null, function_call: { name: 'old', arguments: '{}' } },
      ],
      tools: [{ type: 'custom', custom: { name: 'grammar' } }],
      tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [] } },
      response_format: { type: 'grammar', grammar: 'start: "a"' },
    };
    const decoded = decodeOpenAiChat(body);
    expect(decoded.untranslatable).toEqual([
      'messages[0].content[1] (input_audio)',
      'messages[0].content[2] (file)',
      'messages[1].tool_calls[0] (custom)',
      'messages[2].function_call',
      'tools[0] (custom)',
      'tool_choice (allowed_tools)',
      'response_format (grammar)',
    ]);
    expect(decoded.request).toEqual(
      neutral(body, {
        model: 'm',
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Transcribe:' }] },
          { role: 'assistant', content: '' },
          { role: 'assistant', content: '' },
        ],
      }),
    );
  });

  it('streams when asked, with the usage chunk only when stream_options.include_usage is set', () => {
    expect(decodeOpenAiChat({ model: 'm', messages: hi, stream: true })).toMatchObject({
      stream: true,
      includeUsage: false,
    });
    expect(
      decodeOpenAiChat({ model: 'm', messages: hi, stream: true, stream_options: { include_usage: true } }),
    ).toMatchObject({ stream: true, includeUsage: true });
    expect(
      decodeOpenAiChat({ model: 'm', messages: hi, stream: false, stream_options: { include_usage: true } }),
    ).toMatchObject({ stream: false, includeUsage: false });
  });
});
