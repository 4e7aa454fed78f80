import { createRedactor, type Logger } from '@steadfast/core';
import { type DestinationStream, pino } from 'pino';

/** Options of the gateway's logger. */
export interface GatewayLoggerOptions {
  /** @default 'info' */
  level?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /** Keys and tokens to scrub wherever they appear (configured provider keys, gateway keys). */
  secrets?: string[];
  /** Where lines go. @default standard output */
  destination?: DestinationStream;
}

/**
 * The gateway's structured logger: pino, JSON lines, every line passed through the core's redactor, so
 * that a key can appear neither in a field nor in a message, whatever logged it.
 */
export function createGatewayLogger(options: GatewayLoggerOptions = {}): Logger & { flush(): void } {
  const redactor = createRedactor({ secrets: options.secrets ?? [] });
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: null,
      formatters: {
        log: (object) => redactor.value(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg) => (typeof arg === 'string' ? redactor.text(arg) : arg)) as Parameters<
              typeof method
            >,
          );
        },
      },
    },
    options.destination,
  );
  return {
    info: (object, message) => logger.info(object, message),
    warn: (object, message) => logger.warn(object, message),
    error: (object, message) => logger.error(object, message),
    flush: () => logger.flush(),
  };
}
