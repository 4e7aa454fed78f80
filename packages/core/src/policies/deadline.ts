import { type Clock, systemClock } from './clock.ts';

/**
 * The time limit of one whole request: every attempt, every wait and every fallback share it.
 * Without a limit (`totalMs` undefined) nothing ever expires.
 */
export class Deadline {
  /** Epoch ms at which the request runs out of time (Infinity without a limit). */
  readonly expiresAtMs: number;
  readonly #clock: Clock;

  /**
   * @param totalMs the whole request's time, in ms, from now; undefined for no limit
   * @throws RangeError when `totalMs` is negative or NaN
   */
  constructor(totalMs: number | undefined, clock: Clock = systemClock) {
    if (totalMs !== undefined && !(totalMs >= 0)) {
      throw new RangeError(`A deadline's totalMs must be at least 0, got ${totalMs}`);
    }
    this.#clock = clock;
    this.expiresAtMs = totalMs === undefined ? Number.POSITIVE_INFINITY : clock.now() + totalMs;
  }

  /** Time left, in ms: 0 once expired, Infinity without a limit. */
  remainingMs(): number {
    return Math.max(0, this.expiresAtMs - this.#clock.now());
  }

  /** No time is left. */
  expired(): boolean {
    return this.remainingMs() === 0;
  }

  /** A wait or an attempt of `ms` would end before the deadline (ending exactly at it leaves no time). */
  fits(ms: number): boolean {
    return ms < this.remainingMs();
  }

  /**
   * An attempt's time limit, shortened to what remains of the request, in ms: the smaller of `ms` and
   * `remainingMs()`. Undefined when neither limits it, never Infinity: Node fires a timer armed with
   * Infinity after 1 ms.
   */
  limit(ms: number | undefined): number | undefined {
    const limitMs = Math.min(ms ?? Number.POSITIVE_INFINITY, this.remainingMs());
    return Number.isFinite(limitMs) ? limitMs : undefined;
  }
}
