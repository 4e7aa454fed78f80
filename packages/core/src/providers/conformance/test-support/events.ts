import { expect } from 'vitest';
import { SteadfastError } from '../../../errors/steadfast-error.ts';
import type { StreamEvent } from '../../../neutral/stream-event.ts';

/** Every event of a stream, read to its end with `for await`, as an application reads it. */
export async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** Reads events until `enough` holds for what was read (or the stream ends). */
export async function readUntil(
  iterator: AsyncIterator<StreamEvent>,
  enough: (events: StreamEvent[]) => boolean,
): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  while (!enough(events)) {
    const next = await iterator.next();
    if (next.done === true) break;
    events.push(next.value);
  }
  return events;
}

/** Reads the remaining events of a stream. */
export function readRest(iterator: AsyncIterator<StreamEvent>): Promise<StreamEvent[]> {
  return readUntil(iterator, () => false);
}

/** The event types in order, each run of one type shown once: `start, text-delta, usage, finish`. */
export function shape(events: StreamEvent[]): StreamEvent['type'][] {
  const types: StreamEvent['type'][] = [];
  for (const event of events) if (types.at(-1) !== event.type) types.push(event.type);
  return types;
}

export function count(events: StreamEvent[], type: StreamEvent['type']): number {
  return events.filter((event) => event.type === type).length;
}

/** The text deltas, joined. */
export function textOf(events: StreamEvent[]): string {
  return events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
}

/** The refusal deltas, joined. */
export function refusalOf(events: StreamEvent[]): string {
  return events.map((event) => (event.type === 'refusal-delta' ? event.text : '')).join('');
}

/** The last event, which must be `finish`. */
export function finishOf(events: StreamEvent[]): Extract<StreamEvent, { type: 'finish' }> {
  const last = events.at(-1);
  expect(last?.type).toBe('finish');
  return last as Extract<StreamEvent, { type: 'finish' }>;
}

/** The error the stream ended with: its last event must be `error`, and no other event may be. */
export function errorOf(events: StreamEvent[]): SteadfastError {
  const last = events.at(-1);
  expect(last?.type).toBe('error');
  expect(count(events, 'error')).toBe(1);
  const error = (last as Extract<StreamEvent, { type: 'error' }>).error;
  expect(SteadfastError.isInstance(error)).toBe(true);
  return error;
}

/** A streamed tool call, its deltas joined. */
export interface StreamedToolCall {
  id: string | undefined;
  name: string | undefined;
  arguments: string;
}

/** The tool calls of a stream, by index, their argument deltas joined. */
export function toolCallsOf(events: StreamEvent[]): StreamedToolCall[] {
  const calls: StreamedToolCall[] = [];
  for (const event of events) {
    if (event.type !== 'tool-call-delta') continue;
    const call = calls[event.index] ?? { id: undefined, name: undefined, arguments: '' };
    calls[event.index] = call;
    call.id ??= event.id;
    call.name ??= event.name;
    call.arguments += event.argumentsDelta;
  }
  return calls;
}

/** What `promise` rejected with, which must be a `SteadfastError`. */
export async function rejectionOf(promise: Promise<unknown>): Promise<SteadfastError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(SteadfastError.isInstance(error), `expected a SteadfastError, got ${String(error)}`).toBe(true);
  return error as SteadfastError;
}
