/** Calls and counted failures of one slice of a breaker's failure-rate window. */
export interface OutcomeBucket {
  /** Start of the slice, in epoch ms. */
  startMs: number;
  calls: number;
  failures: number;
}

/** Calls and failures seen over the window. */
export interface WindowTotals {
  calls: number;
  failures: number;
}

// Ten slices: the window slides in tenths, and a record holds at most ten small objects, so one
// compare-and-set of a shared store carries the whole window.
const bucketsPerWindow = 10;

function isLive(bucket: OutcomeBucket, nowMs: number, windowMs: number): boolean {
  return bucket.startMs > nowMs - windowMs;
}

/**
 * The window with one more call at `nowMs`: slices older than `windowMs` dropped, the call added to the
 * newest slice. Pure: returns a new array, so that a record read from a store is never changed in place.
 */
export function addOutcome(
  buckets: readonly OutcomeBucket[],
  failed: boolean,
  nowMs: number,
  windowMs: number,
): OutcomeBucket[] {
  // Whole-millisecond slices, so that every replica cuts the window at the same instants.
  const bucketMs = Math.ceil(windowMs / bucketsPerWindow);
  const startMs = Math.floor(nowMs / bucketMs) * bucketMs;
  const live = buckets.filter((bucket) => isLive(bucket, nowMs, windowMs));
  const newest = live.at(-1);
  const failures = failed ? 1 : 0;
  // `<=`, not `===`: replicas sharing a store have slightly different clocks, and a call stamped a
  // little behind the newest slice still belongs in the window.
  if (newest !== undefined && startMs <= newest.startMs) {
    live[live.length - 1] = {
      startMs: newest.startMs,
      calls: newest.calls + 1,
      failures: newest.failures + failures,
    };
  } else {
    live.push({ startMs, calls: 1, failures });
  }
  return live;
}

/** Calls and failures of the slices still inside the window at `nowMs`. */
export function windowTotals(
  buckets: readonly OutcomeBucket[],
  nowMs: number,
  windowMs: number,
): WindowTotals {
  let calls = 0;
  let failures = 0;
  for (const bucket of buckets) {
    if (!isLive(bucket, nowMs, windowMs)) continue;
    calls += bucket.calls;
    failures += bucket.failures;
  }
  return { calls, failures };
}
