import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  type SpanOptions,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { EngineEvent } from '../engine/types.ts';
import type { Clock } from '../policies/clock.ts';
import type { Unsubscribe } from './event.ts';
import type { EngineEventSource } from './event-source.ts';
import { OpenRequests } from './open-requests.ts';
import { otelDefaults } from './otel-defaults.ts';
import { noteOf } from './otel-notes.ts';
import { type ProviderTypes, providerNamer } from './otel-provider-name.ts';
import { createRedactor, type Redactor } from './redact.ts';

/** Options of `instrumentOpenTelemetry`. */
export interface OpenTelemetryOptions {
  /** Where spans go. @default trace.getTracer('@steadfast/core'): the global provider's, a no-op without an SDK */
  tracer?: Tracer;
  /**
   * The client's providers (the value given to `createClient`), to name each by its API in
   * `gen_ai.provider.name`: `azure.ai.openai` for a provider configured as `azure-eu`.
   * @default providers named after an API (`openai`, `anthropic`, `gemini`, `azure`) are that API; others keep their name
   */
  providers?: ProviderTypes;
  /** Span start and end times from this clock (the client's), in epoch ms. @default the tracer's own time */
  clock?: Clock;
  /**
   * Prompt and completion content is never put on spans; only `false` is accepted, so that the choice
   * is written where a reader looks for it. @default false
   */
  captureContent?: false;
  /** Applied to the error messages of span statuses. @default createRedactor() (known key shapes) */
  redactor?: Redactor;
  /** Requests with open spans at once; past it the oldest's spans end, marked `steadfast.incomplete`. @default 10000 */
  maxOpenRequests?: number;
}

interface TracedAttempt {
  span: Span;
  provider: string;
  model: string;
}

interface TracedRequest {
  span: Span;
  /** The context attempts start in: the request span's. */
  context: Context;
  route: string;
  stream: boolean;
  /** Attempts whose span is open, oldest first (a hedge runs two at once). */
  attempts: TracedAttempt[];
  /** `provider/model` of every candidate reached by a fallback. */
  fallbackTargets: Set<string>;
}

/**
 * Records the requests of `source` (a client) as OpenTelemetry spans, after the GenAI semantic
 * conventions (https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/, and the client
 * inference span of github.com/open-telemetry/semantic-conventions-genai, docs/gen-ai/client-inference.md):
 *
 * - one span per request, `chat {route}`, kind INTERNAL: the logical operation the caller asked for,
 *   covering every retry and fallback, as the conventions ask of an operation retried automatically.
 *   Its `gen_ai.request.model` is the route, the name the caller put in `request.model`; at its end it
 *   names the provider and model that answered. It runs in this process, hence INTERNAL.
 * - one child per attempt, `chat {model}`, kind CLIENT: one call over the network to one provider,
 *   with `gen_ai.provider.name`, `gen_ai.request.model`, token usage, the HTTP status and, on failure,
 *   `error.type` (the error's kind) and an ERROR status.
 *
 * Token usage is on the attempts only, where it was billed, so that a backend summing `gen_ai.usage.*`
 * over a trace counts each token once; the request carries the total cost. Retries, fallbacks, skips,
 * cache hits and degraded answers are span events on the request. Steadfast's own facts are
 * `steadfast.*`. No prompt or completion text is recorded: spans are built from engine events, which
 * carry none. Without an OpenTelemetry SDK the API's tracer is a no-op and so is this.
 *
 * Returns the function that stops it; spans still open then are ended, marked `steadfast.incomplete`.
 */
export function instrumentOpenTelemetry(
  source: EngineEventSource,
  options: OpenTelemetryOptions = {},
): Unsubscribe {
  const tracer = options.tracer ?? trace.getTracer(otelDefaults.tracerName);
  const clock = options.clock;
  const redactor = options.redactor ?? createRedactor();
  const providerAttributes = providerNamer(options.providers);
  const requests = new OpenRequests<TracedRequest>(
    options.maxOpenRequests ?? otelDefaults.maxOpenRequests,
    endIncomplete,
  );

  /** The time to stamp, when a clock was given. A `Date`: the API reads a bare number as a `performance.now()` offset. */
  function now(): Date | undefined {
    return clock === undefined ? undefined : new Date(clock.now());
  }

  function spanOptions(kind: SpanKind, attributes: Attributes): SpanOptions {
    const startTime = now();
    return startTime === undefined ? { kind, attributes } : { kind, attributes, startTime };
  }

  function endIncomplete(request: TracedRequest): void {
    for (const attempt of request.attempts) {
      attempt.span.setAttribute('steadfast.incomplete', true);
      attempt.span.end(now());
    }
    request.span.setAttribute('steadfast.incomplete', true);
    request.span.end(now());
  }

  function startRequest(event: Extract<EngineEvent, { type: 'request-start' }>): void {
    // The caller's active span, when it has one: the request joins the caller's trace.
    const parent = context.active();
    const span = tracer.startSpan(
      `chat ${event.route}`,
      spanOptions(SpanKind.INTERNAL, {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': event.route,
        'gen_ai.request.stream': event.stream,
        'steadfast.route': event.route,
        'steadfast.request_id': event.requestId,
      }),
      parent,
    );
    requests.add(event.requestId, {
      span,
      context: trace.setSpan(parent, span),
      route: event.route,
      stream: event.stream,
      attempts: [],
      fallbackTargets: new Set(),
    });
  }

  function startAttempt(event: Extract<EngineEvent, { type: 'attempt-start' }>): void {
    // `wrap()` calls have no request span: they are not LLM requests this client shaped.
    const request = requests.get(event.requestId);
    if (request === undefined) return;
    const span = tracer.startSpan(
      `chat ${event.model}`,
      spanOptions(SpanKind.CLIENT, {
        'gen_ai.operation.name': 'chat',
        ...providerAttributes(event.provider),
        'gen_ai.request.model': event.model,
        'gen_ai.request.stream': request.stream,
        'steadfast.route': request.route,
        'steadfast.attempt': event.attempt,
        'steadfast.last_option': event.lastOption,
        'steadfast.fallback': request.fallbackTargets.has(`${event.provider}/${event.model}`),
      }),
      request.context,
    );
    request.attempts.push({ span, provider: event.provider, model: event.model });
  }

  function endAttempt(event: Extract<EngineEvent, { type: 'attempt-end' }>): void {
    const request = requests.get(event.requestId);
    const index = request?.attempts.findIndex(
      (a) => a.provider === event.provider && a.model === event.model,
    );
    if (request === undefined || index === undefined || index === -1) return;
    const [{ span }] = request.attempts.splice(index, 1) as [TracedAttempt];
    span.setAttributes({ 'steadfast.outcome': event.outcome, 'steadfast.cost_usd': event.costUsd });
    if (event.usage !== undefined) {
      span.setAttributes({
        'gen_ai.usage.input_tokens': event.usage.inputTokens,
        'gen_ai.usage.output_tokens': event.usage.outputTokens,
      });
      // Every adapter fills `cachedInputTokens`; 0 cannot tell "none" from "not reported", so it is left out.
      if (event.usage.cachedInputTokens > 0) {
        span.setAttribute('gen_ai.usage.cache_read.input_tokens', event.usage.cachedInputTokens);
      }
      if (event.usage.reasoningTokens !== undefined) {
        span.setAttribute('gen_ai.usage.reasoning.output_tokens', event.usage.reasoningTokens);
      }
    }
    if (event.responseModel !== undefined) span.setAttribute('gen_ai.response.model', event.responseModel);
    if (event.finishReason !== undefined)
      span.setAttribute('gen_ai.response.finish_reasons', [event.finishReason]);
    if (event.status !== undefined) span.setAttribute('http.response.status_code', event.status);
    if (event.delayMs !== undefined) span.setAttribute('steadfast.retry_delay_ms', event.delayMs);
    if (event.continuation === true) span.setAttribute('steadfast.continuation', true);
    if (event.error?.requestId !== undefined) {
      span.setAttribute('steadfast.provider_request_id', redactor.text(event.error.requestId));
    }
    // A cancelled attempt (the caller aborted, or a hedge's loser) did not fail: its outcome says it.
    if (event.outcome !== 'ok' && event.outcome !== 'cancelled') {
      span.setAttribute('error.type', event.outcome);
      span.setStatus({ code: SpanStatusCode.ERROR, message: redactor.text(event.error?.message ?? '') });
    }
    span.end(now());
  }

  function endRequest(event: Extract<EngineEvent, { type: 'request-end' }>): void {
    const request = requests.take(event.requestId);
    if (request === undefined) return;
    const { report, error } = event;
    const span = request.span;
    // Attempts end before their request; one still open here was never told its end.
    for (const attempt of request.attempts) {
      attempt.span.setAttribute('steadfast.incomplete', true);
      attempt.span.end(now());
    }
    span.setAttributes({
      'steadfast.outcome': event.outcome,
      'steadfast.attempts': report.attempts.length,
      'steadfast.fallback': report.fallbackUsed,
      'steadfast.degraded': report.degraded,
      'steadfast.cost_usd': report.costUsd,
    });
    if (report.cache !== undefined) span.setAttribute('steadfast.cache', report.cache);
    if (report.cacheAgeMs !== undefined) span.setAttribute('steadfast.cache_age_ms', report.cacheAgeMs);
    const answered = report.attempts.findLast((a) => a.outcome === 'ok');
    if (answered !== undefined) {
      span.setAttributes({ ...providerAttributes(answered.provider), 'steadfast.model': answered.model });
    }
    // A stale or degraded answer is still an answer: only a request that failed is an error.
    if (event.outcome === 'failed' && error !== undefined && error.kind !== 'cancelled') {
      span.setAttribute('error.type', error.kind);
      span.setStatus({ code: SpanStatusCode.ERROR, message: redactor.text(error.message) });
    }
    span.end(now());
  }

  function onEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'request-start':
        return startRequest(event);
      case 'attempt-start':
        return startAttempt(event);
      case 'attempt-end':
        return endAttempt(event);
      case 'request-end':
        return endRequest(event);
      case 'first-token': {
        const request = requests.get(event.requestId);
        if (request === undefined) return;
        // In seconds, as the conventions measure the time to the first chunk.
        request.span.setAttribute('gen_ai.response.time_to_first_chunk', event.sinceRequestMs / 1000);
        const attempt = request.attempts.find(
          (a) => a.provider === event.provider && a.model === event.model,
        );
        attempt?.span.setAttribute('gen_ai.response.time_to_first_chunk', event.sinceAttemptMs / 1000);
        return;
      }
      case 'breaker':
        // Not about one request: metrics and alerts report breakers.
        return;
      default: {
        const request = requests.get(event.requestId);
        if (request === undefined) return;
        if (event.type === 'fallback') request.fallbackTargets.add(`${event.to.provider}/${event.to.model}`);
        const note = noteOf(event);
        if (note !== undefined) request.span.addEvent(note.name, note.attributes, now());
      }
    }
  }

  const unsubscribe = source.on(onEvent);
  return () => {
    unsubscribe();
    for (const request of requests.drain()) endIncomplete(request);
  };
}
