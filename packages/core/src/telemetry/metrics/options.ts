import type { Clock } from '../../policies/clock.ts';
import { systemClock } from '../../policies/clock.ts';
import { metricsDefaults } from './defaults.ts';

/** Options of `createMetrics`; every field has a default. */
export interface MetricsOptions {
  /** Time of the sliding windows. @default the system clock */
  clock?: Clock;
  /** The longest window a query may ask about, in ms. @default 3600000 (1 h) */
  maxWindowMs?: number;
  /** Width of a window's time bucket, in ms: windows slide in steps of this. @default 10000 */
  bucketMs?: number;
  /**
   * Upper bounds of the duration histograms, in seconds, ascending.
   * @default [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120]
   */
  durationBuckets?: readonly number[];
  /**
   * Quantiles over windows up to this long are exact (within `maxSamplesPerBucket`); longer ones are
   * read from log-spaced bins, within 1 %. In ms. @default 300000 (5 min)
   */
  exactWindowMs?: number;
  /**
   * Raw observations kept per time bucket of each measured series (durations, cost); past that, a
   * uniform sample, and quantiles within 1 %. @default 8192 (819 a second at 10 s buckets)
   */
  maxSamplesPerBucket?: number;
  /** Requests tracked between their start and their end; the oldest is forgotten past this. @default 10000 */
  maxOpenRequests?: number;
}

export interface ResolvedMetricsOptions {
  clock: Clock;
  maxWindowMs: number;
  bucketMs: number;
  durationBuckets: readonly number[];
  exactWindowMs: number;
  maxSamplesPerBucket: number;
  maxOpenRequests: number;
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0))
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

function positiveInteger(name: string, value: number): number {
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** The options with their defaults, checked: a wrong one throws a `RangeError` that names it. */
export function resolveMetricsOptions(options: MetricsOptions): ResolvedMetricsOptions {
  const bucketMs = positive('bucketMs', options.bucketMs ?? metricsDefaults.bucketMs);
  const maxWindowMs = positive('maxWindowMs', options.maxWindowMs ?? metricsDefaults.maxWindowMs);
  if (maxWindowMs < bucketMs) {
    throw new RangeError(`maxWindowMs (${maxWindowMs}) must be at least bucketMs (${bucketMs})`);
  }
  const exactWindowMs = options.exactWindowMs ?? metricsDefaults.exactWindowMs;
  if (!(Number.isFinite(exactWindowMs) && exactWindowMs >= 0)) {
    throw new RangeError(`exactWindowMs must be 0 or more, got ${exactWindowMs}`);
  }
  const durationBuckets = options.durationBuckets ?? metricsDefaults.durationBuckets;
  const ascending = durationBuckets.every(
    (bound, i) =>
      Number.isFinite(bound) && bound > 0 && (i === 0 || bound > (durationBuckets[i - 1] as number)),
  );
  if (durationBuckets.length === 0 || !ascending) {
    throw new RangeError(
      `durationBuckets must be positive, finite and strictly ascending, got [${durationBuckets.join(', ')}]`,
    );
  }
  return {
    clock: options.clock ?? systemClock,
    maxWindowMs,
    bucketMs,
    durationBuckets: Object.freeze([...durationBuckets]),
    exactWindowMs,
    maxSamplesPerBucket: positiveInteger(
      'maxSamplesPerBucket',
      options.maxSamplesPerBucket ?? metricsDefaults.maxSamplesPerBucket,
    ),
    maxOpenRequests: positiveInteger(
      'maxOpenRequests',
      options.maxOpenRequests ?? metricsDefaults.maxOpenRequests,
    ),
  };
}
