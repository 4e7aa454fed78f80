import { describe, expect, it } from 'vitest';
import { ask, modes, type Outcome, story } from './test-support/ask.ts';
import { attemptsOn, modelsOf } from './test-support/upstream.ts';
import { candidates, eventsOf, fallback, primary, reply, startWorld } from './test-support/world.ts';

describe.each(modes)('circuit breaker, through %s()', (mode) => {
  describe('a primary that is hard down (every attempt a 503) and a healthy fallback', () => {
    const consecutiveFailures = 5;
    const maxRetries = 2;
    const requests = 10;

    it('answers every request, and stops calling the primary once its breaker opens', async () => {
      const world = await startWorld({
        scenario: { models: { [primary]: { faults: [{ fault: 'unavailable' }] }, [fallback]: {} } },
        route: {
          candidates: [candidates.primary, candidates.fallback],
          retry: { maxRetries, baseDelayMs: 1 },
          breaker: { consecutiveFailures },
        },
      });

      const outcomes: Outcome[] = [];
      for (let i = 0; i < requests; i++) outcomes.push(await ask(world, mode));

      for (const outcome of outcomes) {
        expect(outcome.error).toBeUndefined();
        expect(outcome.text).toBe(reply);
        expect(outcome.report.fallbackUsed).toBe(true);
      }
      const primaryAttempts = world.sim.counters()[primary]?.attempts ?? 0;
      // Retried every time, the primary would have seen requests × (1 + maxRetries) = 30 attempts.
      expect(primaryAttempts).toBeGreaterThanOrEqual(consecutiveFailures);
      expect(primaryAttempts).toBeLessThanOrEqual(consecutiveFailures + maxRetries);
      expect(eventsOf(world, 'breaker')).toMatchObject([
        { key: candidates.primary, from: 'closed', to: 'open', reason: 'consecutive_failures' },
      ]);
      // 1 + 2 attempts in the first request, 2 more in the second (the fifth failure in a row opens the
      // breaker, and its retry is refused), then nothing: every later request goes straight to the fallback.
      expect(outcomes.map((outcome) => attemptsOn(outcome.upstream, primary).length)).toEqual([
        3, 2, 0, 0, 0, 0, 0, 0, 0, 0,
      ]);
      for (const outcome of outcomes.slice(2)) {
        expect(story(outcome.report)).toEqual([`${candidates.fallback} ok`]);
      }
      // Each request that went straight to the fallback was told why the primary was passed over.
      const skipped = eventsOf(world, 'candidate-skipped').filter((event) => event.reason === 'breaker_open');
      expect(skipped.length).toBeGreaterThanOrEqual(requests - 2);
      expect(skipped.every((event) => event.model === primary)).toBe(true);
    });
  });

  describe('a primary down for its first minute, then recovered (a time window on the shared fake clock)', () => {
    const openMs = 10_000;

    it('fails over while it is down, probes it when the open time is over, and returns to it once it answers', async () => {
      const world = await startWorld({
        scenario: {
          models: {
            [primary]: { faults: [{ fault: 'unavailable', window: { fromMs: 0, toMs: 60_000 } }] },
            [fallback]: {},
          },
        },
        route: {
          candidates: [candidates.primary, candidates.fallback],
          // No retries: each request makes one attempt on the primary at most, which keeps the count plain.
          retry: false,
          breaker: { consecutiveFailures: 2, openMs },
        },
      });
      const startedAt = world.clock.now();

      const firstTwo = [await ask(world, mode), await ask(world, mode)];
      for (const outcome of firstTwo) {
        expect(outcome.text).toBe(reply);
        expect(modelsOf(outcome.upstream)).toEqual([primary, fallback]);
      }

      const whileOpen = await ask(world, mode);
      expect(whileOpen.text).toBe(reply);
      expect(modelsOf(whileOpen.upstream)).toEqual([fallback]);

      // 30 s: the breaker lets a probe through, but the primary is still down.
      world.clock.advance(30_000);
      const failedProbe = await ask(world, mode);
      expect(failedProbe.text).toBe(reply);
      expect(attemptsOn(failedProbe.upstream, primary)).toMatchObject([
        { outcome: 'unavailable', atMs: 30_000 },
      ]);
      expect(modelsOf(failedProbe.upstream)).toEqual([primary, fallback]);

      // 61 s: the outage is over, and the doubled open time (20 s from the failed probe) too.
      world.clock.advance(31_000);
      const recovered = [await ask(world, mode), await ask(world, mode)];
      for (const outcome of recovered) {
        expect(outcome.text).toBe(reply);
        expect(modelsOf(outcome.upstream)).toEqual([primary]);
        expect(story(outcome.report)).toEqual([`${candidates.primary} ok`]);
        expect(outcome.report.fallbackUsed).toBe(false);
      }

      expect(eventsOf(world, 'breaker')).toEqual([
        {
          type: 'breaker',
          key: candidates.primary,
          from: 'closed',
          to: 'open',
          reason: 'consecutive_failures',
          openUntil: startedAt + openMs,
        },
        { type: 'breaker', key: candidates.primary, from: 'open', to: 'half-open', reason: 'open_elapsed' },
        {
          type: 'breaker',
          key: candidates.primary,
          from: 'half-open',
          to: 'open',
          reason: 'probe_failed',
          openUntil: startedAt + 30_000 + 2 * openMs,
        },
        { type: 'breaker', key: candidates.primary, from: 'open', to: 'half-open', reason: 'open_elapsed' },
        {
          type: 'breaker',
          key: candidates.primary,
          from: 'half-open',
          to: 'closed',
          reason: 'probe_succeeded',
        },
      ]);
    });
  });
});
