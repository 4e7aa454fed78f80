import type { SimAnswer } from '../answer.ts';
import type { SimRequest } from '../request.ts';
import type { Api } from '../scenario.ts';

/** Facts of one attempt that its response bodies repeat. */
export interface ReplyContext {
  request: SimRequest;
  /** Id of the response object (`chatcmpl-…`, `msg_…`). */
  id: string;
  /** Request id for headers and error bodies. */
  requestId: string;
  /** Unix seconds. */
  created: number;
}

/** An HTTP error answer in one API's own shape. */
export interface WireError {
  status: number;
  headers: Record<string, string>;
  contentType: string;
  body: string;
}

/** Every error answer the simulator can give, in neutral terms; each API renders its own. */
export type ErrorCase =
  | {
      kind: 'rate_limit';
      retryAfterSeconds?: number | undefined;
      retryAfterMs?: number | undefined;
      limit?: number;
    }
  | { kind: 'quota' }
  | { kind: 'server_error' }
  | { kind: 'bad_gateway' }
  | { kind: 'unavailable'; retryAfterSeconds?: number | undefined }
  | { kind: 'overloaded' }
  | { kind: 'gateway_timeout' }
  | { kind: 'context_length'; inputTokens: number; window: number }
  | { kind: 'content_filter' }
  | { kind: 'auth'; apiKey: string | undefined }
  | { kind: 'model_not_found'; model: string }
  | { kind: 'prefill_rejected' }
  | { kind: 'invalid'; message: string; param?: string | undefined };

/**
 * A stream as the full list of its SSE frames. The writer sends `frames` in order, pacing the content
 * frames (`contentStart` ≤ i < `contentEnd`) at the model's token rate, and applies stream faults
 * generically: cut after k content frames, stall, drop the last `terminatorFrames` frames, or insert
 * `errorFrame` / `malformedFrame`.
 */
export interface StreamPlan {
  frames: string[];
  contentStart: number;
  contentEnd: number;
  terminatorFrames: number;
  errorFrame: string;
  malformedFrame: string;
}

/** Per-minute limit state, for rate-limit headers. */
export interface RateLimitState {
  requestsLimit: number | undefined;
  requestsRemaining: number;
  tokensLimit: number | undefined;
  tokensRemaining: number;
  /** Time until the window resets, in ms. */
  resetMs: number;
  /** Absolute reset time, epoch ms. */
  resetAt: number;
}

/** One wire format: how to read its requests and write its answers, errors and streams. */
export interface WireFormat {
  readonly api: Api;
  /** Reads a parsed JSON body; throws `InvalidRequest` for what the real API rejects with a 400. */
  parse(
    body: unknown,
    model: string | undefined,
    headers: Record<string, string | string[] | undefined>,
    url: URL,
  ): SimRequest;
  /** An error answer; undefined when this API answers the case with HTTP 200 instead (Gemini blocks a prompt that way). */
  error(error: ErrorCase, context: ReplyContext | undefined, requestId: string): WireError | undefined;
  body(answer: SimAnswer, context: ReplyContext): string;
  stream(answer: SimAnswer, context: ReplyContext): StreamPlan;
  /** Headers every answer carries (request id and the like). */
  headers(requestId: string): Record<string, string>;
  rateLimitHeaders(state: RateLimitState): Record<string, string>;
  streamContentType: string;
}

/** Masks a key the way OpenAI echoes it in a 401 (`sk-proj-****abcd`). */
export function maskKey(key: string | undefined): string {
  if (key === undefined || key === '') return '<none>';
  if (key.length <= 8) return '****';
  return `${key.slice(0, 3)}${'*'.repeat(Math.min(20, key.length - 7))}${key.slice(-4)}`;
}

/** The HTML page a proxy in front of a provider answers with on a 502. */
export function badGatewayPage(): WireError {
  return {
    status: 502,
    headers: {},
    contentType: 'text/html',
    body:
      '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
      '<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n',
  };
}

/** Go-style duration as OpenAI writes rate-limit resets (`6m0s`, `1.5s`, `20ms`). */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const totalSeconds = ms / 1000;
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = Math.round((totalSeconds - minutes * 60) * 1000) / 1000;
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}

/** A short deterministic string standing in for OpenAI's random `obfuscation` padding. */
export function obfuscation(index: number): string {
  return 'abcdefghijklmnop'.slice(index % 7, (index % 7) + 4 + (index % 5));
}
