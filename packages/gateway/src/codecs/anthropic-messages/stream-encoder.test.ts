import { APIError } from '@anthropic-ai/sdk';
import { SteadfastError, type StreamEvent } from '@steadfast/core';
import { describe, expect, it } from 'vitest';
import { start, textStream, usage } from '../test-support/answers.ts';
import { anthropicClient, sse } from '../test-support/sdk.ts';
import { anthropicStreamEncoder } from './stream-encoder.ts';

const context = { id: 'msg_gw1', created: 1_735_689_600, includeUsage: true };
const model = 'gpt-4o-mini-2024-07-18';

function encodeAll(events: StreamEvent[]): string {
  const encoder = anthropicStreamEncoder(context);
  return events.map((event) => encoder.encode(event)).join('');
}

function frame(type: string, data: object): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

const messageStart = frame('message_start', {
  message: {
    id: 'msg_gw1',
    type: 'message',
    role: 'assistant',
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 0, output_tokens: 0 },
  },
});
const wholeUsage = {
  input_tokens: 8,
  output_tokens: 3,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 4,
};

function messageEnd(stopReason: string, stopDetails: object | null = null): string {
  return (
    frame('message_delta', {
      delta: { stop_reason: stopReason, stop_sequence: null, stop_details: stopDetails },
      usage: wholeUsage,
    }) + frame('message_stop', {})
  );
}

const textBlock = (index: number) =>
  frame('content_block_start', { index, content_block: { type: 'text', text: '' } });
const textDelta = (index: number, text: string) =>
  frame('content_block_delta', { index, delta: { type: 'text_delta', text } });
const blockStop = (index: number) => frame('content_block_stop', { index });

describe('anthropicStreamEncoder', () => {
  it('writes a text answer: message_start, one text block, message_delta with the whole usage, message_stop', () => {
    expect(encodeAll(textStream('Par', 'is.'))).toBe(
      messageStart +
        textBlock(0) +
        textDelta(0, 'Par') +
        textDelta(0, 'is.') +
        blockStop(0) +
        messageEnd('end_turn'),
    );
  });

  it('writes tool calls as tool_use blocks with input_json_delta, closing each block before the next', () => {
    const events: StreamEvent[] = [
      start(),
      { type: 'text-delta', text: 'Checking.' },
      { type: 'tool-call-delta', index: 0, id: 'call_1', name: 'get_weather', argumentsDelta: '' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Paris"}' },
      { type: 'tool-call-delta', index: 1, id: 'call_2', name: 'get_time', argumentsDelta: '{}' },
      { type: 'usage', usage },
      { type: 'finish', finishReason: 'tool_calls', rawFinishReason: 'tool_calls' },
    ];
    const toolBlock = (index: number, id: string, name: string) =>
      frame('content_block_start', { index, content_block: { type: 'tool_use', id, name, input: {} } });
    const jsonDelta = (index: number, partial: string) =>
      frame('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: partial } });
    expect(encodeAll(events)).toBe(
      messageStart +
        textBlock(0) +
        textDelta(0, 'Checking.') +
        blockStop(0) +
        toolBlock(1, 'call_1', 'get_weather') +
        jsonDelta(1, '{"city":"Paris"}') +
        blockStop(1) +
        toolBlock(2, 'call_2', 'get_time') +
        jsonDelta(2, '{}') +
        blockStop(2) +
        messageEnd('tool_use'),
    );
  });

  it('holds a refusal streamed apart until the finish: it becomes the text, and the explanation', () => {
    const events: StreamEvent[] = [
      start(),
      { type: 'refusal-delta', text: "I can't " },
      { type: 'refusal-delta', text: 'help.' },
      { type: 'usage', usage },
      { type: 'finish', finishReason: 'refusal', rawFinishReason: 'stop' },
    ];
    expect(encodeAll(events)).toBe(
      messageStart +
        textBlock(0) +
        textDelta(0, "I can't help.") +
        blockStop(0) +
        messageEnd('refusal', { type: 'refusal', category: null, explanation: "I can't help." }),
    );
  });

  it('writes nothing for malformed upstream chunks, empty deltas and a second start', () => {
    const encoder = anthropicStreamEncoder(context);
    encoder.encode(start());
    expect(encoder.encode({ type: 'malformed-chunk', data: '{"ty' })).toBe('');
    expect(encoder.encode({ type: 'text-delta', text: '' })).toBe('');
    expect(encoder.encode(start('another-model'))).toBe('');
    expect(encoder.encode({ type: 'usage', usage })).toBe('');
  });

  it('ends a failed stream with an error event and never message_stop; nothing is written after it', () => {
    const encoder = anthropicStreamEncoder({ ...context, requestId: 'req_gw1' });
    const text = [
      encoder.encode(start()),
      encoder.encode({ type: 'text-delta', text: 'Par' }),
      encoder.error(new SteadfastError('overloaded', 'Overloaded', { provider: 'anthropic', status: 529 })),
      encoder.encode({ type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' }),
      encoder.keepAlive(),
    ].join('');
    expect(text).toBe(
      messageStart +
        textBlock(0) +
        textDelta(0, 'Par') +
        frame('error', {
          error: {
            type: 'overloaded_error',
            message: 'The AI service is overloaded right now. Please try again shortly.',
          },
        }),
    );
    expect(text).not.toContain('message_stop');
  });

  it('keeps an idle connection alive with the API’s own ping', () => {
    expect(anthropicStreamEncoder(context).keepAlive()).toBe('event: ping\ndata: {"type":"ping"}\n\n');
  });
});

describe('anthropicStreamEncoder, read by the official Anthropic SDK', () => {
  const question = {
    model: 'default',
    max_tokens: 100,
    messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
  };

  it('assembles the streamed text, model, stop reason and usage', async () => {
    const encoder = anthropicStreamEncoder(context);
    const events = textStream('Par', 'is.');
    const text = encoder.keepAlive() + events.map((event) => encoder.encode(event)).join('');
    const { client } = anthropicClient(sse(text));
    const reply = await client.messages.stream(question).finalMessage();
    expect(reply.model).toBe(model);
    expect(reply.content).toEqual([{ type: 'text', text: 'Paris.' }]);
    expect(reply.stop_reason).toBe('end_turn');
    expect(reply.usage).toMatchObject(wholeUsage);
  });

  it('assembles tool_use input from its JSON deltas', async () => {
    const events: StreamEvent[] = [
      start(),
      { type: 'tool-call-delta', index: 0, id: 'call_1', name: 'get_weather', argumentsDelta: '{"ci' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'ty":"Paris"}' },
      { type: 'finish', finishReason: 'tool_calls', rawFinishReason: 'tool_calls' },
    ];
    const { client } = anthropicClient(sse(encodeAll(events)));
    const reply = await client.messages.stream(question).finalMessage();
    expect(reply.content).toEqual([
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    expect(reply.stop_reason).toBe('tool_use');
  });

  it('assembles interleaved tool calls: a late delta names the block of its own call', async () => {
    const events: StreamEvent[] = [
      start(),
      { type: 'tool-call-delta', index: 0, id: 'call_1', name: 'get_weather', argumentsDelta: '{"city":' },
      {
        type: 'tool-call-delta',
        index: 1,
        id: 'call_2',
        name: 'get_weather',
        argumentsDelta: '{"city":"Rome"}',
      },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
      { type: 'finish', finishReason: 'tool_calls', rawFinishReason: 'tool_calls' },
    ];
    const { client } = anthropicClient(sse(encodeAll(events)));
    const reply = await client.messages.stream(question).finalMessage();
    expect(reply.content).toEqual([
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_2', name: 'get_weather', input: { city: 'Rome' } },
    ]);
  });

  it('throws on a mid-stream error, after the text that came before it', async () => {
    const encoder = anthropicStreamEncoder(context);
    const text =
      encoder.encode(start()) +
      encoder.encode({ type: 'text-delta', text: 'Par' }) +
      encoder.error(new SteadfastError('rate_limited', 'Rate limit reached for org-internal'));
    const { client } = anthropicClient(sse(text));
    const stream = client.messages.stream(question);
    const received: string[] = [];
    stream.on('text', (delta) => received.push(delta));
    const thrown = await stream.finalMessage().catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(APIError);
    expect(thrown).toMatchObject({ type: 'rate_limit_error' });
    expect((thrown as Error).message).toContain('too many requests');
    expect((thrown as Error).message).not.toContain('org-internal');
    expect(received.join('')).toBe('Par');
  });
});
