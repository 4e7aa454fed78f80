import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory-store.ts';

function setup(options: { maxCacheEntries?: number } = {}) {
  let nowMs = 1_000_000;
  const store = createMemoryStore({ ...options, now: () => nowMs });
  return {
    store,
    advance(ms: number) {
      nowMs += ms;
    },
  };
}

// Three buckets of one second: a three-second sliding window.
const shape = { bucketMs: 1_000, buckets: 3 };

describe('memory store records', () => {
  it('has no record for a key never written', async () => {
    const { store } = setup();
    expect(await store.get('breaker:openai')).toBeUndefined();
  });

  it('creates a record at version 1 when asked to write over nothing', async () => {
    const { store } = setup();
    expect(await store.compareAndSet('k', undefined, { state: 'closed' })).toBe(true);
    expect(await store.get('k')).toEqual({ value: { state: 'closed' }, version: 1 });
  });

  it('moves to the next version on each write at the current version', async () => {
    const { store } = setup();
    await store.compareAndSet('k', undefined, 'a');
    expect(await store.compareAndSet('k', 1, 'b')).toBe(true);
    expect(await store.compareAndSet('k', 2, 'c')).toBe(true);
    expect(await store.get('k')).toEqual({ value: 'c', version: 3 });
  });

  it('refuses a write at a version that is no longer current, and keeps the winner', async () => {
    const { store } = setup();
    await store.compareAndSet('k', undefined, 'first');
    await store.compareAndSet('k', 1, 'winner');
    expect(await store.compareAndSet('k', 1, 'loser')).toBe(false);
    expect(await store.get('k')).toEqual({ value: 'winner', version: 2 });
  });

  it('refuses to create a record that exists, and to update one that does not', async () => {
    const { store } = setup();
    expect(await store.compareAndSet('absent', 1, 'x')).toBe(false);
    expect(await store.get('absent')).toBeUndefined();
    await store.compareAndSet('k', undefined, 'first');
    expect(await store.compareAndSet('k', undefined, 'second')).toBe(false);
    expect(await store.get('k')).toEqual({ value: 'first', version: 1 });
  });

  it('keeps keys apart', async () => {
    const { store } = setup();
    await store.compareAndSet('a', undefined, 'A');
    expect(await store.compareAndSet('b', undefined, 'B')).toBe(true);
    expect(await store.get('a')).toEqual({ value: 'A', version: 1 });
  });

  it('expires a record ttlMs after its write, by the injected clock', async () => {
    const { store, advance } = setup();
    await store.compareAndSet('k', undefined, 'v', 5_000);
    advance(4_999);
    expect(await store.get('k')).toEqual({ value: 'v', version: 1 });
    advance(1);
    expect(await store.get('k')).toBeUndefined();
  });

  it('counts each write from its own time: a write renews the ttl', async () => {
    const { store, advance } = setup();
    await store.compareAndSet('k', undefined, 'v1', 5_000);
    advance(4_000);
    await store.compareAndSet('k', 1, 'v2', 5_000);
    advance(4_000);
    expect(await store.get('k')).toEqual({ value: 'v2', version: 2 });
  });

  it('treats an expired record as absent: it is created again at version 1', async () => {
    const { store, advance } = setup();
    await store.compareAndSet('k', undefined, 'old', 5_000);
    await store.compareAndSet('k', 1, 'older', 5_000);
    advance(5_000);
    expect(await store.compareAndSet('k', 2, 'stale writer')).toBe(false);
    expect(await store.compareAndSet('k', undefined, 'new')).toBe(true);
    expect(await store.get('k')).toEqual({ value: 'new', version: 1 });
  });

  it('keeps a record written without ttl for good', async () => {
    const { store, advance } = setup();
    await store.compareAndSet('k', undefined, 'v');
    advance(365 * 86_400_000);
    expect(await store.get('k')).toEqual({ value: 'v', version: 1 });
  });
});

describe('memory store windows', () => {
  it('reads 0 from a window never written', async () => {
    const { store } = setup();
    expect(await store.readWindow('w', 0, shape)).toBe(0);
    expect(await store.readWindow('w', 60_000, shape)).toBe(0);
  });

  it('adds within a bucket and returns the running total', async () => {
    const { store } = setup();
    expect(await store.addToWindow('w', 1, 0, shape)).toBe(1);
    expect(await store.addToWindow('w', 2, 500, shape)).toBe(3);
    expect(await store.readWindow('w', 999, shape)).toBe(3);
  });

  it('slides by whole buckets: the oldest bucket drops out as a new one begins', async () => {
    const { store } = setup();
    await store.addToWindow('w', 1, 0, shape);
    await store.addToWindow('w', 2, 1_000, shape);
    expect(await store.addToWindow('w', 4, 2_999, shape)).toBe(7);
    expect(await store.readWindow('w', 3_000, shape)).toBe(6);
    expect(await store.readWindow('w', 4_000, shape)).toBe(4);
    expect(await store.readWindow('w', 4_999, shape)).toBe(4);
    expect(await store.readWindow('w', 5_000, shape)).toBe(0);
  });

  it('starts from nothing after a whole window of silence', async () => {
    const { store } = setup();
    await store.addToWindow('w', 5, 0, shape);
    await store.addToWindow('w', 5, 2_000, shape);
    expect(await store.addToWindow('w', 1, 60_000, shape)).toBe(1);
  });

  it('keeps windows apart by key', async () => {
    const { store } = setup();
    await store.addToWindow('retries', 3, 0, shape);
    await store.addToWindow('requests', 10, 0, shape);
    expect(await store.readWindow('retries', 0, shape)).toBe(3);
    expect(await store.readWindow('requests', 0, shape)).toBe(10);
    expect(await store.readWindow('other', 0, shape)).toBe(0);
  });
});

describe('memory store cache', () => {
  it('misses a key never cached', async () => {
    const { store } = setup();
    expect(await store.cacheGet('k', 0)).toBeUndefined();
  });

  it('returns a value until nowMs + ttlMs, then misses', async () => {
    const { store } = setup();
    await store.cacheSet('k', 'v', 1_000, 500);
    expect(await store.cacheGet('k', 1_499)).toBe('v');
    expect(await store.cacheGet('k', 1_500)).toBeUndefined();
  });

  it('replaces a value set again, with its new ttl', async () => {
    const { store } = setup();
    await store.cacheSet('k', 'old', 0, 100);
    await store.cacheSet('k', 'new', 50, 1_000);
    expect(await store.cacheGet('k', 500)).toBe('new');
  });

  it('evicts the least recently set when full', async () => {
    const { store } = setup({ maxCacheEntries: 2 });
    await store.cacheSet('a', 'A', 0, 1_000);
    await store.cacheSet('b', 'B', 0, 1_000);
    await store.cacheSet('c', 'C', 0, 1_000);
    expect(await store.cacheGet('a', 0)).toBeUndefined();
    expect(await store.cacheGet('b', 0)).toBe('B');
    expect(await store.cacheGet('c', 0)).toBe('C');
  });

  it('counts a read as a use: the entry read last is kept', async () => {
    const { store } = setup({ maxCacheEntries: 2 });
    await store.cacheSet('a', 'A', 0, 1_000);
    await store.cacheSet('b', 'B', 0, 1_000);
    await store.cacheGet('a', 0);
    await store.cacheSet('c', 'C', 0, 1_000);
    expect(await store.cacheGet('a', 0)).toBe('A');
    expect(await store.cacheGet('b', 0)).toBeUndefined();
  });

  it('counts setting a key again as a use', async () => {
    const { store } = setup({ maxCacheEntries: 2 });
    await store.cacheSet('a', 'A', 0, 1_000);
    await store.cacheSet('b', 'B', 0, 1_000);
    await store.cacheSet('a', 'A2', 0, 1_000);
    await store.cacheSet('c', 'C', 0, 1_000);
    expect(await store.cacheGet('a', 0)).toBe('A2');
    expect(await store.cacheGet('b', 0)).toBeUndefined();
  });

  it('frees the room of an expired entry when it is read', async () => {
    const { store } = setup({ maxCacheEntries: 2 });
    await store.cacheSet('short', 'S', 0, 10);
    await store.cacheSet('long', 'L', 0, 1_000);
    expect(await store.cacheGet('short', 10)).toBeUndefined();
    await store.cacheSet('new', 'N', 10, 1_000);
    expect(await store.cacheGet('long', 10)).toBe('L');
    expect(await store.cacheGet('new', 10)).toBe('N');
  });

  it('keeps 1,000 entries by default', async () => {
    const { store } = setup();
    for (let i = 0; i <= 1_000; i++) await store.cacheSet(`k${i}`, i, 0, 1_000);
    expect(await store.cacheGet('k0', 0)).toBeUndefined();
    expect(await store.cacheGet('k1', 0)).toBe(1);
    expect(await store.cacheGet('k1000', 0)).toBe(1_000);
  });
});
