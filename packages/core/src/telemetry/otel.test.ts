import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import { ask, question } from '../engine/scenarios/test-support/ask.ts';
import {
  candidates,
  fallback,
  primary,
  reply,
  startWorld,
  type World,
} from '../engine/scenarios/test-support/world.ts';
import { ask as askRoute, createHarness } from '../engine/test-support/engine-harness.ts';
import { drained, resolved } from '../engine/test-support/run-until-settled.ts';
import {
  answer,
  delta,
  events,
  fail,
  finish,
  pause,
  providerError,
  start,
} from '../engine/test-support/script.ts';
import { createScriptedAdapter } from '../engine/test-support/scripted-adapter.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import { instrumentOpenTelemetry, type OpenTelemetryOptions } from './otel.ts';
import { createRedactor } from './redact.ts';
import { isChildOf, ms, recordSpans, type SpanRecorder } from './test-support/spans.ts';

/** Spans of `world`'s client, on the world's clock, until the test ends. */
function traced(world: World, options: OpenTelemetryOptions = {}): SpanRecorder {
  const spans = recordSpans();
  onTestFinished(
    instrumentOpenTelemetry(world.client, { tracer: spans.tracer, clock: world.clock, ...options }),
  );
  return spans;
}

// Prices of one million tokens that make every cost below an exact decimal.
const catalog = createCatalog([
  {
    id: 'alpha',
    provider: 'openai',
    contextWindow: 100_000,
    maxOutputTokens: 4096,
    tokenizer: 'o200k',
    capabilities: { tools: true, jsonSchema: true, vision: true, streaming: true, prefill: true },
    pricing: { inputPerMTok: 10, outputPerMTok: 50, asOf: '2026-01-01', source: 'test' },
  },
]);

describe('OpenTelemetry spans', () => {
  it('record a request as an INTERNAL span named after its route, with a CLIENT child per attempt', async () => {
    const world = await startWorld({ scenario: {}, route: { candidates: [candidates.primary] } });
    const spans = traced(world);

    const outcome = await ask(world, 'chat');

    const request = await spans.requestSpan();
    const [attempt, ...others] = await spans.attemptSpans();
    expect(others).toEqual([]);
    expect(request.name).toBe('chat assistant');
    expect(attempt?.name).toBe(`chat ${primary}`);
    expect(attempt && isChildOf(attempt, request)).toBe(true);
    expect(request.parentSpanContext).toBeUndefined();
    const usage = outcome.report.attempts[0]?.usage;
    expect(usage?.outputTokens).toBe(24);
    expect(attempt?.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': primary,
      'gen_ai.request.stream': false,
      // The model that answered and why it stopped, from the attempt's answer.
      'gen_ai.response.model': primary,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': usage?.inputTokens,
      'gen_ai.usage.output_tokens': 24,
      // OpenAI reports reasoning tokens, none for this model.
      'gen_ai.usage.reasoning.output_tokens': 0,
      'steadfast.provider': 'openai',
      'steadfast.route': 'assistant',
      'steadfast.attempt': 1,
      'steadfast.last_option': true,
      'steadfast.fallback': false,
      'steadfast.outcome': 'ok',
      'steadfast.cost_usd': 0,
    });
    expect(request.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'assistant',
      'gen_ai.request.stream': false,
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'openai',
      'steadfast.provider': 'openai',
      'steadfast.model': primary,
      'steadfast.route': 'assistant',
      'steadfast.request_id': expect.stringMatching(/^sf_/),
      'steadfast.outcome': 'ok',
      'steadfast.attempts': 1,
      'steadfast.fallback': false,
      'steadfast.degraded': false,
      'steadfast.cost_usd': 0,
    });
    expect(request.status.code).toBe(SpanStatusCode.UNSET);
    expect(attempt?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('mark failed attempts with error.type and an ERROR status, and tell the retry and the fallback', async () => {
    const clock = createFakeClock();
    const first = createScriptedAdapter('p1', clock, {
      alpha: [fail(providerError('unavailable', { requestId: 'req_upstream_1' }), { afterMs: 40 })],
    });
    const second = createScriptedAdapter('anthropic', clock, { beta: [answer('Paris', { afterMs: 100 })] });
    const { client } = createHarness(clock, {
      providers: [first, { ...second, type: 'anthropic' }],
      routes: { chat: { candidates: ['p1/alpha', 'anthropic/beta'], retry: { maxRetries: 1 } } },
      catalog,
    });
    const spans = recordSpans();
    onTestFinished(instrumentOpenTelemetry(client, { tracer: spans.tracer, clock }));

    await resolved(client.chat(askRoute('chat')), clock);

    const request = await spans.requestSpan();
    const attempts = await spans.attemptSpans();
    expect(attempts.map((span) => span.name)).toEqual(['chat alpha', 'chat alpha', 'chat beta']);
    expect(attempts.every((span) => isChildOf(span, request))).toBe(true);
    expect(attempts[0]?.attributes).toMatchObject({
      'error.type': 'unavailable',
      'http.response.status_code': 503,
      'steadfast.outcome': 'unavailable',
      'steadfast.provider_request_id': 'req_upstream_1',
      'steadfast.attempt': 1,
      'steadfast.fallback': false,
      'gen_ai.provider.name': 'p1',
    });
    expect(attempts[0]?.attributes).not.toHaveProperty('steadfast.retry_delay_ms');
    expect(attempts[0]?.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'scripted unavailable (503)',
    });
    expect(attempts[1]?.attributes).toMatchObject({
      'error.type': 'unavailable',
      'steadfast.attempt': 2,
      'steadfast.retry_delay_ms': 500,
    });
    expect(attempts[2]?.attributes).toMatchObject({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'beta',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 20,
      'steadfast.attempt': 3,
      'steadfast.fallback': true,
      'steadfast.last_option': true,
      'steadfast.outcome': 'ok',
    });
    expect(attempts[2]?.attributes).not.toHaveProperty('error.type');
    expect(attempts[2]?.status.code).toBe(SpanStatusCode.UNSET);
    // Spans are timed by the client's clock: 40 ms failures, a 500 ms wait, a 100 ms answer.
    expect(attempts.map((span) => ms(span.duration))).toEqual([40, 40, 100]);
    expect(ms(request.duration)).toBe(40 + 500 + 40 + 100);

    expect(request.status.code).toBe(SpanStatusCode.UNSET);
    expect(request.attributes).toMatchObject({
      'gen_ai.provider.name': 'anthropic',
      'steadfast.model': 'beta',
      'steadfast.attempts': 3,
      'steadfast.fallback': true,
      'steadfast.outcome': 'ok',
    });
    expect(request.attributes).not.toHaveProperty('error.type');
    expect(request.attributes).not.toHaveProperty('gen_ai.usage.input_tokens');
    expect(request.events.map((event) => [event.name, event.attributes])).toEqual([
      [
        'steadfast.retry',
        {
          'steadfast.provider': 'p1',
          'gen_ai.request.model': 'alpha',
          'steadfast.retry_delay_ms': 500,
          'error.type': 'unavailable',
        },
      ],
      [
        'steadfast.fallback',
        {
          'steadfast.from.provider': 'p1',
          'steadfast.from.model': 'alpha',
          'steadfast.to.provider': 'anthropic',
          'steadfast.to.model': 'beta',
          'steadfast.reason': 'unavailable',
        },
      ],
    ]);
  });

  it('put token usage on the attempt that was billed, not on the request, so that a trace counts each token once', async () => {
    const clock = createFakeClock();
    const adapter = createScriptedAdapter('p1', clock, { alpha: [answer('Paris', { afterMs: 10 })] });
    const { client } = createHarness(clock, {
      providers: [adapter],
      routes: { chat: { candidates: ['p1/alpha'] } },
      catalog,
    });
    const spans = recordSpans();
    onTestFinished(instrumentOpenTelemetry(client, { tracer: spans.tracer }));

    const result = await resolved(client.chat(askRoute('chat')), clock);

    // 100 tokens in, 20 out, at 10 and 50 USD per million.
    const [attempt] = await spans.attemptSpans();
    expect(attempt?.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 20,
      'steadfast.cost_usd': 0.002,
    });
    const request = await spans.requestSpan();
    expect(result.resilience.costUsd).toBe(0.002);
    expect(request.attributes['steadfast.cost_usd']).toBe(0.002);
    expect(Object.keys(request.attributes).filter((key) => key.startsWith('gen_ai.usage.'))).toEqual([]);
  });

  it('end a request that failed everywhere with error.type set to its kind, and no secret in its status', async () => {
    const key = 'canary-Zq8Rt2Lm9Xv4Pw7K';
    const world = await startWorld({
      scenario: {
        models: {
          [primary]: {
            faults: [
              {
                fault: {
                  kind: 'http',
                  status: 401,
                  body: {
                    error: {
                      message: `Incorrect API key provided: ${key.slice(0, 12)}****Pw7K.`,
                      type: 'invalid_request_error',
                      code: 'invalid_api_key',
                    },
                  },
                },
              },
            ],
          },
        },
      },
      route: { candidates: [candidates.primary], retry: false },
    });
    const spans = traced(world, { redactor: createRedactor({ secrets: [key] }) });

    const outcome = await ask(world, 'chat');

    expect(outcome.error?.kind).toBe('auth');
    expect(outcome.error?.message).toContain(key.slice(0, 12));
    const request = await spans.requestSpan();
    const [attempt] = await spans.attemptSpans();
    for (const span of [request, attempt]) {
      expect(span?.attributes['error.type']).toBe('auth');
      expect(span?.status.code).toBe(SpanStatusCode.ERROR);
      expect(span?.status.message).toContain('Incorrect API key provided: [redacted]');
      expect(span?.status.message).not.toContain(key.slice(0, 8));
    }
    expect(request.attributes['steadfast.outcome']).toBe('failed');
    expect(request.attributes).not.toHaveProperty('gen_ai.provider.name');
  });

  it('record whether a request streamed, and the time to its first chunk in seconds', async () => {
    const clock = createFakeClock();
    const adapter = createScriptedAdapter('p1', clock, {
      alpha: [events(start('p1'), pause(250), delta('Par'), pause(50), delta('is'), finish())],
    });
    const { client } = createHarness(clock, {
      providers: [adapter],
      routes: { chat: { candidates: ['p1/alpha'] } },
    });
    const spans = recordSpans();
    onTestFinished(instrumentOpenTelemetry(client, { tracer: spans.tracer, clock }));

    await drained(client.stream(askRoute('chat')), clock);

    const [attempt] = await spans.attemptSpans();
    const request = await spans.requestSpan();
    expect(attempt?.attributes).toMatchObject({
      'gen_ai.request.stream': true,
      'gen_ai.response.time_to_first_chunk': 0.25,
    });
    expect(request.attributes).toMatchObject({
      'gen_ai.request.stream': true,
      'gen_ai.response.time_to_first_chunk': 0.25,
    });
    // The attempt of a stream lasts until its last chunk, not until its first.
    expect(attempt && ms(attempt.duration)).toBe(300);
    expect(attempt?.attributes).not.toHaveProperty('steadfast.incomplete');
  });

  it('name each provider by its API in gen_ai.provider.name, whatever it is called in the configuration', async () => {
    const clock = createFakeClock();
    const azure = {
      ...createScriptedAdapter('azure-eu', clock, { gpt: [answer('Paris')] }),
      type: 'azure' as const,
    };
    const local = createScriptedAdapter('local', clock, { llama: [answer('Paris')] });
    const { client } = createHarness(clock, {
      providers: [azure, local],
      routes: { eu: { candidates: ['azure-eu/gpt'] }, local: { candidates: ['local/llama'] } },
    });
    const spans = recordSpans();
    onTestFinished(instrumentOpenTelemetry(client, { tracer: spans.tracer, providers: [azure, local] }));

    await resolved(client.chat(askRoute('eu')), clock);
    await resolved(client.chat(askRoute('local')), clock);

    expect(
      (await spans.attemptSpans()).map((span) => [
        span.attributes['gen_ai.provider.name'],
        span.attributes['gen_ai.system'],
        span.attributes['steadfast.provider'],
      ]),
    ).toEqual([
      // The older attribute keeps the older name of Azure OpenAI.
      ['azure.ai.openai', 'az.ai.openai', 'azure-eu'],
      // An OpenAI-compatible server has no well-known name: its configured one is the best knowledge.
      ['local', 'local', 'local'],
    ]);
  });

  it('record no prompt or completion text, on spans or their events', async () => {
    const world = await startWorld({
      scenario: { models: { [primary]: { sequence: ['server_error'] }, [fallback]: {} } },
      route: { candidates: [candidates.primary, candidates.fallback], retry: false },
    });
    const spans = traced(world);

    const outcome = await ask(world, 'stream');

    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(reply);
    expect(outcome.report.attempts.map((a) => a.model)).toEqual([primary, fallback]);
    const prompt = question().messages[0]?.content as string;
    const everything = (await spans.finished()).flatMap((span) => [
      span.attributes,
      ...span.events.map((event) => event.attributes ?? {}),
    ]);
    expect(everything.length).toBeGreaterThan(3);
    for (const attributes of everything) {
      for (const [key, value] of Object.entries(attributes)) {
        expect(key).not.toMatch(
          /^gen_ai\.(input|output)\.messages$|^gen_ai\.(prompt|completion|system_instructions)/,
        );
        expect(String(value)).not.toContain(prompt.slice(0, 20));
        expect(String(value)).not.toContain(reply.slice(0, 20));
      }
    }
  });

  it('start a request span as a child of the span active where the request was made', async () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    onTestFinished(() => context.disable());
    const world = await startWorld({ scenario: {}, route: { candidates: [candidates.primary] } });
    const spans = traced(world);
    const handler = spans.tracer.startSpan('POST /answer', { kind: SpanKind.SERVER });

    await context.with(trace.setSpan(context.active(), handler), () => ask(world, 'chat'));
    handler.end();

    const request = await spans.requestSpan();
    expect(request.parentSpanContext?.spanId).toBe(handler.spanContext().spanId);
    expect(request.spanContext().traceId).toBe(handler.spanContext().traceId);
    const [attempt] = await spans.attemptSpans();
    expect(attempt && isChildOf(attempt, request)).toBe(true);
  });
});
