import type { ScenarioInput } from '@steadfast/simulator';
import { describe, expect, it } from 'vitest';
import { ask, story } from './test-support/ask.ts';
import { attemptsOn, modelsOf } from './test-support/upstream.ts';
import { candidates, fallback, primary, reply, startWorld, third } from './test-support/world.ts';

const sentBeforeCut = 'Steadfast keeps the answer ';

/**
 * The primary's first stream is cut after five chunks, and every later attempt on it fails with a 500,
 * so the continuation has to come from another candidate. The fallback is as the test says.
 */
function primaryCutThenDown(fallbackBehaviour: { rejectsPrefill?: boolean }): ScenarioInput {
  return {
    models: {
      [primary]: {
        faults: [{ fault: { kind: 'stream_cut', afterChunks: 5 }, attempts: [1] }, { fault: 'server_error' }],
      },
      [fallback]: fallbackBehaviour,
      [third]: {},
    },
  };
}

// One retry of the continuation on the cut primary keeps the stories short.
const retry = { maxRetries: 1, baseDelayMs: 1 };

describe('a stream continuation that the cut candidate cannot give', () => {
  it('is given by the fallback, on another provider, and stitched into one unbroken answer', async () => {
    const world = await startWorld({
      scenario: primaryCutThenDown({}),
      route: { candidates: [candidates.primary, candidates.fallback], retry },
    });

    const outcome = await ask(world, 'stream');

    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(reply);
    expect(story(outcome.report)).toEqual([
      `${candidates.primary} stream_interrupted`,
      `${candidates.primary} server (continuation)`,
      `${candidates.primary} server (continuation)`,
      `${candidates.fallback} ok (continuation)`,
    ]);
    expect(modelsOf(outcome.upstream)).toEqual([primary, primary, primary, fallback]);
    expect(outcome.report.fallbackUsed).toBe(true);
  });

  describe('when the fallback rejects assistant prefill (a 400)', () => {
    it('passes the continuation on to the next candidate, which finishes the answer', async () => {
      const world = await startWorld({
        scenario: primaryCutThenDown({ rejectsPrefill: true }),
        route: { candidates: [candidates.primary, candidates.fallback, candidates.third], retry },
      });

      const outcome = await ask(world, 'stream');

      expect(outcome.error).toBeUndefined();
      expect(outcome.text).toBe(reply);
      // The simulator refused the prefill itself, not a malformed request.
      expect(attemptsOn(outcome.upstream, fallback)).toMatchObject([
        { outcome: 'prefill_rejected', status: 400 },
      ]);
      expect(story(outcome.report).slice(-2)).toEqual([
        `${candidates.fallback} bad_request (continuation)`,
        `${candidates.third} ok (continuation)`,
      ]);
    });

    it('ends, when no candidate is left, with the error that cut the stream, not the prefill 400', async () => {
      const world = await startWorld({
        scenario: primaryCutThenDown({ rejectsPrefill: true }),
        route: { candidates: [candidates.primary, candidates.fallback], retry },
      });

      const outcome = await ask(world, 'stream');

      expect(outcome.text).toBe(sentBeforeCut);
      expect(outcome.events.at(-1)?.type).toBe('error');
      expect(outcome.error).toMatchObject({ kind: 'stream_interrupted', provider: 'openai', model: primary });
      expect(attemptsOn(outcome.upstream, fallback)).toMatchObject([
        { outcome: 'prefill_rejected', status: 400 },
      ]);
      expect(story(outcome.report).at(-1)).toBe(`${candidates.fallback} bad_request (continuation)`);
    });
  });

  it('continues on Anthropic although the text sent so far ends in a space (its API refuses such a prefill)', async () => {
    const world = await startWorld({
      scenario: {
        models: {
          [fallback]: { faults: [{ fault: { kind: 'stream_cut', afterChunks: 5 }, attempts: [1] }] },
        },
      },
      route: { candidates: [candidates.fallback] },
    });

    const outcome = await ask(world, 'stream');

    expect(sentBeforeCut.endsWith(' ')).toBe(true);
    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(reply);
    expect(outcome.upstream).toMatchObject([
      { model: fallback, outcome: 'stream_cut' },
      { model: fallback, outcome: 'ok' },
    ]);
  });
});
