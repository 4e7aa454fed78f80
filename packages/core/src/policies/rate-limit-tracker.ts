import type { RateLimitInfo, RateLimitWindow } from '../errors/rate-limit.ts';
import type { StateStore } from '../store/state-store.ts';
import type { Clock } from './clock.ts';

/**
 * What the providers' rate-limit headers have taught us: which providers are out of quota, and until
 * when, so that a request goes to a fallback at once instead of collecting another 429.
 */
export interface RateLimitTracker {
  /**
   * Learns from one response (or error) of `provider`: a window with nothing remaining and a reset
   * time blocks the provider until that reset; a 429's `retryAfterMs` blocks it for that long; a
   * response that is not a 429 and shows quota remaining in every window it reports lifts a block.
   * @param status the HTTP status, when there was one
   */
  observe(provider: string, info: RateLimitInfo | undefined, status?: number): Promise<void>;
  /** Blocks `provider` for `ms` (a spent quota that no header times), unless a longer block stands. */
  block(provider: string, ms: number): Promise<void>;
  /** How long `provider` is still blocked, in ms; 0 when it may be called. */
  blockedForMs(provider: string): Promise<number>;
}

/** Dependencies of a rate-limit tracker. */
export interface RateLimitTrackerDeps {
  /** Where blocks are kept; a shared store lets replicas learn from each other's responses. */
  store: StateStore;
  clock: Clock;
  /** Prefix of the store keys, one per provider. @default 'rate-limit:' */
  keyPrefix?: string | undefined;
}

interface Block {
  /** Epoch ms until which the provider should not be called. */
  blockedUntil: number;
}

// Every write is a compare-and-set; past this many lost races the observation is dropped. It is advice,
// and a store that keeps refusing must not hang the request that reported it.
const maxWriteAttempts = 8;

function windowsOf(info: RateLimitInfo): Array<RateLimitWindow | undefined> {
  return [info.requests, info.tokens, info.inputTokens, info.outputTokens];
}

function isDuration(ms: number | undefined): ms is number {
  return ms !== undefined && Number.isFinite(ms) && ms > 0;
}

/** The block this observation asks for, as a wait in ms from now; 0 for none. */
function requestedBlockMs(info: RateLimitInfo, status: number | undefined): number {
  let waitMs = 0;
  for (const window of windowsOf(info)) {
    // Without a reset time an empty window says nothing about how long to stay away: the retry
    // policy's backoff handles that case.
    if (window?.remaining !== undefined && window.remaining <= 0 && isDuration(window.resetMs)) {
      waitMs = Math.max(waitMs, window.resetMs);
    }
  }
  // Only a 429 makes Retry-After a statement about quota; on a 503 it is about the server, which is the
  // breaker's business.
  if (status === 429 && isDuration(info.retryAfterMs)) waitMs = Math.max(waitMs, info.retryAfterMs);
  return waitMs;
}

/** Whether the observation shows quota left, and none exhausted: proof that the provider takes calls. */
function showsQuota(info: RateLimitInfo, status: number | undefined): boolean {
  if (status === 429) return false;
  let seen = false;
  for (const window of windowsOf(info)) {
    if (window?.remaining === undefined) continue;
    if (window.remaining <= 0) return false;
    seen = true;
  }
  return seen;
}

/** A tracker of rate-limit blocks per provider, kept in a `StateStore` so that replicas can share it. */
export function createRateLimitTracker(deps: RateLimitTrackerDeps): RateLimitTracker {
  const { store, clock } = deps;
  const keyPrefix = deps.keyPrefix ?? 'rate-limit:';

  async function update(provider: string, next: (blockedUntil: number, now: number) => number | undefined) {
    const key = keyPrefix + provider;
    for (let attempt = 0; attempt < maxWriteAttempts; attempt++) {
      const record = await store.get<Block>(key);
      const now = clock.now();
      const blockedUntil = next(record?.value.blockedUntil ?? 0, now);
      if (blockedUntil === undefined) return;
      // The record lives as long as its block: the expiry only tidies up, the time decides.
      const ttlMs = Math.max(1, blockedUntil - now);
      if (await store.compareAndSet<Block>(key, record?.version, { blockedUntil }, ttlMs)) return;
    }
  }

  return {
    async observe(provider, info, status) {
      if (info === undefined) return;
      const waitMs = requestedBlockMs(info, status);
      if (waitMs > 0) {
        // Concurrent responses may disagree; the longest wait any of them asked for stands.
        await update(provider, (current, now) => (now + waitMs > current ? now + waitMs : undefined));
      } else if (showsQuota(info, status)) {
        await update(provider, (current, now) => (current > now ? now : undefined));
      }
    },
    async block(provider, ms) {
      if (!(ms > 0)) return;
      await update(provider, (current, now) => (now + ms > current ? now + ms : undefined));
    },
    async blockedForMs(provider) {
      const record = await store.get<Block>(keyPrefix + provider);
      if (record === undefined) return 0;
      return Math.max(0, record.value.blockedUntil - clock.now());
    },
  };
}
