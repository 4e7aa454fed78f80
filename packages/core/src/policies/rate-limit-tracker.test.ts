import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory-store.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import { createRateLimitTracker } from './rate-limit-tracker.ts';

function setup() {
  const clock = createFakeClock();
  const store = createMemoryStore({ now: clock.now });
  return { clock, store, tracker: createRateLimitTracker({ store, clock }) };
}

describe('rate-limit tracker', () => {
  it('knows nothing of a provider it has not seen: usable', async () => {
    const { tracker } = setup();
    expect(await tracker.blockedForMs('openai')).toBe(0);
  });

  it.each([
    ['requests', { requests: { limit: 500, remaining: 0, resetMs: 12_000 } }],
    ['tokens', { tokens: { limit: 30_000, remaining: 0, resetMs: 12_000 } }],
    ['input tokens', { inputTokens: { limit: 40_000, remaining: 0, resetMs: 12_000 } }],
    ['output tokens', { outputTokens: { limit: 8_000, remaining: 0, resetMs: 12_000 } }],
  ])('blocks exactly until the reset when no %s remain', async (_window, info) => {
    const { clock, tracker } = setup();
    await tracker.observe('openai', info, 200);
    expect(await tracker.blockedForMs('openai')).toBe(12_000);
    clock.advance(11_999);
    expect(await tracker.blockedForMs('openai')).toBe(1);
    clock.advance(1);
    expect(await tracker.blockedForMs('openai')).toBe(0);
  });

  it('blocks until the later reset when two windows are empty', async () => {
    const { tracker } = setup();
    await tracker.observe('openai', {
      requests: { remaining: 0, resetMs: 2_000 },
      tokens: { remaining: 0, resetMs: 45_000 },
    });
    expect(await tracker.blockedForMs('openai')).toBe(45_000);
  });

  it("blocks for a 429's retry-after, then lets the provider be called again", async () => {
    const { clock, tracker } = setup();
    await tracker.observe('anthropic', { retryAfterMs: 20_000 }, 429);
    expect(await tracker.blockedForMs('anthropic')).toBe(20_000);
    clock.advance(20_000);
    expect(await tracker.blockedForMs('anthropic')).toBe(0);
  });

  it('blocks for the longer of retry-after and the reset of an empty window', async () => {
    const { tracker } = setup();
    await tracker.observe('openai', { retryAfterMs: 3_000, tokens: { remaining: 0, resetMs: 9_000 } }, 429);
    expect(await tracker.blockedForMs('openai')).toBe(9_000);
  });

  it.each([
    ['a 503', 503],
    ['a success', 200],
    ['an unknown status', undefined],
  ])('does not take retry-after on %s as a quota block', async (_what, status) => {
    const { tracker } = setup();
    await tracker.observe('openai', { retryAfterMs: 20_000 }, status);
    expect(await tracker.blockedForMs('openai')).toBe(0);
  });

  it('does not block for a window that is low but not empty', async () => {
    const { tracker } = setup();
    await tracker.observe('openai', {
      requests: { limit: 500, remaining: 1, resetMs: 60_000 },
      tokens: { limit: 30_000, remaining: 12, resetMs: 60_000 },
    });
    expect(await tracker.blockedForMs('openai')).toBe(0);
  });

  it('does not block for an empty window without a reset time', async () => {
    const { tracker } = setup();
    await tracker.observe('openai', { requests: { limit: 500, remaining: 0 } });
    expect(await tracker.blockedForMs('openai')).toBe(0);
  });

  it('lifts a block when later headers show quota remaining', async () => {
    const { clock, tracker } = setup();
    await tracker.observe('openai', { retryAfterMs: 60_000 }, 429);
    clock.advance(5_000);
    await tracker.observe('openai', { requests: { remaining: 499, resetMs: 120 } }, 200);
    expect(await tracker.blockedForMs('openai')).toBe(0);
  });

  it('keeps a block when the later headers show one window still empty', async () => {
    const { clock, tracker } = setup();
    await tracker.observe('openai', { tokens: { remaining: 0, resetMs: 30_000 } }, 200);
    clock.advance(5_000);
    await tracker.observe('openai', { requests: { remaining: 499 }, tokens: { remaining: 0 } }, 200);
    expect(await tracker.blockedForMs('openai')).toBe(25_000);
  });

  it('keeps a block on a 429 even when its headers show requests remaining', async () => {
    const { tracker } = setup();
    await tracker.observe('openai', { retryAfterMs: 30_000 }, 429);
    await tracker.observe('openai', { requests: { remaining: 499 } }, 429);
    expect(await tracker.blockedForMs('openai')).toBe(30_000);
  });

  it('keeps the longer block when a later response asks for a shorter one', async () => {
    const { clock, tracker } = setup();
    await tracker.observe('openai', { retryAfterMs: 30_000 }, 429);
    clock.advance(1_000);
    await tracker.observe('openai', { requests: { remaining: 0, resetMs: 2_000 } });
    expect(await tracker.blockedForMs('openai')).toBe(29_000);
    await tracker.observe('openai', { requests: { remaining: 0, resetMs: 40_000 } });
    expect(await tracker.blockedForMs('openai')).toBe(40_000);
  });

  it('learns nothing from a response without rate-limit information', async () => {
    const { tracker } = setup();
    await tracker.observe('openai', { retryAfterMs: 10_000 }, 429);
    await tracker.observe('openai', undefined, 200);
    expect(await tracker.blockedForMs('openai')).toBe(10_000);
  });

  it('keeps providers apart', async () => {
    const { tracker } = setup();
    await tracker.observe('openai', { requests: { remaining: 0, resetMs: 10_000 } });
    expect(await tracker.blockedForMs('openai')).toBe(10_000);
    expect(await tracker.blockedForMs('anthropic')).toBe(0);
  });

  it('shares what it learned through the store, under the key prefix', async () => {
    const { clock, store } = setup();
    const replicaA = createRateLimitTracker({ store, clock, keyPrefix: 'eu:' });
    const replicaB = createRateLimitTracker({ store, clock, keyPrefix: 'eu:' });
    const otherRegion = createRateLimitTracker({ store, clock, keyPrefix: 'us:' });
    await replicaA.observe('openai', { retryAfterMs: 15_000 }, 429);
    expect(await replicaB.blockedForMs('openai')).toBe(15_000);
    expect(await otherRegion.blockedForMs('openai')).toBe(0);
    expect((await store.get('eu:openai'))?.value).toEqual({ blockedUntil: clock.now() + 15_000 });
  });

  it('lets its record expire with the block', async () => {
    const { clock, store, tracker } = setup();
    await tracker.observe('openai', { retryAfterMs: 15_000 }, 429);
    clock.advance(15_000);
    expect(await store.get('rate-limit:openai')).toBeUndefined();
  });

  it('writes over a record another replica changed between its read and its write', async () => {
    const { clock, store } = setup();
    const racing = {
      ...store,
      async get<T>(key: string) {
        const record = await store.get<T>(key);
        // Another replica writes right after our read, once.
        if (record === undefined && !raced) {
          raced = true;
          await store.compareAndSet(key, undefined, { blockedUntil: clock.now() + 5_000 }, 5_000);
        }
        return record;
      },
    };
    let raced = false;
    const tracker = createRateLimitTracker({ store: racing, clock });
    await tracker.observe('openai', { retryAfterMs: 20_000 }, 429);
    expect(raced).toBe(true);
    expect(await tracker.blockedForMs('openai')).toBe(20_000);
  });
});
