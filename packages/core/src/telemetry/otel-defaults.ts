/** Defaults of the OpenTelemetry instrumentation. */
export const otelDefaults = {
  // Requests whose spans are open at once. A request ends within its deadline (2 min by default) or
  // when its stream is read to the end; ten thousand covers any realistic concurrency, and only a
  // stream nobody reads stays open longer.
  maxOpenRequests: 10_000,
  tracerName: '@steadfast/core',
} as const;
