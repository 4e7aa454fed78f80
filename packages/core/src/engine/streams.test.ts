import { describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import type { StreamEvent } from '../neutral/stream-event.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import { continuationPrompt } from './continuation.ts';
import { ask, createHarness } from './test-support/engine-harness.ts';
import { drained, resolved, textOf } from './test-support/run-until-settled.ts';
import {
  answer,
  delta,
  events,
  fail,
  finish,
  pause,
  providerError,
  start,
  streamError,
} from './test-support/script.ts';
import { createScriptedAdapter } from './test-support/scripted-adapter.ts';

const question = ask('chat', 'How do deltas form?');
const fullAnswer = 'Rivers carry sediment to the sea, where it settles into wide deltas over centuries.';
const firstPart = 'Rivers carry sediment to the sea, where it settles';
const cut = streamError(providerError('stream_interrupted', { code: 'ECONNRESET' }));
const usage = { inputTokens: 50, outputTokens: 10, cachedInputTokens: 0, totalTokens: 60 };

/** The event types a consumer saw, in order (text deltas as their text). */
function shape(received: readonly StreamEvent[]): string[] {
  return received.map((event) => (event.type === 'text-delta' ? `text:${event.text}` : event.type));
}

function endings(received: readonly StreamEvent[]): StreamEvent[] {
  return received.filter((event) => event.type === 'finish' || event.type === 'error');
}

describe('streams', () => {
  describe('before the first token', () => {
    it('retries an error status invisibly', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, {
        alpha: [fail(providerError('unavailable')), answer(fullAnswer)],
      });
      const { client } = createHarness(clock, {
        providers: [primary],
        routes: { chat: { candidates: ['p1/alpha'] } },
      });

      const received = await drained(client.stream(question), clock);

      expect(primary.calls).toHaveLength(2);
      expect(shape(received)).toEqual(['start', `text:${fullAnswer}`, 'usage', 'finish']);
    });

    it.each([
      {
        failure: 'an error event after start',
        script: events(start('p1'), streamError(providerError('overloaded'))),
      },
      { failure: 'a reset before any byte', script: events() },
      { failure: 'a start and then nothing', script: events(start('p1')) },
      {
        failure: 'a malformed first chunk',
        script: events(start('p1'), { type: 'malformed-chunk', data: '{"cho' }),
      },
    ])('fails over invisibly after $failure', async ({ script }) => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, { alpha: [script] });
      const fallback = createScriptedAdapter('p2', clock, { beta: [answer(fullAnswer)] });
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], retry: false } },
      });

      const received = await drained(client.stream(question), clock);

      expect(shape(received)).toEqual(['start', `text:${fullAnswer}`, 'usage', 'finish']);
      expect(received[0]).toMatchObject({ type: 'start', provider: 'p2' });
    });

    it('fails over when the first token takes longer than firstTokenTimeoutMs, aborting the slow call', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, {
        alpha: [events(start('p1'), pause(10_000), delta('late'), finish())],
      });
      const fallback = createScriptedAdapter('p2', clock, { beta: [answer(fullAnswer)] });
      const { client, t0 } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], firstTokenTimeoutMs: 5000 } },
      });

      const received = await drained(client.stream(question), clock);

      expect(primary.calls).toMatchObject([
        { options: { firstTokenTimeoutMs: 5000 }, outcome: 'aborted', abortKind: 'timeout' },
      ]);
      expect(primary.calls[0]?.endedAt).toBe(t0 + 5000);
      expect(fallback.calls.map((call) => call.startedAt - t0)).toEqual([5000]);
      expect(textOf(received)).toBe(fullAnswer);
    });

    it('retries a candidate exactly 1 + maxRetries times, then fails over once', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, {
        alpha: [events(start('p1'), streamError(providerError('server')))],
      });
      const fallback = createScriptedAdapter('p2', clock, { beta: [answer(fullAnswer)] });
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], retry: { maxRetries: 2 } } },
      });

      const received = await drained(client.stream(question), clock);

      expect(primary.calls).toHaveLength(3);
      expect(fallback.calls).toHaveLength(1);
      expect(textOf(received)).toBe(fullAnswer);
    });

    it('gives the first-token limit no more time than the deadline has left', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, { alpha: [answer(fullAnswer)] });
      const { client } = createHarness(clock, {
        providers: [primary],
        routes: { chat: { candidates: ['p1/alpha'], deadlineMs: 3000, firstTokenTimeoutMs: 30_000 } },
      });

      await drained(client.stream(question), clock);

      expect(primary.calls[0]?.options).toMatchObject({ firstTokenTimeoutMs: 3000, timeoutMs: 3000 });
    });
  });

  describe('after the first token', () => {
    it('skips and counts a malformed chunk instead of failing', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, {
        alpha: [
          events(
            start('p1'),
            delta('Par'),
            { type: 'malformed-chunk', data: '{"cho' },
            delta('is'),
            finish(),
          ),
        ],
      });
      const { client, eventsOf } = createHarness(clock, {
        providers: [primary],
        routes: { chat: { candidates: ['p1/alpha'] } },
      });

      const received = await drained(client.stream(question), clock);

      expect(shape(received)).toEqual(['start', 'text:Par', 'text:is', 'finish']);
      expect(eventsOf('malformed-chunk')).toMatchObject([{ provider: 'p1', beforeFirstToken: false }]);
    });

    describe("recovery 'continue'", () => {
      it.each([
        { how: 'goes on where it stopped', continuation: ' into wide deltas over centuries.' },
        { how: 'repeats its last words', continuation: 'where it settles into wide deltas over centuries.' },
        { how: 'restarts from the top', continuation: fullAnswer },
      ])('stitches a continuation that $how into one answer', async ({ continuation }) => {
        const clock = createFakeClock();
        const primary = createScriptedAdapter('p1', clock, {
          alpha: [
            events(start('p1'), delta('Rivers carry sediment '), delta('to the sea, where it settles'), cut),
            events(start('p1'), delta(continuation.slice(0, 12)), delta(continuation.slice(12)), finish()),
          ],
        });
        const { client, eventsOf } = createHarness(clock, {
          providers: [primary],
          routes: { chat: { candidates: ['p1/alpha'] } },
        });

        const stream = client.stream(question);
        const received = await drained(stream, clock);

        expect(textOf(received)).toBe(fullAnswer);
        expect(received.filter((event) => event.type === 'start')).toHaveLength(1);
        expect(endings(received)).toEqual([finish()]);
        expect(primary.calls[1]?.request.messages.at(-1)).toEqual({ role: 'assistant', content: firstPart });
        expect(eventsOf('stream-recovery')).toMatchObject([
          { action: 'continue', provider: 'p1', sentChars: firstPart.length },
        ]);
        const report = await stream.report;
        expect(report.attempts.map((a) => [a.outcome, a.continuation ?? false])).toEqual([
          ['stream_interrupted', false],
          ['ok', true],
        ]);
      });

      it('continues on the next candidate when the cut one cannot, and adds up the usage', async () => {
        const clock = createFakeClock();
        const primary = createScriptedAdapter('p1', clock, {
          alpha: [
            events(start('p1'), delta(firstPart), { type: 'usage', usage }, cut),
            fail(providerError('unavailable')),
          ],
        });
        const fallback = createScriptedAdapter('p2', clock, {
          beta: [
            events(
              start('p2'),
              delta(' into wide deltas over centuries.'),
              { type: 'usage', usage },
              finish(),
            ),
          ],
        });
        const { client } = createHarness(clock, {
          providers: [primary, fallback],
          routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], retry: false } },
        });

        const received = await drained(client.stream(question), clock);

        expect(textOf(received)).toBe(fullAnswer);
        expect(fallback.calls[0]?.request.messages.at(-1)).toEqual({ role: 'assistant', content: firstPart });
        expect(received.find((event) => event.type === 'usage')).toEqual({
          type: 'usage',
          usage: { inputTokens: 100, outputTokens: 20, cachedInputTokens: 0, totalTokens: 120 },
        });
        expect(endings(received)).toEqual([finish()]);
      });

      it('asks in a user turn when the model cannot be prefilled', async () => {
        const clock = createFakeClock();
        const primary = createScriptedAdapter('p1', clock, {
          'no-prefill': [
            events(start('p1'), delta(firstPart), cut),
            events(start('p1'), delta(' into wide deltas over centuries.'), finish()),
          ],
        });
        const catalog = createCatalog([
          {
            id: 'no-prefill',
            provider: 'openai',
            contextWindow: 100_000,
            maxOutputTokens: 4096,
            tokenizer: 'o200k',
            capabilities: { tools: true, jsonSchema: true, vision: true, streaming: true, prefill: false },
          },
        ]);
        const { client } = createHarness(clock, {
          providers: [primary],
          catalog,
          routes: { chat: { candidates: ['p1/no-prefill'] } },
        });

        const received = await drained(client.stream(question), clock);

        expect(textOf(received)).toBe(fullAnswer);
        expect(primary.calls[1]?.request.messages.slice(-2)).toEqual([
          { role: 'assistant', content: firstPart },
          { role: 'user', content: continuationPrompt },
        ]);
      });

      it('continues a stream that went silent for longer than idleTimeoutMs', async () => {
        const clock = createFakeClock();
        const primary = createScriptedAdapter('p1', clock, {
          alpha: [
            events(start('p1'), delta(firstPart), pause(60_000), delta('never sent'), finish()),
            events(start('p1'), delta(' into wide deltas over centuries.'), finish()),
          ],
        });
        const { client, t0 } = createHarness(clock, {
          providers: [primary],
          routes: { chat: { candidates: ['p1/alpha'], idleTimeoutMs: 5000 } },
        });

        const received = await drained(client.stream(question), clock);

        expect(primary.calls[0]).toMatchObject({
          outcome: 'aborted',
          abortKind: 'timeout',
          endedAt: t0 + 5000,
        });
        expect(textOf(received)).toBe(fullAnswer);
      });

      it('continues a stream that ended without a finish', async () => {
        const clock = createFakeClock();
        const primary = createScriptedAdapter('p1', clock, {
          alpha: [
            events(start('p1'), delta(firstPart)),
            events(start('p1'), delta(' into wide deltas over centuries.'), finish()),
          ],
        });
        const { client } = createHarness(clock, {
          providers: [primary],
          routes: { chat: { candidates: ['p1/alpha'] } },
        });

        const received = await drained(client.stream(question), clock);

        expect(textOf(received)).toBe(fullAnswer);
        expect(endings(received)).toEqual([finish()]);
      });

      it('does not continue once the deadline has ended the stream', async () => {
        const clock = createFakeClock();
        const primary = createScriptedAdapter('p1', clock, {
          alpha: [
            events(start('p1'), delta(firstPart), pause(10_000), finish()),
            events(start('p1'), delta(' into wide deltas over centuries.'), finish()),
          ],
        });
        const { client, t0 } = createHarness(clock, {
          providers: [primary],
          routes: { chat: { candidates: ['p1/alpha'], deadlineMs: 5000, idleTimeoutMs: 60_000 } },
        });

        const received = await drained(client.stream(question), clock);

        expect(primary.calls).toHaveLength(1);
        expect(clock.now() - t0).toBe(5000);
        expect(textOf(received)).toBe(firstPart);
        expect(endings(received)).toMatchObject([{ type: 'error', error: { kind: 'timeout' } }]);
      });

      it('never continues in the middle of a tool call: the consumer gets the error', async () => {
        const clock = createFakeClock();
        const primary = createScriptedAdapter('p1', clock, {
          alpha: [
            events(
              start('p1'),
              { type: 'tool-call-delta', index: 0, id: 'call_1', name: 'lookup', argumentsDelta: '{"ci' },
              cut,
            ),
            answer('should not be asked'),
          ],
        });
        const { client, eventsOf } = createHarness(clock, {
          providers: [primary],
          routes: { chat: { candidates: ['p1/alpha'] } },
        });

        const received = await drained(client.stream(question), clock);

        expect(primary.calls).toHaveLength(1);
        expect(endings(received)).toMatchObject([{ type: 'error', error: { kind: 'stream_interrupted' } }]);
        expect(eventsOf('stream-recovery')).toMatchObject([{ action: 'fail' }]);
      });

      it('does not hide the original failure behind a continuation every candidate rejects', async () => {
        const clock = createFakeClock();
        const primary = createScriptedAdapter('p1', clock, {
          alpha: [events(start('p1'), delta(firstPart), cut), fail(providerError('bad_request'))],
        });
        const fallback = createScriptedAdapter('p2', clock, { beta: [fail(providerError('bad_request'))] });
        const { client } = createHarness(clock, {
          providers: [primary, fallback],
          routes: { chat: { candidates: ['p1/alpha', 'p2/beta'] } },
        });

        const stream = client.stream(question);
        const received = await drained(stream, clock);

        expect(textOf(received)).toBe(firstPart);
        expect(endings(received)).toMatchObject([
          { type: 'error', error: { kind: 'stream_interrupted', code: 'ECONNRESET' } },
        ]);
      });

      it('gives up after maxContinuations, with the failure that first cut the stream', async () => {
        const clock = createFakeClock();
        const primary = createScriptedAdapter('p1', clock, {
          alpha: [
            events(start('p1'), delta(firstPart), cut),
            events(start('p1'), delta(' into wide'), streamError(providerError('server'))),
          ],
        });
        const { client } = createHarness(clock, {
          providers: [primary],
          routes: { chat: { candidates: ['p1/alpha'], maxContinuations: 1 } },
        });

        const received = await drained(client.stream(question), clock);

        expect(primary.calls).toHaveLength(2);
        expect(textOf(received)).toBe(`${firstPart} into wide`);
        expect(endings(received)).toMatchObject([{ type: 'error', error: { kind: 'stream_interrupted' } }]);
      });
    });

    it("hides a mid-stream failure with recovery 'buffer': nothing is sent until an attempt completes", async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, {
        alpha: [
          events(start('p1'), delta('The capital of'), streamError(providerError('server'))),
          answer('Paris'),
        ],
      });
      const { client } = createHarness(clock, {
        providers: [primary],
        routes: { chat: { candidates: ['p1/alpha'], streamRecovery: 'buffer' } },
      });

      const received = await drained(client.stream(question), clock);

      expect(primary.calls).toHaveLength(2);
      expect(shape(received)).toEqual(['start', 'text:Paris', 'usage', 'finish']);
    });

    it("ends with a typed error event after the text already sent with recovery 'fail'", async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, {
        alpha: [
          events(start('p1'), delta(firstPart), streamError(providerError('server'))),
          answer('unused'),
        ],
      });
      const { client } = createHarness(clock, {
        providers: [primary],
        routes: { chat: { candidates: ['p1/alpha'], streamRecovery: 'fail' } },
      });

      const received = await drained(client.stream(question), clock);

      expect(primary.calls).toHaveLength(1);
      expect(shape(received)).toEqual(['start', `text:${firstPart}`, 'error']);
      expect(received.at(-1)).toMatchObject({ type: 'error', error: { kind: 'server', status: 500 } });
    });

    it('never reports a stream that ended without a finish as finished', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, { alpha: [events(start('p1'), delta(firstPart))] });
      const { client, eventsOf } = createHarness(clock, {
        providers: [primary],
        routes: { chat: { candidates: ['p1/alpha'], streamRecovery: 'fail' } },
      });

      const stream = client.stream(question);
      const received = await drained(stream, clock);

      expect(endings(received)).toMatchObject([{ type: 'error', error: { kind: 'stream_interrupted' } }]);
      expect(eventsOf('request-end')).toMatchObject([{ outcome: 'failed' }]);
      expect((await stream.report).attempts.map((a) => a.outcome)).toEqual(['stream_interrupted']);
    });
  });

  describe('the consumer', () => {
    it('stops the upstream call when it stops reading, and still gets its report', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, {
        alpha: [events(start('p1'), delta('Rivers '), pause(1000), delta('carry'), finish())],
      });
      const { client, eventsOf } = createHarness(clock, {
        providers: [primary],
        routes: { chat: { candidates: ['p1/alpha'] } },
      });

      const stream = client.stream(question);
      const read = async (): Promise<string> => {
        for await (const event of stream) if (event.type === 'text-delta') return event.text;
        return '';
      };
      const first = await resolved(read(), clock);
      const report = await resolved(stream.report, clock);

      expect(first).toBe('Rivers ');
      expect(primary.calls[0]?.outcome).toBe('abandoned');
      expect(report.attempts.map((a) => a.outcome)).toEqual(['cancelled']);
      expect(eventsOf('request-end')).toHaveLength(1);
    });
  });
});
