/** A JSON object as the adapters read provider bodies. */
export type Json = Record<string, unknown>;

/** The value as a JSON object, or undefined when it is anything else. */
export function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** A token count: a finite number, or 0 when the provider left it out. */
export function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Parses JSON text into an object; undefined for invalid JSON or a non-object. */
export function parseObject(text: string): Json | undefined {
  try {
    return record(JSON.parse(text));
  } catch {
    return undefined;
  }
}
