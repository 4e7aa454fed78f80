import type { AttemptRecord as SimAttempt } from '@steadfast/simulator';
import * as v from 'valibot';
import { z } from 'zod';
import { type Catalog, createCatalog } from '../../../catalog/catalog.ts';
import type { ModelCapabilities, ModelInfo } from '../../../catalog/model-info.ts';
import type { RequestOptions } from '../../../client.ts';
import { jsonSchema, type ObjectSchema } from '../../../content/schema.ts';
import { SteadfastError } from '../../../errors/steadfast-error.ts';
import type { JsonSchema } from '../../../neutral/request.ts';
import type { ObjectRequest } from '../../object-request.ts';
import type { ObjectStreamEvent } from '../../object-stream.ts';
import type { ChatResult, ResilienceReport } from '../../types.ts';
import { question } from './ask.ts';
import { type SentView, viewOf } from './sent.ts';
import { candidates, fallback, primary, third, type World } from './world.ts';

/** One real adapter as the content scenarios drive it: the route candidate and its simulator model. */
export interface AdapterCase {
  name: 'OpenAI' | 'Anthropic' | 'Gemini';
  candidate: string;
  model: string;
  /** Its wire family, as the catalog names it. */
  wire: ModelInfo['provider'];
}

export const openAi: AdapterCase = {
  name: 'OpenAI',
  candidate: candidates.primary,
  model: primary,
  wire: 'openai',
};
export const anthropic: AdapterCase = {
  name: 'Anthropic',
  candidate: candidates.fallback,
  model: fallback,
  wire: 'anthropic',
};
export const gemini: AdapterCase = {
  name: 'Gemini',
  candidate: candidates.third,
  model: third,
  wire: 'gemini',
};

export const adapterCases: readonly AdapterCase[] = [openAi, anthropic, gemini];

/** Another adapter than `under`, to fall back to: a fallback on another provider, as in production. */
export function otherThan(under: AdapterCase): AdapterCase {
  return under === openAi ? anthropic : openAi;
}

/**
 * A catalog that knows `under`'s simulator model, with `capabilities` changed from a model that has
 * them all. Without an entry, the engine assumes what the model's API offers (prefill, JSON Schema).
 */
export function catalogWith(under: AdapterCase, capabilities: Partial<ModelCapabilities>): Catalog {
  return createCatalog([
    {
      id: under.model,
      provider: under.wire,
      contextWindow: 128_000,
      maxOutputTokens: 8_000,
      tokenizer: under.wire === 'openai' ? 'o200k' : under.wire === 'anthropic' ? 'claude' : 'gemini',
      capabilities: {
        tools: true,
        jsonSchema: true,
        vision: true,
        streaming: true,
        prefill: true,
        ...capabilities,
      },
    },
  ]);
}

/** The value every content scenario asks for. */
export interface Book {
  title: string;
  year: number;
  author: string;
}

export const book: Book = { title: 'Dune', year: 1965, author: 'Frank Herbert' };

/** The book as a model answers it: compact JSON, `author` last, so that a cut after the last comma loses it. */
export const bookJson = JSON.stringify(book);

/** JSON of the right syntax and the wrong shape: `author` is required and missing. */
export const bookWithoutAuthorJson = JSON.stringify({ title: book.title, year: book.year });

export const bookJsonSchema: JsonSchema = {
  type: 'object',
  properties: { title: { type: 'string' }, year: { type: 'integer' }, author: { type: 'string' } },
  required: ['title', 'year', 'author'],
  additionalProperties: false,
};

/** The same shape in each schema language `object()` takes. */
export const bookSchemas = {
  zod: z.object({ title: z.string(), year: z.number().int(), author: z.string() }),
  valibot: v.object({ title: v.string(), year: v.pipe(v.number(), v.integer()), author: v.string() }),
  'JSON Schema': jsonSchema<Book>(bookJsonSchema),
} as const;

/** The question of every scenario, asking for a book. */
export function bookRequest<S extends ObjectSchema>(schema: S): ObjectRequest<S> {
  return { ...question(), schema, schemaName: 'book' };
}

/** What one `object()` call came to, as the caller and the simulator saw it. */
export interface ObjectOutcome {
  /** The validated value, when `object()` resolved. */
  value: unknown;
  result: ChatResult | undefined;
  error: SteadfastError | undefined;
  /** The result's report, or the one the `request-end` event carried when `object()` rejected. */
  report: ResilienceReport;
  upstream: SimAttempt[];
  /** The requests the adapters sent for this call, read alike whatever their wire format. */
  sent: SentView[];
}

/** Calls `object()` and waits for its end, resolved or rejected. */
export async function askObject<S extends ObjectSchema>(
  world: World,
  request: ObjectRequest<S>,
  options?: RequestOptions,
): Promise<ObjectOutcome> {
  const seenBefore = world.sim.log().length;
  const sentBefore = world.sent.length;
  const endsBefore = world.events.filter((event) => event.type === 'request-end').length;
  const since = () => ({
    upstream: world.sim.log().slice(seenBefore),
    sent: world.sent.slice(sentBefore).map(viewOf),
  });
  try {
    const result = await world.client.object(request, options);
    return { value: result.object, result, error: undefined, report: result.resilience, ...since() };
  } catch (thrown) {
    if (!SteadfastError.isInstance(thrown)) throw thrown;
    const end = world.events.filter((event) => event.type === 'request-end')[endsBefore];
    if (end?.type !== 'request-end') throw new Error('object() rejected without a request-end event');
    return { value: undefined, result: undefined, error: thrown, report: end.report, ...since() };
  }
}

/** Reads a `streamObject()` to its end. */
export async function readObjectStream<S extends ObjectSchema>(
  world: World,
  request: ObjectRequest<S>,
): Promise<{ events: ObjectStreamEvent<unknown>[]; report: ResilienceReport; upstream: SimAttempt[] }> {
  const seenBefore = world.sim.log().length;
  const stream = world.client.streamObject(request);
  const events: ObjectStreamEvent<unknown>[] = [];
  for await (const event of stream) events.push(event);
  return { events, report: await stream.report, upstream: world.sim.log().slice(seenBefore) };
}
