import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { jsonSchema } from '../content/schema.ts';
import { SteadfastError } from '../errors/steadfast-error.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import type { ObjectStreamEvent } from './object-stream.ts';
import { ask, createHarness } from './test-support/engine-harness.ts';
import { resolved } from './test-support/run-until-settled.ts';
import {
  delta,
  events,
  fail,
  finish,
  pause,
  providerError,
  type Step,
  start,
} from './test-support/script.ts';
import { createScriptedAdapter } from './test-support/scripted-adapter.ts';

const question = ask('chat', 'Who wrote the first program?');
const user = z.object({ name: z.string(), age: z.number() });

/** A stream of `chunks` as text deltas, 100 ms apart. */
function streamed(chunks: readonly string[], reason: 'stop' | 'length' = 'stop'): Step {
  return events(start('p1'), ...chunks.flatMap((chunk) => [pause(100), delta(chunk)]), finish(reason));
}

function setup(steps: readonly Step[]) {
  const clock = createFakeClock();
  const provider = createScriptedAdapter('p1', clock, { alpha: steps });
  const harness = createHarness(clock, {
    providers: [provider],
    routes: { chat: { candidates: ['p1/alpha'], retry: false } },
  });
  return { ...harness, provider };
}

async function collect<T>(
  stream: AsyncIterable<ObjectStreamEvent<T>>,
  clock: ReturnType<typeof createFakeClock>,
) {
  const read = async (): Promise<Array<ObjectStreamEvent<T>>> => {
    const received: Array<ObjectStreamEvent<T>> = [];
    for await (const event of stream) received.push(event);
    return received;
  };
  return resolved(read(), clock);
}

describe('streamObject', () => {
  it('yields partial values while the JSON streams in, then the validated object', async () => {
    const { client, clock } = setup([streamed(['{"name": "A', 'da", "age": 3', '6}'])]);

    const received = await collect(client.streamObject({ ...question, schema: user }), clock);

    expect(received).toEqual([
      { type: 'partial', value: { name: 'A' } },
      { type: 'partial', value: { name: 'Ada', age: 3 } },
      { type: 'partial', value: { name: 'Ada', age: 36 } },
      { type: 'object', value: { name: 'Ada', age: 36 } },
    ]);
  });

  it('yields a partial only when the value changed', async () => {
    const { client, clock } = setup([streamed(['{"name": "Ada"', ' ', ', "age": 36}'])]);

    const received = await collect(client.streamObject({ ...question, schema: user }), clock);

    expect(received.filter((event) => event.type === 'partial')).toEqual([
      { type: 'partial', value: { name: 'Ada' } },
      { type: 'partial', value: { name: 'Ada', age: 36 } },
    ]);
  });

  it('types the final object with the schema output', async () => {
    const { client, clock } = setup([streamed(['{"name": "Ada", "age": 36}'])]);

    const stream = client.streamObject({ ...question, schema: user });
    expectTypeOf(stream).toExtend<AsyncIterable<ObjectStreamEvent<{ name: string; age: number }>>>();
    const received = await collect(stream, clock);

    const last = received.at(-1);
    if (last?.type === 'object') expectTypeOf(last.value).toEqualTypeOf<{ name: string; age: number }>();
    expect(last).toEqual({ type: 'object', value: { name: 'Ada', age: 36 } });
  });

  it('validates against a JSON Schema too', async () => {
    const { client, clock } = setup([streamed(['[1, 2', ', 3]'])]);
    const schema = jsonSchema<number[]>({ type: 'array', items: { type: 'number' } });

    const received = await collect(client.streamObject({ ...question, schema }), clock);

    expect(received.at(-1)).toEqual({ type: 'object', value: [1, 2, 3] });
  });

  it('ends with a typed schema_mismatch error when the final JSON does not validate', async () => {
    const { client, clock } = setup([streamed(['{"name": "Ada", ', '"age": "36"}'])]);

    const received = await collect(client.streamObject({ ...question, schema: user }), clock);

    const last = received.at(-1);
    expect(last?.type).toBe('error');
    const error = last?.type === 'error' ? last.error : undefined;
    expect(SteadfastError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'schema_mismatch' });
    expect(error?.message).toContain('age: ');
    expect(received.some((event) => event.type === 'object')).toBe(false);
  });

  it('ends with a typed malformed_json error when the answer holds no JSON', async () => {
    const { client, clock } = setup([streamed(['Ada Lovelace, ', 'aged 36.'])]);

    const received = await collect(client.streamObject({ ...question, schema: user }), clock);

    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ type: 'error', error: { kind: 'malformed_json' } });
  });

  it('ends with a truncated error, not a repaired object, when the answer was cut at the output limit', async () => {
    const { client, clock } = setup([streamed(['{"name": "Ada", "bio": "Wrote the fi'], 'length')]);
    const schema = z.object({ name: z.string(), bio: z.string() });

    const received = await collect(client.streamObject({ ...question, schema }), clock);

    expect(received.at(-2)).toEqual({ type: 'partial', value: { name: 'Ada', bio: 'Wrote the fi' } });
    expect(received.at(-1)).toMatchObject({ type: 'error', error: { kind: 'truncated' } });
  });

  it('takes an answer that ended at the output limit when its JSON was already complete', async () => {
    const { client, clock } = setup([streamed(['{"name": "Ada", "age": 36}'], 'length')]);

    const received = await collect(client.streamObject({ ...question, schema: user }), clock);

    expect(received.at(-1)).toEqual({ type: 'object', value: { name: 'Ada', age: 36 } });
  });

  it('passes on the error of a stream that could not be had', async () => {
    const { client, clock } = setup([fail(providerError('bad_request'))]);

    const received = await collect(client.streamObject({ ...question, schema: user }), clock);

    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ type: 'error', error: { kind: 'bad_request' } });
  });

  it('asks for JSON as object() does', async () => {
    const { client, clock, provider } = setup([streamed(['{"name": "Ada", "age": 36}'])]);

    await collect(client.streamObject({ ...question, schema: user }), clock);

    expect(provider.calls[0]?.request.responseFormat).toEqual({ type: 'json' });
    expect(provider.calls[0]?.request.system).toContain('matches this JSON Schema');
  });
});
