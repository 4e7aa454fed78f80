import { type } from 'arktype';
import * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { ask, createHarness } from '../engine/test-support/engine-harness.ts';
import { resolved } from '../engine/test-support/run-until-settled.ts';
import { answer } from '../engine/test-support/script.ts';
import { createScriptedAdapter } from '../engine/test-support/scripted-adapter.ts';
import { SteadfastError } from '../errors/steadfast-error.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import { jsonSchema, type SchemaOutput, type StandardSchema, toJsonSchema, validate } from './schema.ts';

interface User {
  name: string;
  age: number;
  address: { city: string };
  tags: string[];
}

const ada: User = { name: 'Ada', age: 36, address: { city: 'London' }, tags: ['math', 'engines'] };
/** Wrong in two places, one of them nested in an object and one in an array. */
const wrong = { name: 'Ada', age: 36, address: { city: 7 }, tags: ['math', 3] };

const zodUser = z.object({
  name: z.string(),
  age: z.number(),
  address: z.object({ city: z.string() }),
  tags: z.array(z.string()),
});

const valibotUser = v.object({
  name: v.string(),
  age: v.number(),
  address: v.object({ city: v.string() }),
  tags: v.array(v.string()),
});

const arkUser = type({
  name: 'string',
  age: 'number',
  address: { city: 'string' },
  tags: 'string[]',
});

const jsonUser = jsonSchema<User>({
  type: 'object',
  properties: {
    name: { type: 'string' },
    age: { type: 'number' },
    address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['name', 'age', 'address', 'tags'],
});

const schemas = [
  ['zod 4', zodUser],
  ['valibot', valibotUser],
  ['arktype', arkUser],
  ['jsonSchema<T>() (ajv)', jsonUser],
] as const;

describe('validate', () => {
  describe.each(schemas)('with %s', (_, schema) => {
    it('accepts a valid value and returns it', async () => {
      expect(await validate(schema, ada)).toEqual({ ok: true, value: ada });
    });

    it('rejects an invalid value with an issue naming the path of each problem', async () => {
      const result = await validate(schema, wrong);
      expect(result.ok).toBe(false);
      const issues = result.ok ? [] : result.issues;
      expect(issues).toHaveLength(2);
      expect(issues.some((issue) => issue.startsWith('address.city: '))).toBe(true);
      expect(issues.some((issue) => issue.startsWith('tags.1: '))).toBe(true);
    });

    it('names a missing property', async () => {
      const { name: _, ...nameless } = ada;
      const result = await validate(schema, nameless);
      expect(result.ok).toBe(false);
      expect(result.ok ? '' : result.issues.join('\n')).toMatch(/name/);
    });

    it('rejects a value of the wrong type at the root', async () => {
      const result = await validate(schema, ['not', 'an', 'object']);
      expect(result.ok).toBe(false);
    });
  });

  it('marks a problem at the root of a JSON Schema as (root)', async () => {
    expect(await validate(jsonSchema({ type: 'object', required: ['name'] }), {})).toEqual({
      ok: false,
      issues: ["(root): must have required property 'name'"],
    });
  });

  it("returns a Standard Schema's output, transforms applied", async () => {
    const schema = z.object({ when: z.string().transform((s) => new Date(s)) });
    const result = await validate(schema, { when: '2026-01-01T00:00:00Z' });
    expect(result).toEqual({ ok: true, value: { when: new Date('2026-01-01T00:00:00Z') } });
  });

  it('awaits a Standard Schema that validates asynchronously', async () => {
    const schema = z.string().refine(async (s) => s.startsWith('sk-'), 'must start with sk-');
    expect(await validate(schema, 'sk-1')).toEqual({ ok: true, value: 'sk-1' });
    expect(await validate(schema, 'pk-1')).toEqual({ ok: false, issues: ['(root): must start with sk-'] });
  });

  describe('JSON Schemas as they arrive from callers', () => {
    it('validates two schemas with the same $id, each against its own rules', async () => {
      const first = jsonSchema({ $id: 'https://example.org/user', type: 'object', required: ['name'] });
      const second = jsonSchema({ $id: 'https://example.org/user', type: 'object', required: ['age'] });
      expect(await validate(first, { name: 'Ada' })).toMatchObject({ ok: true });
      expect(await validate(second, { name: 'Ada' })).toMatchObject({ ok: false });
      expect(await validate(second, { age: 36 })).toMatchObject({ ok: true });
    });

    it('validates the same schema sent again as a new object', async () => {
      for (let i = 0; i < 3; i++) {
        const schema = jsonSchema({ $id: 'https://example.org/again', type: 'string' });
        expect(await validate(schema, 'x')).toEqual({ ok: true, value: 'x' });
        expect(await validate(schema, 1)).toMatchObject({ ok: false });
      }
    });

    it('takes a schema that declares draft 2020-12, as zod writes it by default', async () => {
      const schema = jsonSchema<{ name: string }>(z.toJSONSchema(z.object({ name: z.string() })));
      expect(schema.schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(await validate(schema, { name: 'Ada' })).toEqual({ ok: true, value: { name: 'Ada' } });
      expect(await validate(schema, { name: 1 })).toMatchObject({
        ok: false,
        issues: ['name: must be string'],
      });
    });

    it('rejects a schema that cannot be compiled as a bad request', async () => {
      const broken = jsonSchema({ type: 'object', properties: { name: { type: 'strin' } } });
      const error = await validate(broken, {}).catch((thrown: unknown) => thrown);
      expect(SteadfastError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ kind: 'bad_request', code: 'invalid_schema' });
    });
  });
});

describe('toJsonSchema', () => {
  it('describes a zod schema', () => {
    expect(toJsonSchema(zodUser)).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string' }, address: { type: 'object' } },
      required: ['name', 'age', 'address', 'tags'],
    });
  });

  it('describes an arktype schema', () => {
    expect(toJsonSchema(arkUser)).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
    });
  });

  it('has nothing for valibot, which cannot describe itself without @valibot/to-json-schema', () => {
    expect(toJsonSchema(valibotUser)).toBeUndefined();
  });

  it('returns a typed JSON Schema as it is', () => {
    expect(toJsonSchema(jsonUser)).toBe(jsonUser.schema);
  });

  it('has nothing for a schema whose converter throws', () => {
    const schema: StandardSchema<string> = {
      '~standard': {
        version: 1,
        vendor: 'custom',
        validate: (value) => ({ value: String(value) }),
        jsonSchema: {
          output: () => {
            throw new Error('transforms cannot be described');
          },
        },
      },
    };
    expect(toJsonSchema(schema)).toBeUndefined();
  });
});

describe('result types', () => {
  it('SchemaOutput is the output type of each schema kind', () => {
    expectTypeOf<SchemaOutput<typeof zodUser>>().toEqualTypeOf<User>();
    expectTypeOf<SchemaOutput<typeof valibotUser>>().toEqualTypeOf<User>();
    expectTypeOf<SchemaOutput<typeof arkUser>>().toEqualTypeOf<User>();
    expectTypeOf<SchemaOutput<typeof jsonUser>>().toEqualTypeOf<User>();
  });

  it("SchemaOutput is a zod schema's output, not its input", () => {
    const schema = z.object({ count: z.string().transform((s) => s.length) });
    expectTypeOf<SchemaOutput<typeof schema>>().toEqualTypeOf<{ count: number }>();
  });

  it('validate returns the schema output type', async () => {
    const result = await validate(zodUser, ada);
    if (result.ok) expectTypeOf(result.value).toEqualTypeOf<User>();
    expect(result.ok).toBe(true);
  });

  it('client.object() returns an object of the type its schema describes', async () => {
    const clock = createFakeClock();
    const provider = createScriptedAdapter('p1', clock, { alpha: [answer(JSON.stringify(ada))] });
    const { client } = createHarness(clock, {
      providers: [provider],
      routes: { users: { candidates: ['p1/alpha'] } },
    });
    const request = ask('users', 'Describe Ada Lovelace.');

    const fromZod = await resolved(client.object({ ...request, schema: zodUser }), clock);
    const fromValibot = await resolved(client.object({ ...request, schema: valibotUser }), clock);
    const fromArk = await resolved(client.object({ ...request, schema: arkUser }), clock);
    const fromJson = await resolved(client.object({ ...request, schema: jsonUser }), clock);

    expectTypeOf(fromZod.object).toEqualTypeOf<User>();
    expectTypeOf(fromValibot.object).toEqualTypeOf<User>();
    expectTypeOf(fromArk.object).toEqualTypeOf<User>();
    expectTypeOf(fromJson.object).toEqualTypeOf<User>();
    expectTypeOf(fromZod.text).toEqualTypeOf<string>();
    for (const result of [fromZod, fromValibot, fromArk, fromJson]) expect(result.object).toEqual(ada);
  });
});
