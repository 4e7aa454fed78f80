import { redactSecrets } from '../errors/redact.ts';
import type { Alert, AlertSink } from './alert.ts';
import type { Logger } from './logger.ts';

/**
 * The alert with anything credential-like in its text replaced: summaries and labels can quote
 * provider errors, and those echo keys back (see `redactSecrets`).
 */
export function redactAlert(alert: Alert): Alert {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(alert.labels)) labels[key] = redactSecrets(value);
  return { ...alert, summary: redactSecrets(alert.summary), labels };
}

/**
 * Logs each notification: a firing alert at `error` when critical, `warn` when a warning, `info`
 * otherwise; a resolved one at `info`. The alert goes in the object as `alert`, redacted.
 */
export function logSink(logger: Logger): AlertSink {
  return {
    send(alert) {
      const redacted = redactAlert(alert);
      const message = `Alert ${redacted.rule} ${redacted.state}: ${redacted.summary}`;
      const fields = { alert: redacted };
      if (alert.state === 'resolved' || alert.severity === 'info') logger.info(fields, message);
      else if (alert.severity === 'warning') logger.warn(fields, message);
      else logger.error(fields, message);
    },
  };
}

/**
 * Hands each notification to `callback`, unredacted (it runs in process). It is not awaited (an async
 * callback is fine), and what it throws or rejects with is dropped: it may run inside an engine event,
 * and must never fail the request.
 */
export function callbackSink(callback: (alert: Alert) => void): AlertSink {
  return {
    send(alert) {
      try {
        Promise.resolve(callback(alert)).catch(() => undefined);
      } catch {
        // See above: a failing callback is the callback's problem.
      }
    },
  };
}
