/** Defaults of the alert evaluator and its built-in rules. */
export const alertDefaults = {
  // Metric rules are read this often; the `for` periods below are multiples of it. Event rules
  // (breaker-open, last-option) fire at once, between ticks.
  evaluateEveryMs: 15_000,
} as const;

/** The `error-rate` rule: the "error rate over 5 % for 5 minutes". */
export const errorRateDefaults = {
  windowMs: 300_000,
  thresholdRatio: 0.05,
  // Hysteresis: a rate hovering around 5 % neither resolves nor re-fires; it must fall to 4 %.
  resolveRatio: 0.04,
  forMs: 300_000,
  // Below twenty requests one failure is already 5 %: not evidence of an outage.
  minRequests: 20,
  severity: 'critical',
} as const;

/** The `breaker-open` rule. */
export const breakerOpenDefaults = {
  severity: 'warning',
} as const;

/** The `last-option` rule. */
export const lastOptionDefaults = {
  // Five minutes with no request reaching its last option: the primaries are answering again.
  quietMs: 300_000,
  severity: 'warning',
} as const;

/** The `latency-doubled` rule. */
export const latencyDoubledDefaults = {
  windowMs: 300_000,
  // The last hour is "normal", the current window taken out of it so that a slowdown does not raise its
  // own baseline. An hour is also all that `createMetrics` keeps by default (`maxWindowMs`).
  baselineMs: 3_600_000,
  factor: 2,
  // Hysteresis: the average must come back under 1.5 × the baseline to resolve.
  resolveFactor: 1.5,
  // The 5-minute average already smooths single slow calls; no further `for` period.
  forMs: 0,
  // A mean of fewer observations is one slow call, not a trend.
  minSamples: 20,
  minBaselineSamples: 50,
  severity: 'warning',
} as const;

/** User threshold rules. */
export const thresholdRuleDefaults = {
  forMs: 0,
  severity: 'warning',
} as const;

/** The webhook sink. */
export const webhookDefaults = {
  // A webhook down for a while fills the queue; the newest alerts are the ones worth keeping.
  maxQueue: 100,
  maxAttempts: 5,
  timeoutMs: 5_000,
  // 1, 2, 4, 8 s ceilings (full jitter): the five attempts span about 15 s at most.
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
} as const;
