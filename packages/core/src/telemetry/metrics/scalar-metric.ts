import type { CounterFamily, GaugeFamily, Labels } from '../metric-family.ts';
import { LabelIndex } from './label-index.ts';

/** One number of a counter or gauge, for one label set. */
export interface ScalarSeries {
  readonly labels: Labels;
  value: number;
}

function newSeries(labels: Labels): ScalarSeries {
  return { labels, value: 0 };
}

/** A counter or a gauge: one number per label set. Callers move `series(...).value` themselves. */
export class ScalarMetric {
  readonly type: 'counter' | 'gauge';
  readonly name: string;
  readonly help: string;
  readonly #index: LabelIndex<ScalarSeries>;

  constructor(type: 'counter' | 'gauge', name: string, help: string, labelNames: readonly string[]) {
    this.type = type;
    this.name = name;
    this.help = help;
    this.#index = new LabelIndex(labelNames, newSeries);
  }

  /** The series of these label values (in the order of the metric's label names), made on first use. */
  series(a: string, b?: string, c?: string, d?: string): ScalarSeries {
    return this.#index.get(a, b, c, d);
  }

  /** A snapshot: later changes do not show in it. */
  collect(): CounterFamily | GaugeFamily {
    const series = this.#index.entries.map(({ labels, value }) => ({ labels, value }));
    return { type: this.type, name: this.name, help: this.help, series };
  }
}
