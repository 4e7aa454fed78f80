import type { StateStore, WindowShape } from '../store/state-store.ts';
import type { Clock } from './clock.ts';
import { retryBudgetDefaults } from './defaults.ts';

/** Options of a retry budget; every field has a default. */
export interface RetryBudgetOptions {
  /** Retries allowed per request in the window, on top of `minRetries`. @default 0.2 */
  ratio?: number;
  /** Retries allowed in the window however few requests there were. @default 10 */
  minRetries?: number;
  /** How far back requests and retries count, in ms. @default 10000 */
  windowMs?: number;
}

/** What a retry budget needs from outside: where its counts live, and the time. */
export interface RetryBudgetDeps {
  /** Shared by every replica when it is a shared store, so that the budget is global. */
  store: StateStore;
  clock: Clock;
}

/** Caps the retries sent to each provider at a share of its recent requests. */
export interface RetryBudget {
  /** Counts a request to `provider`: once per request, on its first attempt, not on its retries. */
  recordRequest(provider: string): Promise<void>;
  /** Asks to retry a request to `provider`; a `true` answer uses up one retry of the budget. */
  tryAcquire(provider: string): Promise<boolean>;
}

// Ten buckets: the window slides in tenths, fine enough for a budget and cheap for a shared store.
const bucketsPerWindow = 10;

/**
 * A retry budget in the Envoy / gRPC model: over a sliding window, the retries to a provider stay
 * within `ratio × requests + minRetries`. During an outage every request fails and wants its retries;
 * the budget keeps that from multiplying the load on a provider that is already down, while a blip
 * on a few requests still gets every retry it asks for.
 *
 * @throws RangeError when an option is out of range
 */
export function createRetryBudget(
  options: RetryBudgetOptions | undefined,
  deps: RetryBudgetDeps,
): RetryBudget {
  const ratio = options?.ratio ?? retryBudgetDefaults.ratio;
  const minRetries = options?.minRetries ?? retryBudgetDefaults.minRetries;
  const windowMs = options?.windowMs ?? retryBudgetDefaults.windowMs;
  if (!Number.isFinite(ratio) || ratio < 0) {
    throw new RangeError(`ratio must be a finite number of at least 0, got ${ratio}`);
  }
  if (!Number.isFinite(minRetries) || minRetries < 0) {
    throw new RangeError(`minRetries must be a finite number of at least 0, got ${minRetries}`);
  }
  if (!Number.isFinite(windowMs) || windowMs <= 0) {
    throw new RangeError(`windowMs must be a finite number above 0, got ${windowMs}`);
  }

  const { store, clock } = deps;
  // Whole-millisecond buckets, so that every store (Redis included) keys them the same way.
  const shape: WindowShape = { bucketMs: Math.ceil(windowMs / bucketsPerWindow), buckets: bucketsPerWindow };

  return {
    async recordRequest(provider) {
      await store.addToWindow(`budget:requests:${provider}`, 1, clock.now(), shape);
    },
    async tryAcquire(provider) {
      const nowMs = clock.now();
      const retriesKey = `budget:retries:${provider}`;
      const requests = await store.readWindow(`budget:requests:${provider}`, nowMs, shape);
      // Count the retry first and give it back when over budget: the store's add is atomic, so
      // concurrent callers (or replicas) cannot all read the same spare retry and all take it.
      const retries = await store.addToWindow(retriesKey, 1, nowMs, shape);
      if (retries <= ratio * requests + minRetries) return true;
      await store.addToWindow(retriesKey, -1, nowMs, shape);
      return false;
    },
  };
}
