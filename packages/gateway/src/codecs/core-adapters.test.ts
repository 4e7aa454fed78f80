import { openAiFlavours } from '@steadfast/core';
import { describe, expect, it } from 'vitest';
import { toAnthropicBody } from '../../../core/src/providers/anthropic/translate-request.ts';
import { toOpenAiBody } from '../../../core/src/providers/openai/translate-request.ts';
import { decodeAnthropicMessages } from './anthropic-messages/decode.ts';
import { decodeOpenAiChat } from './openai-chat/decode.ts';

/**
 * The codecs against the core's adapters. A request read by a codec and translated back by the adapter
 * of its own format gives the body it was read from: the codecs are the adapters' inverse. A request
 * read by one codec reaches an upstream of the other format as that API's equivalent. (Same-format
 * upstreams get `original` and need neither.)
 */
describe('decodeOpenAiChat, then the core OpenAI adapter', () => {
  it('gives back, through the adapter, the body it read, for every field it translates', () => {
    const body = {
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather here?' },
            { type: 'image_url', image_url: { url: 'https://x.test/a.png' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: '18°C' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            parameters: { type: 'object' },
            description: 'Weather',
            strict: true,
          },
        },
      ],
      tool_choice: 'auto',
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'w', schema: { type: 'object' }, strict: true },
      },
      max_completion_tokens: 100,
      temperature: 0.5,
      top_p: 0.8,
      stop: ['END'],
      seed: 3,
      user: 'u',
      metadata: { k: 'v' },
    };
    const { original: _original, ...translated } = decodeOpenAiChat(body).request;
    expect(toOpenAiBody(translated, 'gpt-4o', false, openAiFlavours.openai!)).toEqual(body);
  });
});

describe('decodeAnthropicMessages, then the core Anthropic adapter', () => {
  it('gives back, through the adapter, the body it read, for every field it translates', () => {
    const body = {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
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
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C', is_error: true },
            { type: 'text', text: 'And Rome?' },
            { type: 'image', source: { type: 'url', url: 'https://x.test/rome.png' } },
          ],
        },
      ],
      system: 'Be brief.',
      tools: [
        { name: 'get_weather', input_schema: { type: 'object' }, description: 'Weather', strict: true },
      ],
      tool_choice: { type: 'any' },
      output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
      temperature: 0.5,
      top_p: 0.8,
      stop_sequences: ['END'],
      metadata: { user_id: 'u' },
    };
    const { original: _original, ...translated } = decodeAnthropicMessages(body).request;
    expect(toAnthropicBody(translated, 'claude-sonnet-4-5', false, 4096)).toEqual(body);
  });
});

describe('a request read by one codec, sent to an upstream of the other format', () => {
  it('an Anthropic request reaches OpenAI as its Chat Completions equivalent, top_k left out', () => {
    const { request } = decodeAnthropicMessages({
      model: 'fast',
      max_tokens: 200,
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 't1', name: 'get_weather', input: { city: 'Paris' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: '18°C' }] },
      ],
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any' },
      stop_sequences: ['END'],
      top_k: 40,
    });
    expect(toOpenAiBody(request, 'gpt-4o', true, openAiFlavours.openai!)).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 't1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 't1', content: '18°C' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      tool_choice: 'required',
      max_completion_tokens: 200,
      stop: ['END'],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('an OpenAI request reaches Anthropic as its Messages equivalent, OpenAI-only fields left out', () => {
    const { request } = decodeOpenAiChat({
      model: 'fast',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: '18°C' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      max_completion_tokens: 200,
      reasoning_effort: 'low',
      user: 'u-1',
    });
    expect(toAnthropicBody(request, 'claude-haiku-4-5', false, 4096)).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 200,
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'c1', name: 'get_weather', input: { city: 'Paris' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c1', content: '18°C' }] },
      ],
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
      metadata: { user_id: 'u-1' },
    });
  });
});
