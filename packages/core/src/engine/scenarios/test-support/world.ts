import { type ScenarioInput, type Simulator, startSimulator } from '@steadfast/simulator';
import { onTestFinished } from 'vitest';
import type { Catalog } from '../../../catalog/catalog.ts';
import { createClient, type SteadfastClient } from '../../../client.ts';
import { createAnthropic } from '../../../providers/anthropic/adapter.ts';
import { createGemini } from '../../../providers/gemini/adapter.ts';
import { createOpenAi } from '../../../providers/openai/adapter.ts';
import { createFakeClock, type FakeClock } from '../../../test-support/fake-clock.ts';
import { createSeededRandom } from '../../../test-support/seeded-random.ts';
import type { EngineEvent, Route, RoutePolicies } from '../../types.ts';
import { recordingFetch, type SentRequest } from './sent.ts';

/** The simulator models the scenarios use, one per provider so that a fallback is another provider. */
export const primary = 'primary-model';
export const fallback = 'fallback-model';
export const third = 'third-model';

/** The route every scenario asks for. */
export const route = 'assistant';

/** The candidates as routes name them: the primary on OpenAI, the fallback on Anthropic, a third on Gemini. */
export const candidates = {
  primary: `openai/${primary}`,
  fallback: `anthropic/${fallback}`,
  third: `gemini/${third}`,
} as const;

/** What every model answers unless a scenario says otherwise: 24 tokens as the simulator cuts them. */
export const reply =
  'Steadfast keeps the answer coming when a provider fails: it retries, falls back, continues a cut stream and says what it did.';

/** Long enough that only the fake clock, never the wall clock, decides what happens first. */
export const forever = 600_000;

/** One simulator, one fake clock shared by it and the client, and the client aimed at it through the real adapters. */
export interface World {
  sim: Simulator;
  clock: FakeClock;
  client: SteadfastClient;
  /** Every event the engine emitted, in order. */
  events: EngineEvent[];
  /** Every request the adapters sent to the simulator, in order, with its body (which the simulator does not keep). */
  sent: SentRequest[];
}

export interface WorldOptions {
  scenario: ScenarioInput;
  /** The route's candidates and its own policies. */
  route: Route;
  /** Policies the route starts from. */
  defaults?: RoutePolicies;
  catalog?: Catalog;
}

/**
 * Starts a simulator and a client over it for the running test, and closes the simulator when the test
 * ends. Time is a fake clock both sides read, so that attempt arrival times (`sim.log()[i].atMs`),
 * breaker open times, time windows and cache ages are exact. The clock stands still except where a test
 * moves it, and when the engine announces a retry: the test then plays the wait, moving the clock by
 * exactly the `delayMs` the engine said it would wait. A wait the engine does not announce (holding a
 * request until a learned rate limit resets, say) leaves the clock, and the test, standing until the
 * test's timeout: the scenarios here never need one.
 */
export async function startWorld(options: WorldOptions): Promise<World> {
  const clock = createFakeClock();
  const sim = await startSimulator({
    scenario: { defaults: { reply }, ...options.scenario },
    now: () => clock.now(),
  });
  onTestFinished(() => sim.close());
  const sent: SentRequest[] = [];
  const recordSent = recordingFetch(sent);
  const client = createClient({
    providers: {
      openai: createOpenAi({ baseURL: `${sim.url}/v1`, clock, fetch: recordSent }),
      anthropic: createAnthropic({ baseURL: sim.url, clock, fetch: recordSent }),
      gemini: createGemini({ baseURL: `${sim.url}/v1beta`, clock, fetch: recordSent }),
    },
    routes: { [route]: options.route },
    clock,
    // Jitter draws repeat from run to run.
    random: createSeededRandom(7),
    ...(options.defaults === undefined ? {} : { defaults: options.defaults }),
    ...(options.catalog === undefined ? {} : { catalog: options.catalog }),
  });
  const events: EngineEvent[] = [];
  client.on((event) => {
    events.push(event);
    // The engine arms its wait on the clock right after announcing it; move the clock once it has.
    if (event.type === 'retry') queueMicrotask(() => clock.advance(event.delayMs));
  });
  return { sim, clock, client, events, sent };
}

/** The events of one type, narrowed. */
export function eventsOf<T extends EngineEvent['type']>(
  world: World,
  type: T,
): Array<Extract<EngineEvent, { type: T }>> {
  return world.events.filter((event): event is Extract<EngineEvent, { type: T }> => event.type === type);
}
