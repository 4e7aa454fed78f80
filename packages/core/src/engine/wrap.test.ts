import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { ChainError } from '../errors/chain-error.ts';
import { createFakeClock, type FakeClock } from '../test-support/fake-clock.ts';
import { createHarness } from './test-support/engine-harness.ts';
import { rejected, resolved } from './test-support/run-until-settled.ts';

/** What the official OpenAI client throws for an error status. */
function openAiError(status: number, type: string, headers: Record<string, string> = {}): Error {
  return OpenAI.APIError.generate(
    status,
    { error: { message: `upstream ${status}`, type } },
    undefined,
    new Headers(headers),
  );
}

/** A call that fails with the given errors in turn, then answers; it logs when each attempt began. */
function flakyCall(clock: FakeClock, failures: readonly Error[]) {
  const attempts: Array<{ attempt: number; at: number }> = [];
  const fn = async ({ attempt }: { signal: AbortSignal; attempt: number }): Promise<string> => {
    attempts.push({ attempt, at: clock.now() });
    const failure = failures[attempts.length - 1];
    if (failure !== undefined) throw failure;
    return 'answer';
  };
  return { fn, attempts };
}

/** A call that never answers; it ends only when its signal aborts. */
function silentCall(abortedAt: number[], clock: FakeClock) {
  return ({ signal }: { signal: AbortSignal }): Promise<string> =>
    new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => {
        abortedAt.push(clock.now());
        reject(signal.reason);
      });
    });
}

function setUp() {
  const clock = createFakeClock();
  const harness = createHarness(clock, { providers: [], routes: {} });
  return { ...harness, clock };
}

describe('wrap', () => {
  it('retries an error thrown by the official OpenAI client, classified from it', async () => {
    const { client, clock, t0, eventsOf } = setUp();
    const { fn, attempts } = flakyCall(clock, [openAiError(503, 'server_error')]);
    const call = client.wrap(fn, { provider: 'openai', model: 'gpt-4o' });

    const value = await resolved(call(), clock);

    expect(value).toBe('answer');
    expect(attempts).toEqual([
      { attempt: 1, at: t0 },
      { attempt: 2, at: t0 + 500 },
    ]);
    expect(eventsOf('retry')).toMatchObject([
      { provider: 'openai', model: 'gpt-4o', delayMs: 500, reason: 'unavailable' },
    ]);
  });

  it('calls exactly 1 + maxRetries times, then fails with the classified error', async () => {
    const { client, clock } = setUp();
    const failure = openAiError(503, 'server_error');
    const { fn, attempts } = flakyCall(clock, [failure, failure, failure, failure]);
    const call = client.wrap(fn, { provider: 'openai', retry: { maxRetries: 2 }, breaker: false });

    const error = await rejected(call(), clock);

    expect(attempts).toHaveLength(3);
    expect(error).toBeInstanceOf(ChainError);
    expect(error).toMatchObject({
      reason: 'all_failed',
      kind: 'unavailable',
      status: 503,
      provider: 'openai',
    });
  });

  it('opens its breaker on repeated failures, then refuses at once without calling', async () => {
    const { client, clock, eventsOf } = setUp();
    const failure = openAiError(503, 'server_error');
    const { fn, attempts } = flakyCall(clock, [failure, failure, failure, failure]);
    const call = client.wrap(fn, {
      provider: 'openai',
      model: 'gpt-4o',
      retry: { maxRetries: 2 },
      breaker: { consecutiveFailures: 3, openMs: 30_000 },
    });

    await rejected(call(), clock);
    const refusedAt = clock.now();
    const refused = await rejected(call(), clock);

    expect(attempts).toHaveLength(3);
    expect(eventsOf('breaker')).toMatchObject([
      { key: 'openai/gpt-4o', from: 'closed', to: 'open', reason: 'consecutive_failures' },
    ]);
    expect(clock.now()).toBe(refusedAt);
    expect(refused).toMatchObject({
      reason: 'no_candidate',
      kind: 'unavailable',
      code: 'breaker_open',
      retryAfterMs: 30_000,
    });
  });

  it('never retries a client error', async () => {
    const { client, clock } = setUp();
    const { fn, attempts } = flakyCall(clock, [openAiError(400, 'invalid_request_error')]);
    const call = client.wrap(fn, { provider: 'openai' });

    const error = await rejected(call(), clock);

    expect(attempts).toHaveLength(1);
    expect(error).toMatchObject({ kind: 'bad_request', status: 400 });
  });

  it('waits what the Retry-After header of the SDK error asks, not less', async () => {
    const { client, clock, t0 } = setUp();
    const { fn, attempts } = flakyCall(clock, [openAiError(429, 'rate_limit_error', { 'retry-after': '2' })]);
    const call = client.wrap(fn, { provider: 'openai' });

    await resolved(call(), clock, 1);

    expect(attempts.map((a) => a.at - t0)).toEqual([0, 2000]);
  });

  it('aborts an attempt at timeoutMs through its signal, and moves on instead of retrying it', async () => {
    const { client, clock, t0 } = setUp();
    const abortedAt: number[] = [];
    const call = client.wrap(silentCall(abortedAt, clock), { provider: 'openai', timeoutMs: 5000 });

    const error = await rejected(call(), clock);

    expect(abortedAt).toEqual([t0 + 5000]);
    expect(error).toMatchObject({ kind: 'timeout' });
  });

  it('stops at once when the caller aborts, without retrying', async () => {
    const { client, clock, t0 } = setUp();
    const abortedAt: number[] = [];
    const call = client.wrap(silentCall(abortedAt, clock), { provider: 'openai' });
    const controller = new AbortController();
    clock.setTimeout(() => controller.abort(), 300);

    const error = await rejected(call({ signal: controller.signal }), clock);

    expect(abortedAt).toEqual([t0 + 300]);
    expect(error).toMatchObject({ kind: 'cancelled' });
  });

  it('keeps every attempt and wait within deadlineMs', async () => {
    const { client, clock, t0 } = setUp();
    const abortedAt: number[] = [];
    const call = client.wrap(silentCall(abortedAt, clock), {
      provider: 'openai',
      timeoutMs: 4000,
      deadlineMs: 6000,
      retry: { retryTimeouts: true, baseDelayMs: 0 },
    });

    const error = await rejected(call(), clock);

    expect(abortedAt).toEqual([t0 + 4000, t0 + 6000]);
    expect(error).toMatchObject({ reason: 'deadline', kind: 'timeout' });
  });
});
