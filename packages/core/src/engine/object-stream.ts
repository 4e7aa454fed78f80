import { jsonrepair } from 'jsonrepair';
import { extractJson } from '../content/extract-json.ts';
import { type ObjectSchema, validate } from '../content/schema.ts';
import { SteadfastError } from '../errors/steadfast-error.ts';
import type { ResilientStream } from './run-stream.ts';
import type { ResilienceReport } from './types.ts';

/** One event of a streamed object: partial values while the JSON arrives, then the validated value. */
export type ObjectStreamEvent<T> =
  /** The JSON so far, closed up so that it parses; not validated. */
  | { type: 'partial'; value: unknown }
  /** The whole answer, validated against the schema; `truncated` when a cut answer was accepted. */
  | { type: 'object'; value: T; truncated?: boolean }
  | { type: 'error'; error: SteadfastError };

/** A stream of object events; `report` tells how the answer was obtained. */
export interface ObjectStream<T> extends AsyncIterable<ObjectStreamEvent<T>> {
  readonly report: Promise<ResilienceReport>;
}

/** The JSON value of an unfinished answer, if it can be closed up into one. */
function partialValue(text: string): unknown {
  const start = text.search(/[{[]/);
  if (start < 0) return undefined;
  try {
    return JSON.parse(jsonrepair(text.slice(start).replace(/```\s*$/, '')));
  } catch {
    return undefined;
  }
}

/**
 * Turns a text stream into an object stream: a `partial` event whenever the JSON so far parses into
 * something new, and at the end the value validated against `schema` (or a typed error: `truncated`
 * when the answer stopped at the output limit before its JSON was complete).
 */
export function objectStream<T>(
  stream: ResilientStream,
  schema: ObjectSchema<T>,
  options: { acceptTruncated?: boolean } = {},
): ObjectStream<T> {
  async function* generate(): AsyncGenerator<ObjectStreamEvent<T>, void, undefined> {
    let text = '';
    let lastPartial = '';
    for await (const event of stream) {
      if (event.type === 'text-delta') {
        text += event.text;
        // Only a delta that may close a value can change the parsed result in a way worth showing.
        if (!/[}\]",0-9el]/.test(event.text)) continue;
        const value = partialValue(text);
        if (value === undefined) continue;
        const serialised = JSON.stringify(value);
        if (serialised !== lastPartial) {
          lastPartial = serialised;
          yield { type: 'partial', value };
        }
      } else if (event.type === 'error') {
        yield { type: 'error', error: event.error };
        return;
      } else if (event.type === 'finish') {
        // An answer cut at the output limit whose JSON parses only once repaired holds the start of an
        // object, not the object: jsonrepair closes a cut string or array as if it had ended there.
        const cut = event.finishReason === 'length';
        // Under a route's `accept` policy a cut answer that still validates once closed is returned, marked.
        const found = extractJson(text).filter(
          (candidate) => !cut || !candidate.repaired || options.acceptTruncated === true,
        );
        let issues: string[] = ['(root): the answer contains no JSON'];
        for (const candidate of found) {
          const checked = await validate(schema, candidate.value);
          if (checked.ok) {
            yield cut && candidate.repaired
              ? { type: 'object', value: checked.value, truncated: true }
              : { type: 'object', value: checked.value };
            return;
          }
          if (issues[0]?.startsWith('(root): the answer contains no JSON') === true) issues = checked.issues;
        }
        yield {
          type: 'error',
          error:
            cut && found.length === 0
              ? new SteadfastError('truncated', 'The streamed answer stopped at the output token limit')
              : new SteadfastError(
                  found.length === 0 ? 'malformed_json' : 'schema_mismatch',
                  `The streamed answer does not validate: ${issues.slice(0, 5).join('; ')}`,
                ),
        };
        return;
      }
    }
  }
  const iterable = generate();
  return { [Symbol.asyncIterator]: () => iterable, report: stream.report };
}
