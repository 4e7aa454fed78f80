import type { ChatRequest } from '../neutral/request.ts';
import type { ChatResponse } from '../neutral/response.ts';
import type { StreamEvent } from '../neutral/stream-event.ts';
import type { Clock } from '../policies/clock.ts';
import type { CallTimeouts } from '../policies/timeout.ts';

/** Per-call options every adapter takes. */
export interface CallOptions extends CallTimeouts {
  /** The caller's cancellation; aborting it aborts the upstream request. */
  signal?: AbortSignal | undefined;
  /** Extra request headers for this call (e.g. forwarded `anthropic-beta`). */
  headers?: Record<string, string> | undefined;
  /** The upstream model to call, when it differs from `request.model` (a route alias resolved). */
  model?: string | undefined;
}

/** The kinds of adapter, one per wire format family. */
export type ProviderType = 'openai' | 'azure' | 'openai-compatible' | 'anthropic' | 'gemini';

/**
 * One configured provider: translates neutral requests to its wire format and back. Adapters never
 * retry; every failure reaches the caller as a classified `SteadfastError` (thrown by `chat`, or the
 * stream's last `error` event).
 */
export interface ProviderAdapter {
  /** The configured name (e.g. `openai`, `azure-eu`), used in errors, events and metrics. */
  readonly name: string;
  readonly type: ProviderType;
  /** One call, the whole answer at once. Rejects with a `SteadfastError`. */
  chat(request: ChatRequest, options?: CallOptions): Promise<ChatResponse>;
  /**
   * One streamed call. Yields `start`, deltas, then exactly one `finish` or `error`; never throws.
   * Breaking out of the loop aborts the upstream request.
   */
  stream(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamEvent>;
}

/** Settings every adapter factory accepts. */
export interface AdapterBaseOptions {
  /** The provider's configured name. */
  name?: string;
  /** Headers sent with every call (after the adapter's own). */
  headers?: Record<string, string>;
  /** The `fetch` to use. @default globalThis.fetch (keep-alive connection reuse) */
  fetch?: typeof fetch;
  /** Clock for timeouts and timings. @default the system clock */
  clock?: Clock;
  /** Largest SSE line or event accepted, in characters. @default 8 MiB */
  maxSseBufferSize?: number;
}
