import { describe, expect, it } from 'vitest';
import { ChainError } from '../../errors/chain-error.ts';
import { continuationPrompt } from '../continuation.ts';
import { ask, question, story } from './test-support/ask.ts';
import { adapterCases, book, bookJson, catalogWith, otherThan } from './test-support/content.ts';
import { askForBook, jsonCalls } from './test-support/json-call.ts';
import { viewOf } from './test-support/sent.ts';
import { attemptsOn, modelsOf } from './test-support/upstream.ts';
import { reply, startWorld } from './test-support/world.ts';

/** The simulator stops the first answer after this many tokens and reports `length`. */
const cutAtTokens = 5;
const truncatedOnce = {
  faults: [{ fault: { kind: 'truncated' as const, atTokens: cutAtTokens }, attempts: [1] }],
};
const truncatedAlways = { faults: [{ fault: { kind: 'truncated' as const, atTokens: cutAtTokens } }] };

describe.each(adapterCases)('$name: an answer cut at the output limit', (under) => {
  const other = otherThan(under);

  describe("truncation 'continue'", () => {
    it('continues truncated text, by prefill on the same candidate, into the same text an uncut answer has', async () => {
      const world = await startWorld({
        scenario: { models: { [under.model]: truncatedOnce } },
        route: { candidates: [under.candidate], content: { truncation: 'continue' } },
      });

      const continued = await world.client.chat(question());
      const uncut = await world.client.chat(question());

      expect(world.sim.log().map((attempt) => attempt.outcome)).toEqual(['truncated', 'ok', 'ok']);
      expect(uncut.text).toBe(reply);
      expect(continued.text).toBe(uncut.text);
      expect(continued.finishReason).toBe('stop');
      expect(continued.resilience.content).toMatchObject({ continuations: 1, truncated: false });
      // The continuation is part of the one attempt.
      expect(story(continued.resilience)).toEqual([`${under.candidate} ok`]);
      // It sent the cut text as the model's own turn, to go on from.
      const prefill = world.sent.map(viewOf)[1]?.last;
      expect(prefill?.role).toBe('assistant');
      expect(reply.startsWith(prefill?.text ?? 'nothing')).toBe(true);
      expect(prefill?.text.length).toBeLessThan(reply.length);
    });

    it('continues truncated text on a model without prefill by asking for the rest; a restart is not repeated', async () => {
      const world = await startWorld({
        scenario: { models: { [under.model]: truncatedOnce } },
        route: { candidates: [under.candidate], content: { truncation: 'continue' } },
        catalog: catalogWith(under, { prefill: false }),
      });

      const outcome = await ask(world, 'chat');

      expect(outcome.error).toBeUndefined();
      expect(outcome.text).toBe(reply);
      expect(outcome.sent[1]?.last).toEqual({ role: 'user', text: continuationPrompt });
      expect(outcome.report.content).toMatchObject({ continuations: 1, truncated: false });
    });

    it('gives up after maxContinuations continuations and returns the longer, still cut, answer marked truncated', async () => {
      const world = await startWorld({
        scenario: { models: { [under.model]: truncatedAlways } },
        route: { candidates: [under.candidate], content: { truncation: 'continue', maxContinuations: 2 } },
      });

      const outcome = await ask(world, 'chat');

      expect(outcome.error).toBeUndefined();
      expect(attemptsOn(outcome.upstream, under.model)).toHaveLength(3);
      expect(outcome.report.content).toMatchObject({ continuations: 2, truncated: true });
      expect(reply.startsWith(outcome.text)).toBe(true);
      // Three cuts of five tokens, stitched: longer than one cut, shorter than the whole answer.
      expect(outcome.text.split(' ').length).toBeGreaterThan(cutAtTokens);
      expect(outcome.text.length).toBeLessThan(reply.length);
    });
  });

  describe.each(jsonCalls)('truncated JSON through %s (continued by default)', (call) => {
    it('is continued into the complete object, with no re-ask', async () => {
      const world = await startWorld({
        scenario: {
          models: {
            [under.model]: {
              jsonReply: bookJson,
              faults: [{ fault: { kind: 'truncated', atTokens: 3 }, attempts: [1] }],
            },
          },
        },
        route: { candidates: [under.candidate], content: { validateJson: true } },
      });

      const outcome = await askForBook(world, call);

      expect(outcome.error).toBeUndefined();
      expect(outcome.value).toEqual(book);
      expect(outcome.text).toBe(bookJson);
      expect(outcome.upstream).toMatchObject([
        { model: under.model, outcome: 'truncated' },
        { model: under.model, outcome: 'ok' },
      ]);
      expect(outcome.report.content).toMatchObject({
        continuations: 1,
        repairs: 0,
        truncated: false,
        jsonRepaired: false,
      });
      // The continuation carried the cut JSON as the model's turn (prefill), to go on from.
      const prefill = outcome.sent[1]?.last;
      expect(prefill?.role).toBe('assistant');
      expect(bookJson.startsWith(prefill?.text ?? 'nothing')).toBe(true);
      expect(prefill?.text.length).toBeLessThan(bookJson.length);
    });
  });

  describe("truncation 'fail'", () => {
    it("rejects with kind 'truncated' when no candidate is left", async () => {
      const world = await startWorld({
        scenario: { models: { [under.model]: truncatedOnce } },
        route: { candidates: [under.candidate], content: { truncation: 'fail' } },
      });

      const outcome = await ask(world, 'chat');

      expect(outcome.text).toBe('');
      expect(outcome.error).toBeInstanceOf(ChainError);
      expect(outcome.error).toMatchObject({ kind: 'truncated', model: under.model });
      // Not retried: the same prompt under the same limit would be cut again.
      expect(outcome.upstream).toHaveLength(1);
      expect(story(outcome.report)).toEqual([`${under.candidate} truncated`]);
    });

    it('moves to the next candidate, whose whole answer is returned', async () => {
      const world = await startWorld({
        scenario: { models: { [under.model]: truncatedAlways, [other.model]: {} } },
        route: { candidates: [under.candidate, other.candidate], content: { truncation: 'fail' } },
      });

      const outcome = await ask(world, 'chat');

      expect(outcome.text).toBe(reply);
      expect(modelsOf(outcome.upstream)).toEqual([under.model, other.model]);
      expect(story(outcome.report)).toEqual([`${under.candidate} truncated`, `${other.candidate} ok`]);
    });
  });

  it.each([
    { policy: "truncation 'accept'", content: { truncation: 'accept' as const } },
    { policy: 'no content policy (chat() accepts by default)', content: undefined },
  ])('$policy: returns the cut answer on one call, marked truncated', async ({ content }) => {
    const world = await startWorld({
      scenario: { models: { [under.model]: truncatedAlways } },
      route: { candidates: [under.candidate], ...(content === undefined ? {} : { content }) },
    });

    const result = await world.client.chat(question());

    expect(world.sim.log()).toHaveLength(1);
    expect(result.finishReason).toBe('length');
    expect(result.text.length).toBeGreaterThan(0);
    expect(reply.startsWith(result.text)).toBe(true);
    expect(result.text.length).toBeLessThan(reply.length);
    expect(result.resilience.content).toMatchObject({ truncated: true, continuations: 0 });
  });
});
