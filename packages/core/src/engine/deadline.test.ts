import { describe, expect, it } from 'vitest';
import { ChainError } from '../errors/chain-error.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import { ask, createHarness } from './test-support/engine-harness.ts';
import { rejected, resolved } from './test-support/run-until-settled.ts';
import { answer, fail, hang, providerError } from './test-support/script.ts';
import { createScriptedAdapter } from './test-support/scripted-adapter.ts';

const question = ask('chat');

describe('deadline', () => {
  it('spans every attempt, retry and fallback: the request ends when it passes', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, {
      alpha: [fail(providerError('unavailable'), { afterMs: 3000 })],
    });
    const fallback = createScriptedAdapter('p2', clock, { beta: [hang()] });
    const { client, t0 } = createHarness(clock, {
      providers: [primary, fallback],
      routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], deadlineMs: 10_000, retry: { maxRetries: 1 } } },
    });

    const error = await rejected(client.chat(question), clock);

    // 0–3000 fails, 500 ms backoff, 3500–6500 fails, the fallback gets the 3500 ms that are left.
    expect(primary.calls.map((call) => call.startedAt - t0)).toEqual([0, 3500]);
    expect(fallback.calls).toMatchObject([{ options: { timeoutMs: 3500 }, abortKind: 'timeout' }]);
    expect(clock.now() - t0).toBe(10_000);
    expect(error).toBeInstanceOf(ChainError);
    expect(error).toMatchObject({ reason: 'deadline' });
  });

  it('limits each attempt to the smaller of attemptTimeoutMs and what is left of the deadline', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, { alpha: [hang()] });
    const { client, t0 } = createHarness(clock, {
      providers: [primary],
      routes: {
        chat: {
          candidates: ['p1/alpha'],
          deadlineMs: 10_000,
          attemptTimeoutMs: 4000,
          retry: { retryTimeouts: true, baseDelayMs: 0 },
        },
      },
    });

    const error = await rejected(client.chat(question), clock);

    expect(primary.calls.map((call) => [call.startedAt - t0, call.options.timeoutMs])).toEqual([
      [0, 4000],
      [4000, 4000],
      [8000, 2000],
    ]);
    expect(clock.now() - t0).toBe(10_000);
    expect(error).toMatchObject({ reason: 'deadline', kind: 'timeout' });
  });

  it('does not start a retry wait that would end after the deadline: it moves to the next candidate at once', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, {
      alpha: [fail(providerError('unavailable', { retryAfterMs: 8000 }))],
    });
    const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris')] });
    const { client, t0 } = createHarness(clock, {
      providers: [primary, fallback],
      routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], deadlineMs: 5000 } },
    });

    const result = await resolved(client.chat(question), clock);

    expect(primary.calls).toHaveLength(1);
    expect(fallback.calls.map((call) => call.startedAt - t0)).toEqual([0]);
    expect(result.text).toBe('Paris');
  });

  it('fails at once when a wait would not fit and nothing else is left', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, {
      alpha: [fail(providerError('unavailable', { retryAfterMs: 8000 })), answer('too late')],
    });
    const { client, t0 } = createHarness(clock, {
      providers: [primary],
      routes: { chat: { candidates: ['p1/alpha'], deadlineMs: 5000 } },
    });

    const error = await rejected(client.chat(question), clock);

    expect(clock.now() - t0).toBe(0);
    expect(primary.calls).toHaveLength(1);
    expect(error).toMatchObject({ kind: 'unavailable', status: 503 });
  });

  it('cuts a hanging attempt exactly at the deadline', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, { alpha: [hang()] });
    const { client, t0 } = createHarness(clock, {
      providers: [primary],
      routes: { chat: { candidates: ['p1/alpha'], deadlineMs: 3000 } },
    });

    const error = await rejected(client.chat(question), clock, 1);

    expect(primary.calls).toMatchObject([
      { options: { timeoutMs: 3000 }, outcome: 'aborted', abortKind: 'timeout' },
    ]);
    expect(clock.now() - t0).toBe(3000);
    expect(error).toMatchObject({ reason: 'deadline', kind: 'timeout' });
  });

  it('gives up without calling anyone once the deadline has passed during a fallback', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, { alpha: [hang()] });
    const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris')] });
    const { client } = createHarness(clock, {
      providers: [primary, fallback],
      routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], deadlineMs: 3000, attemptTimeoutMs: 60_000 } },
    });

    const error = await rejected(client.chat(question), clock);

    expect(fallback.calls).toHaveLength(0);
    expect(error).toMatchObject({ reason: 'deadline' });
  });
});
