import type { ClassifyContext } from '../errors/classify-http.ts';
import { parseRateLimitHeaders } from '../errors/rate-limit.ts';
import type { SteadfastError } from '../errors/steadfast-error.ts';
import type { ChatRequest } from '../neutral/request.ts';
import type { ChatResponse } from '../neutral/response.ts';
import type { StreamEvent } from '../neutral/stream-event.ts';
import { systemClock } from '../policies/clock.ts';
import { CallGuard } from '../policies/timeout.ts';
import type { AdapterBaseOptions, CallOptions, ProviderAdapter, ProviderType } from './adapter.ts';
import { credentialScrubber } from './credentials.ts';
import { callError, postJson, readJsonBody, requestIdOf, withRequestId } from './http.ts';
import { type StreamDecoder, streamCall } from './stream-call.ts';

/** What the HTTP exchange told us besides the body. */
export interface ExchangeFacts {
  provider: string;
  /** The upstream model that was called. */
  model: string;
  requestId: string | undefined;
  rateLimit: ChatResponse['rateLimit'];
  timings: ChatResponse['timings'];
}

/** One wire format, as the generic HTTP adapter drives it. */
export interface WireSpec {
  type: ProviderType;
  url(model: string, stream: boolean): string;
  /** Auth and version headers. */
  headers(): Record<string, string>;
  body(request: ChatRequest, model: string, stream: boolean): Record<string, unknown>;
  /** Parses a 2xx body; throws a `SteadfastError` for an error inside it. */
  parse(body: Record<string, unknown>, facts: ExchangeFacts): ChatResponse;
  decoder(
    context: ClassifyContext & { provider: string; model: string },
    facts: Pick<ExchangeFacts, 'requestId' | 'rateLimit'>,
  ): StreamDecoder;
}

/** Builds a provider adapter from a wire spec: timeouts, cancellation, classification and timings are shared. */
export function createHttpAdapter(
  name: string,
  spec: WireSpec,
  options: AdapterBaseOptions,
): ProviderAdapter {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? systemClock;
  const fixedHeaders = { 'content-type': 'application/json', ...spec.headers(), ...options.headers };
  // An error quoting back the key this adapter sent must not carry it into events, logs and spans.
  const scrub = credentialScrubber(fixedHeaders);

  function headersFor(callOptions: CallOptions): Record<string, string> {
    return callOptions.headers === undefined ? fixedHeaders : { ...fixedHeaders, ...callOptions.headers };
  }

  /** The scrubber of a call: the adapter's, or one that also knows credentials the call's own headers carry. */
  function scrubFor(callOptions: CallOptions): (error: SteadfastError) => SteadfastError {
    return callOptions.headers === undefined ? scrub : credentialScrubber(headersFor(callOptions));
  }

  async function chat(request: ChatRequest, callOptions: CallOptions = {}): Promise<ChatResponse> {
    const model = callOptions.model ?? request.model;
    const context = { provider: name, model };
    // A non-streamed answer arrives whole: only the call's own limit applies.
    const guard = new CallGuard(
      { timeoutMs: callOptions.timeoutMs },
      { signal: callOptions.signal, clock, ...context },
    );
    const startedAt = clock.now();
    // Known once a 2xx answer arrived; errors found in its body carry it too.
    let requestId: string | undefined;
    try {
      const body = JSON.stringify(spec.body(request, model, false));
      const response = await postJson(
        fetchFn,
        spec.url(model, false),
        body,
        headersFor(callOptions),
        guard,
        context,
      );
      const headersMs = clock.now() - startedAt;
      requestId = requestIdOf(response.headers);
      const json = await readJsonBody(response, guard, context);
      return spec.parse(json, {
        provider: name,
        model,
        requestId,
        rateLimit: parseRateLimitHeaders(response.headers, clock.now()),
        timings: { startedAt, headersMs, totalMs: clock.now() - startedAt },
      });
    } catch (error) {
      throw scrubFor(callOptions)(withRequestId(callError(error, guard, context), requestId));
    } finally {
      guard.dispose();
    }
  }

  function stream(request: ChatRequest, callOptions: CallOptions = {}): AsyncIterable<StreamEvent> {
    const model = callOptions.model ?? request.model;
    const context = { provider: name, model };
    return {
      [Symbol.asyncIterator]() {
        const guard = new CallGuard(callOptions, { signal: callOptions.signal, clock, ...context });
        return streamCall({
          fetch: fetchFn,
          url: spec.url(model, true),
          body: JSON.stringify(spec.body(request, model, true)),
          headers: headersFor(callOptions),
          guard,
          context,
          scrub: scrubFor(callOptions),
          maxSseBufferSize: options.maxSseBufferSize,
          decoder: (response) =>
            spec.decoder(context, {
              requestId: requestIdOf(response.headers),
              rateLimit: parseRateLimitHeaders(response.headers, clock.now()),
            }),
        });
      },
    };
  }

  return { name, type: spec.type, chat, stream };
}
