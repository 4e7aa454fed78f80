import type { ScenarioInput } from '@steadfast/simulator';
import { describe, expect, it } from 'vitest';
import { ChainError } from '../../errors/chain-error.ts';
import { story } from './test-support/ask.ts';
import { adapterCases, book, bookJson, bookWithoutAuthorJson, otherThan } from './test-support/content.ts';
import { askForBook, jsonCalls } from './test-support/json-call.ts';
import { attemptsOn, modelsOf } from './test-support/upstream.ts';
import { startWorld } from './test-support/world.ts';

/** The turn Steadfast adds to ask again for JSON that validates. */
const repairAsk = /^That answer is not valid JSON for the requested schema:/;

/**
 * JSON that does not validate, as the simulator sends it through each real adapter: `malformed_json`
 * (a line of prose, then the JSON cut after its last comma) and a well-formed answer of the wrong shape
 * (`jsonReply` without the required `author`). Each is re-asked on the same candidate with the
 * validation errors, at most `maxRepairs` times, and then left for the next candidate.
 */
describe.each(adapterCases)('$name: JSON that does not validate', (under) => {
  const other = otherThan(under);

  /** `under` answers as `behaviour` says; the other candidate answers the book. */
  function scenario(behaviour: NonNullable<ScenarioInput['models']>[string]): ScenarioInput {
    return { models: { [under.model]: behaviour, [other.model]: { jsonReply: bookJson } } };
  }

  describe.each(jsonCalls)('through %s', (call) => {
    it('malformed on the first answer: one re-ask on the same candidate, quoting the answer, gets the book', async () => {
      const world = await startWorld({
        scenario: scenario({ jsonReply: bookJson, sequence: ['malformed_json', 'ok'] }),
        route: { candidates: [under.candidate, other.candidate], content: { validateJson: true } },
      });

      const outcome = await askForBook(world, call);

      expect(outcome.error).toBeUndefined();
      expect(outcome.value).toEqual(book);
      expect(outcome.upstream).toMatchObject([
        { model: under.model, outcome: 'malformed_json' },
        { model: under.model, outcome: 'ok' },
      ]);
      // The re-ask is part of the one attempt: the candidate answered.
      expect(story(outcome.report)).toEqual([`${under.candidate} ok`]);
      expect(outcome.report.content).toMatchObject({ repairs: 1, jsonRepaired: false });
      // The re-ask: the conversation so far, the malformed answer as the model's turn, then the errors.
      expect(outcome.sent[1]?.turns.slice(-2)).toEqual([
        {
          role: 'assistant',
          text: expect.stringMatching(/^Here is the JSON you asked for:\n\{"title":"Dune"/),
        },
        { role: 'user', text: expect.stringMatching(repairAsk) },
      ]);
    });

    it.each([0, 1, 2])(
      'malformed on every answer: exactly 1 + maxRepairs calls to the primary (maxRepairs %i), then the fallback answers',
      async (maxRepairs) => {
        const world = await startWorld({
          scenario: scenario({ jsonReply: bookJson, faults: [{ fault: 'malformed_json' }] }),
          route: {
            candidates: [under.candidate, other.candidate],
            content: { validateJson: true, maxRepairs },
          },
        });

        const outcome = await askForBook(world, call);

        expect(outcome.error).toBeUndefined();
        expect(outcome.value).toEqual(book);
        expect(modelsOf(outcome.upstream)).toEqual([...Array(1 + maxRepairs).fill(under.model), other.model]);
        // The cut JSON still closes into an object, one without `author`: the candidate's JSON had the
        // wrong shape, not none at all. No retry of the attempt: its re-asks were the retries.
        expect(story(outcome.report)).toEqual([
          `${under.candidate} schema_mismatch`,
          `${other.candidate} ok`,
        ]);
        expect(outcome.report.fallbackUsed).toBe(true);
        expect(outcome.report.content).toMatchObject({ repairs: 0 });
      },
    );

    it('malformed, but mended by jsonrepair alone (only an optional field was cut): no re-ask, marked jsonRepaired', async () => {
      const withOptionalLast = JSON.stringify({ ...book, subtitle: 'Book one' });
      const world = await startWorld({
        scenario: scenario({ jsonReply: withOptionalLast, faults: [{ fault: 'malformed_json' }] }),
        route: { candidates: [under.candidate, other.candidate], content: { validateJson: true } },
      });

      const outcome = await askForBook(world, call);

      expect(outcome.value).toEqual(book);
      expect(outcome.upstream).toMatchObject([{ model: under.model, outcome: 'malformed_json' }]);
      expect(outcome.report.content).toMatchObject({ repairs: 0, jsonRepaired: true });
      // The prose around the JSON is gone: the answer's text is the JSON that validated.
      expect(JSON.parse(outcome.text)).toEqual(book);
    });

    it('the wrong shape: every re-ask names the missing field; after 1 + 2 calls (the default) the fallback answers', async () => {
      const world = await startWorld({
        scenario: scenario({ jsonReply: bookWithoutAuthorJson }),
        route: { candidates: [under.candidate, other.candidate], content: { validateJson: true } },
      });

      const outcome = await askForBook(world, call);

      expect(outcome.value).toEqual(book);
      expect(attemptsOn(outcome.upstream, under.model)).toHaveLength(3);
      expect(story(outcome.report)).toEqual([`${under.candidate} schema_mismatch`, `${other.candidate} ok`]);
      const reAsks = outcome.sent.slice(1, 3).map((sent) => sent.last.text);
      expect(reAsks).toHaveLength(2);
      for (const reAsk of reAsks) {
        expect(reAsk).toMatch(repairAsk);
        // zod says `author: …`, ajv `(root): must have required property 'author'`.
        expect(reAsk).toMatch(/^- .*author/m);
      }
    });

    it("the wrong shape with no candidate left: rejects with kind 'schema_mismatch', naming the missing field", async () => {
      const world = await startWorld({
        scenario: scenario({ jsonReply: bookWithoutAuthorJson }),
        route: { candidates: [under.candidate], content: { validateJson: true, maxRepairs: 1 } },
      });

      const outcome = await askForBook(world, call);

      expect(outcome.error).toBeInstanceOf(ChainError);
      expect(outcome.error).toMatchObject({ kind: 'schema_mismatch', provider: expect.any(String) });
      expect(outcome.error?.message).toMatch(/after 1 repair\(s\): .*author/);
      expect(outcome.upstream).toHaveLength(2);
      expect(story(outcome.report)).toEqual([`${under.candidate} schema_mismatch`]);
    });
  });
});
