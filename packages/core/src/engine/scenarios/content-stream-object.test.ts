import { describe, expect, it } from 'vitest';
import type { ObjectStreamEvent } from '../object-stream.ts';
import { story } from './test-support/ask.ts';
import {
  adapterCases,
  book,
  bookJson,
  bookRequest,
  bookSchemas,
  bookWithoutAuthorJson,
  readObjectStream,
} from './test-support/content.ts';
import { startWorld } from './test-support/world.ts';

type PartialEvent = Extract<ObjectStreamEvent<unknown>, { type: 'partial' }>;

function partialsOf(events: readonly ObjectStreamEvent<unknown>[]): Record<string, unknown>[] {
  return events
    .filter((event): event is PartialEvent => event.type === 'partial')
    .map((event) => event.value as Record<string, unknown>);
}

/**
 * Whether a partial value is on its way to `book`: every key is a (possibly still cut) key of it, and
 * every value is not there yet (null) or the beginning of the book's value as written in the JSON.
 */
function onTheWayToBook(partial: Record<string, unknown>): boolean {
  const bookKeys = Object.keys(book);
  return Object.entries(partial).every(([key, value]) => {
    const target = book[key as keyof typeof book];
    if (target === undefined) return value === null && bookKeys.some((bookKey) => bookKey.startsWith(key));
    return value === null || String(target).startsWith(String(value));
  });
}

describe.each(adapterCases)('$name: streamObject()', (under) => {
  it('yields partial values while the JSON arrives, each on its way to the book, then the validated book', async () => {
    const world = await startWorld({
      scenario: { models: { [under.model]: { jsonReply: bookJson } } },
      route: { candidates: [under.candidate] },
    });

    const { events, report } = await readObjectStream(world, bookRequest(bookSchemas.zod));

    expect(events.at(-1)).toEqual({ type: 'object', value: book });
    const partials = partialsOf(events);
    expect(partials.length).toBeGreaterThanOrEqual(3);
    expect(partials.every(onTheWayToBook)).toBe(true);
    // Only changes are announced, and the last one is the whole book.
    const serialised = partials.map((partial) => JSON.stringify(partial));
    expect(new Set(serialised).size).toBe(serialised.length);
    expect(partials.at(-1)).toEqual(book);
    expect(events.filter((event) => event.type === 'object')).toHaveLength(1);
    expect(story(report)).toEqual([`${under.candidate} ok`]);
  });

  it('continues a stream cut in the middle of the JSON, and the stitched JSON validates', async () => {
    const world = await startWorld({
      scenario: {
        models: {
          [under.model]: {
            jsonReply: bookJson,
            faults: [{ fault: { kind: 'stream_cut', afterChunks: 4 }, attempts: [1] }],
          },
        },
      },
      route: { candidates: [under.candidate] },
    });

    const { events, report, upstream } = await readObjectStream(world, bookRequest(bookSchemas.zod));

    expect(events.at(-1)).toEqual({ type: 'object', value: book });
    expect(partialsOf(events).every(onTheWayToBook)).toBe(true);
    expect(upstream).toMatchObject([
      { model: under.model, outcome: 'stream_cut' },
      { model: under.model, outcome: 'ok' },
    ]);
    expect(story(report)).toEqual([
      `${under.candidate} stream_interrupted`,
      `${under.candidate} ok (continuation)`,
    ]);
  });

  it("ends with an error event of kind 'schema_mismatch' when the streamed JSON has the wrong shape", async () => {
    const world = await startWorld({
      scenario: { models: { [under.model]: { jsonReply: bookWithoutAuthorJson } } },
      route: { candidates: [under.candidate] },
    });

    const { events } = await readObjectStream(world, bookRequest(bookSchemas.zod));

    expect(events.some((event) => event.type === 'object')).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'schema_mismatch' } });
    const last = events.at(-1);
    expect(last?.type === 'error' ? last.error.message : '').toMatch(/author/);
  });
});
