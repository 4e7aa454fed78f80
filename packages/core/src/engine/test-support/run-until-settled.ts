import type { StreamEvent } from '../../neutral/stream-event.ts';
import type { FakeClock } from '../../test-support/fake-clock.ts';

/** How a promise ended. */
export type Settled<T> = { status: 'fulfilled'; value: T } | { status: 'rejected'; reason: unknown };

/** One macrotask turn: every pending promise callback (store reads, awaits in the engine) runs first. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Drives the fake clock until `promise` settles: lets every pending callback run, then moves time on
 * by `stepMs`, and again, for at most `maxSteps` steps. Time moves only while the promise is pending
 * and a timer is waiting for it, so `clock.now()` afterwards is when it settled (to within `stepMs`),
 * and work that waits on something real (the cache key's SHA-256 runs on libuv's pool) takes no fake
 * time at all.
 * @throws Error when the promise is still pending after `maxSteps` steps
 */
export async function runUntilSettled<T>(
  promise: Promise<T>,
  clock: FakeClock,
  stepMs = 10,
  maxSteps = 100_000,
): Promise<Settled<T>> {
  let settled: Settled<T> | undefined;
  promise.then(
    (value) => {
      settled = { status: 'fulfilled', value };
    },
    (reason: unknown) => {
      settled = { status: 'rejected', reason };
    },
  );
  for (let step = 0; step <= maxSteps; step++) {
    await turn();
    if (settled !== undefined) return settled;
    if (clock.pending() > 0) clock.advance(stepMs);
  }
  throw new Error(`The promise was still pending after ${maxSteps} steps of ${stepMs} ms`);
}

/** The value `promise` resolves to, the clock driven meanwhile; fails the test when it rejects. */
export async function resolved<T>(promise: Promise<T>, clock: FakeClock, stepMs?: number): Promise<T> {
  const settled = await runUntilSettled(promise, clock, stepMs);
  if (settled.status === 'rejected') throw settled.reason;
  return settled.value;
}

/** What `promise` rejects with, the clock driven meanwhile; fails the test when it resolves. */
export async function rejected(
  promise: Promise<unknown>,
  clock: FakeClock,
  stepMs?: number,
): Promise<unknown> {
  const settled = await runUntilSettled(promise, clock, stepMs);
  if (settled.status === 'fulfilled') throw new Error('expected a rejection, got an answer');
  return settled.reason;
}

/** Every event of a stream, read to its end with the clock driven meanwhile. */
export async function drained(stream: AsyncIterable<StreamEvent>, clock: FakeClock, stepMs?: number) {
  const read = async (): Promise<StreamEvent[]> => {
    const received: StreamEvent[] = [];
    for await (const event of stream) received.push(event);
    return received;
  };
  return resolved(read(), clock, stepMs);
}

/** The text of a stream's text deltas, joined. */
export function textOf(events: readonly StreamEvent[]): string {
  let text = '';
  for (const event of events) if (event.type === 'text-delta') text += event.text;
  return text;
}
