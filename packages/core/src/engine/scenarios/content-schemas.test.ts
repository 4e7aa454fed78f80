import { describe, expect, expectTypeOf, it } from 'vitest';
import { question, story } from './test-support/ask.ts';
import {
  adapterCases,
  askObject,
  type Book,
  book,
  bookJson,
  bookSchemas,
  bookWithoutAuthorJson,
  openAi,
} from './test-support/content.ts';
import { startWorld } from './test-support/world.ts';

/** What `object()` adds to the system prompt when the provider cannot be handed the schema itself. */
const jsonOnly = /^Answer with a single JSON value only/m;

type Library = keyof typeof bookSchemas;
const libraries = Object.keys(bookSchemas) as Library[];

/**
 * Each schema language `object()` takes, end to end through each real adapter. zod 4 and a plain JSON
 * Schema describe themselves as JSON Schema, so the provider gets the schema and enforces it (native
 * structured output); valibot cannot, so the request asks for JSON mode and says so in the system
 * prompt. Either way the answer is extracted and validated by the library itself.
 */
describe.each(adapterCases)('$name: object() with each schema language', (under) => {
  it.each(['zod', 'JSON Schema'] as const)(
    '%s: the provider gets the schema as native structured output, and the answer validates',
    async (library) => {
      const world = await startWorld({
        scenario: { models: { [under.model]: { jsonReply: bookJson } } },
        route: { candidates: [under.candidate] },
      });

      const outcome = await askObject(world, {
        ...question({ system: 'You are a librarian.' }),
        schema: bookSchemas[library],
        schemaName: 'book',
      });

      expect(outcome.value).toEqual(book);
      expect(story(outcome.report)).toEqual([`${under.candidate} ok`]);
      const [sent] = outcome.sent;
      expect(sent?.jsonMode).toMatchObject({
        type: 'json_schema',
        schema: { type: 'object', required: ['title', 'year', 'author'] },
      });
      // The schema travels in its own field: the system prompt stays the caller's.
      expect(sent?.system).toBe('You are a librarian.');
    },
  );

  it('valibot: JSON mode where the API has one, the JSON-only instruction after the caller’s system prompt; the answer validates', async () => {
    const world = await startWorld({
      // The simulator answers `jsonReply` only to a request in JSON mode. Anthropic has no JSON mode, so
      // there the instruction alone asks for JSON, and the model follows it (`reply`).
      scenario: {
        models: {
          [under.model]: { jsonReply: bookJson, ...(under.wire === 'anthropic' ? { reply: bookJson } : {}) },
        },
      },
      route: { candidates: [under.candidate] },
    });

    const outcome = await askObject(world, {
      ...question({ system: 'You are a librarian.' }),
      schema: bookSchemas.valibot,
    });

    expect(outcome.value).toEqual(book);
    expect(outcome.report.content).toMatchObject({ repairs: 0, jsonRepaired: false });
    const [sent] = outcome.sent;
    expect(sent?.jsonMode).toEqual(under.wire === 'anthropic' ? { type: 'text' } : { type: 'json' });
    expect(sent?.system).toMatch(/^You are a librarian\.\n\n/);
    expect(sent?.system).toMatch(jsonOnly);
  });

  it.each(libraries)(
    '%s: rejects the wrong shape by its own validation, and the re-ask tells the model what was wrong',
    async (library) => {
      const world = await startWorld({
        scenario: {
          models: { [under.model]: { jsonReply: bookWithoutAuthorJson, reply: bookWithoutAuthorJson } },
        },
        route: { candidates: [under.candidate], content: { maxRepairs: 1 } },
      });

      const outcome = await askObject(world, { ...question(), schema: bookSchemas[library] });

      expect(outcome.error).toMatchObject({ kind: 'schema_mismatch', model: under.model });
      expect(outcome.upstream).toHaveLength(2);
      expect(outcome.sent[1]?.last.text).toMatch(/^- .*author/m);
    },
  );
});

describe('object() types its value from the schema', () => {
  it('as Book for zod, valibot and a typed JSON Schema alike', async () => {
    const world = await startWorld({
      scenario: { models: { [openAi.model]: { jsonReply: bookJson } } },
      route: { candidates: [openAi.candidate] },
    });

    const fromZod = await world.client.object({ ...question(), schema: bookSchemas.zod });
    const fromValibot = await world.client.object({ ...question(), schema: bookSchemas.valibot });
    const fromJsonSchema = await world.client.object({ ...question(), schema: bookSchemas['JSON Schema'] });

    expectTypeOf(fromZod.object).toEqualTypeOf<Book>();
    expectTypeOf(fromValibot.object).toEqualTypeOf<Book>();
    expectTypeOf(fromJsonSchema.object).toEqualTypeOf<Book>();
    expect([fromZod.object, fromValibot.object, fromJsonSchema.object]).toEqual([book, book, book]);
  });
});
