import { describe, expect, it } from 'vitest';
import { ChainError } from '../../errors/chain-error.ts';
import { ask, modes, story } from './test-support/ask.ts';
import { modelsOf } from './test-support/upstream.ts';
import { candidates, fallback, primary, reply, startWorld } from './test-support/world.ts';

const scenario = {
  models: { [primary]: { faults: [{ fault: 'content_filter' as const }] }, [fallback]: {} },
};

describe.each(modes)('a primary whose content filter blocks the request, through %s()', (mode) => {
  it("reaches the caller as kind 'content_filter', with no retry and no fallback call (the default, 'propagate')", async () => {
    const world = await startWorld({
      scenario,
      route: { candidates: [candidates.primary, candidates.fallback], retry: { baseDelayMs: 1 } },
    });

    const outcome = await ask(world, mode);

    expect(outcome.text).toBe('');
    expect(outcome.error).toBeInstanceOf(ChainError);
    expect(outcome.error).toMatchObject({
      kind: 'content_filter',
      reason: 'not_fallbackable',
      provider: 'openai',
      model: primary,
    });
    expect(outcome.upstream).toMatchObject([{ model: primary, outcome: 'content_filter' }]);
    expect(story(outcome.report)).toEqual([`${candidates.primary} content_filter`]);
  });

  it("goes to the next candidate, which answers, with contentFilter 'fallback'", async () => {
    const world = await startWorld({
      scenario,
      route: {
        candidates: [candidates.primary, candidates.fallback],
        retry: { baseDelayMs: 1 },
        contentFilter: 'fallback',
      },
    });

    const outcome = await ask(world, mode);

    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(reply);
    expect(modelsOf(outcome.upstream)).toEqual([primary, fallback]);
    expect(story(outcome.report)).toEqual([
      `${candidates.primary} content_filter`,
      `${candidates.fallback} ok`,
    ]);
    expect(outcome.report.fallbackUsed).toBe(true);
  });
});
