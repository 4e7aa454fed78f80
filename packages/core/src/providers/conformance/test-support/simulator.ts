import { type AttemptRecord, type Simulator, startSimulator } from '@steadfast/simulator';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Clock } from '../../../policies/clock.ts';
import type { ProviderAdapter } from '../../adapter.ts';
import type { AdapterUnderTest } from './adapters.ts';
import { scenario } from './scenario.ts';

/** The simulator of the enclosing `describe` and the adapter under test, aimed at it. */
export interface Conformance {
  readonly sim: Simulator;
  readonly adapter: ProviderAdapter;
}

/**
 * Starts a simulator running the conformance scenario before the enclosing `describe` and closes it
 * after; `clock` is handed to the adapter (a fake one for timeout tests).
 */
export function useConformance(under: AdapterUnderTest, clock?: Clock): Conformance {
  let running: { sim: Simulator; adapter: ProviderAdapter } | undefined;
  beforeAll(async () => {
    const sim = await startSimulator({ scenario });
    running = { sim, adapter: under.create(sim.url, clock) };
  });
  afterAll(() => running?.sim.close());
  const get = (): { sim: Simulator; adapter: ProviderAdapter } => {
    if (running === undefined) throw new Error('useConformance: read inside a test, not while declaring it');
    return running;
  };
  return {
    get sim() {
      return get().sim;
    },
    get adapter() {
      return get().adapter;
    },
  };
}

/** The simulator's record of the next attempt it receives, once its outcome is decided. */
export function nextAttempt(sim: Simulator): Promise<AttemptRecord> {
  return new Promise((resolve) => {
    const unsubscribe = sim.onAttempt((record) => {
      unsubscribe();
      resolve(record);
    });
  });
}

/** The most recent attempt the simulator received. */
export function lastAttempt(sim: Simulator): AttemptRecord {
  const record = sim.log().at(-1);
  if (record === undefined) throw new Error('the simulator has received no attempt');
  return record;
}

// A socket closed on one side is seen on the other within a few turns of the event loop (both ends
// live in this process, over loopback); the bound only turns a leak into a failure instead of a hang.
const maxTurns = 10_000;

/** One turn of the event loop, in which pending I/O (such as a socket closing) is handled. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Waits, turn by turn of the event loop (never by the clock), until `settled` holds. */
async function untilSettled(settled: () => boolean): Promise<void> {
  for (let i = 0; i < maxTurns && !settled(); i++) await turn();
}

/**
 * Asserts that the client closed attempt `seq` before the simulator finished answering it, waiting
 * (turn by turn) for the simulator to see the connection end.
 */
export async function expectClosedByClient(sim: Simulator, seq: number): Promise<void> {
  const find = (): AttemptRecord | undefined => sim.log().find((record) => record.seq === seq);
  await untilSettled(() => find()?.endedAtMs !== undefined);
  expect(find()).toMatchObject({ clientClosed: true, endedAtMs: expect.any(Number) });
}

/** Asserts that every attempt the simulator received has ended: no request is left open. */
export async function expectNothingInFlight(sim: Simulator): Promise<void> {
  const open = (): AttemptRecord[] => sim.log().filter((record) => record.endedAtMs === undefined);
  await untilSettled(() => open().length === 0);
  expect(sim.log().length).toBeGreaterThan(0);
  expect(open()).toEqual([]);
}
