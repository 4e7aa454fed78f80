import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/**
 * A Prometheus text exposition read back by a real parser (`parse-prometheus-text-format`, a port of
 * the Python client's parser), the way a scraper would read `GET /metrics`.
 *
 * The parser folds every series of a labelled histogram into one bucket map and drops their `_sum` and
 * `_count` (yunyu/parse-prometheus-text-format#13, open). So the text is parsed twice: as it is, for each
 * family's name, HELP and TYPE and the counter and gauge samples; and with its comment lines left out,
 * which makes every sample line (`_bucket`, `_sum`, `_count` included) a sample of its own that the
 * parser keeps whole, labels and all.
 */
export interface Scrape {
  /** Each family's HELP and TYPE (`COUNTER`, `GAUGE`, `HISTOGRAM`), by name, in the order exposed. */
  families: Map<string, { help: string; type: string }>;
  /** Every sample line, in order, as the parser read it: `{ name, labels, value }`. */
  samples: ExposedSample[];
  /** The value of the sample `name{labels}` (labels matched exactly); undefined when there is none. */
  value(name: string, labels?: Readonly<Record<string, string>>): number | undefined;
  /** The label sets of a counter or gauge family's samples, as its TYPE-aware parse reads them. */
  labelSets(name: string): Array<Record<string, string>>;
  /** One series of a histogram family, from its `_bucket`, `_sum` and `_count` lines. */
  histogram(name: string, labels?: Readonly<Record<string, string>>): ExposedHistogram | undefined;
}

export interface ExposedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ExposedHistogram {
  /** `[le, count]` in the order exposed; `le` as the text has it (`"0.05"`, `"+Inf"`). */
  buckets: Array<[string, number]>;
  sum: number | undefined;
  count: number | undefined;
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** A sample value as the format writes it (`+Inf`, `NaN`, `1e-7`) as a number. */
function numberOf(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

export function scrape(text: string): Scrape {
  const typed = parsePrometheusTextFormat(text);
  const untyped = parsePrometheusTextFormat(
    text
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .join('\n'),
  );
  const samples: ExposedSample[] = [];
  for (const family of untyped) {
    for (const metric of family.metrics) {
      if (!('value' in metric)) throw new Error(`${family.name}: a sample without a value`);
      samples.push({ name: family.name, labels: metric.labels ?? {}, value: numberOf(metric.value) });
    }
  }
  const families = new Map(typed.map((family) => [family.name, { help: family.help, type: family.type }]));

  function value(name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
    return samples.find((sample) => sample.name === name && sameLabels(sample.labels, labels))?.value;
  }

  return {
    families,
    samples,
    value,
    labelSets(name) {
      const family = typed.find((candidate) => candidate.name === name);
      if (family === undefined) throw new Error(`no family named ${name} in the exposition`);
      return family.metrics.map((metric) => metric.labels ?? {});
    },
    histogram(name, labels = {}) {
      const buckets: Array<[string, number]> = [];
      for (const sample of samples) {
        if (sample.name !== `${name}_bucket`) continue;
        const { le, ...rest } = sample.labels;
        if (le !== undefined && sameLabels(rest, labels)) buckets.push([le, sample.value]);
      }
      const sum = value(`${name}_sum`, labels);
      const count = value(`${name}_count`, labels);
      if (buckets.length === 0 && sum === undefined && count === undefined) return undefined;
      return { buckets, sum, count };
    },
  };
}
