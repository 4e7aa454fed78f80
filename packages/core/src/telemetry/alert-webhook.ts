import { delay } from '../engine/delay.ts';
import { redactSecrets } from '../errors/redact.ts';
import { backoffDelayMs } from '../policies/backoff.ts';
import { type Clock, systemClock } from '../policies/clock.ts';
import type { Alert, AlertSink } from './alert.ts';
import { webhookDefaults } from './alert-defaults.ts';
import { checkedNumber } from './alert-rule.ts';
import { redactAlert } from './alert-sinks.ts';
import { Emitter, type Unsubscribe } from './event.ts';
import type { Logger } from './logger.ts';

/** Options of `webhookSink`. */
export interface WebhookSinkOptions {
  /** Where to POST. Its path and query may hold the hook's secret (Slack, Discord): only its origin is ever logged. */
  url: string;
  /** Sent with every POST (`authorization`, say); never logged nor reported in events. */
  headers?: Readonly<Record<string, string>>;
  /** @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Times attempts and retry waits. @default the system clock */
  clock?: Clock;
  /** Uniform in [0, 1), for backoff jitter. @default Math.random */
  random?: () => number;
  /** Alerts waiting behind the one being delivered; past this the oldest is dropped. @default 100 */
  maxQueue?: number;
  /** Attempts per alert, the first included. @default 5 */
  maxAttempts?: number;
  /** One attempt, in ms. @default 5000 */
  timeoutMs?: number;
  /** Exponential backoff between attempts, with equal jitter, in ms. @default { baseDelayMs: 1000, maxDelayMs: 30000 } */
  backoff?: { baseDelayMs?: number; maxDelayMs?: number };
  /** Told of every alert dropped (queue full, attempts spent, refused by the hook). */
  logger?: Logger;
}

/** Why an alert was given up on. */
export type WebhookDropReason =
  /** The queue was full and this was its oldest alert. */
  | 'queue_full'
  /** Every attempt failed (network, timeout, 408, 429 or 5xx). */
  | 'attempts_exhausted'
  /** The hook answered with a status retrying will not change (400, 401, 404…). */
  | 'rejected'
  /** The sink was disposed first. */
  | 'disposed';

/** What happened to a delivery. `error` and `status` describe the last attempt. */
export type WebhookEvent =
  | { type: 'delivered'; alert: Alert; attempts: number; status: number }
  | {
      type: 'retry';
      alert: Alert;
      /** The attempt that failed. */
      attempt: number;
      delayMs: number;
      status: number | undefined;
      error: string | undefined;
    }
  | {
      type: 'dropped';
      alert: Alert;
      reason: WebhookDropReason;
      attempts: number;
      status: number | undefined;
      error: string | undefined;
    };

/** Counts of a webhook sink since it was made. */
export interface WebhookStats {
  /** Alerts waiting, not counting the one being delivered. */
  queued: number;
  /** An alert is being delivered (an attempt in flight, or a wait before the next). */
  delivering: boolean;
  delivered: number;
  dropped: number;
}

/** A sink that POSTs each alert as JSON to a webhook. */
export interface WebhookSink extends AlertSink {
  /** Delivery outcomes; returns the unsubscribe function. */
  on(listener: (event: WebhookEvent) => void): Unsubscribe;
  stats(): WebhookStats;
  /** Aborts the delivery in flight and drops the queue. */
  dispose(): void;
}

type AttemptResult = { status: number; error: undefined } | { status: undefined; error: string };

/**
 * POSTs each alert, redacted, as its JSON body, one at a time and in order. `send` only queues: the
 * evaluator and the requests it watches never wait for the hook. Network errors, timeouts, 408, 429
 * and 5xx are retried with exponential backoff up to `maxAttempts`; other statuses drop the alert.
 * While the hook is down the queue holds at most `maxQueue` alerts, dropping the oldest.
 *
 * @throws TypeError when `url` is not a URL; RangeError when a number is out of range
 */
export function webhookSink(options: WebhookSinkOptions): WebhookSink {
  const { url, logger } = options;
  const origin = new URL(url).origin;
  const owner = 'webhookSink';
  const d = webhookDefaults;
  const maxQueue = checkedNumber(owner, 'maxQueue', options.maxQueue ?? d.maxQueue, 'positive');
  const maxAttempts = checkedNumber(owner, 'maxAttempts', options.maxAttempts ?? d.maxAttempts, 'positive');
  const timeoutMs = checkedNumber(owner, 'timeoutMs', options.timeoutMs ?? d.timeoutMs, 'positive');
  const baseDelayMs = checkedNumber(
    owner,
    'backoff.baseDelayMs',
    options.backoff?.baseDelayMs ?? d.baseDelayMs,
    'non-negative',
  );
  const maxDelayMs = checkedNumber(
    owner,
    'backoff.maxDelayMs',
    options.backoff?.maxDelayMs ?? d.maxDelayMs,
    'non-negative',
  );
  const fetchFn = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const headers = { 'content-type': 'application/json', ...options.headers };
  const events = new Emitter<WebhookEvent>();
  const lifetime = new AbortController();
  const queue: Alert[] = [];
  let delivering = false;
  let delivered = 0;
  let dropped = 0;

  function drop(alert: Alert, reason: WebhookDropReason, attempts: number, last?: AttemptResult): void {
    dropped++;
    const status = last?.status;
    const error = last?.error;
    events.emit({ type: 'dropped', alert, reason, attempts, status, error });
    if (reason === 'disposed') return;
    // Only the origin and what the hook said: the headers and the URL's path carry its credentials.
    logger?.warn(
      { webhook: origin, rule: alert.rule, state: alert.state, reason, attempts, status, error },
      `Alert ${alert.rule} ${alert.state} was not delivered to the webhook at ${origin} (${reason})`,
    );
  }

  async function attempt(body: string): Promise<AttemptResult> {
    const timeout = new AbortController();
    const timer = clock.setTimeout(() => timeout.abort(), timeoutMs);
    try {
      const response = await fetchFn(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.any([timeout.signal, lifetime.signal]),
      });
      // The answer's body is not needed; cancelling it frees the connection.
      response.body?.cancel().catch(() => undefined);
      return { status: response.status, error: undefined };
    } catch (thrown) {
      const error = timeout.signal.aborted ? `no answer within ${timeoutMs} ms` : describe(thrown);
      return { status: undefined, error };
    } finally {
      clock.clearTimeout(timer);
    }
  }

  async function deliver(alert: Alert): Promise<void> {
    const body = JSON.stringify(redactAlert(alert));
    for (let attempts = 1; ; attempts++) {
      const result = await attempt(body);
      if (lifetime.signal.aborted) return drop(alert, 'disposed', attempts, result);
      const { status } = result;
      if (status !== undefined && status >= 200 && status < 300) {
        delivered++;
        events.emit({ type: 'delivered', alert, attempts, status });
        return;
      }
      const retryable = status === undefined || status === 408 || status === 429 || status >= 500;
      if (!retryable) return drop(alert, 'rejected', attempts, result);
      if (attempts >= maxAttempts) return drop(alert, 'attempts_exhausted', attempts, result);
      // Equal jitter: at least half of each ceiling, so the attempts really span a short outage.
      const delayMs = backoffDelayMs(
        { retry: attempts - 1, baseDelayMs, maxDelayMs, jitter: 'equal', previousDelayMs: undefined },
        random,
      );
      // The wait is on the clock before listeners hear of it, so one that moves the clock ends it.
      const wait = delay(delayMs, clock, lifetime.signal);
      events.emit({ type: 'retry', alert, attempt: attempts, delayMs, status, error: result.error });
      try {
        await wait;
      } catch {
        return drop(alert, 'disposed', attempts, result);
      }
    }
  }

  async function pump(): Promise<void> {
    delivering = true;
    try {
      for (let alert = queue.shift(); alert !== undefined; alert = queue.shift()) await deliver(alert);
    } finally {
      delivering = false;
    }
  }

  return {
    send(alert) {
      if (lifetime.signal.aborted) return drop(alert, 'disposed', 0);
      queue.push(alert);
      if (queue.length > maxQueue) drop(queue.shift() as Alert, 'queue_full', 0);
      // Not awaited: this is the whole point of the queue.
      if (!delivering) pump().catch(() => undefined);
    },
    on: (listener) => events.on(listener),
    stats: () => ({ queued: queue.length, delivering, delivered, dropped }),
    dispose() {
      if (lifetime.signal.aborted) return;
      lifetime.abort();
      for (const alert of queue.splice(0)) drop(alert, 'disposed', 0);
    },
  };
}

/** undici's `fetch failed` hides the reason in `cause` (`ECONNREFUSED`, `UND_ERR_SOCKET`). */
function describe(thrown: unknown): string {
  if (!(thrown instanceof Error)) return redactSecrets(String(thrown));
  const cause = thrown.cause as { code?: unknown } | undefined;
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
  return redactSecrets(`${thrown.message}${code}`);
}
