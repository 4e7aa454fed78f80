import { describe, expect, it } from 'vitest';
import type { ErrorKind } from '../errors/kinds.ts';
import { createMemoryStore } from '../store/memory-store.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import { claude, createBreakerHarness, gpt, providerError } from './breaker/test-support/breaker-harness.ts';
import { createCircuitBreaker } from './breaker.ts';
import { breakerCountedKinds } from './defaults.ts';

// The rate rule alone: consecutive failures set too high to trip first.
const rateOnly = { consecutiveFailures: 1000, minimumCalls: 10, failureRateThreshold: 0.5, windowMs: 30_000 };

describe('breaker: closed until the provider fails', () => {
  it('starts closed and admits calls', async () => {
    const { breaker } = createBreakerHarness();
    expect(await breaker.state(gpt)).toBe('closed');
    const admission = await breaker.acquire(gpt);
    expect(admission.allowed && admission.permit.probe).toBe(false);
  });

  it('opens after 5 consecutive failures, for openMs', async () => {
    const { breaker, clock, fail, transitions } = createBreakerHarness();
    await fail(gpt, 4);
    expect(await breaker.state(gpt)).toBe('closed');
    await fail(gpt);
    expect(await breaker.state(gpt)).toBe('open');
    expect(transitions).toEqual([
      {
        key: gpt,
        from: 'closed',
        to: 'open',
        reason: 'consecutive_failures',
        openUntil: clock.now() + 30_000,
      },
    ]);
  });

  it('resets the consecutive count on a success', async () => {
    const { breaker, fail, succeed } = createBreakerHarness();
    await fail(gpt, 4);
    await succeed(gpt);
    await fail(gpt, 4);
    expect(await breaker.state(gpt)).toBe('closed');
    await fail(gpt);
    expect(await breaker.state(gpt)).toBe('open');
  });

  it('keeps each key apart', async () => {
    const { breaker, fail } = createBreakerHarness();
    await fail(gpt, 3);
    await fail(claude, 3);
    expect(await breaker.state(gpt)).toBe('closed');
    expect(await breaker.state(claude)).toBe('closed');
    await fail(gpt, 2);
    expect(await breaker.state(gpt)).toBe('open');
    expect(await breaker.state(claude)).toBe('closed');
    expect((await breaker.acquire(claude)).allowed).toBe(true);
  });
});

describe('breaker: failure rate over the window', () => {
  it('judges the rate only once minimumCalls were seen', async () => {
    const { breaker, fail, transitions } = createBreakerHarness(rateOnly);
    await fail(gpt, 9);
    expect(await breaker.state(gpt)).toBe('closed');
    await fail(gpt);
    expect(await breaker.state(gpt)).toBe('open');
    expect(transitions.map((transition) => transition.reason)).toEqual(['failure_rate']);
  });

  it('opens when the rate reaches the threshold, whichever call brings it there', async () => {
    const { breaker, fail, succeed } = createBreakerHarness(rateOnly);
    await fail(gpt, 5);
    await succeed(gpt, 4);
    expect(await breaker.state(gpt)).toBe('closed');
    await succeed(gpt);
    expect(await breaker.state(gpt)).toBe('open');
  });

  it('stays closed below the threshold', async () => {
    const { breaker, fail, succeed } = createBreakerHarness(rateOnly);
    await succeed(gpt, 6);
    await fail(gpt, 4);
    await succeed(gpt);
    await fail(gpt);
    expect(await breaker.state(gpt)).toBe('closed');
  });

  it('counts calls spread over the window', async () => {
    const { breaker, clock, fail, succeed } = createBreakerHarness(rateOnly);
    await fail(gpt, 5);
    clock.advance(20_000);
    await succeed(gpt, 5);
    expect(await breaker.state(gpt)).toBe('open');
  });

  it('forgets calls once they slide out of the window', async () => {
    const { breaker, clock, fail, succeed } = createBreakerHarness(rateOnly);
    await fail(gpt, 5);
    clock.advance(30_000);
    // With the first five still counted this would be 10 failures in 19 calls: open.
    await fail(gpt, 5);
    await succeed(gpt, 4);
    expect(await breaker.state(gpt)).toBe('closed');
  });
});

describe('breaker: only provider-side failures count', () => {
  it.each(breakerCountedKinds)('counts %s', async (kind) => {
    const { breaker, fail } = createBreakerHarness();
    await fail(gpt, 5, kind);
    expect(await breaker.state(gpt)).toBe('open');
  });

  it.each<ErrorKind>([
    'bad_request',
    'auth',
    'too_large',
    'rate_limited',
    'quota_exhausted',
    'malformed_json',
    'content_filter',
    'refusal',
    'cancelled',
    'unknown',
  ])('never opens on %s', async (kind) => {
    const { breaker, fail, transitions } = createBreakerHarness(rateOnly);
    await fail(gpt, 50, kind);
    expect(await breaker.state(gpt)).toBe('closed');
    expect(transitions).toEqual([]);
  });

  it('treats an uncounted failure as no verdict: it neither counts nor breaks a streak', async () => {
    const { breaker, fail } = createBreakerHarness();
    await fail(gpt, 4);
    await fail(gpt, 1, 'bad_request');
    await fail(gpt, 1, 'cancelled');
    expect(await breaker.state(gpt)).toBe('closed');
    await fail(gpt);
    expect(await breaker.state(gpt)).toBe('open');
  });

  it('counts the kinds it is told to count', async () => {
    const { breaker, fail } = createBreakerHarness({ countKinds: ['rate_limited'] });
    await fail(gpt, 5, 'server');
    expect(await breaker.state(gpt)).toBe('closed');
    await fail(gpt, 5, 'rate_limited');
    expect(await breaker.state(gpt)).toBe('open');
  });
});

describe('breaker: slow calls', () => {
  it('counts a success slower than slowCallMs as a failure', async () => {
    const { breaker, permit } = createBreakerHarness({ slowCallMs: 10_000 });
    for (let call = 0; call < 5; call++) await (await permit(gpt)).success(10_001);
    expect(await breaker.state(gpt)).toBe('open');
  });

  it('counts a success of exactly slowCallMs as a success', async () => {
    const { breaker, fail, permit } = createBreakerHarness({ slowCallMs: 10_000 });
    await fail(gpt, 4);
    await (await permit(gpt)).success(10_000);
    await fail(gpt, 4);
    expect(await breaker.state(gpt)).toBe('closed');
  });

  it('measures the call on its clock when no duration is given', async () => {
    const { breaker, clock, fail, permit } = createBreakerHarness({ slowCallMs: 10_000 });
    await fail(gpt, 4);
    const slow = await permit(gpt);
    clock.advance(15_000);
    await slow.success();
    expect(await breaker.state(gpt)).toBe('open');
  });

  it('never counts a slow success without slowCallMs', async () => {
    const { breaker, fail, permit } = createBreakerHarness();
    await fail(gpt, 4);
    await (await permit(gpt)).success(3_600_000);
    await fail(gpt, 4);
    expect(await breaker.state(gpt)).toBe('closed');
  });
});

describe('breaker: open', () => {
  it('refuses at once and says until when', async () => {
    const { breaker, clock, fail } = createBreakerHarness();
    await fail(gpt, 5);
    const openedAt = clock.now();
    // With a fake clock a breaker that waited would never answer; it sets no timer either.
    expect(await breaker.acquire(gpt)).toEqual({ allowed: false, openUntil: openedAt + 30_000 });
    expect(clock.pending()).toBe(0);
  });

  it('keeps refusing until openUntil', async () => {
    const { breaker, clock, fail } = createBreakerHarness();
    await fail(gpt, 5);
    clock.advance(29_999);
    expect((await breaker.acquire(gpt)).allowed).toBe(false);
    expect(await breaker.state(gpt)).toBe('open');
  });

  it('emits each transition once, however many calls it refuses', async () => {
    const { breaker, clock, fail, permit, transitions } = createBreakerHarness();
    await fail(gpt, 5);
    for (let call = 0; call < 10; call++) await breaker.acquire(gpt);
    clock.advance(30_000);
    const probe = await permit(gpt);
    for (let call = 0; call < 10; call++) await breaker.acquire(gpt);
    await probe.success();
    await probe.success();
    expect(transitions.map(({ from, to, reason }) => ({ from, to, reason }))).toEqual([
      { from: 'closed', to: 'open', reason: 'consecutive_failures' },
      { from: 'open', to: 'half-open', reason: 'open_elapsed' },
      { from: 'half-open', to: 'closed', reason: 'probe_succeeded' },
    ]);
  });

  it('stops telling a listener that unsubscribed', async () => {
    const { breaker, fail } = createBreakerHarness();
    const seen: string[] = [];
    const unsubscribe = breaker.onTransition((transition) => seen.push(transition.to));
    unsubscribe();
    await fail(gpt, 5);
    expect(seen).toEqual([]);
  });
});

describe('breaker: options', () => {
  it('rejects options out of range when it is created', () => {
    const clock = createFakeClock();
    const deps = { store: createMemoryStore({ now: clock.now }), clock };
    expect(() => createCircuitBreaker({ halfOpenProbes: 0 }, deps)).toThrow(RangeError);
  });

  it('keeps its records under its key prefix', async () => {
    const clock = createFakeClock();
    const store = createMemoryStore({ now: clock.now });
    const breaker = createCircuitBreaker({}, { store, clock, keyPrefix: 'eu:breaker:' });
    for (let call = 0; call < 5; call++) {
      const admission = await breaker.acquire(gpt);
      if (admission.allowed) await admission.permit.failure(providerError('server'));
    }
    expect(await store.get(`eu:breaker:${gpt}`)).toMatchObject({ value: { state: 'open' } });
    expect(await store.get(`breaker:${gpt}`)).toBeUndefined();
  });
});
