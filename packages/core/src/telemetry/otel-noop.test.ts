import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { EngineEvent } from '../engine/types.ts';
import { SteadfastError } from '../errors/steadfast-error.ts';
import { instrumentOpenTelemetry } from './otel.ts';

// This file registers a global tracer provider; it has a file of its own so that no other test sees it.

/** A whole request told in events: a failed attempt, a retry, a fallback, an answer. */
function story(requestId: string): EngineEvent[] {
  const report = {
    route: 'chat',
    attempts: [],
    fallbackUsed: true,
    cache: undefined,
    cacheAgeMs: undefined,
    degraded: false,
    costUsd: 0,
    durationMs: 10,
    content: undefined,
  };
  const failure = new SteadfastError('server', 'upstream 500', { status: 500 });
  const attempt = { requestId, outcome: 'ok' as const, status: undefined, durationMs: 5, delayMs: undefined };
  const usage = { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, totalTokens: 2 };
  return [
    { type: 'request-start', requestId, route: 'chat', stream: false },
    { type: 'attempt-start', requestId, provider: 'openai', model: 'a', attempt: 1, lastOption: false },
    {
      type: 'attempt-end',
      ...attempt,
      provider: 'openai',
      model: 'a',
      outcome: 'server',
      status: 500,
      usage: undefined,
      costUsd: 0,
      error: failure,
    },
    { type: 'retry', requestId, provider: 'openai', model: 'a', delayMs: 5, reason: 'server' },
    {
      type: 'fallback',
      requestId,
      from: { provider: 'openai', model: 'a' },
      to: { provider: 'anthropic', model: 'b' },
      reason: 'server',
    },
    { type: 'attempt-start', requestId, provider: 'anthropic', model: 'b', attempt: 2, lastOption: true },
    {
      type: 'first-token',
      requestId,
      provider: 'anthropic',
      model: 'b',
      sinceRequestMs: 8,
      sinceAttemptMs: 3,
    },
    {
      type: 'attempt-end',
      ...attempt,
      provider: 'anthropic',
      model: 'b',
      usage,
      costUsd: 0,
      error: undefined,
    },
    { type: 'request-end', requestId, route: 'chat', outcome: 'ok', error: undefined, report },
  ];
}

describe('the OpenTelemetry instrumentation without an SDK', () => {
  it('records nothing and throws nothing, and picks up a provider registered later', async () => {
    let listener: ((event: EngineEvent) => void) | undefined;
    // A source that calls the listener bare: a throw would reach the test, not an emitter's guard.
    instrumentOpenTelemetry({
      on(l) {
        listener = l;
        return () => undefined;
      },
    });
    const deliver = (events: EngineEvent[]) => {
      for (const event of events) listener?.(event);
    };

    expect(() => deliver(story('before'))).not.toThrow();

    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    trace.setGlobalTracerProvider(provider);
    onTestFinished(() => trace.disable());
    deliver(story('after'));
    await provider.forceFlush();

    // The default tracer is the global API's: a no-op before an SDK registers, the SDK's after.
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(['chat a', 'chat b', 'chat chat']);
    expect(spans.map((span) => span.attributes['steadfast.request_id'])).toEqual([
      undefined,
      undefined,
      'after',
    ]);
  });
});
