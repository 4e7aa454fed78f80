import type { ScenarioInput } from '@steadfast/simulator';
import { describe, expect, it } from 'vitest';
import { ChainError } from '../../errors/chain-error.ts';
import { ask, question, story } from './test-support/ask.ts';
import {
  type AdapterCase,
  anthropic,
  askObject,
  book,
  bookJson,
  bookRequest,
  bookSchemas,
  gemini,
  openAi,
  otherThan,
} from './test-support/content.ts';
import { modelsOf } from './test-support/upstream.ts';
import { reply, startWorld } from './test-support/world.ts';

/** The refusal's words as the simulator writes them. */
const refusalWords = /^I'm sorry, but I can't help with that request\.$/;

interface RefusalCase {
  /** Shown in test names. */
  name: string;
  under: AdapterCase;
  mode: 'native' | 'phrase';
}

/**
 * A refusal as each adapter receives one: the provider's own signal (OpenAI's `refusal` field, Anthropic's
 * `stop_reason: "refusal"`), or ordinary text that opens with a refusal phrase. Gemini's native signal is a
 * `SAFETY` stop, which is a content filter, not a refusal (below).
 */
const refusalCases: readonly RefusalCase[] = [
  { name: 'OpenAI, by its refusal field', under: openAi, mode: 'native' },
  { name: "Anthropic, by stop_reason 'refusal'", under: anthropic, mode: 'native' },
  { name: 'OpenAI, by a refusal phrase', under: openAi, mode: 'phrase' },
  { name: 'Anthropic, by a refusal phrase', under: anthropic, mode: 'phrase' },
  { name: 'Gemini, by a refusal phrase', under: gemini, mode: 'phrase' },
];

/** `under` refuses every request; every other model answers (text, or the book when JSON is asked). */
function refusing(under: AdapterCase, mode: 'native' | 'phrase'): ScenarioInput {
  return {
    models: {
      [under.model]: { faults: [{ fault: { kind: 'refusal', mode } }] },
      [otherThan(under).model]: { jsonReply: bookJson },
    },
  };
}

describe.each(refusalCases)('a refusal from $name', ({ under, mode }) => {
  const other = otherThan(under);
  const route = { candidates: [under.candidate, other.candidate] };

  it.each([
    { policy: "refusal 'return'", content: { refusal: 'return' as const } },
    { policy: 'no content policy (return is the default)', content: undefined },
  ])('$policy: is the answer, on one call, marked refused', async ({ content }) => {
    const world = await startWorld({
      scenario: refusing(under, mode),
      route: { ...route, ...(content === undefined ? {} : { content }) },
    });

    const result = await world.client.chat(question());

    expect(result.refusal ?? result.text).toMatch(refusalWords);
    expect(result.resilience.content).toMatchObject({ refused: true });
    expect(modelsOf(world.sim.log())).toEqual([under.model]);
    expect(story(result.resilience)).toEqual([`${under.candidate} ok`]);
  });

  it("refusal 'next': the next candidate answers; the refusing one is not asked again", async () => {
    const world = await startWorld({
      scenario: refusing(under, mode),
      route: { ...route, content: { refusal: 'next' }, retry: { baseDelayMs: 1 } },
    });

    const outcome = await ask(world, 'chat');

    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(reply);
    expect(modelsOf(outcome.upstream)).toEqual([under.model, other.model]);
    expect(story(outcome.report)).toEqual([`${under.candidate} refusal`, `${other.candidate} ok`]);
    expect(outcome.report.content).toMatchObject({ refused: false });
  });

  it("refusal 'fail': rejects with kind 'refusal' at once, without asking the next candidate", async () => {
    const world = await startWorld({
      scenario: refusing(under, mode),
      route: { ...route, content: { refusal: 'fail' }, retry: { baseDelayMs: 1 } },
    });

    const outcome = await ask(world, 'chat');

    expect(outcome.error).toBeInstanceOf(ChainError);
    expect(outcome.error).toMatchObject({ kind: 'refusal', reason: 'not_fallbackable', model: under.model });
    expect(outcome.error?.message).toMatch(
      mode === 'native' ? /refused \(native signal\)/ : /refused \("[^"]*can't[^"]*…"\)/,
    );
    expect(modelsOf(outcome.upstream)).toEqual([under.model]);
  });

  it('object(): moves on to the next candidate even under the default, since a refusal is no object', async () => {
    const world = await startWorld({ scenario: refusing(under, mode), route });

    const outcome = await askObject(world, bookRequest(bookSchemas.zod));

    expect(outcome.value).toEqual(book);
    expect(story(outcome.report)).toEqual([`${under.candidate} refusal`, `${other.candidate} ok`]);
  });
});

/** Gemini's native refusal: `finishReason: SAFETY`, no text. It is handled as a content filter. */
describe('a Gemini SAFETY stop (its native refusal)', () => {
  const other = otherThan(gemini);
  const scenario = refusing(gemini, 'native');
  const route = { candidates: [gemini.candidate, other.candidate], retry: { baseDelayMs: 1 } };

  it("chat(): rejects with kind 'content_filter' and asks no other candidate (contentFilter 'propagate', the default)", async () => {
    const world = await startWorld({ scenario, route });

    const outcome = await ask(world, 'chat');

    expect(outcome.error).toBeInstanceOf(ChainError);
    expect(outcome.error).toMatchObject({
      kind: 'content_filter',
      reason: 'not_fallbackable',
      model: gemini.model,
    });
    expect(outcome.error?.message).toMatch(/SAFETY/);
    expect(modelsOf(outcome.upstream)).toEqual([gemini.model]);
  });

  it.each(['return', 'next'] as const)(
    "chat(): the refusal policy does not govern it: under refusal '%s' it is still a content filter",
    async (refusal) => {
      const world = await startWorld({ scenario, route: { ...route, content: { refusal } } });

      const outcome = await ask(world, 'chat');

      expect(outcome.error).toMatchObject({ kind: 'content_filter' });
      expect(modelsOf(outcome.upstream)).toEqual([gemini.model]);
    },
  );

  it("chat(): with contentFilter 'fallback', the next candidate answers", async () => {
    const world = await startWorld({ scenario, route: { ...route, contentFilter: 'fallback' } });

    const outcome = await ask(world, 'chat');

    expect(outcome.text).toBe(reply);
    expect(story(outcome.report)).toEqual([`${gemini.candidate} content_filter`, `${other.candidate} ok`]);
  });

  it("object(): rejects with kind 'content_filter' too", async () => {
    const world = await startWorld({ scenario, route });

    const outcome = await askObject(world, bookRequest(bookSchemas.zod));

    expect(outcome.error).toMatchObject({ kind: 'content_filter', model: gemini.model });
    expect(modelsOf(outcome.upstream)).toEqual([gemini.model]);
  });

  it("object(): with contentFilter 'fallback', gets the book from the next candidate", async () => {
    const world = await startWorld({ scenario, route: { ...route, contentFilter: 'fallback' } });

    const outcome = await askObject(world, bookRequest(bookSchemas.zod));

    expect(outcome.value).toEqual(book);
    expect(story(outcome.report)).toEqual([`${gemini.candidate} content_filter`, `${other.candidate} ok`]);
  });
});
