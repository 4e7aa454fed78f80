import type { Jitter } from './retry.ts';

/** The facts one backoff wait is computed from. */
export interface BackoffInput {
  /** Which retry the wait comes before: 0 for the first retry. */
  retry: number;
  /** Backoff base, in ms. */
  baseDelayMs: number;
  /** Longest wait, in ms. */
  maxDelayMs: number;
  jitter: Jitter;
  /** The wait before the previous retry, in ms; `decorrelated` grows from it (the base when absent). */
  previousDelayMs: number | undefined;
}

/**
 * The wait before a retry, in ms, for each jitter mode of the AWS Architecture Blog's "Exponential
 * Backoff And Jitter" (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/),
 * where `ceiling` is `min(maxDelayMs, baseDelayMs · 2^retry)`:
 *
 * - `none`: the ceiling;
 * - `full`: uniform in [0, ceiling);
 * - `equal`: half the ceiling, plus uniform in [0, ceiling / 2);
 * - `decorrelated`: `min(maxDelayMs, uniform in [baseDelayMs, previousDelayMs · 3))`, ignoring `retry`.
 *
 * Pure: `random` (uniform in [0, 1), like `Math.random`) is its only source of chance.
 */
export function backoffDelayMs(input: BackoffInput, random: () => number): number {
  const { baseDelayMs, maxDelayMs } = input;
  switch (input.jitter) {
    case 'none':
      return ceilingMs(input);
    case 'full':
      return random() * ceilingMs(input);
    case 'equal': {
      const half = ceilingMs(input) / 2;
      return half + random() * half;
    }
    case 'decorrelated': {
      // After a short server-requested wait, or with a cap below the base, `previous · 3` can fall under
      // the base; the range then collapses to the base instead of turning upside down.
      const upper = Math.max(baseDelayMs, (input.previousDelayMs ?? baseDelayMs) * 3);
      return Math.min(maxDelayMs, baseDelayMs + random() * (upper - baseDelayMs));
    }
    default:
      return unknownJitter(input.jitter);
  }
}

function ceilingMs({ retry, baseDelayMs, maxDelayMs }: BackoffInput): number {
  // 0 · 2^1024 is NaN; a zero base never grows.
  if (baseDelayMs === 0) return 0;
  return Math.min(maxDelayMs, baseDelayMs * 2 ** retry);
}

function unknownJitter(jitter: never): never {
  throw new RangeError(`Unknown jitter mode: ${String(jitter)}`);
}
