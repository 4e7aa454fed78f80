// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${NAME}` is the config file's variable syntax, not a template.
import type { WindowedSeries } from '@steadfast/core';
import { z } from 'zod';
import { strictObject } from './strict-object.ts';

// A record, so that a series added to `WindowedSeries` cannot be forgotten here.
const windowedSeries = Object.keys({
  requests: true,
  request_errors: true,
  attempts: true,
  attempt_errors: true,
  retries: true,
  fallbacks: true,
  last_option: true,
  cache_hits: true,
  degraded: true,
  content_errors: true,
  breaker_opened: true,
  request_duration_ms: true,
  attempt_duration_ms: true,
  first_token_ms: true,
  cost_usd: true,
} satisfies Record<WindowedSeries, true>) as [WindowedSeries, ...WindowedSeries[]];

const ms = z.number().int().nonnegative();
const positiveMs = z.number().int().positive();
const ratio = z.number().min(0).max(1);
const series = z.enum(windowedSeries);
const labels = z
  .record(z.string().min(1), z.string())
  .exactOptional()
  .describe('Only requests with these labels.');
const base = {
  name: z
    .string()
    .min(1)
    .exactOptional()
    .describe('Unique among the rules; the alert name. Default the type.'),
  severity: z.enum(['info', 'warning', 'critical']).exactOptional(),
};

/** One alert rule: a built-in kind with its options, or a threshold on a windowed metric. */
export const alertRuleSchema = z.discriminatedUnion('type', [
  strictObject({
    type: z.literal('error-rate'),
    ...base,
    windowMs: positiveMs.exactOptional().describe('Default 300000.'),
    thresholdRatio: ratio.exactOptional().describe('Default 0.05.'),
    resolveRatio: ratio.exactOptional().describe('Default 0.04.'),
    forMs: ms.exactOptional().describe('Default 300000.'),
    minRequests: z.number().int().nonnegative().exactOptional().describe('Default 20.'),
    filter: labels,
  }),
  strictObject({ type: z.literal('breaker-open'), ...base }),
  strictObject({
    type: z.literal('last-option'),
    ...base,
    quietMs: positiveMs.exactOptional().describe('Default 300000.'),
  }),
  strictObject({
    type: z.literal('latency-doubled'),
    ...base,
    windowMs: positiveMs.exactOptional().describe('Default 300000.'),
    baselineMs: positiveMs.exactOptional().describe('Default 3600000.'),
    factor: z.number().positive().exactOptional().describe('Default 2.'),
    resolveFactor: z.number().positive().exactOptional().describe('Default 1.5.'),
    forMs: ms.exactOptional().describe('Default 0.'),
    minSamples: z.number().int().nonnegative().exactOptional().describe('Default 20.'),
    minBaselineSamples: z.number().int().nonnegative().exactOptional().describe('Default 50.'),
    filter: labels,
  }),
  strictObject({
    type: z.literal('threshold'),
    ...base,
    name: z.string().min(1).describe('Unique among the rules; the alert name.'),
    series,
    stat: z.enum(['count', 'rate', 'ratio', 'average', 'p95', 'p99']),
    denominator: series.exactOptional().describe('For stat ratio: the series divided by.'),
    windowMs: positiveMs,
    filter: labels,
    op: z.enum(['>', '<']),
    threshold: z.number(),
    forMs: ms.exactOptional().describe('Default 0.'),
    resolveThreshold: z.number().exactOptional().describe('Default the threshold.'),
  }).superRefine((rule, ctx) => {
    if (rule.stat === 'ratio' && rule.denominator === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['denominator'],
        message: 'missing: stat ratio divides by a denominator series',
      });
    }
    if (rule.stat !== 'ratio' && rule.denominator !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['denominator'], message: 'only stat ratio takes a denominator' });
    }
  }),
]);

/** Where alerts go: the gateway's log, or a webhook (Slack, PagerDuty, anything that takes a JSON POST). */
export const alertSinkSchema = z.discriminatedUnion('type', [
  strictObject({ type: z.literal('log') }),
  strictObject({
    type: z.literal('webhook'),
    url: z
      .url({ protocol: /^https?$/ })
      .describe('Where to POST each alert. Use ${ENV} when it holds a secret.'),
    headers: z
      .record(z.string().min(1), z.string())
      .exactOptional()
      .describe('Sent with every POST; never logged.'),
    maxQueue: z.number().int().positive().exactOptional().describe('Default 100.'),
    maxAttempts: z.number().int().positive().exactOptional().describe('Default 5.'),
    timeoutMs: positiveMs.exactOptional().describe('Default 5000.'),
    backoff: strictObject({
      baseDelayMs: ms.exactOptional(),
      maxDelayMs: ms.exactOptional(),
    }).exactOptional(),
  }),
]);

/** The `alerts` section. */
export const alertsSchema = strictObject({
  rules: z
    .array(alertRuleSchema)
    .exactOptional()
    .describe('Default the built-in rules: error-rate, breaker-open, last-option, latency-doubled.'),
  sinks: z
    .array(alertSinkSchema)
    .prefault([{ type: 'log' }])
    .describe('Default one log sink.'),
  evaluateEveryMs: positiveMs.exactOptional().describe('How often metric rules are read. Default 15000.'),
});

export type AlertRuleConfig = z.output<typeof alertRuleSchema>;
export type AlertSinkConfig = z.output<typeof alertSinkSchema>;
export type AlertsConfig = z.output<typeof alertsSchema>;
