import type { MetricFamily } from '@steadfast/core';
import { type Metric, Registry } from 'prom-client';

/** Anything that can list its metrics: the core's `createMetrics()` collector. */
export interface MetricsSource {
  collect(): MetricFamily[];
}

type Sample = { value: number; labels: Record<string, string>; metricName?: string };

/** One scrape's samples of a family, in prom-client's shape (histograms as `_bucket`, `_sum`, `_count`). */
function samples(family: MetricFamily): Sample[] {
  if (family.type !== 'histogram')
    return family.series.map((s) => ({ value: s.value, labels: { ...s.labels } }));
  const out: Sample[] = [];
  for (const series of family.series) {
    family.buckets.forEach((bound, i) => {
      out.push({
        metricName: `${family.name}_bucket`,
        labels: { ...series.labels, le: String(bound) },
        value: series.counts[i] ?? 0,
      });
    });
    out.push({
      metricName: `${family.name}_bucket`,
      labels: { ...series.labels, le: '+Inf' },
      value: series.count,
    });
    out.push({ metricName: `${family.name}_sum`, labels: { ...series.labels }, value: series.sum });
    out.push({ metricName: `${family.name}_count`, labels: { ...series.labels }, value: series.count });
  }
  return out;
}

/**
 * A read-only prom-client metric over a family the core collected. prom-client builds metrics by being
 * told each observation; ours are already counted, so each scrape hands prom-client the finished values
 * and lets it do the text exposition (escaping, ordering, content type).
 */
function bridge(family: MetricFamily): Metric {
  const metric = {
    name: family.name,
    help: family.help,
    type: family.type,
    aggregator: 'sum' as const,
    collect: () => undefined,
    get: async () => ({
      name: family.name,
      help: family.help,
      type: family.type,
      aggregator: 'sum',
      values: samples(family),
    }),
  };
  // prom-client's registry reads only these members; its `Metric` type names its own classes.
  return metric as unknown as Metric;
}

/** The content type of the Prometheus text exposition format (0.0.4). */
export const prometheusContentType: string = Registry.PROMETHEUS_CONTENT_TYPE;

/** The core's metrics in the Prometheus text exposition format, for `GET /metrics`. */
export async function prometheusText(source: MetricsSource): Promise<string> {
  const registry = new Registry();
  for (const family of source.collect()) registry.registerMetric(bridge(family));
  return registry.metrics();
}
