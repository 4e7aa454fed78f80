import type OpenAI from 'openai';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AttemptRecord } from '../index.ts';
import { type Simulator, startSimulator } from '../index.ts';
import { drain, openAiClient, rejectionOf } from '../test-support/openai-client.ts';
import { parseSse, postJson, readAll } from '../test-support/sse.ts';

const reply = 'Steadfast answers this request one token at a time, the same way every run.';
const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Hello' }];
const modes = [
  { mode: 'a non-streaming request', stream: false },
  { mode: 'a streaming request', stream: true },
];

describe('OpenAI connection and stream faults through the official client', () => {
  let sim: Simulator;
  let client: OpenAI;

  beforeAll(async () => {
    sim = await startSimulator({
      scenario: {
        defaults: { reply },
        models: {
          healthy: {},
          'no-response': { faults: [{ fault: 'no_response' }] },
          reset: { faults: [{ fault: 'reset' }] },
          'slow-first-token': { faults: [{ fault: { kind: 'slow_first_token', delayMs: 500 } }] },
          'stream-cut': { faults: [{ fault: { kind: 'stream_cut', afterChunks: 3 } }] },
          'stream-stall': { faults: [{ fault: { kind: 'stream_stall', afterChunks: 3, stallMs: 50 } }] },
          'malformed-chunk': { faults: [{ fault: { kind: 'malformed_chunk', afterChunks: 3 } }] },
          'missing-done': { faults: [{ fault: 'missing_done' }] },
          'stream-error': { faults: [{ fault: { kind: 'stream_error', afterChunks: 3 } }] },
        },
      },
    });
    // The SDK logs unparseable stream frames to the console; the tests assert the error instead.
    client = openAiClient(sim.url, { logLevel: 'off' });
  });
  afterAll(() => sim.close());

  /** The simulator's record of the next attempt at `model`, once its outcome is decided. */
  function nextAttempt(model: string): Promise<AttemptRecord> {
    return new Promise((resolve) => {
      const unsubscribe = sim.onAttempt((record) => {
        if (record.model !== model) return;
        unsubscribe();
        resolve(record);
      });
    });
  }

  describe('no_response', () => {
    it.each(modes)('leaves $mode unanswered until the client times out', async ({ stream }) => {
      const attempt = nextAttempt('no-response');

      const error = await rejectionOf(
        client.chat.completions.create({ model: 'no-response', messages, stream }, { timeout: 300 }),
      );

      expect(error).toBeInstanceOf(APIConnectionTimeoutError);
      const { requestId } = await attempt;
      // The client hangs up on its own timeout; the simulator notices the closed connection.
      await vi.waitFor(() => {
        expect(sim.log().find((record) => record.requestId === requestId)).toMatchObject({
          outcome: 'no_response',
          status: 0,
          clientClosed: true,
        });
      });
    });
  });

  describe('reset', () => {
    it.each(modes)(
      'drops the connection of $mode before any header: APIConnectionError',
      async ({ stream }) => {
        const attempt = nextAttempt('reset');

        const error = await rejectionOf(client.chat.completions.create({ model: 'reset', messages, stream }));

        expect(Object.getPrototypeOf(error)).toBe(APIConnectionError.prototype);
        expect(await attempt).toMatchObject({ outcome: 'reset', status: 0 });
      },
    );
  });

  describe('slow_first_token', () => {
    it('sends headers and the role chunk first, then holds the tokens back, then sends the whole answer', async () => {
      const order: string[] = [];
      const attempt = nextAttempt('slow-first-token');
      void attempt.then((record) => order.push(`decided ${record.outcome}`));

      const stream = await client.chat.completions.create({
        model: 'slow-first-token',
        messages,
        stream: true,
      });
      order.push('headers');
      const { requestId } = await attempt;
      // The answer is still open when the headers arrive: the first token has not been sent yet.
      expect(sim.log().find((record) => record.requestId === requestId)?.endedAtMs).toBeUndefined();
      let text = '';
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta;
        if (delta?.role === 'assistant') order.push('role chunk');
        if (delta?.content && text === '') order.push('first token');
        text += delta?.content ?? '';
      }

      expect(order).toEqual(['decided slow_first_token', 'headers', 'role chunk', 'first token']);
      expect(text).toBe(reply);
    });

    it('still delivers the whole non-streaming answer', async () => {
      const completion = await client.chat.completions.create({ model: 'slow-first-token', messages });

      expect(completion.choices[0]?.message.content).toBe(reply);
      expect(sim.log().find((record) => record.requestId === completion._request_id)?.outcome).toBe(
        'slow_first_token',
      );
    });
  });

  describe.each([
    { fault: 'stream_cut', model: 'stream-cut' },
    { fault: 'stream_stall', model: 'stream-stall' },
  ])('$fault', ({ fault, model }) => {
    it('ends a stream with an error after the first 3 chunks of text and no finish_reason', async () => {
      const drained = await drain(await client.chat.completions.create({ model, messages, stream: true }));

      expect(drained.error).toBeInstanceOf(Error);
      expect(drained.error).not.toBeInstanceOf(APIError);
      expect(drained.contentChunks).toBe(3);
      expect(reply.startsWith(drained.text)).toBe(true);
      expect(drained.text.length).toBeLessThan(reply.length);
      expect(drained.finishReason).toBeUndefined();
    });

    it('cuts a non-streaming body half-way, so the call rejects', async () => {
      const attempt = nextAttempt(model);

      const error = await rejectionOf(client.chat.completions.create({ model, messages }));

      expect(error).toBeInstanceOf(Error);
      expect(await attempt).toMatchObject({ outcome: fault, status: 200 });
    });
  });

  describe('malformed_chunk', () => {
    it('makes stream iteration throw a parse error after the first 3 chunks of text', async () => {
      const drained = await drain(
        await client.chat.completions.create({ model: 'malformed-chunk', messages, stream: true }),
      );

      expect(drained.error).toBeInstanceOf(SyntaxError);
      expect(drained.contentChunks).toBe(3);
      expect(reply.startsWith(drained.text)).toBe(true);
    });

    it('sends a non-streaming body that does not parse, so the call rejects', async () => {
      const error = await rejectionOf(client.chat.completions.create({ model: 'malformed-chunk', messages }));

      expect(error).toBeInstanceOf(SyntaxError);
    });
  });

  describe('missing_done', () => {
    it('ends the stream cleanly with the whole answer and usage', async () => {
      const drained = await drain(
        await client.chat.completions.create({
          model: 'missing-done',
          messages,
          stream: true,
          stream_options: { include_usage: true },
        }),
      );

      expect(drained.error).toBeUndefined();
      expect(drained.text).toBe(reply);
      expect(drained.finishReason).toBe('stop');
      expect(drained.chunks.at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);
    });

    it('sends no data: [DONE], which a healthy stream does send', async () => {
      const body = { messages, stream: true, stream_options: { include_usage: true } };
      const cut = await readAll(
        await postJson(`${sim.url}/v1/chat/completions`, { ...body, model: 'missing-done' }),
      );
      const healthy = await readAll(
        await postJson(`${sim.url}/v1/chat/completions`, { ...body, model: 'healthy' }),
      );

      expect(cut.error).toBeUndefined();
      expect(cut.text).not.toContain('data: [DONE]');
      expect(JSON.parse(parseSse(cut.text).at(-1)?.data ?? '')).toMatchObject({ choices: [] });
      expect(healthy.text).toContain('data: [DONE]');
    });

    it('leaves a non-streaming answer whole', async () => {
      const completion = await client.chat.completions.create({ model: 'missing-done', messages });

      expect(completion.choices[0]?.message.content).toBe(reply);
    });
  });

  describe('stream_error', () => {
    it('makes stream iteration throw an APIError with the server_error message after 3 chunks of text', async () => {
      const drained = await drain(
        await client.chat.completions.create({ model: 'stream-error', messages, stream: true }),
      );

      expect(Object.getPrototypeOf(drained.error)).toBe(APIError.prototype);
      if (!(drained.error instanceof APIError)) throw drained.error;
      expect(drained.error.message).toBe(
        'The server had an error while processing your request. Sorry about that!',
      );
      expect(drained.error.type).toBe('server_error');
      expect(drained.error.status).toBeUndefined();
      expect(drained.contentChunks).toBe(3);
      expect(reply.startsWith(drained.text)).toBe(true);
    });

    it('sends the error as a data frame with a top-level error key after HTTP 200', async () => {
      const response = await postJson(`${sim.url}/v1/chat/completions`, {
        model: 'stream-error',
        messages,
        stream: true,
      });
      const { text } = await readAll(response);

      expect(response.status).toBe(200);
      const last = parseSse(text).at(-1);
      expect(last?.event).toBeUndefined();
      expect(JSON.parse(last?.data ?? '')).toEqual({
        error: { message: expect.any(String), type: 'server_error', param: null, code: null },
      });
    });

    it('leaves a non-streaming answer whole', async () => {
      const completion = await client.chat.completions.create({ model: 'stream-error', messages });

      expect(completion.choices[0]?.message.content).toBe(reply);
    });
  });
});
