/** A stored record with the version that guards its next write. */
export interface Versioned<T> {
  value: T;
  version: number;
}

/** Shape of a sliding window of counts: `buckets` buckets of `bucketMs` each. */
export interface WindowShape {
  bucketMs: number;
  buckets: number;
}

/**
 * Where policies keep state that may be shared: breaker records, retry-budget windows, learned rate
 * limits, the response cache. The in-memory store is the default; a Redis store lets several gateway
 * replicas share it. Policies hold the logic; a store only offers these atomic primitives.
 */
export interface StateStore {
  /** Reads a record. */
  get<T>(key: string): Promise<Versioned<T> | undefined>;
  /**
   * Writes `value` only if the record is still at `version` (`undefined`: it must not exist yet).
   * Returns false when another writer came first; the caller reads again and retries.
   * @param ttlMs the record expires after this long without a write
   */
  compareAndSet<T>(key: string, version: number | undefined, value: T, ttlMs?: number): Promise<boolean>;
  /** Adds `amount` to the current bucket of a sliding window at `nowMs`; returns the window's total. */
  addToWindow(key: string, amount: number, nowMs: number, shape: WindowShape): Promise<number>;
  /** The total of a sliding window at `nowMs`. */
  readWindow(key: string, nowMs: number, shape: WindowShape): Promise<number>;
  /** A cached value, if present and not expired. */
  cacheGet<T>(key: string, nowMs: number): Promise<T | undefined>;
  /** Caches `value` until `nowMs + ttlMs`. */
  cacheSet<T>(key: string, value: T, nowMs: number, ttlMs: number): Promise<void>;
}
