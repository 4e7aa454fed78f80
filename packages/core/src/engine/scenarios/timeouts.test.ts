import { describe, expect, it } from 'vitest';
import { ChainError } from '../../errors/chain-error.ts';
import { ask, modes, story } from './test-support/ask.ts';
import { arrivalOn, modelsOf } from './test-support/upstream.ts';
import { candidates, eventsOf, fallback, forever, primary, reply, startWorld } from './test-support/world.ts';

const attemptTimeoutMs = 5_000;
const firstTokenTimeoutMs = 1_000;

/**
 * Time limits, on the fake clock both sides share: each test waits until the simulator has received
 * the attempt that will never answer in time (the client's limits are armed by then), then moves the
 * clock to the limit. Nothing here waits for wall-clock time.
 */
describe.each(modes)('time limits, through %s()', (mode) => {
  describe('a primary that never answers (no response at all)', () => {
    it('times out once, is not retried, and the fallback answers within the deadline', async () => {
      const deadlineMs = 20_000;
      const world = await startWorld({
        scenario: { models: { [primary]: { faults: [{ fault: 'no_response' }] }, [fallback]: {} } },
        route: { candidates: [candidates.primary, candidates.fallback], attemptTimeoutMs, deadlineMs },
      });

      const arrived = arrivalOn(world.sim, primary);
      const answering = ask(world, mode);
      await arrived;
      world.clock.advance(attemptTimeoutMs);
      const outcome = await answering;

      expect(outcome.error).toBeUndefined();
      expect(outcome.text).toBe(reply);
      expect(modelsOf(outcome.upstream)).toEqual([primary, fallback]);
      expect(outcome.upstream[0]).toMatchObject({ outcome: 'no_response', status: 0 });
      expect(story(outcome.report)).toEqual([`${candidates.primary} timeout`, `${candidates.fallback} ok`]);
      expect(outcome.report.durationMs).toBeLessThan(deadlineMs);
      expect(eventsOf(world, 'attempt-end')[0]?.error).toMatchObject({ kind: 'timeout', code: 'call' });
      expect(eventsOf(world, 'retry')).toEqual([]);
    });

    it('ends at the deadline when the deadline is shorter than the attempt limit, with the attempt listed', async () => {
      const deadlineMs = 3_000;
      const world = await startWorld({
        scenario: { models: { [primary]: { faults: [{ fault: 'no_response' }] }, [fallback]: {} } },
        route: { candidates: [candidates.primary, candidates.fallback], attemptTimeoutMs, deadlineMs },
      });

      const arrived = arrivalOn(world.sim, primary);
      const answering = ask(world, mode);
      await arrived;
      world.clock.advance(deadlineMs);
      const outcome = await answering;

      expect(outcome.error).toBeInstanceOf(ChainError);
      expect(outcome.error).toMatchObject({ kind: 'timeout', reason: 'deadline' });
      expect((outcome.error as ChainError).attempts).toMatchObject([
        { provider: 'openai', model: primary, kind: 'timeout' },
      ]);
      // No time was left for the fallback.
      expect(modelsOf(outcome.upstream)).toEqual([primary]);
      expect(outcome.report.durationMs).toBe(deadlineMs);
    });
  });
});

describe('a primary whose first token is late (slow_first_token)', () => {
  const scenario = {
    models: {
      [primary]: { faults: [{ fault: { kind: 'slow_first_token' as const, delayMs: forever } }] },
      [fallback]: {},
    },
  };
  const route = {
    candidates: [candidates.primary, candidates.fallback],
    attemptTimeoutMs,
    firstTokenTimeoutMs,
  };

  it('stream(): fails over at the first-token limit, before the consumer saw anything of the primary', async () => {
    const world = await startWorld({ scenario, route });

    const arrived = arrivalOn(world.sim, primary);
    const answering = ask(world, 'stream');
    await arrived;
    world.clock.advance(firstTokenTimeoutMs);
    const outcome = await answering;

    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(reply);
    expect(outcome.events.filter((event) => event.type === 'start')).toMatchObject([
      { provider: 'anthropic', model: fallback },
    ]);
    expect(modelsOf(outcome.upstream)).toEqual([primary, fallback]);
    expect(story(outcome.report)).toEqual([`${candidates.primary} timeout`, `${candidates.fallback} ok`]);
    expect(outcome.report.durationMs).toBe(firstTokenTimeoutMs);
    expect(eventsOf(world, 'attempt-end')[0]?.error).toMatchObject({ kind: 'timeout', code: 'first_token' });
  });

  it('chat(): fails over at the attempt limit, the whole answer being late', async () => {
    const world = await startWorld({ scenario, route });

    const arrived = arrivalOn(world.sim, primary);
    const answering = ask(world, 'chat');
    await arrived;
    world.clock.advance(attemptTimeoutMs);
    const outcome = await answering;

    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(reply);
    expect(modelsOf(outcome.upstream)).toEqual([primary, fallback]);
    expect(story(outcome.report)).toEqual([`${candidates.primary} timeout`, `${candidates.fallback} ok`]);
    expect(outcome.report.durationMs).toBe(attemptTimeoutMs);
    expect(eventsOf(world, 'attempt-end')[0]?.error).toMatchObject({ kind: 'timeout', code: 'call' });
  });
});
