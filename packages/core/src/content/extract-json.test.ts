import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { extractJson } from './extract-json.ts';
import { jsonSchema, type ObjectSchema, validate } from './schema.ts';

/** The value the engine would take: the first candidate that validates, as `checkedChatAttempt` does. */
async function firstValid<T>(text: string, schema: ObjectSchema<T>): Promise<T | undefined> {
  for (const candidate of extractJson(text)) {
    const checked = await validate(schema, candidate.value);
    if (checked.ok) return checked.value;
  }
  return undefined;
}

const user = z.object({ name: z.string(), age: z.number() });

describe('extractJson', () => {
  describe('where the JSON is', () => {
    it('reads an answer that is JSON and nothing else as it is', () => {
      expect(extractJson('{"name": "Ada", "age": 36}')).toEqual([
        { value: { name: 'Ada', age: 36 }, source: 'whole', repaired: false },
      ]);
    });

    it('reads JSON that is not an object or an array when it parses as it is', () => {
      expect(extractJson('42')).toEqual([{ value: 42, source: 'whole', repaired: false }]);
      expect(extractJson('"Paris"')).toEqual([{ value: 'Paris', source: 'whole', repaired: false }]);
    });

    it('reads a ```json fence inside prose', () => {
      const text =
        'Here is the user:\n\n```json\n{"name": "Ada", "age": 36}\n```\n\nLet me know if you need more.';
      expect(extractJson(text)[0]).toEqual({
        value: { name: 'Ada', age: 36 },
        source: 'fence',
        repaired: false,
      });
    });

    it('reads a bare ``` fence', () => {
      const text = 'Result:\n```\n[1, 2, 3]\n```';
      expect(extractJson(text)[0]).toEqual({ value: [1, 2, 3], source: 'fence', repaired: false });
    });

    it('reads an answer that is only a fence, with the value the fence holds', () => {
      const candidates = extractJson('```json\n{"name": "Ada", "age": 36}\n```');
      expect(candidates.length).toBeGreaterThan(0);
      for (const candidate of candidates) expect(candidate.value).toEqual({ name: 'Ada', age: 36 });
    });

    it('reads an object surrounded by prose', () => {
      const text = 'Sure! The user is {"name": "Ada", "age": 36}, as requested.';
      expect(extractJson(text)).toEqual([
        { value: { name: 'Ada', age: 36 }, source: 'span', repaired: false },
      ]);
    });

    it('reads an array surrounded by prose', () => {
      expect(extractJson('The ids are [1, 2, 3] in that order.')).toEqual([
        { value: [1, 2, 3], source: 'span', repaired: false },
      ]);
    });

    it('reads an array of objects as one value, not as its items', () => {
      expect(extractJson('Users: [{"id": 1}, {"id": 2}]')).toEqual([
        { value: [{ id: 1 }, { id: 2 }], source: 'span', repaired: false },
      ]);
    });

    it('keeps braces and brackets inside strings from ending the value', () => {
      const text = 'Template: {"greeting": "Hello {name}] see [docs}", "quote": "a \\"}\\" inside"} Done.';
      expect(extractJson(text)).toEqual([
        {
          value: { greeting: 'Hello {name}] see [docs}', quote: 'a "}" inside' },
          source: 'span',
          repaired: false,
        },
      ]);
    });
  });

  describe('near misses, repaired', () => {
    it.each([
      [
        'trailing commas',
        '{"name": "Ada", "tags": ["math", "engines",],}',
        { name: 'Ada', tags: ['math', 'engines'] },
      ],
      ['single quotes', "{'name': 'Ada', 'age': 36}", { name: 'Ada', age: 36 }],
      ['comments', '{\n  // the user\n  "name": "Ada", /* years */ "age": 36\n}', { name: 'Ada', age: 36 }],
      ['unquoted keys', '{name: "Ada", age: 36}', { name: 'Ada', age: 36 }],
      ['Python constants', '{"ok": True, "error": None}', { ok: true, error: null }],
    ])('%s', (_, text, value) => {
      expect(extractJson(text)[0]).toEqual({ value, source: 'whole', repaired: true });
    });

    it('closes an object cut off at the end', () => {
      expect(extractJson('{"name": "Ada", "tags": ["math", "eng')[0]).toEqual({
        value: { name: 'Ada', tags: ['math', 'eng'] },
        source: 'whole',
        repaired: true,
      });
    });

    it('closes an object cut off inside a fence after prose', async () => {
      const text = 'Here is the user:\n```json\n{"name": "Ada", "age": 36, "bio": "Wrote the first progr';
      expect(extractJson(text)).toContainEqual({
        value: { name: 'Ada', age: 36, bio: 'Wrote the first progr' },
        source: 'span',
        repaired: true,
      });
      expect(await firstValid(text, user)).toEqual({ name: 'Ada', age: 36 });
    });

    it('closes an object cut off after prose that holds a bracket of its own', async () => {
      const text = 'From [the docs](https://example.org/users): {"name": "Ada", "age": 36, "tags": ["ma';
      expect(extractJson(text)).toContainEqual({
        value: { name: 'Ada', age: 36, tags: ['ma'] },
        source: 'span',
        repaired: true,
      });
      expect(await firstValid(text, user)).toEqual({ name: 'Ada', age: 36 });
    });

    it('closes an object cut off after prose with an apostrophe inside brackets', async () => {
      const text = 'See [Ada\'s notes](https://example.org). {"name": "Ada", "age": 36, "tags": ["ma';
      expect(await firstValid(text, user)).toEqual({ name: 'Ada', age: 36 });
    });
  });

  describe('prose next to JSON', () => {
    it('is not repaired into a list of the prose and the value', async () => {
      const text = '{"name": "Ada", "age": 36}\nHope this helps!';
      expect(extractJson(text)).toEqual([
        { value: { name: 'Ada', age: 36 }, source: 'span', repaired: false },
      ]);
      // A schema that takes any JSON, as `validateJson` uses for a plain JSON response format.
      expect(await firstValid(text, jsonSchema({}))).toEqual({ name: 'Ada', age: 36 });
    });

    it('before a fence is not repaired into a list either', async () => {
      const text = 'Here is the user:\n\n```json\n{"name": "Ada", "age": 36}\n```';
      expect(await firstValid(text, jsonSchema({}))).toEqual({ name: 'Ada', age: 36 });
    });
  });

  describe('several candidates', () => {
    it('lists every value found, most likely first', () => {
      const text = 'Two options: {"name": "Ada"} or {"name": "Grace", "age": 85}.';
      expect(extractJson(text).map((candidate) => candidate.value)).toEqual([
        { name: 'Ada' },
        { name: 'Grace', age: 85 },
      ]);
    });

    it('lists a fence before the spans in the prose around it', () => {
      const text = 'Not {"name": "draft"}, but:\n```json\n{"name": "Ada", "age": 36}\n```';
      const [first, second] = extractJson(text);
      expect(first).toMatchObject({ source: 'fence', value: { name: 'Ada', age: 36 } });
      expect(second).toMatchObject({ source: 'span', value: { name: 'draft' } });
    });

    it('the first candidate that validates wins', async () => {
      const text =
        'Two options: {"name": "Ada"} or {"name": "Grace", "age": 85}, or {"name": "Alan", "age": 41}.';
      expect(await firstValid(text, user)).toEqual({ name: 'Grace', age: 85 });
    });

    it('none wins when none validates', async () => {
      expect(await firstValid('Either {"name": "Ada"} or {"age": 36}.', user)).toBeUndefined();
    });
  });

  describe('no candidates', () => {
    it.each([
      ['plain prose', 'The capital of France is Paris.'],
      ['prose that jsonrepair would turn into a string', 'hello there'],
      ['an empty answer', ''],
      ['whitespace', '  \n  '],
    ])('%s', (_, text) => {
      expect(extractJson(text)).toEqual([]);
    });

    it('a repaired bare string is not a candidate, a real JSON string is', () => {
      expect(extractJson("'Paris'")).toEqual([]);
      expect(extractJson('"Paris"')).toEqual([{ value: 'Paris', source: 'whole', repaired: false }]);
    });
  });
});
