import { describe, expect, it } from 'vitest';
import type { StateStore } from '../../store/state-store.ts';
import { createBreakerHarness, gpt, providerError } from './test-support/breaker-harness.ts';

/** Counts the compare-and-sets a store refused: proof that the writers really raced. */
function countingConflicts(store: StateStore): { store: StateStore; conflicts: () => number } {
  let conflicts = 0;
  return {
    store: {
      ...store,
      async compareAndSet(key, version, value, ttlMs) {
        const written = await store.compareAndSet(key, version, value, ttlMs);
        if (!written) conflicts++;
        return written;
      },
    },
    conflicts: () => conflicts,
  };
}

describe('breaker: concurrent calls', () => {
  it.each([1, 3])('admits exactly %i probe(s) among 10 concurrent acquires', async (halfOpenProbes) => {
    const origin = createBreakerHarness({ halfOpenProbes });
    await origin.fail(gpt, 5);
    const racing = countingConflicts(origin.store);
    const { breaker, clock, transitions } = createBreakerHarness(
      { halfOpenProbes },
      { clock: origin.clock, store: racing.store },
    );
    clock.advance(30_000);
    const admissions = await Promise.all(Array.from({ length: 10 }, () => breaker.acquire(gpt)));
    expect(admissions.filter((admission) => admission.allowed)).toHaveLength(halfOpenProbes);
    expect(transitions.filter((transition) => transition.reason === 'open_elapsed')).toHaveLength(1);
    expect(racing.conflicts()).toBeGreaterThan(0);
  });

  it('loses no failure reported concurrently', async () => {
    const { breaker, permit } = createBreakerHarness();
    const permits = await Promise.all(Array.from({ length: 5 }, () => permit(gpt)));
    await Promise.all(permits.map((each) => each.failure(providerError('server'))));
    expect(await breaker.state(gpt)).toBe('open');
  });
});

describe('breaker: replicas sharing one store', () => {
  it('opens for every replica when failures seen by several add up', async () => {
    const replicaA = createBreakerHarness();
    const replicaB = createBreakerHarness({}, replicaA);
    await replicaA.fail(gpt, 3);
    await replicaB.fail(gpt, 2);
    expect(await replicaA.breaker.state(gpt)).toBe('open');
    expect(await replicaB.breaker.acquire(gpt)).toEqual({
      allowed: false,
      openUntil: replicaA.clock.now() + 30_000,
    });
  });

  it('admits one probe across replicas, whose success closes the breaker for all', async () => {
    const replicaA = createBreakerHarness();
    const replicaB = createBreakerHarness({}, replicaA);
    await replicaA.fail(gpt, 5);
    replicaA.clock.advance(30_000);
    const [fromA, fromB] = await Promise.all([replicaA.breaker.acquire(gpt), replicaB.breaker.acquire(gpt)]);
    const probes = [fromA, fromB].flatMap((admission) => (admission.allowed ? [admission.permit] : []));
    expect(probes).toHaveLength(1);
    await probes[0]?.success();
    expect(await replicaA.breaker.state(gpt)).toBe('closed');
    expect(await replicaB.breaker.state(gpt)).toBe('closed');
  });

  it('emits a transition only on the replica that made it', async () => {
    const replicaA = createBreakerHarness();
    const replicaB = createBreakerHarness({}, replicaA);
    await replicaA.fail(gpt, 5);
    expect(replicaA.transitions).toHaveLength(1);
    expect(replicaB.transitions).toEqual([]);
  });
});

describe('breaker: stragglers (calls admitted before it opened)', () => {
  it('cannot close an open breaker with a late success', async () => {
    const { breaker, fail, permit } = createBreakerHarness();
    const straggler = await permit(gpt);
    await fail(gpt, 5);
    await straggler.success();
    expect(await breaker.state(gpt)).toBe('open');
    expect((await breaker.acquire(gpt)).allowed).toBe(false);
  });

  it('cannot reopen a half-open breaker with a late failure', async () => {
    const { breaker, clock, fail, permit } = createBreakerHarness();
    const straggler = await permit(gpt);
    await fail(gpt, 5);
    clock.advance(30_000);
    const probe = await permit(gpt);
    await straggler.failure(providerError('server'));
    expect(await breaker.state(gpt)).toBe('half-open');
    await probe.success();
    expect(await breaker.state(gpt)).toBe('closed');
  });

  it('does not count toward a breaker that has closed again since', async () => {
    const { breaker, clock, fail, permit } = createBreakerHarness();
    const straggler = await permit(gpt);
    await fail(gpt, 5);
    clock.advance(30_000);
    await (await permit(gpt)).success();
    await fail(gpt, 4);
    await straggler.failure(providerError('server'));
    expect(await breaker.state(gpt)).toBe('closed');
  });
});
