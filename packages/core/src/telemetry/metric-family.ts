/** Label values of one series. Keys are fixed per metric; values come from configuration (bounded). */
export type Labels = Readonly<Record<string, string>>;

/** A monotonically growing count, one value per label set. */
export interface CounterFamily {
  type: 'counter';
  /** Prometheus-style name, e.g. `steadfast_requests_total`. */
  name: string;
  help: string;
  series: Array<{ labels: Labels; value: number }>;
}

/** A value that goes up and down (breaker state, cost per success). */
export interface GaugeFamily {
  type: 'gauge';
  name: string;
  help: string;
  series: Array<{ labels: Labels; value: number }>;
}

/** Observations in buckets: `counts[i]` observations ≤ `buckets[i]` (cumulative), plus sum and count. */
export interface HistogramFamily {
  type: 'histogram';
  name: string;
  help: string;
  /** Upper bounds, ascending, in the metric's unit (seconds for durations). */
  buckets: readonly number[];
  series: Array<{ labels: Labels; counts: number[]; sum: number; count: number }>;
}

/** Every metric of a collector, as exporters read it. */
export type MetricFamily = CounterFamily | GaugeFamily | HistogramFamily;

/** What sliding-window queries can ask about. */
export type WindowedSeries =
  | 'requests'
  | 'request_errors'
  | 'attempts'
  | 'attempt_errors'
  | 'retries'
  | 'fallbacks'
  | 'last_option'
  | 'cache_hits'
  | 'degraded'
  | 'content_errors'
  | 'breaker_opened'
  | 'request_duration_ms'
  | 'attempt_duration_ms'
  | 'first_token_ms'
  | 'cost_usd';

/**
 * Questions over the recent past, answered in process, for alert rules and the dashboard. `filter`
 * keeps the events whose labels include it (`{ route: 'chat' }`, `{ provider: 'openai', kind: 'timeout' }`).
 */
export interface MetricsQuery {
  /** Events in the last `windowMs`. */
  count(series: WindowedSeries, windowMs: number, filter?: Labels): number;
  /** Events per second over the last `windowMs`. */
  rate(series: WindowedSeries, windowMs: number, filter?: Labels): number;
  /** `numerator / denominator` counts over the window; undefined when the denominator is 0. */
  ratio(
    numerator: WindowedSeries,
    denominator: WindowedSeries,
    windowMs: number,
    filter?: Labels,
  ): number | undefined;
  /** Mean of a measured series (durations, cost) over the window; undefined without observations. */
  average(series: WindowedSeries, windowMs: number, filter?: Labels): number | undefined;
  /** The q-quantile (0.95, 0.99) of a measured series over the window; undefined without observations. */
  quantile(series: WindowedSeries, q: number, windowMs: number, filter?: Labels): number | undefined;
}
