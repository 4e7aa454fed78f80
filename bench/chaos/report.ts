import type { Outcome } from './client-under-test.ts';
import type { ChaosScenario } from './scenarios.ts';

/** One client's run of one scenario. */
export interface Run {
  client: string;
  outcomes: Outcome[];
  /** Upstream attempts the simulator received, per model. */
  primaryAttempts: number;
  fallbackAttempts: number;
  /** From the first request sent to the last outcome, in ms. */
  wallMs: number;
}

/** The figures of one run. */
export interface Figures {
  requests: number;
  /** Share of requests answered (or, for a refusal scenario, correctly refused), 0 to 1. */
  successRate: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  attemptsPerRequest: number;
  /** Total cost of every attempt divided by the answered requests, in USD; NaN when none was answered. */
  costPerAnswerUsd: number;
  totalCostUsd: number;
  answeredByFallback: number;
  /** Failure labels and their counts, most frequent first. */
  failures: Array<[string, number]>;
}

/** The `fraction` quantile of sorted values (nearest rank). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number;
}

/** Latency quantiles of some outcomes, in ms. */
export function latencies(outcomes: readonly Outcome[]): { p50Ms: number; p95Ms: number; p99Ms: number } {
  const sorted = outcomes.map((outcome) => outcome.latencyMs).sort((a, b) => a - b);
  return { p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95), p99Ms: percentile(sorted, 0.99) };
}

export function figuresOf(scenario: ChaosScenario, run: Run): Figures {
  const wanted = scenario.expect === 'refusal' ? 'refused' : 'answered';
  const requests = run.outcomes.length;
  const succeeded = run.outcomes.filter((outcome) => outcome.result === wanted).length;
  const answered = run.outcomes.filter((outcome) => outcome.result === 'answered');
  const totalCostUsd = run.outcomes.reduce((sum, outcome) => sum + outcome.costUsd, 0);
  const failures = new Map<string, number>();
  for (const outcome of run.outcomes) {
    if (outcome.result === wanted || outcome.failure === undefined) continue;
    failures.set(outcome.failure, (failures.get(outcome.failure) ?? 0) + 1);
  }
  return {
    requests,
    successRate: succeeded / requests,
    ...latencies(run.outcomes),
    attemptsPerRequest: (run.primaryAttempts + run.fallbackAttempts) / requests,
    costPerAnswerUsd: answered.length === 0 ? Number.NaN : totalCostUsd / answered.length,
    totalCostUsd,
    answeredByFallback: answered.filter((outcome) => outcome.fallback).length,
    failures: [...failures].sort((a, b) => b[1] - a[1]),
  };
}

const ms = (value: number): string => (Number.isNaN(value) ? '–' : value.toFixed(0));

/** A Markdown table, columns padded; the first column left-aligned, the others right-aligned. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((width, i) => (i === 0 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** The table of one scenario: one row per client. */
export function scenarioTable(scenario: ChaosScenario, runs: readonly Run[]): string {
  const header = [
    'client',
    scenario.expect === 'refusal' ? 'correctly refused' : 'success',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'attempts/req (primary + fallback)',
    '$ per 1k answers',
    'by fallback',
    'failures',
  ];
  const rows = runs.map((run) => {
    const f = figuresOf(scenario, run);
    const per = (n: number): string => (n / f.requests).toFixed(2);
    return [
      run.client,
      `${(f.successRate * 100).toFixed(1)} %`,
      ms(f.p50Ms),
      ms(f.p95Ms),
      ms(f.p99Ms),
      `${f.attemptsPerRequest.toFixed(2)} (${per(run.primaryAttempts)} + ${per(run.fallbackAttempts)})`,
      Number.isNaN(f.costPerAnswerUsd) ? '–' : (f.costPerAnswerUsd * 1000).toFixed(4),
      String(f.answeredByFallback),
      f.failures.map(([label, count]) => `${label} ×${count}`).join(', ') || '–',
    ];
  });
  return markdownTable(header, rows);
}
