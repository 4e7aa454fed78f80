import { errorRateDefaults, latencyDoubledDefaults, thresholdRuleDefaults } from './alert-defaults.ts';
import type { Reading, RuleEvaluator } from './alert-episodes.ts';
import {
  checkedNumber,
  type ErrorRateRule,
  type LatencyDoubledRule,
  type ThresholdRule,
} from './alert-rule.ts';
import type { Labels, MetricsQuery, WindowedSeries } from './metric-family.ts';

/** The `error-rate` rule over `metrics` (see `ErrorRateRule`). */
export function errorRateEvaluator(rule: ErrorRateRule, metrics: MetricsQuery): RuleEvaluator {
  const name = rule.name ?? rule.type;
  const owner = `Alert rule "${name}"`;
  const d = errorRateDefaults;
  const windowMs = checkedNumber(owner, 'windowMs', rule.windowMs ?? d.windowMs, 'positive');
  const thresholdRatio = checkedNumber(
    owner,
    'thresholdRatio',
    rule.thresholdRatio ?? d.thresholdRatio,
    'positive',
  );
  const resolveRatio = checkedNumber(
    owner,
    'resolveRatio',
    rule.resolveRatio ?? d.resolveRatio,
    'non-negative',
  );
  const forMs = checkedNumber(owner, 'forMs', rule.forMs ?? d.forMs, 'non-negative');
  const minRequests = checkedNumber(owner, 'minRequests', rule.minRequests ?? d.minRequests, 'positive');
  if (thresholdRatio >= 1 || resolveRatio > thresholdRatio) {
    throw new RangeError(`${owner}: need 0 ≤ resolveRatio ≤ thresholdRatio < 1`);
  }
  const { filter } = rule;
  const labels = filter ?? {};
  const hold: readonly Reading[] = [{ condition: 'hold', labels }];
  return {
    name,
    severity: rule.severity ?? d.severity,
    forMs,
    read() {
      const requests = metrics.count('requests', windowMs, filter);
      const ratio = metrics.ratio('request_errors', 'requests', windowMs, filter);
      if (ratio === undefined || requests < minRequests) return hold;
      const measured = `Error rate ${percent(ratio)} over ${duration(windowMs)}${scope(filter)} (${Math.round(ratio * requests)} of ${requests} requests)`;
      if (ratio > thresholdRatio) {
        const summary = `${measured} is above ${percent(thresholdRatio)}`;
        return [{ condition: 'breach', labels, value: ratio, threshold: thresholdRatio, summary }];
      }
      if (ratio <= resolveRatio) {
        const summary = `${measured} is back at or below ${percent(resolveRatio)}`;
        return [{ condition: 'clear', labels, value: ratio, threshold: resolveRatio, summary }];
      }
      return hold;
    },
  };
}

/** The `latency-doubled` rule over `metrics` (see `LatencyDoubledRule`). */
export function latencyDoubledEvaluator(rule: LatencyDoubledRule, metrics: MetricsQuery): RuleEvaluator {
  const name = rule.name ?? rule.type;
  const owner = `Alert rule "${name}"`;
  const d = latencyDoubledDefaults;
  const windowMs = checkedNumber(owner, 'windowMs', rule.windowMs ?? d.windowMs, 'positive');
  const baselineMs = checkedNumber(owner, 'baselineMs', rule.baselineMs ?? d.baselineMs, 'positive');
  const factor = checkedNumber(owner, 'factor', rule.factor ?? d.factor, 'positive');
  const resolveFactor = checkedNumber(
    owner,
    'resolveFactor',
    rule.resolveFactor ?? d.resolveFactor,
    'positive',
  );
  const forMs = checkedNumber(owner, 'forMs', rule.forMs ?? d.forMs, 'non-negative');
  const minSamples = checkedNumber(owner, 'minSamples', rule.minSamples ?? d.minSamples, 'positive');
  const minBaselineSamples = checkedNumber(
    owner,
    'minBaselineSamples',
    rule.minBaselineSamples ?? d.minBaselineSamples,
    'positive',
  );
  if (resolveFactor > factor) throw new RangeError(`${owner}: need resolveFactor ≤ factor`);
  if (baselineMs <= windowMs) throw new RangeError(`${owner}: need baselineMs > windowMs`);
  const { filter } = rule;
  const labels = filter ?? {};
  const hold: readonly Reading[] = [{ condition: 'hold', labels }];
  const series = 'request_duration_ms';
  /** The baseline the current slowdown is measured against, kept from its first breach until it clears. */
  let frozenBaselineMs: number | undefined;

  /**
   * Mean duration over `baselineMs` but for the current window. The queries only look back from now, so
   * it is the whole span's total minus the current window's: (mean × count) of each, subtracted.
   */
  function baselineAverageMs(): number | undefined {
    const spanCount = metrics.count(series, baselineMs, filter);
    const spanAverage = metrics.average(series, baselineMs, filter);
    const recentCount = metrics.count(series, windowMs, filter);
    const recentAverage = metrics.average(series, windowMs, filter) ?? 0;
    const baselineCount = spanCount - recentCount;
    if (spanAverage === undefined || baselineCount < minBaselineSamples) return undefined;
    const average = (spanAverage * spanCount - recentAverage * recentCount) / baselineCount;
    // Rounding can leave a sliver below zero when every duration is 0: no baseline to double.
    return average > 0 ? average : undefined;
  }

  return {
    name,
    severity: rule.severity ?? d.severity,
    forMs,
    read() {
      const samples = metrics.count(series, windowMs, filter);
      const averageMs = metrics.average(series, windowMs, filter);
      if (averageMs === undefined || samples < minSamples) return hold;
      const baseline = frozenBaselineMs ?? baselineAverageMs();
      if (baseline === undefined) return hold;
      const measured = `Average request duration ${Math.round(averageMs)} ms over ${duration(windowMs)}${scope(filter)}`;
      const against = `baseline ${Math.round(baseline)} ms`;
      if (averageMs > factor * baseline) {
        frozenBaselineMs = baseline;
        const summary = `${measured} is above ${factor} × the ${against}`;
        return [{ condition: 'breach', labels, value: averageMs, threshold: factor * baseline, summary }];
      }
      if (averageMs <= resolveFactor * baseline) {
        frozenBaselineMs = undefined;
        const summary = `${measured} is back at or below ${resolveFactor} × the ${against}`;
        return [
          { condition: 'clear', labels, value: averageMs, threshold: resolveFactor * baseline, summary },
        ];
      }
      return hold;
    },
  };
}

/** A user threshold rule over `metrics` (see `ThresholdRule`). */
export function thresholdEvaluator(rule: ThresholdRule, metrics: MetricsQuery): RuleEvaluator {
  const { name, series, filter, op } = rule;
  if (name === '') throw new RangeError('Alert rule: a threshold rule needs a name');
  const owner = `Alert rule "${name}"`;
  const windowMs = checkedNumber(owner, 'windowMs', rule.windowMs, 'positive');
  const threshold = checkedNumber(owner, 'threshold', rule.threshold, 'finite');
  const resolveThreshold = checkedNumber(
    owner,
    'resolveThreshold',
    rule.resolveThreshold ?? threshold,
    'finite',
  );
  const forMs = checkedNumber(owner, 'forMs', rule.forMs ?? thresholdRuleDefaults.forMs, 'non-negative');
  if (op === '>' ? resolveThreshold > threshold : resolveThreshold < threshold) {
    throw new RangeError(
      `${owner}: resolveThreshold must be on the resolving side: ${op === '>' ? '≤' : '≥'} threshold`,
    );
  }
  const labels = filter ?? {};
  const hold: readonly Reading[] = [{ condition: 'hold', labels }];
  const measure = statReader(rule, metrics);
  try {
    measure();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RangeError(`${owner}: the metrics cannot answer it: ${reason}`, { cause: error });
  }
  const described = `${rule.stat} of ${rule.stat === 'ratio' ? `${series} / ${rule.denominator}` : series} over ${duration(windowMs)}${scope(filter)}`;
  return {
    name,
    severity: rule.severity ?? thresholdRuleDefaults.severity,
    forMs,
    read() {
      const value = measure();
      if (value === undefined) return hold;
      const measured = `${described} is ${round(value)}`;
      if (op === '>' ? value > threshold : value < threshold) {
        const summary = `${measured}, ${op === '>' ? 'above' : 'below'} ${threshold}`;
        return [{ condition: 'breach', labels, value, threshold, summary }];
      }
      if (op === '>' ? value <= resolveThreshold : value >= resolveThreshold) {
        const summary = `${measured}, back at or ${op === '>' ? 'below' : 'above'} ${resolveThreshold}`;
        return [{ condition: 'clear', labels, value, threshold: resolveThreshold, summary }];
      }
      return hold;
    },
  };
}

function statReader(rule: ThresholdRule, metrics: MetricsQuery): () => number | undefined {
  const { series, windowMs, filter } = rule;
  switch (rule.stat) {
    case 'count':
      return () => metrics.count(series, windowMs, filter);
    case 'rate':
      return () => metrics.rate(series, windowMs, filter);
    case 'ratio': {
      const denominator: WindowedSeries = rule.denominator;
      return () => metrics.ratio(series, denominator, windowMs, filter);
    }
    case 'average':
      return () => metrics.average(series, windowMs, filter);
    case 'p95':
      return () => metrics.quantile(series, 0.95, windowMs, filter);
    case 'p99':
      return () => metrics.quantile(series, 0.99, windowMs, filter);
    default:
      return unknownStat(rule);
  }
}

function unknownStat(rule: never): never {
  throw new RangeError(`Unknown alert statistic: ${String((rule as { stat: unknown }).stat)}`);
}

function percent(ratio: number): string {
  return `${round(ratio * 100)} %`;
}

function round(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/** `300000` → `5 min`: windows as people say them. */
export function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

function scope(filter: Labels | undefined): string {
  if (filter === undefined) return '';
  const pairs = Object.entries(filter).map(([key, value]) => `${key}=${value}`);
  return pairs.length === 0 ? '' : ` for ${pairs.join(', ')}`;
}
