import type { ClassifyContext, HttpFailure } from '../classify-http.ts';
import type { ErrorKind } from '../kinds.ts';

/** One real-shaped failure and what `classify` must make of it. */
export interface ClassifyCase {
  name: string;
  /** What an adapter received or caught: an HTTP failure, a thrown error, an SDK error, a stream event. */
  input: unknown;
  context?: ClassifyContext;
  kind: ErrorKind;
  retryable: boolean;
  fallbackable: boolean;
  /** The wait the error must carry; undefined where the provider named none. */
  retryAfterMs: number | undefined;
  /** Further facts the error must carry. */
  facts?: {
    status?: number | undefined;
    requestId?: string | undefined;
    code?: string | undefined;
    provider?: string | undefined;
  };
  /** Text the log message must contain. */
  messageIncludes?: string;
  /** Secrets or raw pages that must not reach `message`, `JSON.stringify(error)` or `userMessage`. */
  hidden?: readonly string[];
}

/** A fixed clock for HTTP-date and RFC 3339 headers: 2025-08-21T12:40:00Z. */
export const nowMs: number = Date.parse('2025-08-21T12:40:00Z');

/** An HTTP failure as an adapter sees it: the body as the text that came over the wire. */
export function http(status: number, body: unknown, headers: Record<string, string> = {}): HttpFailure {
  return {
    status,
    headers: new Headers(headers),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}
