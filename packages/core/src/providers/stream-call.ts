import type { ClassifyContext } from '../errors/classify-http.ts';
import type { SteadfastError } from '../errors/steadfast-error.ts';
import type { StreamEvent } from '../neutral/stream-event.ts';
import type { CallGuard } from '../policies/timeout.ts';
import { callError, postJson, requestIdOf, withRequestId } from './http.ts';
import { readSse, type SseMessage } from './sse.ts';

/** Turns one wire format's SSE messages into neutral stream events. One per call; stateful. */
export interface StreamDecoder {
  /** Events for one message. A `finish` or `error` among them ends the stream. */
  decode(message: SseMessage): StreamEvent[];
  /** The body ended: a `finish` if the answer was complete, otherwise an `error` (it was cut). */
  end(): StreamEvent[];
  /** The transport failed with `error`: a `finish` if the answer was already complete, otherwise the error. */
  fail(error: SteadfastError): StreamEvent[];
}

/** What a streamed call needs besides its decoder. */
export interface StreamCall {
  fetch: typeof fetch;
  url: string;
  body: string;
  headers: Record<string, string>;
  guard: CallGuard;
  context: ClassifyContext;
  /** Applied to every error before it is yielded: removes the adapter's own credentials. */
  scrub(error: SteadfastError): SteadfastError;
  maxSseBufferSize: number | undefined;
  /** Builds the decoder once the response headers are in (request id, rate limits). */
  decoder(response: Response): StreamDecoder;
}

/** An `error` event given the request id of the response whose body it came from, and scrubbed. */
function withResponseId(event: StreamEvent, requestId: string | undefined, call: StreamCall): StreamEvent {
  return event.type === 'error'
    ? { type: 'error', error: call.scrub(withRequestId(event.error, requestId)) }
    : event;
}

function isToken(event: StreamEvent): boolean {
  return event.type === 'text-delta' || event.type === 'tool-call-delta' || event.type === 'refusal-delta';
}

/**
 * Runs one streamed call: sends it, reads its SSE body through the decoder, and ends with exactly one
 * `finish` or `error` event. When the consumer stops early, the upstream request is aborted.
 */
export async function* streamCall(call: StreamCall): AsyncGenerator<StreamEvent, void, undefined> {
  const { guard, context } = call;
  let ended = false;
  try {
    let response: Response;
    try {
      response = await postJson(call.fetch, call.url, call.body, call.headers, call.guard, context);
    } catch (error) {
      ended = true;
      yield { type: 'error', error: call.scrub(callError(error, guard, context)) };
      return;
    }
    // The silence is measured from the headers on: Gemini sends no byte of body before its first token,
    // so a stream that stalls right after its headers would otherwise escape the idle limit.
    guard.receivedBytes();
    const requestId = requestIdOf(response.headers);
    const decoder = call.decoder(response);
    const body = response.body;
    if (body === null) {
      ended = true;
      for (const event of decoder.end()) yield withResponseId(event, requestId, call);
      return;
    }
    let last: StreamEvent[];
    try {
      for await (const message of readSse(body, {
        maxBufferSize: call.maxSseBufferSize,
        onBytes: () => guard.receivedBytes(),
        provider: context.provider,
        model: context.model,
      })) {
        for (const event of decoder.decode(message)) {
          if (isToken(event)) guard.receivedToken();
          if (event.type === 'finish' || event.type === 'error') ended = true;
          yield withResponseId(event, requestId, call);
          if (ended) return;
          // Aborted (by the caller or a time limit) while the consumer held this event: what was already
          // buffered is not delivered, or an abort would take effect only when the buffer ran dry.
          if (guard.abortError !== undefined) throw guard.abortError;
        }
      }
      last = decoder.end();
    } catch (error) {
      last = decoder.fail(callError(error, guard, { ...context, phase: 'body' }));
    }
    ended = true;
    for (const event of last) yield withResponseId(event, requestId, call);
  } finally {
    // Reached early only when the consumer stopped reading: release the upstream request.
    if (!ended) guard.abort();
    guard.dispose();
  }
}
