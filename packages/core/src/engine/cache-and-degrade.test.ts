import { describe, expect, it } from 'vitest';
import { ChainError } from '../errors/chain-error.ts';
import type { SteadfastError } from '../errors/steadfast-error.ts';
import type { ChatResponse } from '../neutral/response.ts';
import { createFakeClock, type FakeClock } from '../test-support/fake-clock.ts';
import { ask, createHarness } from './test-support/engine-harness.ts';
import { drained, rejected, resolved, textOf } from './test-support/run-until-settled.ts';
import { answer, fail, providerError, type Step } from './test-support/script.ts';
import { createScriptedAdapter, type ScriptedAdapter } from './test-support/scripted-adapter.ts';
import type { Route } from './types.ts';

const question = ask('chat');
const hourMs = 3_600_000;

/** Two providers that answer `firstAnswer` once, then run `after` (both of them) for every later call. */
function twoProviders(clock: FakeClock, after: Step): [ScriptedAdapter, ScriptedAdapter] {
  return [
    createScriptedAdapter('p1', clock, { alpha: [answer('Paris'), after] }),
    createScriptedAdapter('p2', clock, { beta: [after] }),
  ];
}

function route(policies: Partial<Route> = {}): Route {
  return { candidates: ['p1/alpha', 'p2/beta'], retry: false, ...policies };
}

describe('cache and degradation', () => {
  describe('fresh hits', () => {
    it('are off by default: every request goes to a live candidate', async () => {
      const clock = createFakeClock();
      const [primary, fallback] = twoProviders(clock, answer('Paris again'));
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: route({ cache: {} }) },
      });

      await resolved(client.chat(question), clock);
      const second = await resolved(client.chat(question), clock);

      expect(primary.calls).toHaveLength(2);
      expect(second.text).toBe('Paris again');
      expect(second.resilience.cache).toBeUndefined();
    });

    it('are served without calling anyone while younger than freshTtlMs, with their age', async () => {
      const clock = createFakeClock();
      const [primary, fallback] = twoProviders(clock, answer('Paris again'));
      const { client, eventsOf } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: route({ cache: { freshTtlMs: 60_000 } }) },
      });

      await resolved(client.chat(question), clock);
      clock.advance(5000);
      const second = await resolved(client.chat(question), clock);

      expect(primary.calls).toHaveLength(1);
      expect(second.text).toBe('Paris');
      expect(second.resilience).toMatchObject({ cache: 'fresh', cacheAgeMs: 5000, attempts: [] });
      expect(eventsOf('cache-hit')).toMatchObject([{ fresh: true, ageMs: 5000 }]);
      expect(eventsOf('request-end').map((e) => e.outcome)).toEqual(['ok', 'cached']);
    });

    it('stop once freshTtlMs has passed: the provider is asked again', async () => {
      const clock = createFakeClock();
      const [primary, fallback] = twoProviders(clock, answer('Paris again'));
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: route({ cache: { freshTtlMs: 60_000 } }) },
      });

      await resolved(client.chat(question), clock);
      clock.advance(60_000);
      const second = await resolved(client.chat(question), clock);

      expect(primary.calls).toHaveLength(2);
      expect(second.text).toBe('Paris again');
    });

    it('are replayed to a stream as well', async () => {
      const clock = createFakeClock();
      const [primary, fallback] = twoProviders(clock, answer('Paris again'));
      const { client, eventsOf } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: route({ cache: { freshTtlMs: 60_000 } }) },
      });

      await resolved(client.chat(question), clock);
      clock.advance(1000);
      const stream = client.stream(question);
      const received = await drained(stream, clock);

      expect(primary.calls).toHaveLength(1);
      expect(textOf(received)).toBe('Paris');
      expect(received.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
      expect(await stream.report).toMatchObject({ cache: 'fresh', cacheAgeMs: 1000 });
      expect(eventsOf('request-end').map((e) => e.outcome)).toEqual(['ok', 'cached']);
    });
  });

  describe('stale-if-error', () => {
    it('serves a cached answer, marked stale with its age, only after every live candidate failed', async () => {
      const clock = createFakeClock();
      const [primary, fallback] = twoProviders(clock, fail(providerError('unavailable')));
      const { client, eventsOf } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: route({ cache: {} }) },
      });

      await resolved(client.chat(question), clock);
      clock.advance(hourMs);
      const second = await resolved(client.chat(question), clock);

      expect(primary.calls).toHaveLength(2);
      expect(fallback.calls).toHaveLength(1);
      expect(second.text).toBe('Paris');
      expect(second.resilience).toMatchObject({ cache: 'stale', cacheAgeMs: hourMs, degraded: false });
      expect(second.resilience.attempts.map((a) => a.outcome)).toEqual(['unavailable', 'unavailable']);
      expect(eventsOf('cache-hit')).toMatchObject([{ fresh: false, ageMs: hourMs }]);
      expect(eventsOf('request-end').map((e) => e.outcome)).toEqual(['ok', 'stale']);
      expect(eventsOf('request-end')[1]?.error).toBeInstanceOf(ChainError);
    });

    it('serves no answer older than maxStaleMs', async () => {
      const clock = createFakeClock();
      const [primary, fallback] = twoProviders(clock, fail(providerError('unavailable')));
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: route({ cache: { maxStaleMs: hourMs } }) },
      });

      await resolved(client.chat(question), clock);
      clock.advance(hourMs);
      const error = await rejected(client.chat(question), clock);

      expect(error).toMatchObject({ kind: 'unavailable' });
    });

    it.each([
      { problem: 'a malformed request', error: providerError('bad_request') },
      { problem: 'a content filter', error: providerError('content_filter') },
    ])('serves no stale answer for $problem', async ({ error: failure }) => {
      const clock = createFakeClock();
      const [primary, fallback] = twoProviders(clock, fail(failure));
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: route({ cache: {} }) },
      });

      await resolved(client.chat(question), clock);
      const error = await rejected(client.chat(question), clock);

      expect(error).toMatchObject({ kind: failure.kind, reason: 'not_fallbackable' });
    });

    it('serves a stale answer when the primary is down and the fallback rejects the request', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, {
        alpha: [answer('Paris'), fail(providerError('unavailable'))],
      });
      const fallback = createScriptedAdapter('p2', clock, { beta: [fail(providerError('bad_request'))] });
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: route({ cache: {} }) },
      });

      await resolved(client.chat(question), clock);
      const second = await resolved(client.chat(question), clock);

      expect(second).toMatchObject({ text: 'Paris', resilience: { cache: 'stale' } });
    });

    it('is not served when the caller aborted', async () => {
      const clock = createFakeClock();
      const [primary, fallback] = twoProviders(clock, fail(providerError('unavailable'), { afterMs: 1000 }));
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: route({ cache: {} }) },
      });

      await resolved(client.chat(question), clock);
      const controller = new AbortController();
      clock.setTimeout(() => controller.abort(), 500);
      const error = await rejected(client.chat(question, { signal: controller.signal }), clock);

      expect(error).toMatchObject({ kind: 'cancelled' });
    });

    it('is replayed to a stream, marked stale with its age', async () => {
      const clock = createFakeClock();
      const [primary, fallback] = twoProviders(clock, fail(providerError('unavailable')));
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: route({ cache: {} }) },
      });

      await resolved(client.chat(question), clock);
      clock.advance(hourMs);
      const stream = client.stream(question);
      const received = await drained(stream, clock);

      expect(textOf(received)).toBe('Paris');
      expect(received.at(-1)).toMatchObject({ type: 'finish' });
      expect(await stream.report).toMatchObject({ cache: 'stale', cacheAgeMs: hourMs });
    });
  });

  describe('tenant isolation', () => {
    it("never serves one tenant's stale answer to another", async () => {
      const clock = createFakeClock();
      const [primary, fallback] = twoProviders(clock, fail(providerError('unavailable')));
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: route({ cache: {} }) },
      });

      await resolved(client.chat(question, { tenant: 'acme' }), clock);
      const other = await rejected(client.chat(question, { tenant: 'globex' }), clock);
      const untenanted = await rejected(client.chat(question), clock);
      const same = await resolved(client.chat(question, { tenant: 'acme' }), clock);

      expect(other).toBeInstanceOf(ChainError);
      expect(untenanted).toBeInstanceOf(ChainError);
      expect(same).toMatchObject({ text: 'Paris', resilience: { cache: 'stale' } });
    });

    it("never serves one tenant's fresh answer to another", async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, {
        alpha: [answer('for acme'), answer('for globex')],
      });
      const { client } = createHarness(clock, {
        providers: [primary],
        routes: { chat: { candidates: ['p1/alpha'], cache: { freshTtlMs: 60_000 } } },
      });

      await resolved(client.chat(question, { tenant: 'acme' }), clock);
      const globex = await resolved(client.chat(question, { tenant: 'globex' }), clock);
      const acme = await resolved(client.chat(question, { tenant: 'acme' }), clock);

      expect(globex.text).toBe('for globex');
      expect(acme).toMatchObject({ text: 'for acme', resilience: { cache: 'fresh' } });
      expect(primary.calls).toHaveLength(2);
    });
  });

  describe('degradation', () => {
    it("answers with the route's last resort after every candidate failed, marked degraded", async () => {
      const clock = createFakeClock();
      const [primary, fallback] = twoProviders(clock, fail(providerError('unavailable')));
      const seen: SteadfastError[] = [];
      const { client, eventsOf } = createHarness(clock, {
        providers: [primary, fallback],
        routes: {
          chat: route({
            degrade: (_request, error) => {
              seen.push(error);
              return 'The assistant is unavailable right now.';
            },
          }),
        },
      });

      await resolved(client.chat(question), clock);
      const result = await resolved(client.chat(question), clock);

      expect(result).toMatchObject({
        text: 'The assistant is unavailable right now.',
        provider: 'degraded',
        finishReason: 'stop',
        resilience: { degraded: true, cache: undefined },
      });
      expect(seen).toHaveLength(1);
      expect(seen[0]).toBeInstanceOf(ChainError);
      expect(eventsOf('degraded')).toMatchObject([{ reason: 'unavailable' }]);
      expect(eventsOf('request-end').map((e) => e.outcome)).toEqual(['ok', 'degraded']);
    });

    it('takes a whole response from the last resort', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('server'))] });
      const canned: ChatResponse = {
        id: 'canned',
        provider: 'canned',
        model: 'rules',
        requestId: undefined,
        content: [{ type: 'text', text: 'Try again later.' }],
        text: 'Try again later.',
        toolCalls: [],
        finishReason: 'stop',
        rawFinishReason: undefined,
        usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, totalTokens: 0 },
        rateLimit: undefined,
        timings: { startedAt: 0, headersMs: 0, totalMs: 0 },
      };
      const { client } = createHarness(clock, {
        providers: [primary],
        routes: { chat: { candidates: ['p1/alpha'], retry: false, degrade: async () => canned } },
      });

      const result = await resolved(client.chat(question), clock);

      expect(result).toMatchObject({ id: 'canned', provider: 'canned', resilience: { degraded: true } });
    });

    it('comes after a stale answer: the cache is tried first', async () => {
      const clock = createFakeClock();
      const [primary, fallback] = twoProviders(clock, fail(providerError('unavailable')));
      let degradeCalls = 0;
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: {
          chat: route({
            cache: {},
            degrade: () => {
              degradeCalls++;
              return 'degraded';
            },
          }),
        },
      });

      await resolved(client.chat(question), clock);
      const result = await resolved(client.chat(question), clock);

      expect(result.resilience).toMatchObject({ cache: 'stale', degraded: false });
      expect(degradeCalls).toBe(0);
    });

    it('is not used for a malformed request', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('bad_request'))] });
      const { client } = createHarness(clock, {
        providers: [primary],
        routes: { chat: { candidates: ['p1/alpha'], degrade: () => 'degraded' } },
      });

      const error = await rejected(client.chat(question), clock);

      expect(error).toMatchObject({ kind: 'bad_request' });
    });

    it("leaves the caller with the chain's error when the last resort itself throws", async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('unavailable'))] });
      const { client, eventsOf } = createHarness(clock, {
        providers: [primary],
        routes: {
          chat: {
            candidates: ['p1/alpha'],
            retry: false,
            degrade: () => {
              throw new Error('the canned answers file is missing');
            },
          },
        },
      });

      const error = await rejected(client.chat(question), clock);

      expect(error).toBeInstanceOf(ChainError);
      expect(error).toMatchObject({ kind: 'unavailable', status: 503 });
      expect(eventsOf('request-end')).toMatchObject([{ outcome: 'failed', error }]);
    });

    it('is replayed to a stream, marked degraded', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('unavailable'))] });
      const { client } = createHarness(clock, {
        providers: [primary],
        routes: { chat: { candidates: ['p1/alpha'], retry: false, degrade: () => 'Please try later.' } },
      });

      const stream = client.stream(question);
      const received = await drained(stream, clock);

      expect(textOf(received)).toBe('Please try later.');
      expect(received.at(-1)).toMatchObject({ type: 'finish' });
      expect(await stream.report).toMatchObject({ degraded: true });
    });
  });
});
