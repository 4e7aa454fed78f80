import { type AlertSink, type Logger, logSink, webhookSink } from '@steadfast/core';
import type { AlertSinkConfig } from './alerts-schema.ts';

/** What the sinks of the config need from the server. */
export interface AlertSinkDeps {
  /** The gateway's logger: `log` sinks write to it, webhook sinks report dropped alerts to it. */
  logger: Logger;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/**
 * The sinks of the `alerts` section, for `createAlerts`. Nothing is sent until an alert fires; the
 * evaluator owns them and disposes of them.
 */
export function createAlertSinks(sinks: readonly AlertSinkConfig[], deps: AlertSinkDeps): AlertSink[] {
  return sinks.map((sink) => {
    switch (sink.type) {
      case 'log':
        return logSink(deps.logger);
      case 'webhook': {
        const { type: _, ...options } = sink;
        return webhookSink({
          ...options,
          logger: deps.logger,
          ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
        });
      }
      default:
        return sink satisfies never;
    }
  });
}
