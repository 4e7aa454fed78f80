import type { ErrorKind } from '../../errors/kinds.ts';
import type { RateLimitInfo } from '../../errors/rate-limit.ts';
import { SteadfastError, type SteadfastErrorDetails } from '../../errors/steadfast-error.ts';
import type { ToolCallPart } from '../../neutral/request.ts';
import type { FinishReason, Usage } from '../../neutral/response.ts';
import type { StreamEvent } from '../../neutral/stream-event.ts';

/**
 * The steps a scripted provider plays (see `createScriptedAdapter`), and the errors and stream events
 * they are written with.
 */

/** What one call does. */
export type Step =
  /** Answers `text` after `afterMs` (a stream: start, one text delta, tool calls, usage, finish). */
  | {
      type: 'answer';
      text: string;
      afterMs: number;
      usage: Usage;
      rateLimit: RateLimitInfo | undefined;
      /** Why the answer stopped (`length` for one cut at the output limit). */
      finishReason: FinishReason;
      toolCalls: ToolCallPart[];
      /** The provider's native refusal text, when it sends one. */
      refusal: string | undefined;
    }
  /** Fails with `error` after `afterMs` (a stream: an error event before any other). */
  | { type: 'fail'; error: SteadfastError; afterMs: number }
  /** Never answers; ends only when the call is aborted or one of its time limits passes. */
  | { type: 'hang' }
  /** A stream of exactly these events, with pauses between them (a chat call refuses this step). */
  | { type: 'events'; parts: StreamPart[] };

/** One part of a scripted stream: an event to send, or a wait on the fake clock. */
export type StreamPart = StreamEvent | { type: 'pause'; ms: number };

/** The usage every scripted answer reports unless told otherwise. */
export const scriptedUsage: Usage = {
  inputTokens: 100,
  outputTokens: 20,
  cachedInputTokens: 0,
  totalTokens: 120,
};

export function answer(
  text: string,
  options: {
    afterMs?: number;
    usage?: Usage;
    rateLimit?: RateLimitInfo;
    /** @default 'stop' ('tool_calls' when there are tool calls) */
    finishReason?: FinishReason;
    toolCalls?: ToolCallPart[];
    refusal?: string;
  } = {},
): Step {
  const toolCalls = options.toolCalls ?? [];
  return {
    type: 'answer',
    text,
    afterMs: options.afterMs ?? 0,
    usage: options.usage ?? scriptedUsage,
    rateLimit: options.rateLimit,
    finishReason: options.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    toolCalls,
    refusal: options.refusal,
  };
}

export function fail(error: SteadfastError, options: { afterMs?: number } = {}): Step {
  return { type: 'fail', error, afterMs: options.afterMs ?? 0 };
}

export function hang(): Step {
  return { type: 'hang' };
}

export function events(...parts: StreamPart[]): Step {
  return { type: 'events', parts };
}

export function pause(ms: number): StreamPart {
  return { type: 'pause', ms };
}

// The status a provider sends with each kind, for errors that read like the real thing.
const statusOf: Partial<Record<ErrorKind, number>> = {
  rate_limited: 429,
  quota_exhausted: 429,
  server: 500,
  bad_gateway: 502,
  unavailable: 503,
  overloaded: 529,
  bad_request: 400,
  auth: 401,
  forbidden: 403,
  not_found: 404,
  too_large: 400,
  content_filter: 400,
};

/** A classified provider failure, as an adapter would throw it (status from the kind unless given). */
export function providerError(kind: ErrorKind, details: SteadfastErrorDetails = {}): SteadfastError {
  const status = details.status ?? statusOf[kind];
  return new SteadfastError(kind, `scripted ${kind}${status === undefined ? '' : ` (${status})`}`, {
    status,
    ...details,
  });
}

/** A `start` event, as a provider named `provider` sends it. */
export function start(provider = 'scripted', rateLimit?: RateLimitInfo): StreamEvent {
  return {
    type: 'start',
    id: `${provider}-stream`,
    provider,
    model: 'scripted',
    requestId: undefined,
    rateLimit,
  };
}

export function delta(text: string): StreamEvent {
  return { type: 'text-delta', text };
}

export function finish(reason: FinishReason = 'stop'): StreamEvent {
  return { type: 'finish', finishReason: reason, rawFinishReason: reason };
}

export function streamError(error: SteadfastError): StreamEvent {
  return { type: 'error', error };
}
