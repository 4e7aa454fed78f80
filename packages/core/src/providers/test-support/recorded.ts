import { readFileSync } from 'node:fs';
import { SteadfastError } from '../../errors/steadfast-error.ts';
import type { StreamEvent } from '../../neutral/stream-event.ts';
import { readSse } from '../sse.ts';
import type { StreamDecoder } from '../stream-call.ts';

/** The text of a recorded fixture, relative to the module that asks (`import.meta.url`). */
export function readFixture(base: string, path: string): string {
  return readFileSync(new URL(path, base), 'utf8');
}

/** A recorded JSON body, as the adapter receives it from `readJsonBody`. */
export function readJsonFixture(base: string, path: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(readFixture(base, path));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TypeError(`${path} is not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** A response body that delivers `bytes` in chunks of `chunkBytes`, as a socket would. */
export function byteStream(bytes: Uint8Array, chunkBytes: number = bytes.length): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      const end = Math.min(bytes.length, offset + Math.max(1, chunkBytes));
      controller.enqueue(bytes.subarray(offset, end));
      offset = end;
    },
  });
}

/** A response body that delivers `chunks` one after another. */
export function chunkStream(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
}

/**
 * Replays a recorded SSE body through `readSse` and a decoder, the way `streamCall` drives them: events
 * until the first `finish` or `error`, then the decoder's verdict on the end (or the failure) of the body.
 */
export async function decodeRecorded(
  sse: string,
  decoder: StreamDecoder,
  chunkBytes = 4096,
): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  try {
    for await (const message of readSse(byteStream(new TextEncoder().encode(sse), chunkBytes))) {
      for (const event of decoder.decode(message)) {
        events.push(event);
        if (event.type === 'finish' || event.type === 'error') return events;
      }
    }
  } catch (error) {
    if (!SteadfastError.isInstance(error)) throw error;
    events.push(...decoder.fail(error));
    return events;
  }
  events.push(...decoder.end());
  return events;
}

/** The ~1 KB answer in the recorded text fixtures of every provider (`*-text.json`). */
export const recordedAnswer: string =
  'A circuit breaker stops a client from calling a service that keeps failing. It counts recent failures; once they pass a threshold, the breaker opens and every call fails fast for a cool-down period instead of waiting on a timeout. When the cool-down ends, the breaker lets a single trial call through (half-open). If that call succeeds, the breaker closes and traffic resumes; if it fails, the breaker opens again.\n\n' +
  'For LLM APIs this matters because failures cluster: a provider that answers 529 or 503 to one request usually answers the same to the next hundred. Retrying each of them multiplies the load on a struggling service and the latency your users see. A breaker per provider and model turns that into one quick decision — fail over to another provider, or return a clear error — while the trial call checks for recovery.\n\n' +
  'Three settings matter most: the failure threshold (for example 5 consecutive failures, or 50% of the last 20 calls), the cool-down (30 seconds is a common start), and which errors count. Rate limits and timeouts should count; a 400 for a malformed request should not.';
