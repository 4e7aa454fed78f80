import type { Clock } from '../../policies/clock.ts';
import type { Labels, MetricsQuery, WindowedSeries } from '../metric-family.ts';

/** A `MetricsQuery` over observations a test records by hand, stamped with the test's clock. */
export interface RecordedMetrics extends MetricsQuery {
  /** `by` events of a counted series (`requests`, `request_errors`) now. */
  increment(series: WindowedSeries, by?: number, labels?: Labels): void;
  /** One observation of a measured series (`request_duration_ms`) now. */
  observe(series: WindowedSeries, value: number, labels?: Labels): void;
}

interface Entry {
  series: WindowedSeries;
  atMs: number;
  weight: number;
  value: number;
  labels: Labels;
}

/**
 * The reference semantics of a sliding window, kept naive on purpose: an entry is in the window of
 * `windowMs` when it was recorded after `now - windowMs`; a quantile is the nearest rank.
 */
export function createRecordedMetrics(clock: Clock): RecordedMetrics {
  const entries: Entry[] = [];

  function inWindow(series: WindowedSeries, windowMs: number, filter: Labels | undefined): Entry[] {
    const fromMs = clock.now() - windowMs;
    return entries.filter(
      (entry) =>
        entry.series === series &&
        entry.atMs > fromMs &&
        Object.entries(filter ?? {}).every(([key, value]) => entry.labels[key] === value),
    );
  }

  function count(series: WindowedSeries, windowMs: number, filter?: Labels): number {
    return inWindow(series, windowMs, filter).reduce((sum, entry) => sum + entry.weight, 0);
  }

  return {
    increment(series, by = 1, labels = {}) {
      entries.push({ series, atMs: clock.now(), weight: by, value: 1, labels });
    },
    observe(series, value, labels = {}) {
      entries.push({ series, atMs: clock.now(), weight: 1, value, labels });
    },
    count,
    rate: (series, windowMs, filter) => count(series, windowMs, filter) / (windowMs / 1000),
    ratio(numerator, denominator, windowMs, filter) {
      const total = count(denominator, windowMs, filter);
      return total === 0 ? undefined : count(numerator, windowMs, filter) / total;
    },
    average(series, windowMs, filter) {
      const window = inWindow(series, windowMs, filter);
      if (window.length === 0) return undefined;
      return window.reduce((sum, entry) => sum + entry.value, 0) / window.length;
    },
    quantile(series, q, windowMs, filter) {
      const values = inWindow(series, windowMs, filter)
        .map((entry) => entry.value)
        .sort((a, b) => a - b);
      if (values.length === 0) return undefined;
      return values[Math.max(0, Math.ceil(q * values.length) - 1)];
    },
  };
}
