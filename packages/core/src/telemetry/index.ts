export type { Alert, AlertSeverity, AlertSink } from './alert.ts';
export {
  type AlertRule,
  type BreakerOpenRule,
  builtInAlertRules,
  type ErrorRateRule,
  type LastOptionRule,
  type LatencyDoubledRule,
  type ThresholdRule,
  type ThresholdStat,
} from './alert-rule.ts';
export { callbackSink, logSink } from './alert-sinks.ts';
export {
  type WebhookDropReason,
  type WebhookEvent,
  type WebhookSink,
  type WebhookSinkOptions,
  type WebhookStats,
  webhookSink,
} from './alert-webhook.ts';
export { type Alerts, type AlertsOptions, createAlerts } from './alerts.ts';
export { Emitter, type Unsubscribe } from './event.ts';
export type { EngineEventSource } from './event-source.ts';
export type { Logger } from './logger.ts';
export type {
  CounterFamily,
  GaugeFamily,
  HistogramFamily,
  Labels,
  MetricFamily,
  MetricsQuery,
  WindowedSeries,
} from './metric-family.ts';
export { createMetrics, type Metrics, type MetricsOptions } from './metrics.ts';
export { instrumentOpenTelemetry, type OpenTelemetryOptions } from './otel.ts';
export { createRedactor, type Redactor, type RedactorOptions } from './redact.ts';
export { logRequests, type RequestLogOptions } from './request-log.ts';
