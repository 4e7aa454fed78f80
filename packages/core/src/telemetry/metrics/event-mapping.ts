import type { EngineEvent } from '../../engine/types.ts';
import { kindTraits } from '../../errors/kinds.ts';
import type { Clock } from '../../policies/clock.ts';
import type { GaugeFamily, Labels } from '../metric-family.ts';
import { OpenRequests } from '../open-requests.ts';
import type { HistogramSeries } from './histogram-metric.ts';
import type { Exported, Windows } from './instruments.ts';
import { LabelIndex } from './label-index.ts';
import type { ScalarMetric, ScalarSeries } from './scalar-metric.ts';
import type { SlidingWindow } from './sliding-window.ts';

/**
 * The route label of attempt-level events whose request is not known: `client.wrap()` calls (which have
 * no request events), or a request forgotten past `maxOpenRequests`.
 */
const unrouted = '';

const breakerStateValue = { closed: 0, 'half-open': 1, open: 2 } as const;

/** A counter series and its label set in the matching window, moved together. */
class CountedSeries {
  readonly series: ScalarSeries;
  readonly window: SlidingWindow;
  readonly id: number;

  constructor(metric: ScalarMetric, window: SlidingWindow, a: string, b?: string, c?: string, d?: string) {
    this.series = metric.series(a, b, c, d);
    this.window = window;
    this.id = window.id(a, b, c, d);
  }

  add(nowMs: number): void {
    this.series.value += 1;
    this.window.record(this.id, nowMs);
  }
}

/** What a route's own events move, found once per request, at its start. */
interface RouteSeries {
  readonly name: string;
  readonly labels: Labels;
  readonly lastOption: CountedSeries;
  readonly cacheFresh: CountedSeries;
  readonly cacheStale: CountedSeries;
  readonly degraded: CountedSeries;
  readonly duration: HistogramSeries;
  /** Cost of every attempt of the route, wasted ones included, in USD. */
  costUsd: number;
  /** Requests that got an answer: ok, cached, stale or degraded. */
  answered: number;
}

/** What one attempt-end moves, per route, provider, model and outcome: one lookup for all of them. */
interface AttemptSeries {
  readonly attempts: CountedSeries;
  /** The label set in `attempt_errors`; -1 for a successful attempt. */
  readonly errorId: number;
  readonly contentErrors: CountedSeries | undefined;
  readonly duration: HistogramSeries;
  readonly durationId: number;
  readonly cost: ScalarSeries;
  readonly costId: number;
  readonly inputTokens: ScalarSeries;
  readonly outputTokens: ScalarSeries;
  readonly cachedTokens: ScalarSeries;
}

/** A breaker's series, found by its key (`provider/model`), split once. */
interface BreakerSeries {
  readonly provider: string;
  readonly model: string;
  readonly state: ScalarSeries;
  readonly openedId: number;
}

/** What is known of a request between its start and its end. */
interface OpenRequest {
  readonly route: RouteSeries;
  lastOptionCounted: boolean;
}

/**
 * The engine's events, mapped to the metrics they move. Each event finds what it moves with as few
 * lookups as it can: a request's route series once, at its start; an attempt's eight series with one
 * lookup on (route, provider, model, outcome). No event allocates once its label sets have been seen,
 * except a request's start (its entry among the open requests).
 */
export class EventMapping {
  readonly #clock: Clock;
  readonly #exported: Exported;
  readonly #windows: Windows;
  readonly #open: OpenRequests<OpenRequest>;
  readonly #routes: LabelIndex<RouteSeries>;
  readonly #attempts: LabelIndex<AttemptSeries>;
  readonly #breakers: LabelIndex<BreakerSeries>;

  constructor(exported: Exported, windows: Windows, clock: Clock, maxOpenRequests: number) {
    this.#clock = clock;
    this.#exported = exported;
    this.#windows = windows;
    // A forgotten request holds nothing to close: its later events count under the route "".
    this.#open = new OpenRequests(maxOpenRequests, () => undefined);
    this.#routes = new LabelIndex(['route'], (labels, route) => ({
      name: route,
      labels,
      lastOption: new CountedSeries(exported.lastOption, windows.last_option, route),
      cacheFresh: new CountedSeries(exported.cacheHits, windows.cache_hits, route, 'fresh'),
      cacheStale: new CountedSeries(exported.cacheHits, windows.cache_hits, route, 'stale'),
      degraded: new CountedSeries(exported.degraded, windows.degraded, route),
      duration: exported.requestDuration.series(route),
      costUsd: 0,
      answered: 0,
    }));
    this.#attempts = new LabelIndex(
      ['route', 'provider', 'model', 'outcome'],
      (_, route, provider, model, outcome) => {
        const failed = outcome !== 'ok';
        const content = failed && kindTraits[outcome as keyof typeof kindTraits]?.category === 'content';
        return {
          attempts: new CountedSeries(exported.attempts, windows.attempts, route, provider, model, outcome),
          errorId: failed ? windows.attempt_errors.id(route, provider, model, outcome) : -1,
          contentErrors: content
            ? new CountedSeries(
                exported.contentErrors,
                windows.content_errors,
                route,
                provider,
                model,
                outcome,
              )
            : undefined,
          duration: exported.attemptDuration.series(provider, model),
          durationId: windows.attempt_duration_ms.id(route, provider, model, outcome),
          cost: exported.cost.series(route, provider, model),
          costId: windows.cost_usd.id(route, provider, model),
          inputTokens: exported.tokens.series(provider, model, 'input'),
          outputTokens: exported.tokens.series(provider, model, 'output'),
          cachedTokens: exported.tokens.series(provider, model, 'cached'),
        };
      },
    );
    this.#breakers = new LabelIndex(['key'], (_, key) => {
      // Breaker keys are `provider/model`; a model name may hold slashes of its own, a provider name not.
      const slash = key.indexOf('/');
      const provider = slash < 0 ? key : key.slice(0, slash);
      const model = slash < 0 ? '' : key.slice(slash + 1);
      return {
        provider,
        model,
        state: exported.breakerState.series(provider, model),
        openedId: windows.breaker_opened.id(provider, model),
      };
    });
  }

  handle(event: EngineEvent): void {
    switch (event.type) {
      case 'request-start':
        this.#open.add(event.requestId, { route: this.#routes.get(event.route), lastOptionCounted: false });
        return;
      case 'attempt-start': {
        if (!event.lastOption) return;
        // Once per request: retries of the last candidate announce it again.
        const open = this.#open.get(event.requestId);
        if (open === undefined || open.lastOptionCounted) return;
        open.lastOptionCounted = true;
        open.route.lastOption.add(this.#clock.now());
        return;
      }
      case 'attempt-end':
        return this.#attemptEnd(event);
      case 'retry':
        return this.#count(
          this.#exported.retries,
          this.#windows.retries,
          this.#routeOf(event.requestId).name,
          event.provider,
          event.model,
          event.reason,
        );
      case 'fallback':
        return this.#count(
          this.#exported.fallbacks,
          this.#windows.fallbacks,
          this.#routeOf(event.requestId).name,
          event.reason,
        );
      case 'candidate-skipped':
        this.#exported.candidateSkips.series(
          this.#routeOf(event.requestId).name,
          event.provider,
          event.model,
          event.reason,
        ).value += 1;
        return;
      case 'breaker': {
        const breaker = this.#breakers.get(event.key);
        breaker.state.value = breakerStateValue[event.to];
        this.#exported.breakerTransitions.series(breaker.provider, breaker.model, event.to).value += 1;
        if (event.to === 'open') this.#windows.breaker_opened.record(breaker.openedId, this.#clock.now());
        return;
      }
      case 'first-token': {
        const route = this.#routeOf(event.requestId).name;
        const ttft = this.#exported.timeToFirstToken;
        ttft.observe(ttft.series(route, event.provider, event.model), event.sinceRequestMs / 1000);
        const window = this.#windows.first_token_ms;
        window.record(window.id(route, event.provider, event.model), this.#clock.now(), event.sinceRequestMs);
        return;
      }
      case 'cache-hit': {
        const route = this.#routeOf(event.requestId);
        (event.fresh ? route.cacheFresh : route.cacheStale).add(this.#clock.now());
        return;
      }
      case 'degraded':
        this.#routeOf(event.requestId).degraded.add(this.#clock.now());
        return;
      case 'stream-recovery':
        this.#exported.streamRecoveries.series(
          this.#routeOf(event.requestId).name,
          event.provider,
          event.model,
          event.action,
        ).value += 1;
        return;
      case 'malformed-chunk':
        this.#exported.malformedChunks.series(
          this.#routeOf(event.requestId).name,
          event.provider,
          event.model,
        ).value += 1;
        return;
      case 'request-end':
        return this.#requestEnd(event);
      case 'candidate-deferred':
        // Deferred is not skipped: the candidate is still tried if the others fail. Nothing to count.
        return;
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
  }

  #attemptEnd(event: Extract<EngineEvent, { type: 'attempt-end' }>): void {
    const route = this.#routeOf(event.requestId);
    const series = this.#attempts.get(route.name, event.provider, event.model, event.outcome);
    const now = this.#clock.now();
    series.attempts.add(now);
    if (series.errorId >= 0) this.#windows.attempt_errors.record(series.errorId, now);
    series.contentErrors?.add(now);
    this.#exported.attemptDuration.observe(series.duration, event.durationMs / 1000);
    this.#windows.attempt_duration_ms.record(series.durationId, now, event.durationMs);
    series.cost.value += event.costUsd;
    this.#windows.cost_usd.record(series.costId, now, event.costUsd);
    route.costUsd += event.costUsd;
    const usage = event.usage;
    if (usage !== undefined) {
      series.inputTokens.value += usage.inputTokens;
      series.outputTokens.value += usage.outputTokens;
      series.cachedTokens.value += usage.cachedInputTokens;
    }
  }

  #requestEnd(event: Extract<EngineEvent, { type: 'request-end' }>): void {
    this.#open.take(event.requestId);
    const route = this.#routes.get(event.route);
    const now = this.#clock.now();
    const { outcome, report } = event;
    this.#count(this.#exported.requests, this.#windows.requests, route.name, outcome);
    if (outcome === 'failed') {
      this.#count(
        this.#exported.requestErrors,
        this.#windows.request_errors,
        route.name,
        event.error?.kind ?? 'unknown',
      );
    } else {
      route.answered += 1;
    }
    this.#exported.requestDuration.observe(route.duration, report.durationMs / 1000);
    const durations = this.#windows.request_duration_ms;
    durations.record(durations.id(route.name, outcome), now, report.durationMs);
    // An answer returned as it was, though refused or cut at the output limit (the route's content policy
    // said so): its attempt succeeded, but the answer is a content problem all the same.
    const content = report.content;
    if (outcome === 'ok' && content !== undefined && (content.refused || content.truncated)) {
      const answered = report.attempts.findLast((attempt) => attempt.outcome === 'ok');
      if (answered === undefined) return;
      if (content.refused)
        this.#countContentError(route.name, answered.provider, answered.model, 'refusal', now);
      if (content.truncated)
        this.#countContentError(route.name, answered.provider, answered.model, 'truncated', now);
    }
  }

  #countContentError(route: string, provider: string, model: string, kind: string, nowMs: number): void {
    this.#exported.contentErrors.series(route, provider, model, kind).value += 1;
    const window = this.#windows.content_errors;
    window.record(window.id(route, provider, model, kind), nowMs);
  }

  /** Moves a counter and its window by one event (for rarer events, looked up each time). */
  #count(metric: ScalarMetric, window: SlidingWindow, a: string, b?: string, c?: string, d?: string): void {
    metric.series(a, b, c, d).value += 1;
    window.record(window.id(a, b, c, d), this.#clock.now());
  }

  #routeOf(requestId: string): RouteSeries {
    return this.#open.get(requestId)?.route ?? this.#routes.get(unrouted);
  }

  /**
   * `steadfast_cost_per_successful_request_usd`: each route's whole cost over the requests it answered.
   * A route that answered nothing has no series: the ratio is undefined.
   */
  costPerSuccess(): GaugeFamily {
    return {
      type: 'gauge',
      name: 'steadfast_cost_per_successful_request_usd',
      help: 'Cost of every attempt of the route, wasted ones included, per request answered (ok, cached, stale or degraded), in USD.',
      series: this.#routes.entries
        .filter((route) => route.answered > 0)
        .map((route) => ({ labels: route.labels, value: route.costUsd / route.answered })),
    };
  }

  /** Forgets the open requests. */
  close(): void {
    this.#open.drain();
  }
}
