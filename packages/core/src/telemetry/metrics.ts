import type { Clock } from '../policies/clock.ts';
import type { EngineEventSource } from './event-source.ts';
import type { Labels, MetricFamily, MetricsQuery, WindowedSeries } from './metric-family.ts';
import { EventMapping } from './metrics/event-mapping.ts';
import {
  createExported,
  createWindows,
  type Exported,
  measuredSeries,
  type Windows,
} from './metrics/instruments.ts';
import { type MetricsOptions, resolveMetricsOptions } from './metrics/options.ts';
import type { SlidingWindow } from './metrics/sliding-window.ts';

export type { MetricsOptions } from './metrics/options.ts';

/**
 * Metrics of the engine's events: Prometheus-style families for exporters (`collect`), and questions
 * over the recent past for alerts and the dashboard (the `MetricsQuery` methods).
 *
 * Windowed series and their labels, which a query's `filter` matches:
 * - `requests` {route, outcome}, `request_errors` {route, kind} (requests that failed for the caller);
 * - `attempts` {route, provider, model, outcome}, `attempt_errors` {route, provider, model, kind};
 * - `retries` {route, provider, model, reason}, `fallbacks` {route, reason}, `last_option` {route};
 * - `cache_hits` {route, freshness}, `degraded` {route}, `content_errors` {route, provider, model, kind};
 * - `breaker_opened` {provider, model};
 * - measured: `request_duration_ms` {route, outcome}, `attempt_duration_ms` {route, provider, model,
 *   outcome}, `first_token_ms` {route, provider, model} (since the request started), `cost_usd` {route,
 *   provider, model} (one observation per attempt).
 *
 * A window longer than `maxWindowMs` reads the whole span kept (`maxWindowMs`); `rate` is then per
 * second of that span. Windows move in steps of `bucketMs`.
 *
 * Attempt-level events whose request is unknown (`client.wrap()` calls, which have no request events,
 * or a request forgotten past `maxOpenRequests`) carry the route `""`.
 */
export interface Metrics extends MetricsQuery {
  /** Sum of a measured series over the last `windowMs` (`cost_usd`: dollars spent); 0 without observations. */
  sum(series: WindowedSeries, windowMs: number, filter?: Labels): number;
  /** Every metric, as exporters read it: a snapshot. */
  collect(): MetricFamily[];
  /** Stops listening. What was collected stays readable. */
  dispose(): void;
}

class EngineMetrics implements Metrics {
  readonly #clock: Clock;
  readonly #maxWindowMs: number;
  readonly #exported: Exported;
  readonly #windows: Windows;
  readonly #mapping: EventMapping;
  #unsubscribe: (() => void) | undefined;

  constructor(source: EngineEventSource, options: MetricsOptions) {
    const resolved = resolveMetricsOptions(options);
    this.#clock = resolved.clock;
    this.#maxWindowMs = resolved.maxWindowMs;
    this.#exported = createExported(resolved);
    this.#windows = createWindows(resolved);
    const mapping = new EventMapping(this.#exported, this.#windows, resolved.clock, resolved.maxOpenRequests);
    this.#mapping = mapping;
    this.#unsubscribe = source.on((event) => mapping.handle(event));
  }

  count(series: WindowedSeries, windowMs: number, filter?: Labels): number {
    return this.#windows[series].count(windowMs, this.#clock.now(), filter);
  }

  rate(series: WindowedSeries, windowMs: number, filter?: Labels): number {
    // Per second of the span actually read: a window longer than what is kept reads `maxWindowMs`.
    return this.count(series, windowMs, filter) / (Math.min(windowMs, this.#maxWindowMs) / 1000);
  }

  ratio(
    numerator: WindowedSeries,
    denominator: WindowedSeries,
    windowMs: number,
    filter?: Labels,
  ): number | undefined {
    const total = this.count(denominator, windowMs, filter);
    return total === 0 ? undefined : this.count(numerator, windowMs, filter) / total;
  }

  sum(series: WindowedSeries, windowMs: number, filter?: Labels): number {
    return this.#measured(series, 'sum').sum(windowMs, this.#clock.now(), filter);
  }

  average(series: WindowedSeries, windowMs: number, filter?: Labels): number | undefined {
    const window = this.#measured(series, 'average');
    const now = this.#clock.now();
    const count = window.count(windowMs, now, filter);
    return count === 0 ? undefined : window.sum(windowMs, now, filter) / count;
  }

  quantile(series: WindowedSeries, q: number, windowMs: number, filter?: Labels): number | undefined {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`A quantile is between 0 and 1 (0.95 for p95), got ${q}`);
    return this.#measured(series, 'quantile').quantile(q, windowMs, this.#clock.now(), filter);
  }

  #measured(series: WindowedSeries, question: string): SlidingWindow {
    if (!measuredSeries.has(series)) {
      throw new RangeError(
        `${question}() reads a measured series (${[...measuredSeries].join(', ')}); "${series}" is only counted`,
      );
    }
    return this.#windows[series];
  }

  collect(): MetricFamily[] {
    const e = this.#exported;
    return [
      e.requests.collect(),
      e.requestErrors.collect(),
      e.attempts.collect(),
      e.retries.collect(),
      e.fallbacks.collect(),
      e.lastOption.collect(),
      e.candidateSkips.collect(),
      e.breakerTransitions.collect(),
      e.breakerState.collect(),
      e.cacheHits.collect(),
      e.degraded.collect(),
      e.contentErrors.collect(),
      e.streamRecoveries.collect(),
      e.malformedChunks.collect(),
      e.requestDuration.collect(),
      e.attemptDuration.collect(),
      e.timeToFirstToken.collect(),
      e.tokens.collect(),
      e.cost.collect(),
      this.#mapping.costPerSuccess(),
    ];
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#mapping.close();
  }
}

/**
 * Collects metrics from the engine's events: subscribes to `source` (a client) and keeps counters,
 * gauges and histograms for exporters, and sliding windows on `options.clock` for in-process queries.
 *
 * `steadfast_cost_per_successful_request_usd` divides a route's whole cost by the requests it answered
 * in any way (ok, cached, stale, degraded): each of them was served, and what failed attempts and
 * failed requests cost is the waste this gauge is meant to show. A route with no answered request has
 * no series (the ratio is undefined).
 */
export function createMetrics(source: EngineEventSource, options: MetricsOptions = {}): Metrics {
  return new EngineMetrics(source, options);
}
