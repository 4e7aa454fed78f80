import type { AttemptRecord as SimAttempt } from '@steadfast/simulator';
import type { SteadfastError } from '../../../errors/steadfast-error.ts';
import type { ResilienceReport } from '../../types.ts';
import { ask, question } from './ask.ts';
import { askObject, bookJsonSchema, bookRequest, bookSchemas } from './content.ts';
import type { SentView } from './sent.ts';
import type { World } from './world.ts';

/**
 * The two ways to ask for JSON that must validate: `object()` with a schema, and `chat()` with a
 * `json_schema` response format on a route whose content policy has `validateJson`.
 */
export type JsonCall = 'object()' | 'chat() with validateJson';

export const jsonCalls: readonly JsonCall[] = ['object()', 'chat() with validateJson'];

/** What a JSON call came to: the value it validated (chat(): its text, parsed), or its error. */
export interface JsonOutcome {
  value: unknown;
  /** The answer's text (for `object()`, the text of the answer the value came from). */
  text: string;
  error: SteadfastError | undefined;
  report: ResilienceReport;
  upstream: SimAttempt[];
  sent: SentView[];
}

/** Asks for the book in the way `call` says. */
export async function askForBook(world: World, call: JsonCall): Promise<JsonOutcome> {
  if (call === 'object()') {
    const outcome = await askObject(world, bookRequest(bookSchemas.zod));
    return { ...outcome, text: outcome.result?.text ?? '' };
  }
  const outcome = await ask(
    world,
    'chat',
    question({ responseFormat: { type: 'json_schema', name: 'book', schema: bookJsonSchema } }),
  );
  return { ...outcome, value: outcome.error === undefined ? JSON.parse(outcome.text) : undefined };
}
