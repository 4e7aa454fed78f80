import { describe, expect, it } from 'vitest';
import type { RateLimitInfo } from '../errors/rate-limit.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import { ask, createHarness } from './test-support/engine-harness.ts';
import { rejected, resolved } from './test-support/run-until-settled.ts';
import { answer, fail, providerError } from './test-support/script.ts';
import { createScriptedAdapter } from './test-support/scripted-adapter.ts';

const question = ask('chat');

/** What a response says when its last request of the window was just spent. */
function spentFor(resetMs: number): RateLimitInfo {
  return { requests: { limit: 100, remaining: 0, resetMs } };
}

describe('rate-limit awareness', () => {
  it('asks another provider first while a provider is spent until its reset, and comes back after it', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, {
      alpha: [answer('first', { rateLimit: spentFor(20_000) }), answer('after the reset')],
    });
    const fallback = createScriptedAdapter('p2', clock, { beta: [answer('from beta')] });
    const { client, eventsOf } = createHarness(clock, {
      providers: [primary, fallback],
      routes: { chat: { candidates: ['p1/alpha', 'p2/beta'] } },
    });

    await resolved(client.chat(question), clock);
    const during = await resolved(client.chat(question), clock);
    clock.advance(20_000);
    const after = await resolved(client.chat(question), clock);

    expect(during.text).toBe('from beta');
    expect(during.resilience.attempts.map((a) => a.provider)).toEqual(['p2']);
    expect(after.text).toBe('after the reset');
    expect(primary.calls).toHaveLength(2);
    expect(eventsOf('candidate-skipped')).toEqual([]);
  });

  it('waits for the reset when nothing else is left, and calls exactly at it, not into a 429', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, {
      alpha: [answer('first', { rateLimit: spentFor(5000) }), answer('second')],
    });
    const fallback = createScriptedAdapter('p2', clock, { beta: [fail(providerError('unavailable'))] });
    const { client } = createHarness(clock, {
      providers: [primary, fallback],
      routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], retry: false } },
    });

    await resolved(client.chat(question), clock);
    const askedAt = clock.now();
    const result = await resolved(client.chat(question), clock, 1);

    expect(fallback.calls.map((call) => call.startedAt - askedAt)).toEqual([0]);
    expect(primary.calls.map((call) => call.startedAt - askedAt)).toEqual([expect.any(Number), 5000]);
    expect(result.text).toBe('second');
  });

  it('skips a spent provider, without calling it, when its reset is later than the deadline', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, {
      alpha: [answer('first', { rateLimit: spentFor(5000) }), answer('second')],
    });
    const { client, eventsOf } = createHarness(clock, {
      providers: [primary],
      routes: { chat: { candidates: ['p1/alpha'], deadlineMs: 3000 } },
    });

    await resolved(client.chat(question), clock);
    const askedAt = clock.now();
    const error = await rejected(client.chat(question), clock);

    expect(primary.calls).toHaveLength(1);
    expect(clock.now()).toBe(askedAt);
    expect(eventsOf('candidate-skipped')).toMatchObject([{ provider: 'p1', reason: 'rate_limited' }]);
    expect(error).toMatchObject({ reason: 'no_candidate', kind: 'unavailable', retryable: true });
  });

  it('skips a spent provider whose reset is more than a minute away', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, {
      alpha: [answer('first', { rateLimit: spentFor(3_600_000) }), answer('second')],
    });
    const { client, eventsOf } = createHarness(clock, {
      providers: [primary],
      routes: { chat: { candidates: ['p1/alpha'] } },
    });

    await resolved(client.chat(question), clock);
    await rejected(client.chat(question), clock);

    expect(primary.calls).toHaveLength(1);
    expect(eventsOf('candidate-skipped')).toMatchObject([{ reason: 'rate_limited' }]);
  });

  it("learns from a 429's Retry-After that the provider is spent", async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, {
      alpha: [
        fail(providerError('rate_limited', { rateLimit: { retryAfterMs: 30_000 }, retryAfterMs: 30_000 })),
      ],
    });
    const fallback = createScriptedAdapter('p2', clock, { beta: [answer('from beta')] });
    const { client } = createHarness(clock, {
      providers: [primary, fallback],
      routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], retry: false } },
    });

    await resolved(client.chat(question), clock);
    const second = await resolved(client.chat(question), clock);

    expect(primary.calls).toHaveLength(1);
    expect(second.resilience.attempts.map((a) => a.provider)).toEqual(['p2']);
  });

  it('calls a spent provider anyway when the route turns awareness off', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, {
      alpha: [answer('first', { rateLimit: spentFor(20_000) }), answer('second')],
    });
    const fallback = createScriptedAdapter('p2', clock, { beta: [answer('from beta')] });
    const { client } = createHarness(clock, {
      providers: [primary, fallback],
      routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], rateLimitAware: false } },
    });

    await resolved(client.chat(question), clock);
    const second = await resolved(client.chat(question), clock);

    expect(second.text).toBe('second');
    expect(fallback.calls).toHaveLength(0);
  });
});
