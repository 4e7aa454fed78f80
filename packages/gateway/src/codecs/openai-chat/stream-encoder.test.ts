import { SteadfastError, type StreamEvent } from '@steadfast/core';
import { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { start, textStream, usage, weatherCall } from '../test-support/answers.ts';
import { openAiClient, sse } from '../test-support/sdk.ts';
import { openAiStreamEncoder } from './stream-encoder.ts';

const context = { id: 'chatcmpl-gw1', created: 1_735_689_600 };
const model = 'gpt-4o-mini-2024-07-18';

function encodeAll(events: StreamEvent[], includeUsage: boolean, requestId?: string): string {
  const encoder = openAiStreamEncoder({
    ...context,
    includeUsage,
    ...(requestId === undefined ? {} : { requestId }),
  });
  return events.map((event) => encoder.encode(event)).join('');
}

/** One chunk frame as OpenAI writes it. */
function chunk(delta: object, finishReason: string | null, withUsage: boolean): string {
  const body = {
    id: 'chatcmpl-gw1',
    object: 'chat.completion.chunk',
    created: 1_735_689_600,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(withUsage ? { usage: null } : {}),
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

const role = { role: 'assistant', content: '', refusal: null };

describe('openAiStreamEncoder', () => {
  it('writes a text answer as chunks: role first, the deltas, the finish, then [DONE]', () => {
    expect(encodeAll(textStream('Par', 'is.'), false)).toBe(
      chunk(role, null, false) +
        chunk({ content: 'Par' }, null, false) +
        chunk({ content: 'is.' }, null, false) +
        chunk({}, 'stop', false) +
        'data: [DONE]\n\n',
    );
  });

  it('with include_usage, marks every chunk usage: null and sends the usage chunk (no choices) before [DONE]', () => {
    const usageChunk = {
      id: 'chatcmpl-gw1',
      object: 'chat.completion.chunk',
      created: 1_735_689_600,
      model,
      choices: [],
      usage: {
        prompt_tokens: 12,
        completion_tokens: 3,
        total_tokens: 15,
        prompt_tokens_details: { cached_tokens: 4 },
      },
    };
    expect(encodeAll(textStream('Paris.'), true)).toBe(
      chunk(role, null, true) +
        chunk({ content: 'Paris.' }, null, true) +
        chunk({}, 'stop', true) +
        `data: ${JSON.stringify(usageChunk)}\n\n` +
        'data: [DONE]\n\n',
    );
  });

  it('writes tool-call deltas: the first of each call with id, type and name, the rest with arguments only', () => {
    const events: StreamEvent[] = [
      start(),
      { type: 'tool-call-delta', index: 0, id: 'call_1', name: 'get_weather', argumentsDelta: '' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
      { type: 'tool-call-delta', index: 1, id: 'call_2', name: 'get_time', argumentsDelta: '{}' },
      { type: 'finish', finishReason: 'tool_calls', rawFinishReason: 'tool_calls' },
    ];
    expect(encodeAll(events, false)).toBe(
      chunk(role, null, false) +
        chunk(
          {
            tool_calls: [
              { index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } },
            ],
          },
          null,
          false,
        ) +
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, null, false) +
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, null, false) +
        chunk(
          {
            tool_calls: [
              { index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
            ],
          },
          null,
          false,
        ) +
        chunk({}, 'tool_calls', false) +
        'data: [DONE]\n\n',
    );
  });

  it("writes a refusal as refusal deltas ending with finish 'stop'", () => {
    const events: StreamEvent[] = [
      start(),
      { type: 'refusal-delta', text: "I can't " },
      { type: 'refusal-delta', text: 'help.' },
      { type: 'finish', finishReason: 'refusal', rawFinishReason: 'stop' },
    ];
    expect(encodeAll(events, false)).toBe(
      chunk(role, null, false) +
        chunk({ refusal: "I can't " }, null, false) +
        chunk({ refusal: 'help.' }, null, false) +
        chunk({}, 'stop', false) +
        'data: [DONE]\n\n',
    );
  });

  it('writes nothing for malformed upstream chunks, empty deltas and a second start', () => {
    const encoder = openAiStreamEncoder({ ...context, includeUsage: false });
    encoder.encode(start());
    expect(encoder.encode({ type: 'malformed-chunk', data: '{"choi' })).toBe('');
    expect(encoder.encode({ type: 'text-delta', text: '' })).toBe('');
    expect(encoder.encode(start('another-model'))).toBe('');
    expect(encoder.encode({ type: 'usage', usage })).toBe('');
  });

  it('ends a failed stream with an error frame and never [DONE]; nothing is written after it', () => {
    const encoder = openAiStreamEncoder({ ...context, includeUsage: true, requestId: 'req_gw1' });
    const text = [
      encoder.encode(start()),
      encoder.encode({ type: 'text-delta', text: 'Par' }),
      encoder.error(
        new SteadfastError('stream_interrupted', 'upstream reset the connection', {
          provider: 'openai',
          status: 200,
        }),
      ),
      encoder.encode({ type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' }),
      encoder.keepAlive(),
    ].join('');
    const error = {
      message: 'The answer was interrupted before it was complete. Please try again. (request id: req_gw1)',
      type: 'server_error',
      param: null,
      code: 'stream_interrupted',
    };
    expect(text).toBe(
      chunk(role, null, true) +
        chunk({ content: 'Par' }, null, true) +
        `data: ${JSON.stringify({ error })}\n\n`,
    );
    expect(text).not.toContain('[DONE]');
  });

  it('writes an error event from the engine the same way', () => {
    const failure = new SteadfastError('overloaded', 'Overloaded');
    const viaEvent = openAiStreamEncoder({ ...context, includeUsage: false });
    const viaMethod = openAiStreamEncoder({ ...context, includeUsage: false });
    expect(viaEvent.encode({ type: 'error', error: failure })).toBe(viaMethod.error(failure));
  });

  it('keeps an idle connection alive with an SSE comment', () => {
    expect(openAiStreamEncoder({ ...context, includeUsage: false }).keepAlive()).toBe(': keep-alive\n\n');
  });
});

describe('openAiStreamEncoder, read by the official OpenAI SDK', () => {
  const question = { model: 'default', messages: [{ role: 'user' as const, content: 'Weather in Paris?' }] };

  it('assembles the streamed text, model, finish and usage', async () => {
    const { client } = openAiClient(sse(encodeAll(textStream('Par', 'is', '.'), true)));
    const stream = client.chat.completions.stream({ ...question, stream_options: { include_usage: true } });
    const completion = await stream.finalChatCompletion();
    expect(completion.model).toBe(model);
    expect(completion.choices[0]?.message.content).toBe('Paris.');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 });
  });

  it('assembles tool calls from their deltas', async () => {
    const events: StreamEvent[] = [
      start(),
      {
        type: 'tool-call-delta',
        index: 0,
        id: weatherCall.id,
        name: weatherCall.name,
        argumentsDelta: '{"ci',
      },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'ty":"Paris"}' },
      { type: 'finish', finishReason: 'tool_calls', rawFinishReason: 'tool_calls' },
    ];
    const { client } = openAiClient(sse(encodeAll(events, false)));
    const completion = await client.chat.completions.stream(question).finalChatCompletion();
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('assembles a refusal', async () => {
    const events: StreamEvent[] = [
      start(),
      { type: 'refusal-delta', text: "I can't help with that." },
      { type: 'finish', finishReason: 'refusal', rawFinishReason: 'stop' },
    ];
    const { client } = openAiClient(sse(encodeAll(events, false)));
    const completion = await client.chat.completions.stream(question).finalChatCompletion();
    expect(completion.choices[0]?.message.refusal).toBe("I can't help with that.");
    // The role chunk carries `content: ""`, as OpenAI's own first chunk does; the SDK keeps it.
    expect(completion.choices[0]?.message.content).toBe('');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('throws on a mid-stream error, after the text that came before it', async () => {
    const encoder = openAiStreamEncoder({ ...context, includeUsage: false, requestId: 'req_gw1' });
    const text =
      encoder.encode(start()) +
      encoder.encode({ type: 'text-delta', text: 'Par' }) +
      encoder.error(new SteadfastError('overloaded', 'Overloaded'));
    const { client } = openAiClient(sse(text));
    const received: string[] = [];
    const read = async (): Promise<void> => {
      for await (const part of await client.chat.completions.create({ ...question, stream: true })) {
        received.push(part.choices[0]?.delta.content ?? '');
      }
    };
    const thrown = await read().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(APIError);
    expect(thrown).toMatchObject({ type: 'service_unavailable_error', code: 'overloaded' });
    expect((thrown as APIError).message).toContain('The AI service is overloaded right now.');
    expect(received.join('')).toBe('Par');
  });
});
