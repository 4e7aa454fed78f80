import type { RefusalOptions } from '../content/refusal.ts';
import type { ErrorKind } from '../errors/kinds.ts';
import type { SteadfastError } from '../errors/steadfast-error.ts';
import type { ChatRequest } from '../neutral/request.ts';
import type { ChatResponse, FinishReason, Usage } from '../neutral/response.ts';
import type { BreakerOptions, BreakerTransition } from '../policies/breaker.ts';
import type { RetryOptions } from '../policies/retry.ts';

/** One option of a route: a configured provider and the model to ask it for. */
export interface Candidate {
  /** A provider name given to `createClient({ providers })`. */
  provider: string;
  /** The model as that provider names it. */
  model: string;
}

/** What a stream does when it fails after its first token reached the consumer. */
export type StreamRecovery =
  /** Ask the same or the next candidate to continue from the text already sent, and stitch. @default */
  | 'continue'
  /** Hold the whole answer until the attempt completes, so any failure can be retried invisibly. */
  | 'buffer'
  /** End the stream with a typed error event. */
  | 'fail';

/** Policies of a route. Each is on with its defaults unless set to `false`. */
export interface RoutePolicies {
  /** The whole request, every attempt, wait and fallback included, in ms. @default 120000 */
  deadlineMs?: number;
  /** One attempt, in ms (the deadline still bounds it). @default 60000 */
  attemptTimeoutMs?: number;
  /** Streams: from sending to the first token, in ms. @default 30000 */
  firstTokenTimeoutMs?: number;
  /** Streams: longest silence between chunks, in ms. @default 30000 */
  idleTimeoutMs?: number;
  retry?: RetryOptions | false;
  /** Retries per provider as a share of recent requests. */
  retryBudget?: { ratio?: number; minRetries?: number; windowMs?: number } | false;
  breaker?: BreakerOptions | false;
  /** Stale-if-error cache; `freshTtlMs` > 0 also serves fresh hits. */
  cache?: { freshTtlMs?: number; maxStaleMs?: number } | false;
  /** Skip or delay a candidate whose rate limit, learned from headers, is spent. @default true */
  rateLimitAware?: boolean;
  /** `propagate` (default) returns a content-filter error at once; `fallback` tries the next candidate. */
  contentFilter?: 'propagate' | 'fallback';
  /** Streams, after the first token. @default 'continue' */
  streamRecovery?: StreamRecovery;
  /** Most continuations of one stream. @default 2 */
  maxContinuations?: number;
  /** Start the next candidate too when the current one has not answered after `delayMs`; first good answer wins. */
  hedge?: { delayMs: number } | false;
  /** Checks of the answer's content: empty, refused, truncated, JSON that does not validate. */
  content?: ContentPolicies;
  /** The last resort when nothing else could answer; its answer is marked degraded. */
  degrade?: (
    request: ChatRequest,
    error: SteadfastError,
  ) => string | ChatResponse | Promise<string | ChatResponse>;
}

/** What to do with answers that arrive but are not usable. Empty answers are always retried. */
export interface ContentPolicies {
  /**
   * A refusal (native signal, or a refusal phrase opening the answer): `fail` with kind `refusal`,
   * try the `next` candidate, or `return` it marked `refused`. @default 'return'
   */
  refusal?: 'fail' | 'next' | 'return';
  /** Refusal phrases and where they count; see `detectRefusal`. */
  refusalDetection?: RefusalOptions;
  /**
   * An answer cut at the output limit: `fail` with kind `truncated`, `continue` it (ask the model to go
   * on and stitch, up to `maxContinuations`), or `accept` it marked `truncated`.
   * @default 'accept' for chat, 'continue' for objects
   */
  truncation?: 'fail' | 'continue' | 'accept';
  /** Most continuations of one truncated answer. @default 2 */
  maxContinuations?: number;
  /**
   * Enforce a `json` / `json_schema` response format: extract, repair and validate the JSON, and ask
   * again with the errors when it does not validate. Always on for `object()`. @default false
   */
  validateJson?: boolean;
  /** Re-asks with the validation errors before moving on. @default 2 */
  maxRepairs?: number;
}

/** What the content checks found and did. */
export interface ContentReport {
  /** The answer is a refusal (returned under the `return` policy). */
  refused: boolean;
  /** The answer stopped at the output limit (returned under the `accept` policy). */
  truncated: boolean;
  /** Continuations asked for to complete a truncated answer. */
  continuations: number;
  /** Re-asks with validation errors. */
  repairs: number;
  /** The JSON needed `jsonrepair` or extraction from prose to parse. */
  jsonRepaired: boolean;
}

/** A route: an alias callers ask for, the candidates behind it in order, and its policies. */
export interface Route extends RoutePolicies {
  /** Candidates in order of preference: objects, or `provider/model` strings. */
  candidates: ReadonlyArray<Candidate | string>;
}

/** One attempt of a request, as the result and the aggregated error report it. */
export interface AttemptRecord {
  provider: string;
  model: string;
  /** `ok`, or the kind of the failure. */
  outcome: 'ok' | ErrorKind;
  status: number | undefined;
  durationMs: number;
  /** The wait before this attempt, when it was a retry. */
  delayMs: number | undefined;
  usage: Usage | undefined;
  /** What the attempt cost at catalog prices, in USD (0 when unknown). */
  costUsd: number;
  /** The attempt was a continuation of a cut stream. */
  continuation?: boolean;
  /** The model that answered, as the provider named it (it may differ from `model`). */
  responseModel?: string;
  /** Why the answer stopped, when the attempt produced one. */
  finishReason?: FinishReason;
}

/** How an answer was obtained. */
export interface ResilienceReport {
  /** The route alias asked for. */
  route: string;
  attempts: AttemptRecord[];
  /** A candidate other than the first answered. */
  fallbackUsed: boolean;
  /** Served from the cache: fresh, or stale after every live attempt failed. */
  cache: 'fresh' | 'stale' | undefined;
  /** Age of a cached answer, in ms. */
  cacheAgeMs: number | undefined;
  /** The route's `degrade` answered. */
  degraded: boolean;
  /** Total cost of every attempt, wasted ones included, in USD. */
  costUsd: number;
  durationMs: number;
  /** What the content checks found, for the answer that was returned. */
  content: ContentReport | undefined;
}

/** An answer with the story of how it was obtained. */
export interface ChatResult extends ChatResponse {
  resilience: ResilienceReport;
}

/** Why a candidate was passed over without a call. */
export type SkipReason =
  /** Its circuit breaker is open. */
  | 'breaker_open'
  /** The model lacks something the request needs (tools, vision, a JSON schema). */
  | 'capability'
  /** The request does not fit the model's context window, or a model no bigger already said it is too large. */
  | 'context_window'
  /** Its provider's rate limit is spent until a reset too far away. */
  | 'rate_limited'
  | 'already_failed'
  | 'unknown_provider';

/** What the engine reports as it works; telemetry, logs and alerts listen to these. */
export type EngineEvent =
  | { type: 'request-start'; requestId: string; route: string; stream: boolean }
  | {
      type: 'attempt-start';
      requestId: string;
      provider: string;
      model: string;
      attempt: number;
      lastOption: boolean;
    }
  | ({ type: 'attempt-end'; requestId: string; error: SteadfastError | undefined } & AttemptRecord)
  | { type: 'retry'; requestId: string; provider: string; model: string; delayMs: number; reason: ErrorKind }
  | {
      type: 'fallback';
      requestId: string;
      from: Candidate | undefined;
      to: Candidate;
      reason: ErrorKind | 'skipped';
    }
  | { type: 'candidate-skipped'; requestId: string; provider: string; model: string; reason: SkipReason }
  /** A candidate whose rate limit is spent is put after the others; it is tried only if they all fail. */
  | { type: 'candidate-deferred'; requestId: string; provider: string; model: string; reason: 'rate_limited' }
  | ({ type: 'breaker' } & BreakerTransition)
  /** A stream's first token reached the consumer: its time since the request and since its attempt started. */
  | {
      type: 'first-token';
      requestId: string;
      provider: string;
      model: string;
      sinceRequestMs: number;
      sinceAttemptMs: number;
    }
  | { type: 'cache-hit'; requestId: string; fresh: boolean; ageMs: number }
  | { type: 'degraded'; requestId: string; reason: ErrorKind }
  | {
      type: 'stream-recovery';
      requestId: string;
      action: 'continue' | 'fail';
      provider: string;
      model: string;
      sentChars: number;
    }
  | { type: 'malformed-chunk'; requestId: string; provider: string; model: string; beforeFirstToken: boolean }
  | {
      type: 'request-end';
      requestId: string;
      route: string;
      outcome: 'ok' | 'cached' | 'stale' | 'degraded' | 'failed';
      error: SteadfastError | undefined;
      report: ResilienceReport;
    };
