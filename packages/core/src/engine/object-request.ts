import { type ObjectSchema, toJsonSchema } from '../content/schema.ts';
import type { ChatRequest, JsonSchema } from '../neutral/request.ts';
import type { EngineDeps } from './run-context.ts';
import type { Candidate } from './types.ts';

/** A request for a typed value instead of text. */
export type ObjectRequest<S extends ObjectSchema> = Omit<ChatRequest, 'responseFormat'> & {
  /** The shape of the answer: a Standard Schema (zod 4, valibot, arktype) or `jsonSchema<T>({...})`. */
  schema: S;
  /** Name of the schema, for providers that want one. @default 'response' */
  schemaName?: string;
  /** What the value is, for the model. */
  schemaDescription?: string;
};

const identities = new WeakMap<object, number>();
let nextIdentity = 0;

/** A schema that cannot describe itself as JSON Schema is told apart by identity, within this process. */
function schemaIdentity(schema: ObjectSchema): number {
  let id = identities.get(schema);
  if (id === undefined) {
    id = ++nextIdentity;
    identities.set(schema, id);
  }
  return id;
}

function instructions(schema: JsonSchema | undefined): string {
  return schema === undefined
    ? 'Answer with a single JSON value only: no prose, no code fences.'
    : `Answer with a single JSON value only (no prose, no code fences) that matches this JSON Schema:\n${JSON.stringify(schema)}`;
}

/**
 * How to ask each candidate for the object: native structured output where the model has it (the
 * catalog says so, or the model is unknown on a provider whose API has it), otherwise JSON mode with
 * the schema spelled out in the instructions. Extraction and validation follow either way.
 */
export function objectPreparer<S extends ObjectSchema>(
  request: ObjectRequest<S>,
  deps: EngineDeps,
): {
  base: ChatRequest;
  prepare: (candidate: Candidate, base: ChatRequest) => ChatRequest;
  /** What the cache key covers: the base request with the schema in it, so two schemas never share an entry. */
  keyRequest: ChatRequest;
} {
  const { schema, schemaName, schemaDescription, ...rest } = request;
  const described = toJsonSchema(schema);
  // The chain judges candidates on this base: JSON mode needs no native schema support.
  const base: ChatRequest = { ...rest, responseFormat: { type: 'json' } };
  const prepare = (candidate: Candidate, current: ChatRequest): ChatRequest => {
    const info = deps.catalog.get(candidate.model);
    const adapterType = deps.providers.get(candidate.provider)?.type;
    const native =
      described !== undefined &&
      (info !== undefined
        ? info.capabilities.jsonSchema
        : adapterType !== undefined && adapterType !== 'openai-compatible');
    if (native) {
      return {
        ...current,
        responseFormat: {
          type: 'json_schema',
          schema: described,
          name: schemaName ?? 'response',
          ...(schemaDescription === undefined ? {} : { description: schemaDescription }),
        },
      };
    }
    const system = [current.system, instructions(described)]
      .filter((part) => part !== undefined)
      .join('\n\n');
    return { ...current, system, responseFormat: { type: 'json' } };
  };
  const keyRequest: ChatRequest = {
    ...base,
    responseFormat: {
      type: 'json_schema',
      schema: described ?? { 'x-steadfast-schema': schemaIdentity(schema) },
    },
  };
  return { base, prepare, keyRequest };
}
