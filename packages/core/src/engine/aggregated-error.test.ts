import { describe, expect, it } from 'vitest';
import { ChainError } from '../errors/chain-error.ts';
import { SteadfastError } from '../errors/steadfast-error.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import { ask, createHarness } from './test-support/engine-harness.ts';
import { rejected, resolved } from './test-support/run-until-settled.ts';
import { answer, fail, providerError } from './test-support/script.ts';
import { createScriptedAdapter } from './test-support/scripted-adapter.ts';

const question = ask('chat');

/** The error a chat rejects with, which must be a `ChainError`. */
async function chainErrorOf(promise: Promise<unknown>, clock: ReturnType<typeof createFakeClock>) {
  const error = await rejected(promise, clock);
  if (!(error instanceof ChainError)) throw new Error(`expected a ChainError, got ${String(error)}`);
  return error;
}

describe('aggregated error', () => {
  it('lists every attempt with its provider, model, kind, status and duration', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, {
      alpha: [fail(providerError('unavailable'), { afterMs: 200 })],
    });
    const fallback = createScriptedAdapter('p2', clock, {
      beta: [fail(providerError('server'), { afterMs: 300 })],
    });
    const { client } = createHarness(clock, {
      providers: [primary, fallback],
      routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], retry: { maxRetries: 1 } } },
    });

    const error = await chainErrorOf(client.chat(question), clock);

    expect(error.reason).toBe('all_failed');
    expect(error.attempts).toEqual([
      { provider: 'p1', model: 'alpha', kind: 'unavailable', status: 503, durationMs: 200 },
      { provider: 'p1', model: 'alpha', kind: 'unavailable', status: 503, durationMs: 200 },
      { provider: 'p2', model: 'beta', kind: 'server', status: 500, durationMs: 300 },
      { provider: 'p2', model: 'beta', kind: 'server', status: 500, durationMs: 300 },
    ]);
    expect(error.errors.map((e) => e.kind)).toEqual(['unavailable', 'unavailable', 'server', 'server']);
    expect(error.lastError?.kind).toBe('server');
    expect(error.message).toContain(
      'p1/alpha: unavailable 503; p1/alpha: unavailable 503; p2/beta: server 500',
    );
    expect(error.toJSON()).toMatchObject({ reason: 'all_failed', attempts: error.attempts });
  });

  it("carries the first candidate's failure: its kind, status, provider and model", async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, {
      alpha: [fail(providerError('rate_limited', { requestId: 'req_1', retryAfterMs: 120_000 }))],
    });
    const fallback = createScriptedAdapter('p2', clock, { beta: [fail(providerError('server'))] });
    const { client } = createHarness(clock, {
      providers: [primary, fallback],
      routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], retry: false } },
    });

    const error = await chainErrorOf(client.chat(question), clock);

    expect(error).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      provider: 'p1',
      model: 'alpha',
      requestId: 'req_1',
      retryAfterMs: 120_000,
    });
    expect(SteadfastError.isInstance(error.cause)).toBe(true);
  });

  it("shows the primary's outage, not the fallback's rejection of the request, when both fail", async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('unavailable'))] });
    const fallback = createScriptedAdapter('p2', clock, {
      beta: [fail(providerError('bad_request', { code: 'unsupported_parameter' }))],
    });
    const { client } = createHarness(clock, {
      providers: [primary, fallback],
      routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], retry: false } },
    });

    const error = await chainErrorOf(client.chat(question), clock);

    expect(error).toMatchObject({ kind: 'unavailable', status: 503, provider: 'p1' });
    expect(error.attempts.map((a) => a.kind)).toEqual(['unavailable', 'bad_request']);
    expect(error.lastError?.kind).toBe('bad_request');
  });

  it('shows a content filter met on the way, with its reason, over an earlier outage', async () => {
    const clock = createFakeClock();
    const filter = new SteadfastError('content_filter', 'Blocked: self-harm (medium)', {
      status: 400,
      code: 'content_filter',
    });
    const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('unavailable'))] });
    const fallback = createScriptedAdapter('p2', clock, { beta: [fail(filter)] });
    const { client } = createHarness(clock, {
      providers: [primary, fallback],
      routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], retry: false } },
    });

    const error = await chainErrorOf(client.chat(question), clock);

    expect(error).toMatchObject({ kind: 'content_filter', reason: 'not_fallbackable', provider: 'p2' });
    expect(error.message).toContain('self-harm (medium)');
  });

  it('is not thrown when a later candidate answers; the report keeps the failed attempts', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('overloaded'))] });
    const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris')] });
    const { client } = createHarness(clock, {
      providers: [primary, fallback],
      routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], retry: false } },
    });

    const result = await resolved(client.chat(question), clock);

    expect(result.resilience.attempts.map((a) => [a.provider, a.outcome, a.status])).toEqual([
      ['p1', 'overloaded', 529],
      ['p2', 'ok', undefined],
    ]);
  });
});
