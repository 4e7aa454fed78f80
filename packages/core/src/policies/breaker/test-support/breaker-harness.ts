import type { ErrorKind } from '../../../errors/kinds.ts';
import { SteadfastError } from '../../../errors/steadfast-error.ts';
import { createMemoryStore } from '../../../store/memory-store.ts';
import type { StateStore } from '../../../store/state-store.ts';
import { createFakeClock, type FakeClock } from '../../../test-support/fake-clock.ts';
import {
  type BreakerOptions,
  type BreakerPermit,
  type BreakerTransition,
  type CircuitBreaker,
  createCircuitBreaker,
} from '../../breaker.ts';

export const gpt = 'openai/gpt-4o';
export const claude = 'anthropic/claude-sonnet-4';

/** A provider failure of `kind`, as the engine would report it. */
export function providerError(kind: ErrorKind): SteadfastError {
  return new SteadfastError(kind, `simulated ${kind}`);
}

/** A breaker over a fake clock and a memory store, with every transition it emits recorded. */
export interface BreakerHarness {
  clock: FakeClock;
  store: StateStore;
  breaker: CircuitBreaker;
  transitions: BreakerTransition[];
  /** Acquires a permit; throws when the breaker refuses. */
  permit(key: string): Promise<BreakerPermit>;
  /** `times` calls that each fail with `kind`. */
  fail(key: string, times?: number, kind?: ErrorKind): Promise<void>;
  /** `times` calls that each succeed. */
  succeed(key: string, times?: number): Promise<void>;
}

/** A harness; pass another harness's `clock` and `store` to make a replica of it. */
export function createBreakerHarness(
  options: BreakerOptions = {},
  shared?: { clock: FakeClock; store: StateStore },
): BreakerHarness {
  const clock = shared?.clock ?? createFakeClock();
  const store = shared?.store ?? createMemoryStore({ now: clock.now });
  const breaker = createCircuitBreaker(options, { store, clock });
  const transitions: BreakerTransition[] = [];
  breaker.onTransition((transition) => transitions.push(transition));

  async function permit(key: string): Promise<BreakerPermit> {
    const admission = await breaker.acquire(key);
    if (!admission.allowed) throw new Error(`${key} refused until ${admission.openUntil}`);
    return admission.permit;
  }

  return {
    clock,
    store,
    breaker,
    transitions,
    permit,
    async fail(key, times = 1, kind = 'server') {
      for (let call = 0; call < times; call++) await (await permit(key)).failure(providerError(kind));
    },
    async succeed(key, times = 1) {
      for (let call = 0; call < times; call++) await (await permit(key)).success(0);
    },
  };
}
