import { parseDurationMs } from './duration.ts';
import { type ErrorBodyFacts, readErrorBody } from './error-body.ts';
import { type HeadersLike, readHeader } from './headers.ts';
import type { ErrorKind } from './kinds.ts';
import { parseRateLimitHeaders } from './rate-limit.ts';
import { SteadfastError } from './steadfast-error.ts';

/** A failed HTTP exchange as seen by an adapter: status, headers and the body (text or parsed JSON). */
export interface HttpFailure {
  status: number;
  headers?: HeadersLike | undefined;
  body?: unknown;
}

/** What the caller knows about the attempt that failed. */
export interface ClassifyContext {
  provider?: string | undefined;
  model?: string | undefined;
  /** `body` when the failure happened after the response headers arrived (a cut stream). */
  phase?: 'connect' | 'body' | undefined;
  /** Clock for HTTP-date and RFC 3339 headers, in epoch milliseconds. @default Date.now() */
  nowMs?: number | undefined;
}

// Context-window overflow, as each provider words it (see reference/provider-wire-formats.md):
// OpenAI / vLLM "maximum context length", OpenAI Responses "exceeds the context window", Anthropic
// "prompt is too long" and "exceed context limit", Gemini "input token count … exceeds the maximum",
// Mistral "too large for model with N maximum context length", Together (TGI) "`inputs` tokens +
// `max_new_tokens` must be <= N", sent as 403.
const contextLengthMessage =
  /maximum context length|context window|context[_ ]length|prompt is too long|exceed(?:s|ed)? context limit|input token count.*exceeds|too large for model with \d+ maximum context|max_new_tokens`? must be <=/i;
const contentFilterMessage =
  /content management policy|content filtering policy|content_filter|safety system/i;
const quotaMessage =
  /exceeded your current quota|credit balance is too low|no credits remaining|insufficient (?:balance|credits|quota)|spend limit/i;
// "Request too large for gpt-4o … on tokens per min (TPM)": one request larger than the whole
// per-minute budget; it can never pass, however long we wait.
const requestOverTpmMessage = /request too large for .*tokens per min/i;
// Azure "Please retry after 8 seconds"; OpenAI and Groq "Please try again in 84ms" / "in 1.5s", and a Go
// duration for per-day limits: "in 1m26.4s", "in 2m59.56s".
const retryHintMessage =
  /(?:try again in|retry after)\s+(?:((?:\d+(?:\.\d+)?(?:h|ms|m|s))+)|(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|seconds?))\b/i;

const rpcStatusKinds: Readonly<Record<string, ErrorKind>> = {
  INVALID_ARGUMENT: 'bad_request',
  // Gemini: "free tier is not available in your country", billing not enabled; an account matter.
  FAILED_PRECONDITION: 'forbidden',
  OUT_OF_RANGE: 'bad_request',
  UNAUTHENTICATED: 'auth',
  PERMISSION_DENIED: 'forbidden',
  NOT_FOUND: 'not_found',
  ALREADY_EXISTS: 'conflict',
  ABORTED: 'conflict',
  RESOURCE_EXHAUSTED: 'rate_limited',
  CANCELLED: 'cancelled',
  INTERNAL: 'server',
  UNKNOWN: 'server',
  DATA_LOSS: 'server',
  UNIMPLEMENTED: 'bad_request',
  UNAVAILABLE: 'unavailable',
  DEADLINE_EXCEEDED: 'timeout',
};

/** Anthropic `error.type` values (also sent inside streams, where there is no status). */
const anthropicTypeKinds: Readonly<Record<string, ErrorKind>> = {
  invalid_request_error: 'bad_request',
  authentication_error: 'auth',
  permission_error: 'forbidden',
  not_found_error: 'not_found',
  request_too_large: 'too_large',
  rate_limit_error: 'rate_limited',
  billing_error: 'quota_exhausted',
  api_error: 'server',
  timeout_error: 'timeout',
  overloaded_error: 'overloaded',
  conflict_error: 'conflict',
};

/** OpenAI-family `error.type` / `error.code` values that name a kind on their own. */
const openAiCodeKinds: Readonly<Record<string, ErrorKind>> = {
  server_error: 'server',
  rate_limit_exceeded: 'rate_limited',
  service_unavailable_error: 'unavailable',
  server_is_overloaded: 'overloaded',
  capacity_exceeded: 'overloaded',
  service_tier_capacity_exceeded: 'overloaded',
  invalid_api_key: 'auth',
  model_not_found: 'not_found',
  insufficient_quota: 'quota_exhausted',
  credit_balance_exhausted: 'quota_exhausted',
  context_length_exceeded: 'too_large',
  content_filter: 'content_filter',
  timeout: 'timeout',
};

/** The kind an HTTP status means when the body says nothing more specific. */
export function kindFromStatus(status: number): ErrorKind {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'auth';
    case 402:
      return 'quota_exhausted';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 408:
      return 'timeout';
    case 409:
      return 'conflict';
    case 413:
      return 'too_large';
    case 422:
      return 'unprocessable';
    case 424:
      return 'bad_gateway';
    case 429:
      return 'rate_limited';
    // Groq's flex tier: capacity exceeded.
    case 498:
      return 'overloaded';
    // Groq / nginx: the client closed the request.
    case 499:
      return 'cancelled';
    case 502:
      return 'bad_gateway';
    case 503:
      return 'unavailable';
    case 504:
    case 524:
      return 'timeout';
    case 520:
    case 521:
    case 522:
    case 523:
      return 'bad_gateway';
    // Anthropic: the platform, not the caller, is over capacity.
    case 529:
      return 'overloaded';
    default:
      if (status >= 500) return 'server';
      if (status >= 400) return 'bad_request';
      // A redirect is never followed (the request carries a key): the provider answered something unusable.
      if (status >= 300) return 'bad_gateway';
      return 'unknown';
  }
}

function isDailyQuota(facts: ErrorBodyFacts): boolean {
  return facts.quotaIds?.some((id) => /PerDay/i.test(id)) ?? false;
}

/**
 * The kind of a failure from what its body says, refining what the status says. Body facts win over
 * the status where providers overload a status: context length arrives as 400, 403 (Together) or 413;
 * quota as 400 (Anthropic credit), 402 or 429; content filter as 400 (Azure) or 403 (OpenRouter).
 */
export function kindFromFacts(status: number | undefined, facts: ErrorBodyFacts): ErrorKind {
  const message = facts.message ?? '';
  const code = facts.code ?? '';
  const type = facts.type ?? '';
  if (code === 'context_length_exceeded' || contextLengthMessage.test(message)) return 'too_large';
  if (
    code === 'content_filter' ||
    facts.innerCode === 'ResponsibleAIPolicyViolation' ||
    facts.moderation === true ||
    contentFilterMessage.test(message)
  ) {
    return 'content_filter';
  }
  if (
    code === 'insufficient_quota' ||
    type === 'insufficient_quota' ||
    code === 'credit_balance_exhausted' ||
    facts.detailCode === 'enforced_spend_limit_reached' ||
    requestOverTpmMessage.test(message) ||
    isDailyQuota(facts) ||
    (status !== 429 && quotaMessage.test(message))
  ) {
    return 'quota_exhausted';
  }
  if (facts.reason === 'API_KEY_INVALID') return 'auth';
  // Gemini sends its region and billing refusals as 400; another provider may well serve the request.
  if (facts.rpcStatus === 'FAILED_PRECONDITION') return 'forbidden';
  const effective = status ?? facts.statedStatus;
  if (effective !== undefined && effective >= 300) {
    const byStatus = kindFromStatus(effective);
    // A 429 or 503 that names overload (OpenAI `server_is_overloaded`, Mistral service tier, Groq
    // capacity) is the provider's capacity, not the caller's rate or an outage.
    if (
      (byStatus === 'rate_limited' || byStatus === 'unavailable') &&
      (openAiCodeKinds[code] ?? openAiCodeKinds[type]) === 'overloaded'
    ) {
      return 'overloaded';
    }
    return byStatus;
  }
  return (
    anthropicTypeKinds[type] ??
    openAiCodeKinds[code] ??
    openAiCodeKinds[type] ??
    rpcStatusKinds[facts.rpcStatus ?? ''] ??
    'unknown'
  );
}

function retryHintMs(message: string | undefined): number | undefined {
  if (message === undefined) return undefined;
  const match = retryHintMessage.exec(message);
  if (!match) return undefined;
  if (match[1] !== undefined) return parseDurationMs(match[1]);
  const value = Number(match[2]);
  return /^m/i.test(match[3] ?? '') ? value : value * 1000;
}

function describe(status: number | undefined, facts: ErrorBodyFacts, provider: string | undefined): string {
  const who = provider ?? 'provider';
  const what = status === undefined ? 'error' : `HTTP ${status}`;
  if (facts.htmlTitle !== undefined) {
    return `${who} answered ${what} with an HTML page${facts.htmlTitle ? ` (${facts.htmlTitle})` : ''}`;
  }
  const label = facts.code ?? facts.type ?? facts.rpcStatus;
  const detail = facts.message ?? 'no error message';
  return `${who} answered ${what}${label ? ` ${label}` : ''}: ${detail}`;
}

/** Classifies an HTTP error response (or an error payload without a status, e.g. one inside a stream). */
export function classifyHttp(failure: HttpFailure, context: ClassifyContext = {}): SteadfastError {
  const nowMs = context.nowMs ?? Date.now();
  const facts = readErrorBody(failure.body);
  const status = failure.status > 0 ? failure.status : undefined;
  const kind = kindFromFacts(status, facts);
  const rateLimit = parseRateLimitHeaders(failure.headers, nowMs);
  const retryAfterMs = rateLimit?.retryAfterMs ?? facts.retryDelayMs ?? retryHintMs(facts.message);
  const requestId =
    readHeader(failure.headers, 'x-request-id') ??
    readHeader(failure.headers, 'request-id') ??
    facts.requestId ??
    readHeader(failure.headers, 'apim-request-id');
  return new SteadfastError(kind, describe(status, facts, context.provider), {
    status,
    provider: context.provider,
    model: context.model,
    requestId,
    retryAfterMs,
    rateLimit,
    code: facts.code ?? facts.type ?? facts.rpcStatus,
    retryable: rateLimit?.shouldRetry,
  });
}
