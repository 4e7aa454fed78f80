/** Defaults of `createMetrics`. */
export const metricsDefaults = {
  // One hour: the longest window a burn-rate alert or the dashboard asks about.
  maxWindowMs: 3_600_000,
  // 10 s buckets: a 5-minute window is 30 of them, so it slides in steps of 10 s, fine enough for alerts
  // that fire on minutes, and an hour is 360 slots per label set.
  bucketMs: 10_000,
  // LLM latencies span 50 ms (a cached or tiny answer) to minutes (a long generation, retries included);
  // 120 s is the default request deadline, so nothing slower is ever observed.
  durationBuckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120],
  // Quantiles over the last 5 minutes (what alerts ask about) are exact; older observations are kept
  // binned, to within 1 %.
  exactWindowMs: 300_000,
  // 8192 observations per 10 s bucket is 819 a second of one measured series kept exactly; beyond that a
  // uniform sample is kept, and quantiles are estimated to within 1 %.
  maxSamplesPerBucket: 8192,
  // Requests between their start and end; a request-end that never comes (a crashed stream consumer) can
  // hold no more than this many entries.
  maxOpenRequests: 10_000,
} as const;
