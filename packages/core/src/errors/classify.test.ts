import { describe, expect, it } from 'vitest';
import { classify, classifyResponse } from './classify.ts';
import { classifyStreamEvent } from './classify-stream.ts';
import { kindTraits } from './kinds.ts';
import { SteadfastError } from './steadfast-error.ts';
import { anthropicCases } from './test-support/anthropic-cases.ts';
import type { ClassifyCase } from './test-support/classify-case.ts';
import { compatibleCases } from './test-support/compatible-cases.ts';
import { geminiCases } from './test-support/gemini-cases.ts';
import { networkCases } from './test-support/network-cases.ts';
import { azureCases, openAiCases } from './test-support/openai-cases.ts';
import { sdkCases } from './test-support/sdk-cases.ts';
import {
  anthropicErrorEvent,
  geminiErrorEvent,
  openAiErrorEvent,
  openRouterErrorChunk,
  ordinaryChunk,
  streamCases,
} from './test-support/stream-cases.ts';

const cases: readonly ClassifyCase[] = [
  ...openAiCases,
  ...azureCases,
  ...anthropicCases,
  ...geminiCases,
  ...compatibleCases,
  ...networkCases,
  ...sdkCases,
  ...streamCases,
];

describe('classify', () => {
  it('has a table of at least 70 real-shaped cases with unique names', () => {
    expect(cases.length).toBeGreaterThanOrEqual(70);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases)('$name', (c) => {
    const error = classify(c.input, c.context);
    expect(SteadfastError.isInstance(error)).toBe(true);
    expect({
      kind: error.kind,
      retryable: error.retryable,
      fallbackable: error.fallbackable,
      retryAfterMs: error.retryAfterMs,
    }).toEqual({
      kind: c.kind,
      retryable: c.retryable,
      fallbackable: c.fallbackable,
      retryAfterMs: c.retryAfterMs,
    });
    expect(error.userMessage).toBe(kindTraits[c.kind].userMessage);
    if (c.facts !== undefined) expect(error).toMatchObject(c.facts);
    if (c.messageIncludes !== undefined) expect(error.message).toContain(c.messageIncludes);
    const json = JSON.stringify(error);
    for (const hidden of c.hidden ?? []) {
      expect(error.message).not.toContain(hidden);
      expect(json).not.toContain(hidden);
      expect(error.userMessage).not.toContain(hidden);
    }
  });

  it('returns a SteadfastError as it is, filling in only a missing provider and model', () => {
    const original = new SteadfastError('overloaded', 'Overloaded', { provider: 'anthropic', status: 529 });
    const again = classify(original, { provider: 'openai', model: 'claude-sonnet-4-5' });
    expect(again).toMatchObject({
      kind: 'overloaded',
      status: 529,
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
    });
    expect(classify(again, { provider: 'openai', model: 'other' })).toBe(again);
  });

  it('makes anything unrecognised kind unknown, neither retried nor fallen back from', () => {
    for (const value of ['boom', 42, null, undefined, { some: 'object' }, new RangeError('bad index')]) {
      const error = classify(value);
      expect(error).toMatchObject({ kind: 'unknown', retryable: false, fallbackable: false });
    }
    expect(classify('boom').message).toBe('boom');
  });
});

describe('classifyStreamEvent', () => {
  it.each([
    ['an Anthropic error event', anthropicErrorEvent, 'overloaded'],
    ['an OpenAI error payload', openAiErrorEvent, 'server'],
    ['a Gemini error object', geminiErrorEvent, 'server'],
    ['an OpenRouter error chunk', openRouterErrorChunk, 'bad_gateway'],
  ] as const)('recognises %s', (_label, event, kind) => {
    expect(classifyStreamEvent(event)?.kind).toBe(kind);
  });

  it('returns undefined for an ordinary chunk', () => {
    expect(classifyStreamEvent(ordinaryChunk)).toBeUndefined();
    expect(classifyStreamEvent({ type: 'ping' })).toBeUndefined();
    expect(
      classifyStreamEvent({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: 'Hi' },
      }),
    ).toBeUndefined();
    expect(classifyStreamEvent('data')).toBeUndefined();
  });
});

describe('classifyResponse', () => {
  it('reads the body and headers of a fetch Response', async () => {
    const response = new Response(
      JSON.stringify({
        type: 'error',
        error: { type: 'rate_limit_error', message: 'Rate limited' },
        request_id: null,
      }),
      { status: 429, headers: { 'retry-after': '7', 'request-id': 'req_resp' } },
    );
    const error = await classifyResponse(response, { provider: 'anthropic' });
    expect(error).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryAfterMs: 7000,
      requestId: 'req_resp',
      provider: 'anthropic',
    });
  });

  it('reads no more than maxBodyBytes of the body', async () => {
    const message = `prompt is too long: ${'9'.repeat(200)}`;
    const response = new Response(JSON.stringify({ error: { type: 'invalid_request_error', message } }), {
      status: 400,
    });
    // Cut short, the JSON no longer parses; what is left is text, never more than the bound.
    const error = await classifyResponse(response, {}, 64);
    expect(error.message.length).toBeLessThan(200);
  });

  it('stops reading an endless body at maxBodyBytes and cancels the rest', async () => {
    const chunk = new TextEncoder().encode(
      '<html><head><title>502 Bad Gateway</title></head>'.padEnd(1024, ' '),
    );
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const error = await classifyResponse(new Response(endless, { status: 502 }), {}, 4096);
    expect(error).toMatchObject({ kind: 'bad_gateway', status: 502 });
    expect(error.message).toContain('HTML page (502 Bad Gateway)');
    expect(cancelled).toBe(true);
  });

  it('reports a cancel while the body is read as cancelled', async () => {
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new DOMException('This operation was aborted', 'AbortError'));
      },
    });
    const error = await classifyResponse(new Response(body, { status: 500 }));
    expect(error.kind).toBe('cancelled');
  });
});
