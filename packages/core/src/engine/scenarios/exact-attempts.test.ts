import { describe, expect, it } from 'vitest';
import { ChainError } from '../../errors/chain-error.ts';
import { ask, modes } from './test-support/ask.ts';
import { attemptsOn, modelsOf } from './test-support/upstream.ts';
import { candidates, fallback, primary, startWorld } from './test-support/world.ts';

/**
 * Upstream calls per request under a persistent failure equal the retry policy exactly. The breaker and
 * the retry budget are off here: either may only lower the count (the breaker by refusing a retry once
 * it opens, the budget by refusing one when spent), and this test pins the policy's own number.
 */
describe.each(modes)('a persistent failure of every candidate, through %s()', (mode) => {
  it.each([0, 1, 2, 3])(
    'costs exactly 1 + maxRetries upstream calls per candidate (maxRetries %i), no more, no fewer',
    async (maxRetries) => {
      const world = await startWorld({
        scenario: {
          models: {
            [primary]: { faults: [{ fault: 'server_error' }] },
            [fallback]: { faults: [{ fault: 'server_error' }] },
          },
        },
        route: {
          candidates: [candidates.primary, candidates.fallback],
          retry: { maxRetries, baseDelayMs: 1 },
          breaker: false,
          retryBudget: false,
        },
      });

      const outcome = await ask(world, mode);

      const perCandidate = 1 + maxRetries;
      expect(attemptsOn(outcome.upstream, primary)).toHaveLength(perCandidate);
      expect(attemptsOn(outcome.upstream, fallback)).toHaveLength(perCandidate);
      // All of the primary's, then all of the fallback's.
      expect(modelsOf(outcome.upstream)).toEqual([
        ...Array(perCandidate).fill(primary),
        ...Array(perCandidate).fill(fallback),
      ]);
      expect(outcome.report.attempts).toHaveLength(2 * perCandidate);
      expect(outcome.error).toBeInstanceOf(ChainError);
      expect((outcome.error as ChainError).attempts).toHaveLength(2 * perCandidate);
    },
  );
});
