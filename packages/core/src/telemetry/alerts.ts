import { type Clock, systemClock } from '../policies/clock.ts';
import type { Alert, AlertSink } from './alert.ts';
import { alertDefaults } from './alert-defaults.ts';
import { Episodes, type Reading, type RuleEvaluator } from './alert-episodes.ts';
import { breakerOpenEvaluator, lastOptionEvaluator } from './alert-event-rules.ts';
import { errorRateEvaluator, latencyDoubledEvaluator, thresholdEvaluator } from './alert-metric-rules.ts';
import { type AlertRule, builtInAlertRules, checkedNumber } from './alert-rule.ts';
import type { EngineEventSource } from './event-source.ts';
import type { MetricsQuery } from './metric-family.ts';

/** Options of `createAlerts`. */
export interface AlertsOptions {
  /** Engine events (a `SteadfastClient`): breaker transitions and chains reaching their last option. */
  source: EngineEventSource;
  /** Windowed metrics the metric rules read. */
  metrics: MetricsQuery;
  /** @default the system clock */
  clock?: Clock;
  /** @default builtInAlertRules: error-rate, breaker-open, last-option, latency-doubled */
  rules?: readonly AlertRule[];
  /** Where notifications go, in order; each is told synchronously and must not wait on I/O. */
  sinks: readonly AlertSink[];
  /** How often metric rules are read, in ms. @default 15000 */
  evaluateEveryMs?: number;
}

/** A running alert evaluator. */
export interface Alerts {
  /**
   * Reads every rule now, tells the sinks what fired or resolved, and returns those notifications.
   * Never waits on a sink. Runs by itself every `evaluateEveryMs`.
   * @throws the first error a metrics query threw, after every other rule was read
   */
  evaluate(): Alert[];
  /** The firing notification of every alert firing now, oldest first. */
  active(): Alert[];
  /** Stops the timer and the subscription, and disposes the sinks (the evaluator owns them). */
  dispose(): void;
}

/**
 * Alerting over engine events and windowed metrics. Each rule's episodes (one per label set) fire once
 * when their condition has held for the rule's `for` period and resolve once when the resolve condition
 * holds; readings between the two thresholds change nothing (hysteresis). Event rules (breaker-open,
 * last-option) fire from the event itself; metric rules on the timer or an explicit `evaluate()`.
 *
 * @throws RangeError when a rule's option is out of range or two rules share a name
 */
export function createAlerts(options: AlertsOptions): Alerts {
  const clock = options.clock ?? systemClock;
  const everyMs = checkedNumber(
    'createAlerts',
    'evaluateEveryMs',
    options.evaluateEveryMs ?? alertDefaults.evaluateEveryMs,
    'positive',
  );
  const rules = compileRules(options.rules ?? builtInAlertRules, options.metrics);
  const observers = rules.filter((rule) => rule.observe !== undefined);
  const sinks = [...options.sinks];
  const episodes = new Episodes();
  let disposed = false;

  /** Steps each reading's episode and tells the sinks of what that made; collects it into `made`. */
  function apply(rule: RuleEvaluator, readings: readonly Reading[], nowMs: number, made?: Alert[]): void {
    for (const reading of readings) {
      const alert = episodes.step(rule, reading, nowMs);
      if (alert === undefined) continue;
      made?.push(alert);
      for (const sink of sinks) {
        try {
          sink.send(alert);
        } catch {
          // One broken sink must not keep the others from hearing.
        }
      }
    }
  }

  function evaluate(): Alert[] {
    const made: Alert[] = [];
    if (disposed) return made;
    const nowMs = clock.now();
    let failure: { error: unknown } | undefined;
    for (const rule of rules) {
      let readings: readonly Reading[];
      try {
        readings = rule.read(nowMs);
      } catch (error) {
        failure ??= { error };
        continue;
      }
      apply(rule, readings, nowMs, made);
    }
    if (failure !== undefined) throw failure.error;
    return made;
  }

  // Only subscribe when a rule listens: an engine with no listener builds no events at all.
  const unsubscribe =
    observers.length === 0
      ? undefined
      : options.source.on(function observeEngineEvent(event) {
          if (disposed) return;
          const nowMs = clock.now();
          for (const rule of observers) apply(rule, rule.observe?.(event, nowMs) ?? [], nowMs);
        });

  let timer: unknown;
  function tick(): void {
    try {
      evaluate();
    } catch {
      // A metrics query failed; the next tick asks again rather than stop alerting for good.
    } finally {
      if (!disposed) timer = clock.setTimeout(tick, everyMs);
    }
  }
  timer = clock.setTimeout(tick, everyMs);

  return {
    evaluate,
    active: () => episodes.firing(),
    dispose() {
      if (disposed) return;
      disposed = true;
      clock.clearTimeout(timer);
      unsubscribe?.();
      for (const sink of sinks) sink.dispose?.();
    },
  };
}

function compileRules(rules: readonly AlertRule[], metrics: MetricsQuery): RuleEvaluator[] {
  const compiled = rules.map((rule) => compileRule(rule, metrics));
  const names = new Set<string>();
  for (const { name } of compiled) {
    if (names.has(name)) throw new RangeError(`Two alert rules are named "${name}"; give each its own name`);
    names.add(name);
  }
  return compiled;
}

function compileRule(rule: AlertRule, metrics: MetricsQuery): RuleEvaluator {
  switch (rule.type) {
    case 'error-rate':
      return errorRateEvaluator(rule, metrics);
    case 'breaker-open':
      return breakerOpenEvaluator(rule);
    case 'last-option':
      return lastOptionEvaluator(rule);
    case 'latency-doubled':
      return latencyDoubledEvaluator(rule, metrics);
    case undefined:
    case 'threshold':
      return thresholdEvaluator(rule, metrics);
    default:
      return unknownRule(rule);
  }
}

function unknownRule(rule: never): never {
  throw new RangeError(`Unknown alert rule type: ${String((rule as { type: unknown }).type)}`);
}
