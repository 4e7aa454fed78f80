import { Ajv, type ValidateFunction } from 'ajv';
import { SteadfastError } from '../errors/steadfast-error.ts';
import type { JsonSchema } from '../neutral/request.ts';

/** What a Standard Schema's `validate` returns: the value, or the issues found. */
export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | {
      readonly issues: ReadonlyArray<{
        readonly message: string;
        readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
      }>;
    };

/**
 * A Standard Schema (zod 4, valibot, arktype, …), described structurally so that Steadfast depends on
 * none of them. See https://standardschema.dev.
 */
export interface StandardSchema<Output = unknown> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: unknown; readonly output: Output } | undefined;
    /** Standard JSON Schema: present when the library can describe itself as JSON Schema. */
    readonly jsonSchema?:
      | { readonly output: (options: { readonly target: string }) => Record<string, unknown> }
      | undefined;
  };
}

const jsonSchemaBrand: unique symbol = Symbol.for('steadfast.jsonSchema');

/** A plain JSON Schema, typed with the value it describes (`jsonSchema<User>({...})`). */
export interface TypedJsonSchema<Output = unknown> {
  readonly [jsonSchemaBrand]: true;
  readonly schema: JsonSchema;
  /** Phantom: the type the schema describes. */
  readonly __output?: Output;
}

/** Wraps a JSON Schema so that `client.object()` can validate against it and infer `T`. */
export function jsonSchema<T = unknown>(schema: JsonSchema): TypedJsonSchema<T> {
  return { [jsonSchemaBrand]: true, schema };
}

/** What `client.object()` accepts: a Standard Schema or a typed JSON Schema. */
export type ObjectSchema<T = unknown> = StandardSchema<T> | TypedJsonSchema<T>;

/** The value type a schema describes. */
export type SchemaOutput<S> =
  S extends StandardSchema<infer T> ? T : S extends TypedJsonSchema<infer T> ? T : never;

/** The result of validating one value. */
export type Validation<T> = { ok: true; value: T } | { ok: false; issues: string[] };

function isStandard(schema: ObjectSchema): schema is StandardSchema {
  // arktype's types are functions that carry `~standard`.
  return (
    (typeof schema === 'object' || typeof schema === 'function') && schema !== null && '~standard' in schema
  );
}

function pathOf(path: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined): string {
  if (path === undefined || path.length === 0) return '(root)';
  return path.map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.');
}

// One validator instance. Ajv keeps every schema it compiles, and refuses a second schema with an `$id`
// it has seen; a gateway's `response_format` is a new object on every request, so each compiled schema
// is removed from Ajv again and the validators are kept here instead: by object, and by the schema's
// text (bounded) for the same schema arriving as a new object.
const ajv = new Ajv({ allErrors: true, strict: false });
const compiledByObject = new WeakMap<object, ValidateFunction>();
const compiledByText = new Map<string, ValidateFunction>();
/** Distinct schemas whose validators are kept by text; the oldest goes first. */
const maxCompiledByText = 256;

function compile(schema: JsonSchema): ValidateFunction {
  const known = compiledByObject.get(schema);
  if (known !== undefined) return known;
  const text = JSON.stringify(schema);
  let check = compiledByText.get(text);
  if (check === undefined) {
    // `$schema` names the draft (zod writes 2020-12), and Ajv's default instance knows no meta-schema
    // but draft-07's: compiled without it, the common keywords mean the same, and the few that are new
    // (`prefixItems`, `unevaluatedProperties`) are ignored, so validation is at worst looser.
    const { $schema: _metaSchema, ...body } = schema;
    try {
      check = ajv.compile(body);
    } catch (error) {
      throw new SteadfastError('bad_request', `The JSON Schema cannot be compiled: ${String(error)}`, {
        code: 'invalid_schema',
        cause: error,
      });
    } finally {
      ajv.removeSchema(body);
    }
    if (compiledByText.size >= maxCompiledByText) {
      compiledByText.delete(compiledByText.keys().next().value as string);
    }
    compiledByText.set(text, check);
  }
  compiledByObject.set(schema, check);
  return check;
}

/**
 * Validates `value` against `schema`; issues name the path of each problem.
 * @throws SteadfastError `bad_request` (code `invalid_schema`) when a JSON Schema cannot be compiled
 */
export async function validate<T>(schema: ObjectSchema<T>, value: unknown): Promise<Validation<T>> {
  if (isStandard(schema)) {
    const result = await schema['~standard'].validate(value);
    if (result.issues === undefined) return { ok: true, value: result.value as T };
    return { ok: false, issues: result.issues.map((issue) => `${pathOf(issue.path)}: ${issue.message}`) };
  }
  const check = compile(schema.schema);
  if (check(value)) return { ok: true, value: value as T };
  return {
    ok: false,
    issues: (check.errors ?? []).map(
      (error) =>
        `${error.instancePath === '' ? '(root)' : error.instancePath.slice(1).replaceAll('/', '.')}: ${error.message ?? 'is invalid'}`,
    ),
  };
}

/**
 * The JSON Schema of `schema`, for providers' native structured output; undefined when a Standard
 * Schema library cannot describe itself (then instructions and extraction stand in).
 */
export function toJsonSchema(schema: ObjectSchema): JsonSchema | undefined {
  if (!isStandard(schema)) return schema.schema;
  const converter = schema['~standard'].jsonSchema;
  if (converter === undefined) return undefined;
  try {
    return converter.output({ target: 'draft-07' });
  } catch {
    return undefined;
  }
}
