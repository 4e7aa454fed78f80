import { type ClientOptions, createClient, type SteadfastClient } from '../../client.ts';
import type { ChatRequest } from '../../neutral/request.ts';
import type { FakeClock } from '../../test-support/fake-clock.ts';
import type { EngineEvent } from '../types.ts';

/** A client on a fake clock, with a mid-range jitter draw and every event it emits recorded. */
export interface EngineHarness {
  client: SteadfastClient;
  clock: FakeClock;
  /** Every event, in order. */
  events: EngineEvent[];
  /** The events of one type, in order. */
  eventsOf<T extends EngineEvent['type']>(type: T): Array<Extract<EngineEvent, { type: T }>>;
  /** Fake-clock ms when the harness was made (the clock starts at a fixed epoch). */
  t0: number;
}

/**
 * A client over `options` on `clock` (which the scripted adapters share). Jitter draws 0.5, so a full-
 * jitter backoff with the default base waits exactly 500, 1000, 2000 ms.
 */
export function createHarness(
  clock: FakeClock,
  options: Omit<ClientOptions, 'clock'> & { random?: () => number },
): EngineHarness {
  const client = createClient({ random: () => 0.5, ...options, clock });
  const events: EngineEvent[] = [];
  client.on((event) => events.push(event));
  return {
    client,
    clock,
    events,
    eventsOf: <T extends EngineEvent['type']>(type: T) =>
      events.filter((event): event is Extract<EngineEvent, { type: T }> => event.type === type),
    t0: clock.now(),
  };
}

/** A plain one-turn request to `route`. */
export function ask(route: string, content = 'What is the capital of France?'): ChatRequest {
  return { model: route, messages: [{ role: 'user', content }] };
}
