import { describe, expect, it } from 'vitest';
import { adapters } from './test-support/adapters.ts';
import { collect, finishOf, textOf } from './test-support/events.ts';
import { ask, bookSchema, model, propertyNames } from './test-support/scenario.ts';
import { expectNothingInFlight, useConformance } from './test-support/simulator.ts';

const structured = ask(model, { responseFormat: { type: 'json_schema', name: 'book', schema: bookSchema } });

/** The answer's text, which must be JSON of an object. */
function parsedObject(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  expect(value).toBeTypeOf('object');
  expect(Array.isArray(value)).toBe(false);
  return value as Record<string, unknown>;
}

describe.each(adapters)('$name adapter: JSON-schema output', (under) => {
  const conformance = useConformance(under);

  it('chat() answers with JSON text holding the properties of the schema', async () => {
    const response = await conformance.adapter.chat(structured);

    expect(response.finishReason).toBe('stop');
    expect(Object.keys(parsedObject(response.text)).sort()).toEqual(propertyNames(bookSchema));
  });

  it('stream() streams the same JSON text', async () => {
    const answer = await conformance.adapter.chat(structured);
    const events = await collect(conformance.adapter.stream(structured));

    expect(finishOf(events).finishReason).toBe('stop');
    expect(textOf(events)).toBe(answer.text);
    expect(Object.keys(parsedObject(textOf(events))).sort()).toEqual(propertyNames(bookSchema));
  });

  it('leaves no request in flight', () => expectNothingInFlight(conformance.sim));
});
