import type { Clock } from '../policies/clock.ts';

/** A clock that moves only when a test says so. Timers fire in time order during `advance`. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void;
  /** Timers not yet fired or cleared. */
  pending(): number;
}

/** A fake clock starting at `startMs` (epoch ms). */
export function createFakeClock(startMs = 1_767_225_600_000): FakeClock {
  let now = startMs;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const target = now + ms;
      for (;;) {
        let dueId: number | undefined;
        let dueAt = Number.POSITIVE_INFINITY;
        for (const [id, timer] of timers) {
          if (timer.at <= target && timer.at < dueAt) {
            dueAt = timer.at;
            dueId = id;
          }
        }
        if (dueId === undefined) break;
        const timer = timers.get(dueId);
        timers.delete(dueId);
        now = dueAt;
        timer?.callback();
      }
      now = target;
    },
    pending: () => timers.size,
  };
}
