import { describe, expect, it } from 'vitest';
import { ChainError } from '../errors/chain-error.ts';
import { SteadfastError } from '../errors/steadfast-error.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import { ask, createHarness } from './test-support/engine-harness.ts';
import { rejected, resolved } from './test-support/run-until-settled.ts';
import { answer, fail, hang, providerError } from './test-support/script.ts';
import { createScriptedAdapter } from './test-support/scripted-adapter.ts';

const question = ask('chat');

describe('retry and fallback', () => {
  describe('retries', () => {
    it('calls a candidate that keeps failing exactly 1 + maxRetries times, then the fallback once', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('unavailable'))] });
      const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris')] });
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], retry: { maxRetries: 3 } } },
      });

      const result = await resolved(client.chat(question), clock);

      expect(primary.calls).toHaveLength(4);
      expect(fallback.calls).toHaveLength(1);
      expect(result.text).toBe('Paris');
      expect(result.resilience.attempts.map((a) => `${a.provider}/${a.model}:${a.outcome}`)).toEqual([
        'p1/alpha:unavailable',
        'p1/alpha:unavailable',
        'p1/alpha:unavailable',
        'p1/alpha:unavailable',
        'p2/beta:ok',
      ]);
      expect(result.resilience.fallbackUsed).toBe(true);
    });

    it('waits the jittered exponential backoff before each retry, and falls back without waiting', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('server'))] });
      const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris')] });
      const { client, t0, eventsOf } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], retry: { maxRetries: 3 } } },
      });

      const result = await resolved(client.chat(question), clock);

      // Full jitter with a 0.5 draw: half of 1 s, 2 s, 4 s.
      expect(primary.calls.map((call) => call.startedAt - t0)).toEqual([0, 500, 1500, 3500]);
      expect(fallback.calls.map((call) => call.startedAt - t0)).toEqual([3500]);
      expect(eventsOf('retry').map((e) => [e.delayMs, e.reason])).toEqual([
        [500, 'server'],
        [1000, 'server'],
        [2000, 'server'],
      ]);
      expect(result.resilience.attempts.map((a) => a.delayMs)).toEqual([
        undefined,
        500,
        1000,
        2000,
        undefined,
      ]);
    });

    it('makes no retry at all when the route turns retries off', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('unavailable'))] });
      const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris')] });
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], retry: false } },
      });

      await resolved(client.chat(question), clock);

      expect(primary.calls).toHaveLength(1);
      expect(fallback.calls).toHaveLength(1);
    });

    it('stops retrying when the retry budget is spent, and falls back', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('unavailable'))] });
      const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris')] });
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: {
          chat: {
            candidates: ['p1/alpha', 'p2/beta'],
            retry: { maxRetries: 3 },
            retryBudget: { ratio: 0, minRetries: 1 },
          },
        },
      });

      await resolved(client.chat(question), clock);

      expect(primary.calls).toHaveLength(2);
      expect(fallback.calls).toHaveLength(1);
    });
  });

  describe('Retry-After', () => {
    it('retries exactly when the provider asked, never sooner', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, {
        alpha: [fail(providerError('unavailable', { retryAfterMs: 2000 })), answer('Paris')],
      });
      const { client, t0, eventsOf } = createHarness(clock, {
        providers: [primary],
        routes: { chat: { candidates: ['p1/alpha'] } },
      });

      const result = await resolved(client.chat(question), clock, 1);

      expect(primary.calls.map((call) => call.startedAt - t0)).toEqual([0, 2000]);
      expect(eventsOf('retry')).toMatchObject([{ delayMs: 2000, reason: 'unavailable' }]);
      expect(result.text).toBe('Paris');
    });

    it('moves to the next candidate at once when the provider asks for a wait longer than maxDelayMs', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, {
        alpha: [fail(providerError('rate_limited', { retryAfterMs: 90_000 })), answer('late')],
      });
      const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris')] });
      const { client, t0 } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], retry: { maxDelayMs: 60_000 } } },
      });

      const result = await resolved(client.chat(question), clock);

      expect(primary.calls).toHaveLength(1);
      expect(fallback.calls.map((call) => call.startedAt - t0)).toEqual([0]);
      expect(result.text).toBe('Paris');
    });
  });

  describe('what is never retried', () => {
    it('does not retry or fall back after a malformed request: the caller sees the 400', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('bad_request'))] });
      const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris')] });
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: { candidates: ['p1/alpha', 'p2/beta'] } },
      });

      const error = await rejected(client.chat(question), clock);

      expect(primary.calls).toHaveLength(1);
      expect(fallback.calls).toHaveLength(0);
      expect(error).toBeInstanceOf(ChainError);
      expect(error).toMatchObject({ kind: 'bad_request', status: 400, reason: 'not_fallbackable' });
    });

    it('does not retry a spent quota, but tries another provider', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('quota_exhausted'))] });
      const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris')] });
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: { candidates: ['p1/alpha', 'p2/beta'] } },
      });

      const result = await resolved(client.chat(question), clock);

      expect(primary.calls).toHaveLength(1);
      expect(result.text).toBe('Paris');
    });

    it('moves on from a candidate that timed out without answering instead of retrying it', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, { alpha: [hang(), answer('late')] });
      const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris')] });
      const { client, t0 } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], attemptTimeoutMs: 5000 } },
      });

      const result = await resolved(client.chat(question), clock);

      expect(primary.calls).toMatchObject([{ outcome: 'aborted', abortKind: 'timeout' }]);
      expect(primary.calls[0]?.endedAt).toBe(t0 + 5000);
      expect(fallback.calls.map((call) => call.startedAt - t0)).toEqual([5000]);
      expect(result.text).toBe('Paris');
    });

    it('retries a silent candidate when the route asks for retryTimeouts', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, { alpha: [hang(), answer('Paris')] });
      const { client, t0 } = createHarness(clock, {
        providers: [primary],
        routes: {
          chat: { candidates: ['p1/alpha'], attemptTimeoutMs: 5000, retry: { retryTimeouts: true } },
        },
      });

      const result = await resolved(client.chat(question), clock);

      expect(primary.calls.map((call) => call.startedAt - t0)).toEqual([0, 5500]);
      expect(result.text).toBe('Paris');
    });
  });

  describe('choosing the next candidate', () => {
    it('prefers a candidate on another provider after a provider-level failure', async () => {
      const clock = createFakeClock();
      const first = createScriptedAdapter('p1', clock, {
        alpha: [fail(providerError('unavailable'))],
        gamma: [answer('from gamma')],
      });
      const second = createScriptedAdapter('p2', clock, { beta: [fail(providerError('server'))] });
      const { client, eventsOf } = createHarness(clock, {
        providers: [first, second],
        routes: { chat: { candidates: ['p1/alpha', 'p1/gamma', 'p2/beta'], retry: false } },
      });

      const result = await resolved(client.chat(question), clock);

      expect(eventsOf('attempt-start').map((e) => `${e.provider}/${e.model}`)).toEqual([
        'p1/alpha',
        'p2/beta',
        'p1/gamma',
      ]);
      expect(result.text).toBe('from gamma');
    });

    it('keeps the route order after a model-level failure', async () => {
      const clock = createFakeClock();
      const first = createScriptedAdapter('p1', clock, {
        alpha: [fail(providerError('not_found'))],
        gamma: [answer('from gamma')],
      });
      const second = createScriptedAdapter('p2', clock, { beta: [answer('from beta')] });
      const { client } = createHarness(clock, {
        providers: [first, second],
        routes: { chat: { candidates: ['p1/alpha', 'p1/gamma', 'p2/beta'] } },
      });

      const result = await resolved(client.chat(question), clock);

      expect(result.text).toBe('from gamma');
      expect(second.calls).toHaveLength(0);
    });

    it('never tries a candidate twice in one request, even when the route lists it twice', async () => {
      const clock = createFakeClock();
      const first = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('unavailable'))] });
      const second = createScriptedAdapter('p2', clock, { beta: [fail(providerError('unavailable'))] });
      const { client } = createHarness(clock, {
        providers: [first, second],
        routes: { chat: { candidates: ['p1/alpha', 'p2/beta', 'p1/alpha'], retry: false } },
      });

      await rejected(client.chat(question), clock);

      expect(first.calls).toHaveLength(1);
      expect(second.calls).toHaveLength(1);
    });
  });

  describe('content filters', () => {
    it('propagates a content filter at once by default, its reason kept', async () => {
      const clock = createFakeClock();
      const filter = new SteadfastError('content_filter', 'Blocked by the content filter: hate (high)', {
        status: 400,
        code: 'content_filter',
      });
      const primary = createScriptedAdapter('p1', clock, { alpha: [fail(filter)] });
      const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris')] });
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: { candidates: ['p1/alpha', 'p2/beta'] } },
      });

      const error = await rejected(client.chat(question), clock);

      expect(fallback.calls).toHaveLength(0);
      expect(error).toMatchObject({ kind: 'content_filter', code: 'content_filter', status: 400 });
      expect((error as Error).message).toContain('hate (high)');
    });

    it('tries the next candidate after a content filter when the route says fallback', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('content_filter'))] });
      const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris')] });
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], contentFilter: 'fallback' } },
      });

      const result = await resolved(client.chat(question), clock);

      expect(primary.calls).toHaveLength(1);
      expect(result.text).toBe('Paris');
    });
  });

  describe('cancellation', () => {
    it('stops during a backoff as soon as the caller aborts, and calls nothing more', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('unavailable'))] });
      const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris')] });
      const { client, t0 } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], retry: { baseDelayMs: 10_000 } } },
      });
      const controller = new AbortController();
      clock.setTimeout(() => controller.abort(), 1000);

      const error = await rejected(client.chat(question, { signal: controller.signal }), clock);

      expect(error).toMatchObject({ kind: 'cancelled' });
      expect(error).not.toBeInstanceOf(ChainError);
      expect(clock.now() - t0).toBe(1000);
      expect(primary.calls).toHaveLength(1);
      expect(fallback.calls).toHaveLength(0);
    });
  });
});
