import { describe, expect, it } from 'vitest';
import { ChainError } from '../../errors/chain-error.ts';
import { ask, story } from './test-support/ask.ts';
import {
  adapterCases,
  askObject,
  book,
  bookJson,
  bookRequest,
  bookSchemas,
  otherThan,
} from './test-support/content.ts';
import { modelsOf } from './test-support/upstream.ts';
import { eventsOf, reply, startWorld } from './test-support/world.ts';

/**
 * An empty answer (HTTP 200, no text, no tool call) through each real adapter. Whatever the content
 * policy, it is worth asking again: the same model usually answers the next time.
 */
describe.each(adapterCases)('$name: an empty answer', (under) => {
  const other = otherThan(under);
  const retry = { maxRetries: 1, baseDelayMs: 100 };

  it('chat(): is retried on the same candidate after its backoff, and the second answer is returned', async () => {
    const world = await startWorld({
      scenario: { models: { [under.model]: { sequence: ['empty', 'ok'] } } },
      route: { candidates: [under.candidate, other.candidate], retry },
    });

    const outcome = await ask(world, 'chat');

    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(reply);
    expect(outcome.upstream).toMatchObject([
      { model: under.model, outcome: 'empty' },
      { model: under.model, outcome: 'ok' },
    ]);
    expect(story(outcome.report)).toEqual([`${under.candidate} empty`, `${under.candidate} ok`]);
    expect(outcome.report.fallbackUsed).toBe(false);
    const [announced] = eventsOf(world, 'retry');
    expect(announced).toMatchObject({ reason: 'empty', model: under.model });
    // The retry waited the backoff it announced, on the shared fake clock (to the precision of epoch ms).
    const [first, second] = outcome.upstream;
    expect((second?.atMs ?? 0) - (first?.atMs ?? 0)).toBeCloseTo(announced?.delayMs ?? -1, 2);
  });

  it('object(): is retried on the same candidate, and the second answer validated', async () => {
    const world = await startWorld({
      scenario: { models: { [under.model]: { jsonReply: bookJson, sequence: ['empty', 'ok'] } } },
      route: { candidates: [under.candidate, other.candidate], retry },
    });

    const outcome = await askObject(world, bookRequest(bookSchemas.zod));

    expect(outcome.value).toEqual(book);
    expect(story(outcome.report)).toEqual([`${under.candidate} empty`, `${under.candidate} ok`]);
    // An empty answer is asked again as it was, not "repaired".
    expect(outcome.report.content).toMatchObject({ repairs: 0 });
    expect(outcome.sent[1]?.turns).toEqual(outcome.sent[0]?.turns);
  });

  it('empty on every answer: after its retries, the next candidate answers', async () => {
    const world = await startWorld({
      scenario: { models: { [under.model]: { faults: [{ fault: 'empty' }] }, [other.model]: {} } },
      route: { candidates: [under.candidate, other.candidate], retry },
    });

    const outcome = await ask(world, 'chat');

    expect(outcome.text).toBe(reply);
    expect(modelsOf(outcome.upstream)).toEqual([under.model, under.model, other.model]);
    expect(story(outcome.report)).toEqual([
      `${under.candidate} empty`,
      `${under.candidate} empty`,
      `${other.candidate} ok`,
    ]);
  });

  it("empty on every answer and no candidate left: rejects with kind 'empty'", async () => {
    const world = await startWorld({
      scenario: { models: { [under.model]: { faults: [{ fault: 'empty' }] } } },
      route: { candidates: [under.candidate], retry },
    });

    const outcome = await ask(world, 'chat');

    expect(outcome.error).toBeInstanceOf(ChainError);
    expect(outcome.error).toMatchObject({ kind: 'empty', reason: 'all_failed', model: under.model });
    expect(outcome.upstream).toHaveLength(2);
  });
});
