import type { ErrorKind } from '../errors/kinds.ts';
import type { SteadfastError } from '../errors/steadfast-error.ts';
import { backoffDelayMs } from './backoff.ts';
import { retryDefaults } from './defaults.ts';

/** How to spread retries out. `full` (the default) draws the wait uniformly from 0 to the backoff. */
export type Jitter = 'full' | 'equal' | 'decorrelated' | 'none';

/** Options of a retry policy; every field has a default. */
export interface RetryOptions {
  /** Retries of one candidate after its first attempt. @default 3 */
  maxRetries?: number;
  /** Backoff base, in ms. @default 1000 */
  baseDelayMs?: number;
  /** Longest wait before a retry, in ms; a provider asking for longer sends us to the next candidate. @default 60000 */
  maxDelayMs?: number;
  /** @default 'full' */
  jitter?: Jitter;
  /**
   * Per-kind overrides of whether a kind is retried (the error's own `retryable` otherwise).
   * `cancelled` is never retried, whatever this says.
   */
  retryOn?: Partial<Record<ErrorKind, boolean>>;
  /**
   * Retry a candidate that timed out before answering (no headers, or no first token).
   * @default false: a silent provider is likely to stay silent; move on instead
   */
  retryTimeouts?: boolean;
}

/** What to do after a failed attempt of one candidate. */
export type RetryDecision =
  | { action: 'retry'; delayMs: number }
  | {
      action: 'move-on';
      reason: 'not_retryable' | 'max_retries' | 'wait_too_long' | 'deadline';
    };

/** The facts a retry decision rests on. */
export interface RetryInput {
  error: SteadfastError;
  /** Retries of this candidate so far (0 after its first attempt failed). */
  retriesSoFar: number;
  /** The wait before the previous retry (decorrelated jitter builds on it). */
  previousDelayMs: number | undefined;
  /** Time left before the request's deadline, in ms (Infinity without one). */
  remainingMs: number;
}

/** Decides, after each failed attempt, whether to retry the same candidate and after how long. */
export interface RetryPolicy {
  decide(input: RetryInput): RetryDecision;
}

const jitterModes: readonly Jitter[] = ['full', 'equal', 'decorrelated', 'none'];

/**
 * A retry policy from plain options. It decides, in this order:
 *
 * 1. `not_retryable`: the caller cancelled (never retried); or the kind is not retried (`retryOn[kind]`,
 *    else the error's `retryable`); or the call timed out before answering and `retryTimeouts` is off;
 * 2. `max_retries`: `maxRetries` retries were already made;
 * 3. `wait_too_long`: the provider asked to wait longer than `maxDelayMs`;
 * 4. `deadline`: the wait would not end before the request's deadline;
 * 5. otherwise retry after exactly the wait the provider asked for (`retryAfterMs`: never sooner, and no
 *    later either, since the provider knows its own window), or after the jittered backoff when it asked for none.
 *
 * @param random uniform in [0, 1), for jitter. @default Math.random
 * @throws RangeError when an option is out of range
 */
export function createRetryPolicy(
  options: RetryOptions = {},
  random: () => number = Math.random,
): RetryPolicy {
  const maxRetries = options.maxRetries ?? retryDefaults.maxRetries;
  const baseDelayMs = options.baseDelayMs ?? retryDefaults.baseDelayMs;
  const maxDelayMs = options.maxDelayMs ?? retryDefaults.maxDelayMs;
  const jitter = options.jitter ?? retryDefaults.jitter;
  const retryTimeouts = options.retryTimeouts ?? retryDefaults.retryTimeouts;
  const retryOn = options.retryOn ?? {};

  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new RangeError(`maxRetries must be a whole number of at least 0, got ${maxRetries}`);
  }
  if (!Number.isFinite(baseDelayMs) || baseDelayMs < 0) {
    throw new RangeError(`baseDelayMs must be a finite number of at least 0, got ${baseDelayMs}`);
  }
  if (Number.isNaN(maxDelayMs) || maxDelayMs < 0) {
    throw new RangeError(`maxDelayMs must be a number of at least 0, got ${maxDelayMs}`);
  }
  if (!jitterModes.includes(jitter)) {
    throw new RangeError(`jitter must be one of ${jitterModes.join(', ')}, got ${String(jitter)}`);
  }

  return {
    decide({ error, retriesSoFar, previousDelayMs, remainingMs }: RetryInput): RetryDecision {
      if (error.kind === 'cancelled') return { action: 'move-on', reason: 'not_retryable' };
      if (!(retryOn[error.kind] ?? error.retryable)) return { action: 'move-on', reason: 'not_retryable' };
      if (!retryTimeouts && isSilentTimeout(error)) return { action: 'move-on', reason: 'not_retryable' };
      if (retriesSoFar >= maxRetries) return { action: 'move-on', reason: 'max_retries' };

      // `> 0` also turns a NaN from a garbled header into "no request".
      const serverWaitMs =
        error.retryAfterMs !== undefined && error.retryAfterMs > 0 ? error.retryAfterMs : 0;
      if (serverWaitMs > maxDelayMs) return { action: 'move-on', reason: 'wait_too_long' };

      const delayMs =
        serverWaitMs > 0
          ? serverWaitMs
          : backoffDelayMs({ retry: retriesSoFar, baseDelayMs, maxDelayMs, jitter, previousDelayMs }, random);
      // A wait that ends at the deadline leaves no time for the attempt it waits for.
      if (delayMs >= remainingMs) return { action: 'move-on', reason: 'deadline' };
      return { action: 'retry', delayMs };
    },
  };
}

/** A call that never answered (codes set by `CallGuard`); an `idle` stream did answer, and may again. */
function isSilentTimeout(error: SteadfastError): boolean {
  return error.kind === 'timeout' && (error.code === 'call' || error.code === 'first_token');
}
