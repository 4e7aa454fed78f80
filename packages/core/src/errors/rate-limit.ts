import { parseDurationMs } from './duration.ts';
import { type HeadersLike, readHeader } from './headers.ts';

/** One rate-limit window as a provider reported it. */
export interface RateLimitWindow {
  /** The window's limit (requests or tokens). */
  limit?: number;
  /** What is left in the window. */
  remaining?: number;
  /** Time until the window resets, in milliseconds from when the response was read. */
  resetMs?: number;
}

/** Everything a response said about rate limits and when to try again. */
export interface RateLimitInfo {
  requests?: RateLimitWindow;
  /** Total tokens (OpenAI, Groq, Azure; Anthropic's combined limit). */
  tokens?: RateLimitWindow;
  /** Anthropic's input-token limit. */
  inputTokens?: RateLimitWindow;
  /** Anthropic's output-token limit. */
  outputTokens?: RateLimitWindow;
  /** The wait the provider asked for (`retry-after-ms`, then `retry-after`), in milliseconds. */
  retryAfterMs?: number;
  /** The provider's explicit verdict from `x-should-retry`. */
  shouldRetry?: boolean;
}

/**
 * Reads `retry-after-ms` (Azure, OpenAI) and then `retry-after` (seconds, or an HTTP date).
 * Negative, non-finite or unparseable values are ignored.
 */
export function parseRetryAfterMs(
  headers: HeadersLike | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  const ms = readHeader(headers, 'retry-after-ms');
  if (ms !== undefined) {
    const value = Number(ms);
    if (ms.trim() !== '' && Number.isFinite(value) && value >= 0) return value;
  }
  const after = readHeader(headers, 'retry-after');
  if (after === undefined || after.trim() === '') return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/**
 * Reads a reset value in any of the forms providers use: a Go duration (OpenAI, Groq: `6m0s`),
 * integer seconds (Azure: `8`), or an RFC 3339 timestamp (Anthropic: `2025-08-21T12:40:59Z`).
 */
export function parseResetMs(text: string, nowMs: number): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const seconds = Number(trimmed);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const duration = parseDurationMs(trimmed);
  if (duration !== undefined) return duration;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

function readNumber(headers: HeadersLike, name: string): number | undefined {
  const text = readHeader(headers, name);
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function readWindow(
  headers: HeadersLike,
  names: { limit: string; remaining: string; reset: string },
  nowMs: number,
): RateLimitWindow | undefined {
  const window: RateLimitWindow = {};
  const limit = readNumber(headers, names.limit);
  const remaining = readNumber(headers, names.remaining);
  const reset = readHeader(headers, names.reset);
  const resetMs = reset === undefined ? undefined : parseResetMs(reset, nowMs);
  if (limit !== undefined) window.limit = limit;
  if (remaining !== undefined) window.remaining = remaining;
  if (resetMs !== undefined) window.resetMs = resetMs;
  return limit === undefined && remaining === undefined && resetMs === undefined ? undefined : window;
}

const openAiStyle = (what: string) => ({
  limit: `x-ratelimit-limit-${what}`,
  remaining: `x-ratelimit-remaining-${what}`,
  reset: `x-ratelimit-reset-${what}`,
});

const anthropicStyle = (what: string) => ({
  limit: `anthropic-ratelimit-${what}-limit`,
  remaining: `anthropic-ratelimit-${what}-remaining`,
  reset: `anthropic-ratelimit-${what}-reset`,
});

/**
 * Turns a response's rate-limit headers into one typed value: OpenAI / Groq / Azure
 * `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, Anthropic `anthropic-ratelimit-*`,
 * `retry-after-ms`, `retry-after` and `x-should-retry`. Returns undefined when none is present.
 */
export function parseRateLimitHeaders(
  headers: HeadersLike | undefined,
  nowMs: number = Date.now(),
): RateLimitInfo | undefined {
  if (headers === undefined) return undefined;
  const info: RateLimitInfo = {};
  const requests =
    readWindow(headers, openAiStyle('requests'), nowMs) ??
    readWindow(headers, anthropicStyle('requests'), nowMs);
  const tokens =
    readWindow(headers, openAiStyle('tokens'), nowMs) ?? readWindow(headers, anthropicStyle('tokens'), nowMs);
  const inputTokens = readWindow(headers, anthropicStyle('input-tokens'), nowMs);
  const outputTokens = readWindow(headers, anthropicStyle('output-tokens'), nowMs);
  const retryAfterMs = parseRetryAfterMs(headers, nowMs);
  const shouldRetry = readHeader(headers, 'x-should-retry');
  if (requests) info.requests = requests;
  if (tokens) info.tokens = tokens;
  if (inputTokens) info.inputTokens = inputTokens;
  if (outputTokens) info.outputTokens = outputTokens;
  if (retryAfterMs !== undefined) info.retryAfterMs = retryAfterMs;
  if (shouldRetry === 'true') info.shouldRetry = true;
  if (shouldRetry === 'false') info.shouldRetry = false;
  return Object.keys(info).length === 0 ? undefined : info;
}
