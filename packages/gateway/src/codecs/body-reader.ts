import { CodecError } from './codec.ts';

/**
 * Path-aware readers for request bodies: each returns the typed value or throws a CodecError naming the
 * field (`messages[2].content`) and what was expected. Messages name JSON types, never the values the
 * client sent, so that a 400 cannot echo a secret or a megabyte of text back.
 *
 * A hand-written reader rather than a zod schema: zod reports a failed union at the union's own path, so
 * `messages[2].content[1].text` would become `messages[2].content: Invalid input`; and each decoder
 * maps to the neutral request as it reads, which a schema would need a second pass for.
 */

/** A JSON object as a client sent it. */
export type Json = Record<string, unknown>;

const identifier = /^[A-Za-z_$][\w$]*$/;

/** `parent.key`; `parent["odd-key"]` when the key is not an identifier; the key alone at the top. */
export function keyPath(parent: string, key: string): string {
  if (!identifier.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

export function isJsonObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value's JSON type as an error message names it. */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return 'an object';
  }
}

/** Throws the 400 for a value of the wrong shape at `path` ('' is the body itself). */
export function invalid(path: string, expected: string, value: unknown): never {
  throw new CodecError(
    `${path === '' ? 'body' : path}: expected ${expected}, got ${typeName(value)}`,
    path || null,
  );
}

/** Throws the 400 for a value of the right type that the gateway cannot accept. */
export function refuse(path: string, reason: string): never {
  throw new CodecError(`${path}: ${reason}`, path);
}

/** The field, or undefined when absent or null: clients send `null` for "not set". */
export function optional(object: Json, key: string): unknown {
  const value = object[key];
  return value === null ? undefined : value;
}

/** The field, which must be present and not null. */
export function required(object: Json, key: string, parent: string): unknown {
  const value = object[key];
  if (value === undefined || value === null) refuse(keyPath(parent, key), 'required');
  return value;
}

export function asObject(value: unknown, path: string): Json {
  if (!isJsonObject(value)) invalid(path, 'an object', value);
  return value;
}

export function asArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) invalid(path, 'an array', value);
  return value;
}

export function asString(value: unknown, path: string): string {
  if (typeof value !== 'string') invalid(path, 'a string', value);
  return value;
}

/** A non-empty string: model names and ids. */
export function asName(value: unknown, path: string): string {
  const name = asString(value, path);
  if (name === '') refuse(path, 'must not be empty');
  return name;
}

export function asBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') invalid(path, 'a boolean', value);
  return value;
}

/** A finite number (temperature, top_p). */
export function asNumber(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(path, 'a number', value);
  return value;
}

/** An integer, at least `min` when given (token limits, seeds). */
export function asInteger(value: unknown, path: string, min?: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) invalid(path, 'an integer', value);
  if (min !== undefined && value < min) refuse(path, `must be at least ${min}`);
  return value;
}

/** One of the allowed strings. */
export function asOneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    invalid(path, `one of ${allowed.map((item) => `"${item}"`).join(', ')}`, value);
  }
  return value as T;
}

/** An object whose values are all strings (metadata). */
export function asStringRecord(value: unknown, path: string): Record<string, string> {
  const object = asObject(value, path);
  for (const [key, item] of Object.entries(object)) asString(item, keyPath(path, key));
  return object as Record<string, string>;
}

/** A string or an array of strings, as a list (stop sequences). */
export function asStringList(value: unknown, path: string): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) invalid(path, 'a string or an array of strings', value);
  return value.map((item, index) => asString(item, indexPath(path, index)));
}

/** The fields not in `consumed`, null ones left out: what the neutral request carries as `providerOptions`. */
export function extras(body: Json, consumed: ReadonlySet<string>): Json | undefined {
  // `Object.fromEntries` defines properties, so a `__proto__` key stays a plain field.
  const entries = Object.entries(body).filter(([key, value]) => !consumed.has(key) && value !== null);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}
