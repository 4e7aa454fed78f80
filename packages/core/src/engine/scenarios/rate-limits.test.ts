import { describe, expect, it } from 'vitest';
import { ask, modes, type Outcome, story } from './test-support/ask.ts';
import { attemptsOn, modelsOf } from './test-support/upstream.ts';
import { candidates, eventsOf, fallback, primary, reply, startWorld } from './test-support/world.ts';

/** What the simulator asks for with each 429 of the first scenario. */
const retryAfterMs = 20;
const requests = 20;

describe.each(modes)('rate limits, through %s()', (mode) => {
  describe('a primary that answers 30 % of requests with a 429 and retry-after', () => {
    async function run(): Promise<Outcome[]> {
      const world = await startWorld({
        scenario: {
          // Seeded: the same attempts get a 429 on every run.
          seed: 3,
          models: {
            [primary]: { faults: [{ fault: { kind: 'rate_limit', retryAfterMs }, probability: 0.3 }] },
          },
        },
        // Backoff far below the provider's wait, so that only honouring retry-after explains the gaps.
        route: { candidates: [candidates.primary], retry: { baseDelayMs: 1 } },
      });
      const outcomes: Outcome[] = [];
      for (let i = 0; i < requests; i++) outcomes.push(await ask(world, mode));
      return outcomes;
    }

    it('answers every request, from the primary alone', async () => {
      const outcomes = await run();

      expect(outcomes.map((outcome) => outcome.error)).toEqual(Array(requests).fill(undefined));
      expect(outcomes.map((outcome) => outcome.text)).toEqual(Array(requests).fill(reply));
      expect(outcomes.every((outcome) => !outcome.report.fallbackUsed)).toBe(true);
    });

    it('retried the requests that met a 429, and the report tells each retry as the simulator saw it', async () => {
      const outcomes = await run();

      const limited = outcomes.filter((outcome) => outcome.upstream.length > 1);
      expect(limited.length).toBeGreaterThan(0);
      for (const outcome of outcomes) {
        const seen = outcome.upstream.map((attempt) => attempt.outcome);
        expect(seen.at(-1)).toBe('ok');
        expect(seen.slice(0, -1).every((kind) => kind === 'rate_limit')).toBe(true);
        expect(outcome.report.attempts.map((attempt) => attempt.outcome)).toEqual(
          seen.map((kind) => (kind === 'ok' ? 'ok' : 'rate_limited')),
        );
      }
    });

    it('never started a retry sooner than the retry-after the 429 asked for', async () => {
      const outcomes = await run();

      const gapsMs: number[] = [];
      for (const { upstream } of outcomes) {
        for (let i = 1; i < upstream.length; i++) {
          gapsMs.push((upstream[i]?.atMs ?? 0) - (upstream[i - 1]?.atMs ?? 0));
        }
      }
      expect(gapsMs.length).toBeGreaterThan(0);
      for (const gapMs of gapsMs) expect(gapMs).toBeGreaterThanOrEqual(retryAfterMs);
      const retryDelaysMs = outcomes.flatMap((outcome) =>
        outcome.report.attempts.slice(1).map((attempt) => attempt.delayMs),
      );
      for (const delayMs of retryDelaysMs) expect(delayMs).toBeGreaterThanOrEqual(retryAfterMs);
    });
  });

  describe('a primary whose quota is spent (429 insufficient_quota)', () => {
    it('is never retried, and once spent is passed over by the next requests', async () => {
      const world = await startWorld({
        scenario: { models: { [primary]: { faults: [{ fault: 'quota' }] }, [fallback]: {} } },
        route: { candidates: [candidates.primary, candidates.fallback], retry: { baseDelayMs: 1 } },
      });

      const [first, ...later] = [await ask(world, mode), await ask(world, mode), await ask(world, mode)];

      // The request that meets the spent quota makes one attempt on it and goes to the fallback at once.
      expect(first?.error).toBeUndefined();
      expect(first?.text).toBe(reply);
      expect(modelsOf(first?.upstream ?? [])).toEqual([primary, fallback]);
      expect(attemptsOn(first?.upstream ?? [], primary)).toMatchObject([{ outcome: 'quota', status: 429 }]);
      expect(first?.upstream[1]?.atMs).toBe(first?.upstream[0]?.atMs);
      expect(story(first?.report ?? { attempts: [] })).toEqual([
        `${candidates.primary} quota_exhausted`,
        `${candidates.fallback} ok`,
      ]);
      // The ones after it do not spend a 429 of their own: the primary is deferred while its quota is out.
      for (const outcome of later) {
        expect(outcome.error).toBeUndefined();
        expect(outcome.text).toBe(reply);
        expect(modelsOf(outcome.upstream)).toEqual([fallback]);
        expect(outcome.report.fallbackUsed).toBe(true);
      }
      expect(eventsOf(world, 'candidate-deferred')).toHaveLength(later.length);
      expect(eventsOf(world, 'retry')).toEqual([]);
    });
  });
});
