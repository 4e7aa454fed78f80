import type { HistogramFamily, Labels } from '../metric-family.ts';
import { LabelIndex } from './label-index.ts';

/** Observations of one label set: per-bucket counts (not cumulative), their sum and their count. */
export interface HistogramSeries {
  readonly labels: Labels;
  /** `counts[i]`: observations in (`buckets[i - 1]`, `buckets[i]`]; those above the last bound only count. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/** A Prometheus-style histogram with fixed upper bounds. */
export class HistogramMetric {
  readonly name: string;
  readonly help: string;
  readonly buckets: readonly number[];
  readonly #index: LabelIndex<HistogramSeries>;

  /** `buckets`: upper bounds, ascending, in the metric's unit. */
  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
    this.name = name;
    this.help = help;
    this.buckets = buckets;
    const size = buckets.length;
    this.#index = new LabelIndex(labelNames, (labels) => ({
      labels,
      counts: new Float64Array(size),
      sum: 0,
      count: 0,
    }));
  }

  series(a: string, b?: string, c?: string, d?: string): HistogramSeries {
    return this.#index.get(a, b, c, d);
  }

  observe(series: HistogramSeries, value: number): void {
    const bounds = this.buckets;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    if (i < bounds.length) series.counts[i] = (series.counts[i] as number) + 1;
    series.sum += value;
    series.count += 1;
  }

  /** A snapshot with cumulative counts, as exporters read it. */
  collect(): HistogramFamily {
    const series = this.#index.entries.map(({ labels, counts, sum, count }) => {
      const cumulative: number[] = [];
      let running = 0;
      for (const n of counts) {
        running += n;
        cumulative.push(running);
      }
      return { labels, counts: cumulative, sum, count };
    });
    return { type: 'histogram', name: this.name, help: this.help, buckets: this.buckets, series };
  }
}
