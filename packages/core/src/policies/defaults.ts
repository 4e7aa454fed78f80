import type { ErrorKind } from '../errors/kinds.ts';

/** Retry defaults. */
export const retryDefaults = {
  // Three retries after the first attempt: enough to ride out a blip, few enough that a real outage
  // moves to the fallback within seconds.
  maxRetries: 3,
  baseDelayMs: 1000,
  // Cap 60 s: a provider that asks for a longer wait is down for us; fail over instead.
  maxDelayMs: 60_000,
  // Full jitter spreads a herd of clients best (AWS Architecture Blog, "Exponential Backoff And Jitter").
  jitter: 'full',
  // A provider that did not answer at all within the limit rarely answers the next time: move on.
  retryTimeouts: false,
} as const;

/** Retry-budget defaults (the Envoy / gRPC model: retries as a share of recent traffic). */
export const retryBudgetDefaults = {
  // At most one retry for every five requests in the window, so an outage adds at most 20 % traffic.
  ratio: 0.2,
  // A floor so that a quiet provider can still retry a few requests.
  minRetries: 10,
  windowMs: 10_000,
} as const;

/** Kinds that say the provider (not the request) is failing; only these count toward a breaker. */
export const breakerCountedKinds: readonly ErrorKind[] = [
  'server',
  'bad_gateway',
  'unavailable',
  'overloaded',
  'timeout',
  'connection',
  'stream_interrupted',
];

/** Circuit-breaker defaults. */
export const breakerDefaults = {
  consecutiveFailures: 5,
  failureRateThreshold: 0.5,
  windowMs: 30_000,
  // Below ten calls a rate is noise.
  minimumCalls: 10,
  openMs: 30_000,
  // Each failed probe doubles the open time, up to five minutes.
  maxOpenMs: 300_000,
  openBackoffFactor: 2,
  halfOpenProbes: 1,
  // Longer than the default attempt limit, so that only a truly hung probe is timed out.
  probeTimeoutMs: 90_000,
} as const;

/** Time-limit defaults of a request and its attempts. */
export const timeoutDefaults = {
  // The whole request, every attempt, wait and fallback included.
  deadlineMs: 120_000,
  // One attempt; the deadline still bounds it.
  attemptTimeoutMs: 60_000,
  // A stream whose first token takes longer is failing; its fallback may answer at once.
  firstTokenTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
} as const;

/** Response-cache defaults. */
export const cacheDefaults = {
  // Fresh hits are opt-in per route; by default the cache only serves when every live attempt failed.
  freshTtlMs: 0,
  // A stale answer older than a day is more likely wrong than helpful.
  maxStaleMs: 86_400_000,
} as const;
