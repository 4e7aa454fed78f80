import { SteadfastError } from '../errors/steadfast-error.ts';
import type { ChatRequest } from '../neutral/request.ts';
import type { StreamEvent } from '../neutral/stream-event.ts';
import type { AttemptFn } from './chain.ts';
import type { Candidate } from './types.ts';

/** A stream attempt that got far enough to hand to the consumer. */
export interface CommittedStream {
  /** Events read so far: from `start` through the first token (or the whole answer when buffering). */
  buffered: StreamEvent[];
  /** The rest of the stream. */
  rest: AsyncIterator<StreamEvent>;
  /** Tells the chain how the stream ended (for the breaker). */
  settle(error: SteadfastError | undefined): void;
}

function isToken(event: StreamEvent): boolean {
  return event.type === 'text-delta' || event.type === 'tool-call-delta' || event.type === 'refusal-delta';
}

/**
 * One stream attempt, read until it can be committed: its first token (or, with `bufferAll`, its
 * finish). Whatever fails before that — an error status, an error event, a cut, a malformed first
 * chunk, a first-token timeout — is thrown, so the chain retries or fails over and the consumer never
 * sees it.
 */
export function streamAttempt(
  bufferAll: boolean,
  prepare?: (candidate: Candidate) => ChatRequest,
  /** A continuation may rightly add nothing: the cut answer was already complete. */
  allowEmpty = false,
): AttemptFn<CommittedStream> {
  return async (candidate, adapter, options, request) => {
    const iterator = adapter.stream(prepare ? prepare(candidate) : request, options)[Symbol.asyncIterator]();
    const buffered: StreamEvent[] = [];
    let rateLimit: Extract<StreamEvent, { type: 'start' }>['rateLimit'];
    let usage: Extract<StreamEvent, { type: 'usage' }>['usage'] | undefined;
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) {
          throw new SteadfastError(
            'stream_interrupted',
            `The stream from ${candidate.provider} ended without an answer`,
            {
              provider: candidate.provider,
              model: candidate.model,
            },
          );
        }
        const event = next.value;
        if (event.type === 'error') throw event.error;
        if (event.type === 'malformed-chunk' && !buffered.some(isToken)) {
          throw new SteadfastError(
            'bad_gateway',
            `The first chunk from ${candidate.provider} could not be parsed`,
            {
              provider: candidate.provider,
              model: candidate.model,
              code: 'malformed_chunk',
            },
          );
        }
        if (event.type === 'start') rateLimit = event.rateLimit;
        if (event.type === 'usage') usage = event.usage;
        buffered.push(event);
        if (event.type === 'finish' || (!bufferAll && isToken(event))) break;
      }
      const last = buffered.at(-1);
      if (
        last?.type === 'finish' &&
        !buffered.some(isToken) &&
        (!allowEmpty || last.finishReason === 'content_filter')
      ) {
        // Finished without a word: a filtered answer, or an empty one (retryable, like a chat's).
        const filtered = last.finishReason === 'content_filter';
        throw new SteadfastError(
          filtered ? 'content_filter' : 'empty',
          filtered
            ? `${candidate.provider} filtered the answer (${last.rawFinishReason ?? 'content_filter'})`
            : `${candidate.provider}/${candidate.model} returned an empty answer`,
          { provider: candidate.provider, model: candidate.model },
        );
      }
    } catch (error) {
      await iterator.return?.().catch(() => undefined);
      throw error;
    }
    let resolveDone: (error: SteadfastError | undefined) => void = () => undefined;
    const done = new Promise<SteadfastError | undefined>((resolve) => {
      resolveDone = resolve;
    });
    const finished = buffered.at(-1)?.type === 'finish';
    if (finished) resolveDone(undefined);
    return {
      value: { buffered, rest: iterator, settle: resolveDone },
      usage,
      rateLimit,
      done,
    };
  };
}
