import type { Tracer } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/types.ts';
import { Emitter } from './event.ts';
import { instrumentOpenTelemetry } from './otel.ts';
import { recordSpans } from './test-support/spans.ts';

describe('the OpenTelemetry instrumentation', () => {
  const begin = (requestId: string): EngineEvent => ({
    type: 'request-start',
    requestId,
    route: 'chat',
    stream: false,
  });

  it('keeps at most maxOpenRequests requests open, ending the oldest as incomplete', async () => {
    const source = new Emitter<EngineEvent>();
    const spans = recordSpans();
    instrumentOpenTelemetry(source, { tracer: spans.tracer, maxOpenRequests: 2 });

    source.emit(begin('r1'));
    source.emit(begin('r2'));
    expect(await spans.finished()).toEqual([]);
    source.emit(begin('r3'));

    expect(
      (await spans.finished()).map((span) => [
        span.attributes['steadfast.request_id'],
        span.attributes['steadfast.incomplete'],
      ]),
    ).toEqual([['r1', true]]);
  });

  it('stops listening when disposed, ending the spans still open as incomplete', async () => {
    const source = new Emitter<EngineEvent>();
    const spans = recordSpans();
    const dispose = instrumentOpenTelemetry(source, { tracer: spans.tracer });
    source.emit(begin('r1'));
    source.emit({
      type: 'attempt-start',
      requestId: 'r1',
      provider: 'openai',
      model: 'gpt',
      attempt: 1,
      lastOption: true,
    });

    dispose();
    source.emit(begin('r2'));

    expect(
      (await spans.finished()).map((span) => [span.name, span.attributes['steadfast.incomplete']]),
    ).toEqual([
      ['chat gpt', true],
      ['chat chat', true],
    ]);
    expect(source.active).toBe(false);
  });

  it('leaves calls made through wrap() alone: they are not requests it shaped', () => {
    const source = new Emitter<EngineEvent>();
    const spans = recordSpans();
    const started: string[] = [];
    const tracer: Tracer = {
      startSpan: (name, ...rest) => {
        started.push(name);
        return spans.tracer.startSpan(name, ...rest);
      },
      startActiveSpan: spans.tracer.startActiveSpan.bind(spans.tracer),
    };
    instrumentOpenTelemetry(source, { tracer });

    source.emit({
      type: 'attempt-start',
      requestId: 'wrap_1',
      provider: 'openai',
      model: '*',
      attempt: 1,
      lastOption: true,
    });
    source.emit({
      type: 'retry',
      requestId: 'wrap_1',
      provider: 'openai',
      model: '*',
      delayMs: 10,
      reason: 'timeout',
    });
    source.emit(begin('sf_1'));

    expect(started).toEqual(['chat chat']);
  });
});
