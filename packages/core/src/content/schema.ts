import { Ajv, type ValidateFunction } from 'ajv';
import type { JsonSchema } from '../neutral/request.ts';

/**
 * A Standard Schema (zod 4, valibot, arktype, …), described structurally so that Steadfast depends on
 * none of them. See https://standardschema.dev.
 */
export interface StandardSchema<Output = unknown> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) =>
      | { readonly value: Output; readonly issues?: undefined }
      | {
          readonly issues: ReadonlyArray<{
            readonly message: string;
            readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
          }>;
        }
      | Promise<
          | { readonly value: Output; readonly issues?: undefined }
          | {
              readonly issues: ReadonlyArray<{
                readonly message: string;
                readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
              }>;
            }
        >;
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
  return typeof schema === 'object' && schema !== null && '~standard' in schema;
}

function pathOf(path: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined): string {
  if (path === undefined || path.length === 0) return '(root)';
  return path.map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.');
}

// One validator instance: compiled schemas are cached by object identity.
const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();

/** Validates `value` against `schema`; issues name the path of each problem. */
export async function validate<T>(schema: ObjectSchema<T>, value: unknown): Promise<Validation<T>> {
  if (isStandard(schema)) {
    const result = await schema['~standard'].validate(value);
    if (result.issues === undefined) return { ok: true, value: result.value as T };
    return { ok: false, issues: result.issues.map((issue) => `${pathOf(issue.path)}: ${issue.message}`) };
  }
  let check = compiled.get(schema.schema);
  if (check === undefined) {
    check = ajv.compile(schema.schema);
    compiled.set(schema.schema, check);
  }
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
