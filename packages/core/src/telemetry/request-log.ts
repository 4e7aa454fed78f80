import type { AttemptRecord, EngineEvent } from '../engine/types.ts';
import type { Unsubscribe } from './event.ts';
import type { EngineEventSource } from './event-source.ts';
import type { Logger } from './logger.ts';
import { OpenRequests } from './open-requests.ts';
import { createRedactor, type Redactor } from './redact.ts';
import { requestLogDefaults } from './request-log-defaults.ts';

/** Options of `logRequests`. */
export interface RequestLogOptions {
  /** Applied to every line before it is written. @default createRedactor() (known key shapes only) */
  redactor?: Redactor;
  /**
   * Longest string field of a line, in characters (error messages, and bodies when a caller adds
   * them); a longer one is cut and ends with how much was cut. Applied after redaction, so that a cut
   * never leaves part of a secret behind. @default 2000
   */
  maxBodyChars?: number;
  /** Requests in flight whose route and attempt numbers are remembered. @default 10000 */
  maxOpenRequests?: number;
}

interface LoggedRequest {
  route: string;
  /** Attempts started and not yet ended, oldest first, with their number. */
  attempts: Array<{ provider: string; model: string; attempt: number }>;
}

type Level = 'info' | 'warn' | 'error';

/** Token counts summed over the attempts that reported usage; undefined when none did. */
function tokensOf(attempts: readonly AttemptRecord[]): {
  inputTokens: number | undefined;
  outputTokens: number | undefined;
} {
  let inputTokens: number | undefined;
  let outputTokens: number | undefined;
  for (const attempt of attempts) {
    if (attempt.usage === undefined) continue;
    inputTokens = (inputTokens ?? 0) + attempt.usage.inputTokens;
    outputTokens = (outputTokens ?? 0) + attempt.usage.outputTokens;
  }
  return { inputTokens, outputTokens };
}

/**
 * Writes one structured line per request (at its end) and one per failed attempt to `logger`, every
 * line redacted. A request line says how it ended, who answered, how many attempts it took, how long,
 * tokens and cost, the cache and degraded flags, and the error's kind, status and provider request id.
 * An attempt line says which candidate failed, how, and how long it took.
 *
 * Levels: `info` for answers and cancellations, `warn` for stale or degraded answers and failed
 * attempts, `error` for failed requests. Returns the function that stops it.
 */
export function logRequests(
  source: EngineEventSource,
  logger: Logger,
  options: RequestLogOptions = {},
): Unsubscribe {
  const redactor = options.redactor ?? createRedactor();
  const maxChars = options.maxBodyChars ?? requestLogDefaults.maxBodyChars;
  // An evicted request only loses its route and attempt numbers from later lines; nothing to close.
  const requests = new OpenRequests<LoggedRequest>(
    options.maxOpenRequests ?? requestLogDefaults.maxOpenRequests,
    () => undefined,
  );

  /**
   * Writes the fields that are known (not undefined), each value redacted. The keys are this module's
   * own field names and need no redaction: passing the whole line through `redactor.value` ran every
   * key through every pattern too, and cost more than the engine's own work per request.
   */
  function write(level: Level, fields: Record<string, unknown>, msg: string): void {
    const line: Record<string, unknown> = {};
    for (const key in fields) {
      const value = fields[key];
      if (value === undefined) continue;
      if (typeof value === 'string') {
        const text = redactor.text(value);
        line[key] =
          text.length > maxChars
            ? `${text.slice(0, maxChars)}… [${text.length - maxChars} more chars]`
            : text;
      } else {
        line[key] = typeof value === 'object' && value !== null ? redactor.value(value) : value;
      }
    }
    logger[level](line, msg);
  }

  function onEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'request-start':
        requests.add(event.requestId, { route: event.route, attempts: [] });
        return;
      case 'attempt-start':
        requests.get(event.requestId)?.attempts.push({
          provider: event.provider,
          model: event.model,
          attempt: event.attempt,
        });
        return;
      case 'attempt-end': {
        const request = requests.get(event.requestId);
        const index =
          request?.attempts.findIndex((a) => a.provider === event.provider && a.model === event.model) ?? -1;
        const started = index === -1 ? undefined : request?.attempts.splice(index, 1)[0];
        if (event.outcome === 'ok') return;
        const cancelled = event.outcome === 'cancelled';
        write(
          cancelled ? 'info' : 'warn',
          {
            requestId: event.requestId,
            route: request?.route,
            attempt: started?.attempt,
            provider: event.provider,
            model: event.model,
            kind: event.outcome,
            status: event.status,
            code: event.error?.code,
            providerRequestId: event.error?.requestId,
            durationMs: event.durationMs,
            retryDelayMs: event.delayMs,
            error: event.error?.message,
          },
          cancelled ? 'attempt cancelled' : 'attempt failed',
        );
        return;
      }
      case 'request-end': {
        requests.take(event.requestId);
        const { report, error } = event;
        const answered =
          event.outcome === 'ok' ? report.attempts.findLast((a) => a.outcome === 'ok') : undefined;
        const cancelled = error?.kind === 'cancelled';
        const level: Level =
          event.outcome === 'failed'
            ? cancelled
              ? 'info'
              : 'error'
            : event.outcome === 'stale' || event.outcome === 'degraded'
              ? 'warn'
              : 'info';
        write(
          level,
          {
            requestId: event.requestId,
            route: event.route,
            outcome: event.outcome,
            provider: answered?.provider,
            model: answered?.model,
            attempts: report.attempts.length,
            durationMs: report.durationMs,
            ...tokensOf(report.attempts),
            costUsd: report.costUsd,
            fallback: report.fallbackUsed,
            cache: report.cache,
            cacheAgeMs: report.cacheAgeMs,
            degraded: report.degraded,
            kind: error?.kind,
            status: error?.status,
            code: error?.code,
            providerRequestId: error?.requestId,
            error: error?.message,
          },
          cancelled ? 'request cancelled' : `request ${event.outcome}`,
        );
        return;
      }
      default:
        return;
    }
  }

  return source.on(onEvent);
}
