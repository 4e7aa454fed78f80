/**
 * @steadfast/gateway: an OpenAI- and Anthropic-compatible gateway on the Steadfast engine.
 * @module
 */
export * from './config/index.ts';
export { createGatewayLogger, type GatewayLoggerOptions } from './logging/logger.ts';
export { type MetricsSource, prometheusContentType, prometheusText } from './metrics/prometheus.ts';
