import type { WindowedSeries } from '../metric-family.ts';
import { HistogramMetric } from './histogram-metric.ts';
import type { ResolvedMetricsOptions } from './options.ts';
import { ScalarMetric } from './scalar-metric.ts';
import { SlidingWindow } from './sliding-window.ts';

/**
 * Every metric the collector keeps, for exporters, by name. Label values come from configuration
 * (routes, providers, models) and from closed unions (outcomes, kinds), so the series stay bounded.
 */
export interface Exported {
  requests: ScalarMetric;
  requestErrors: ScalarMetric;
  attempts: ScalarMetric;
  retries: ScalarMetric;
  fallbacks: ScalarMetric;
  lastOption: ScalarMetric;
  candidateSkips: ScalarMetric;
  breakerTransitions: ScalarMetric;
  breakerState: ScalarMetric;
  cacheHits: ScalarMetric;
  degraded: ScalarMetric;
  contentErrors: ScalarMetric;
  streamRecoveries: ScalarMetric;
  malformedChunks: ScalarMetric;
  requestDuration: HistogramMetric;
  attemptDuration: HistogramMetric;
  timeToFirstToken: HistogramMetric;
  tokens: ScalarMetric;
  cost: ScalarMetric;
}

export function createExported(options: ResolvedMetricsOptions): Exported {
  const buckets = options.durationBuckets;
  const counter = (name: string, help: string, labels: readonly string[]) =>
    new ScalarMetric('counter', `steadfast_${name}`, help, labels);
  return {
    requests: counter(
      'requests_total',
      'Requests ended, by outcome: ok, cached (a fresh cache hit), stale, degraded or failed.',
      ['route', 'outcome'],
    ),
    requestErrors: counter(
      'request_errors_total',
      'Requests that failed for the caller, by the kind of the error they got.',
      ['route', 'kind'],
    ),
    attempts: counter('attempts_total', 'Calls to a provider, by outcome: ok or the kind of the failure.', [
      'route',
      'provider',
      'model',
      'outcome',
    ]),
    retries: counter('retries_total', 'Retries of the same candidate, by the kind of the failure retried.', [
      'route',
      'provider',
      'model',
      'reason',
    ]),
    fallbacks: counter(
      'fallbacks_total',
      'Moves to the next candidate, by the kind of the failure left (or skipped: the candidate was passed over).',
      ['route', 'reason'],
    ),
    lastOption: counter('last_option_total', 'Requests that reached the last candidate of their route.', [
      'route',
    ]),
    candidateSkips: counter(
      'candidate_skips_total',
      'Candidates passed over without a call (an open breaker, a spent rate limit, a missing capability).',
      ['route', 'provider', 'model', 'reason'],
    ),
    breakerTransitions: counter('breaker_transitions_total', 'Circuit-breaker state changes, by new state.', [
      'provider',
      'model',
      'to',
    ]),
    breakerState: new ScalarMetric(
      'gauge',
      'steadfast_breaker_state',
      'Circuit-breaker state: 0 closed, 1 half-open, 2 open.',
      ['provider', 'model'],
    ),
    cacheHits: counter(
      'cache_hits_total',
      'Answers served from the cache: fresh, or stale after every candidate failed.',
      ['route', 'freshness'],
    ),
    degraded: counter('degraded_total', "Requests answered by the route's degradation.", ['route']),
    contentErrors: counter(
      'content_errors_total',
      'Answers that arrived but were unusable (empty, malformed or mismatched JSON, filtered), or were returned refused or truncated.',
      ['route', 'provider', 'model', 'kind'],
    ),
    streamRecoveries: counter(
      'stream_recoveries_total',
      'Streams cut after their first token: continued, or ended with an error.',
      ['route', 'provider', 'model', 'action'],
    ),
    malformedChunks: counter('malformed_chunks_total', 'Stream chunks that could not be parsed.', [
      'route',
      'provider',
      'model',
    ]),
    requestDuration: new HistogramMetric(
      'steadfast_request_duration_seconds',
      'Requests from start to end, every attempt, wait and fallback included.',
      ['route'],
      buckets,
    ),
    attemptDuration: new HistogramMetric(
      'steadfast_attempt_duration_seconds',
      'Calls to a provider, from sending to the end of the answer (or the failure).',
      ['provider', 'model'],
      buckets,
    ),
    timeToFirstToken: new HistogramMetric(
      'steadfast_time_to_first_token_seconds',
      "Streams, from the request's start to its first token reaching the consumer, retries included.",
      ['route', 'provider', 'model'],
      buckets,
    ),
    tokens: counter(
      'tokens_total',
      'Tokens reported by providers: input, output, and cached (input read from the prompt cache, part of input).',
      ['provider', 'model', 'direction'],
    ),
    cost: counter(
      'cost_usd_total',
      'What attempts cost at catalog list prices, failed and retried ones included, in USD.',
      ['route', 'provider', 'model'],
    ),
  };
}

/**
 * The sliding windows behind `MetricsQuery`, with their labels. A query's filter matches these labels,
 * which are those of the Prometheus counterpart, with `outcome` added to the durations.
 */
export type Windows = Readonly<Record<WindowedSeries, SlidingWindow>>;

/** The series that observe values; the others only count events. */
export const measuredSeries: ReadonlySet<WindowedSeries> = new Set<WindowedSeries>([
  'request_duration_ms',
  'attempt_duration_ms',
  'first_token_ms',
  'cost_usd',
]);

const windowLabels: Readonly<Record<WindowedSeries, readonly string[]>> = {
  requests: ['route', 'outcome'],
  request_errors: ['route', 'kind'],
  attempts: ['route', 'provider', 'model', 'outcome'],
  attempt_errors: ['route', 'provider', 'model', 'kind'],
  retries: ['route', 'provider', 'model', 'reason'],
  fallbacks: ['route', 'reason'],
  last_option: ['route'],
  cache_hits: ['route', 'freshness'],
  degraded: ['route'],
  content_errors: ['route', 'provider', 'model', 'kind'],
  breaker_opened: ['provider', 'model'],
  request_duration_ms: ['route', 'outcome'],
  attempt_duration_ms: ['route', 'provider', 'model', 'outcome'],
  first_token_ms: ['route', 'provider', 'model'],
  cost_usd: ['route', 'provider', 'model'],
};

export function createWindows(options: ResolvedMetricsOptions): Windows {
  const windows: Partial<Record<WindowedSeries, SlidingWindow>> = {};
  for (const [series, labels] of Object.entries(windowLabels) as Array<[WindowedSeries, readonly string[]]>) {
    windows[series] = new SlidingWindow(labels, { ...options, measured: measuredSeries.has(series) });
  }
  return windows as Windows;
}
