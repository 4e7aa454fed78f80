import type { StateStore, Versioned, WindowShape } from './state-store.ts';

/** Options of `createMemoryStore`. */
export interface MemoryStoreOptions {
  /** Most cache entries kept; the least recently used go first. @default 1000 */
  maxCacheEntries?: number;
  /** Clock for record expiry, in epoch ms. @default Date.now */
  now?: () => number;
}

interface Window {
  /** Start of the newest bucket, in ms. */
  headMs: number;
  counts: number[];
}

function slide(window: Window, nowMs: number, shape: WindowShape): void {
  const head = Math.floor(nowMs / shape.bucketMs) * shape.bucketMs;
  const steps = Math.floor((head - window.headMs) / shape.bucketMs);
  if (steps <= 0) return;
  if (steps >= shape.buckets) window.counts.fill(0);
  else {
    window.counts.splice(0, steps);
    for (let i = 0; i < steps; i++) window.counts.push(0);
  }
  window.headMs = head;
}

/** The state of one process, in memory: the default store. */
export function createMemoryStore(options: MemoryStoreOptions = {}): StateStore {
  const now = options.now ?? Date.now;
  const maxCacheEntries = options.maxCacheEntries ?? 1000;
  const records = new Map<string, { value: unknown; version: number; expiresAt: number }>();
  const windows = new Map<string, Window>();
  // A Map keeps insertion order: re-inserting on read makes the first key the least recently used.
  const cache = new Map<string, { value: unknown; expiresAt: number }>();

  return {
    async get<T>(key: string): Promise<Versioned<T> | undefined> {
      const record = records.get(key);
      if (record === undefined) return undefined;
      if (record.expiresAt <= now()) {
        records.delete(key);
        return undefined;
      }
      return { value: record.value as T, version: record.version };
    },
    async compareAndSet<T>(
      key: string,
      version: number | undefined,
      value: T,
      ttlMs?: number,
    ): Promise<boolean> {
      const current = records.get(key);
      const live = current !== undefined && current.expiresAt > now() ? current : undefined;
      if (live?.version !== version) return false;
      records.set(key, {
        value,
        version: (live?.version ?? 0) + 1,
        expiresAt: ttlMs === undefined ? Number.POSITIVE_INFINITY : now() + ttlMs,
      });
      return true;
    },
    async addToWindow(key, amount, nowMs, shape) {
      let window = windows.get(key);
      if (window === undefined) {
        window = {
          headMs: Math.floor(nowMs / shape.bucketMs) * shape.bucketMs,
          counts: new Array<number>(shape.buckets).fill(0),
        };
        windows.set(key, window);
      }
      slide(window, nowMs, shape);
      window.counts[shape.buckets - 1] = (window.counts[shape.buckets - 1] ?? 0) + amount;
      let total = 0;
      for (const count of window.counts) total += count;
      return total;
    },
    async readWindow(key, nowMs, shape) {
      const window = windows.get(key);
      if (window === undefined) return 0;
      slide(window, nowMs, shape);
      let total = 0;
      for (const count of window.counts) total += count;
      return total;
    },
    async cacheGet<T>(key: string, nowMs: number): Promise<T | undefined> {
      const entry = cache.get(key);
      if (entry === undefined) return undefined;
      cache.delete(key);
      if (entry.expiresAt <= nowMs) return undefined;
      cache.set(key, entry);
      return entry.value as T;
    },
    async cacheSet<T>(key: string, value: T, nowMs: number, ttlMs: number): Promise<void> {
      cache.delete(key);
      cache.set(key, { value, expiresAt: nowMs + ttlMs });
      while (cache.size > maxCacheEntries) {
        const oldest = cache.keys().next().value;
        if (oldest === undefined) break;
        cache.delete(oldest);
      }
    },
  };
}
