/**
 * The logging Steadfast needs: three levels, a structured object first and a message second. pino and
 * bunyan loggers fit as they are.
 */
export interface Logger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}
