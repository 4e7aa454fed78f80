import type { HistogramFamily, Labels, MetricFamily } from '../metric-family.ts';

/** Something that collects metric families: a `Metrics`. */
export interface Collecting {
  collect(): MetricFamily[];
}

function sameLabels(a: Labels, b: Labels): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** The family named `name`; fails the test when there is none. */
export function familyOf(metrics: Collecting, name: string): MetricFamily {
  const found = metrics.collect().find((family) => family.name === name);
  if (found === undefined) throw new Error(`no metric family named ${name}`);
  return found;
}

/** The value of the counter or gauge series with exactly `labels`; undefined when there is no such series. */
export function valueAt(metrics: Collecting, name: string, labels: Labels): number | undefined {
  const family = familyOf(metrics, name);
  if (family.type === 'histogram') throw new Error(`${name} is a histogram: read it with histogramOf`);
  return family.series.find((series) => sameLabels(series.labels, labels))?.value;
}

/** The histogram series with exactly `labels`; undefined when there is no such series. */
export function histogramOf(
  metrics: Collecting,
  name: string,
  labels: Labels,
): HistogramFamily['series'][number] | undefined {
  const family = familyOf(metrics, name);
  if (family.type !== 'histogram') throw new Error(`${name} is a ${family.type}, not a histogram`);
  return family.series.find((series) => sameLabels(series.labels, labels));
}

/** The label sets of a family's series, in order of first sight. */
export function labelSetsOf(metrics: Collecting, name: string): Labels[] {
  return familyOf(metrics, name).series.map((series) => series.labels);
}

/** The series of a counter or gauge family with a non-zero value, as `{ labels, value }`. */
export function nonZeroOf(metrics: Collecting, name: string): Array<{ labels: Labels; value: number }> {
  const family = familyOf(metrics, name);
  if (family.type === 'histogram') throw new Error(`${name} is a histogram`);
  return family.series.filter((series) => series.value !== 0).map(({ labels, value }) => ({ labels, value }));
}
