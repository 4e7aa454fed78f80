import type { RateLimitInfo } from '../errors/rate-limit.ts';
import type { SteadfastError } from '../errors/steadfast-error.ts';
import type { FinishReason, Usage } from './response.ts';

/**
 * One event of a streamed answer. A stream begins with `start` (unless it fails first), carries deltas,
 * and ends with exactly one `finish` or one `error`.
 */
export type StreamEvent =
  | {
      type: 'start';
      id: string;
      provider: string;
      /** The model that answers. */
      model: string;
      requestId: string | undefined;
      rateLimit: RateLimitInfo | undefined;
    }
  | { type: 'text-delta'; text: string }
  | { type: 'refusal-delta'; text: string }
  | {
      type: 'tool-call-delta';
      /** Position of the call in this answer; deltas of one call share it. */
      index: number;
      /** Present on the first delta of a call. */
      id?: string;
      /** Present on the first delta of a call. */
      name?: string;
      /** The next fragment of the arguments' JSON text. */
      argumentsDelta: string;
    }
  | { type: 'usage'; usage: Usage }
  /** A chunk that could not be parsed; the stream goes on. What to make of it is the engine's call. */
  | { type: 'malformed-chunk'; data: string }
  | { type: 'finish'; finishReason: FinishReason; rawFinishReason: string | undefined }
  | { type: 'error'; error: SteadfastError };
