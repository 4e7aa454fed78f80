import type { AlertSeverity } from './alert.ts';
import type { Labels, WindowedSeries } from './metric-family.ts';

/** What every rule may set. */
interface RuleBase {
  /** Unique among the rules of one evaluator; the `rule` of its alerts. @default the rule's `type` */
  name?: string;
  severity?: AlertSeverity;
}

/**
 * Failed requests over all requests, over `windowMs`. Fires when the rate has been above
 * `thresholdRatio` for `forMs` (Prometheus `for`), with at least `minRequests` in the window; resolves
 * when it is at or below `resolveRatio`. With fewer requests than that, it neither fires nor resolves.
 */
export interface ErrorRateRule extends RuleBase {
  type: 'error-rate';
  /** @default 300000 */
  windowMs?: number;
  /** @default 0.05 */
  thresholdRatio?: number;
  /** At or below this the alert resolves; between the two it holds its state. @default 0.04 */
  resolveRatio?: number;
  /** @default 300000 */
  forMs?: number;
  /** @default 20 */
  minRequests?: number;
  /** Only requests with these labels (`{ route: 'chat' }`); they become the alert's labels. */
  filter?: Labels;
}

/**
 * A circuit breaker opened: fires on its transition to `open` (labels `provider`, `model`), resolves
 * when that breaker closes again. Half-open and reopening after a failed probe are the same episode.
 */
export interface BreakerOpenRule extends RuleBase {
  type: 'breaker-open';
}

/**
 * A request reached the last option of its chain after falling back at least once (a failed or skipped
 * candidate before it), so one more failure and the route has nothing left. A single-candidate route
 * is always on its last option and never fires this. Labels `route`; resolves once no request of that
 * route has reached its last option for `quietMs`.
 */
export interface LastOptionRule extends RuleBase {
  type: 'last-option';
  /** @default 300000 */
  quietMs?: number;
}

/**
 * The average request duration over `windowMs` rose above `factor` × its baseline: the average over the
 * `baselineMs` up to now, the current window taken out (by default the 55 minutes before the last 5).
 * The baseline is frozen when the rule first breaches, so a lasting slowdown cannot become its own
 * "normal"; the alert resolves at or below `resolveFactor` × that baseline. Needs `minSamples` in the
 * window and `minBaselineSamples` in the baseline.
 */
export interface LatencyDoubledRule extends RuleBase {
  type: 'latency-doubled';
  /** @default 300000 */
  windowMs?: number;
  /** The span the baseline is read from, ending now, in ms; longer than `windowMs`. @default 3600000 */
  baselineMs?: number;
  /** @default 2 */
  factor?: number;
  /** @default 1.5 */
  resolveFactor?: number;
  /** @default 0 */
  forMs?: number;
  /** @default 20 */
  minSamples?: number;
  /** @default 50 */
  minBaselineSamples?: number;
  filter?: Labels;
}

/** A statistic of a windowed series; `ratio` divides `series` by `denominator`. */
export type ThresholdStat = 'count' | 'rate' | 'ratio' | 'average' | 'p95' | 'p99';

/**
 * A user threshold on any windowed metric: fires when `stat` of `series` over `windowMs` is `op`
 * `threshold` for `forMs`, resolves when it is back at or past `resolveThreshold` (on the other side
 * of it). A window without observations neither fires nor resolves. `average`, `p95` and `p99` need a
 * measured series (durations, cost); the rule's query is asked once at creation, so one the metrics
 * cannot answer is refused at once.
 */
export type ThresholdRule = RuleBase & {
  type?: 'threshold';
  name: string;
  series: WindowedSeries;
  windowMs: number;
  filter?: Labels;
  op: '>' | '<';
  threshold: number;
  /** @default 0 */
  forMs?: number;
  /** For `>`, at or below this resolves (≤ threshold); for `<`, at or above (≥ threshold). @default threshold */
  resolveThreshold?: number;
} & ({ stat: Exclude<ThresholdStat, 'ratio'> } | { stat: 'ratio'; denominator: WindowedSeries });

/** A rule of the alert evaluator: a built-in one, or a user threshold. */
export type AlertRule = ErrorRateRule | BreakerOpenRule | LastOptionRule | LatencyDoubledRule | ThresholdRule;

/** The four built-in rules with their defaults: what `createAlerts` uses when given no `rules`. */
export const builtInAlertRules: readonly AlertRule[] = [
  { type: 'error-rate' },
  { type: 'breaker-open' },
  { type: 'last-option' },
  { type: 'latency-doubled' },
];

/**
 * Checks one numeric option; returns it. `owner` names what the option belongs to in the message
 * (`alert rule "error-rate"`). @throws RangeError naming the owner and the field
 */
export function checkedNumber(
  owner: string,
  field: string,
  value: number,
  range: 'positive' | 'non-negative' | 'finite',
): number {
  const valid =
    Number.isFinite(value) &&
    (range === 'positive' ? value > 0 : range === 'non-negative' ? value >= 0 : true);
  if (!valid) throw new RangeError(`${owner}: ${field} must be a ${range} number, got ${value}`);
  return value;
}
