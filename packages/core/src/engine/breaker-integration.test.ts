import { describe, expect, it } from 'vitest';
import { ChainError } from '../errors/chain-error.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import { ask, createHarness } from './test-support/engine-harness.ts';
import { drained, rejected, resolved } from './test-support/run-until-settled.ts';
import { answer, delta, events, fail, providerError, start, streamError } from './test-support/script.ts';
import { createScriptedAdapter } from './test-support/scripted-adapter.ts';

const question = ask('chat');

describe('circuit breakers in the chain', () => {
  it('open after consecutive failures; the open candidate is then skipped without waiting', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('unavailable'))] });
    const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris')] });
    const { client, eventsOf } = createHarness(clock, {
      providers: [primary, fallback],
      routes: {
        chat: {
          candidates: ['p1/alpha', 'p2/beta'],
          retry: { maxRetries: 1 },
          breaker: { consecutiveFailures: 2, openMs: 30_000 },
        },
      },
    });

    await resolved(client.chat(question), clock);
    const askedAt = clock.now();
    const second = await resolved(client.chat(question), clock);

    expect(primary.calls).toHaveLength(2);
    expect(eventsOf('breaker')).toMatchObject([
      {
        key: 'p1/alpha',
        from: 'closed',
        to: 'open',
        reason: 'consecutive_failures',
        openUntil: askedAt + 30_000,
      },
    ]);
    expect(eventsOf('candidate-skipped')).toMatchObject([
      { provider: 'p1', model: 'alpha', reason: 'breaker_open' },
    ]);
    expect(fallback.calls.at(-1)?.startedAt).toBe(askedAt);
    expect(second.resilience.attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual(['p2:ok']);
  });

  it('make the chain leave a candidate at once when its breaker opens during its retries', async () => {
    const clock = createFakeClock();
    const first = createScriptedAdapter('p1', clock, {
      alpha: [fail(providerError('unavailable'))],
      gamma: [answer('from gamma')],
    });
    const second = createScriptedAdapter('p2', clock, { beta: [answer('from beta')] });
    const { client, t0, eventsOf } = createHarness(clock, {
      providers: [first, second],
      routes: {
        chat: {
          candidates: ['p1/alpha', 'p1/gamma', 'p2/beta'],
          retry: { maxRetries: 3 },
          breaker: { consecutiveFailures: 2 },
        },
      },
    });

    const result = await resolved(client.chat(question), clock);

    // The second failure opens the breaker: no third wait, and the failing provider goes last.
    expect(first.callsTo('alpha').map((call) => call.startedAt - t0)).toEqual([0, 500]);
    expect(second.calls.map((call) => call.startedAt - t0)).toEqual([500]);
    expect(result.text).toBe('from beta');
    expect(eventsOf('retry')).toHaveLength(1);
    expect(eventsOf('candidate-skipped')).toMatchObject([{ model: 'alpha', reason: 'breaker_open' }]);
    expect(eventsOf('fallback')).toMatchObject([{ from: { model: 'alpha' }, reason: 'unavailable' }]);
  });

  it('admit a probe once openMs has passed, and a probe that answers closes the breaker', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, {
      alpha: [fail(providerError('server')), answer('back')],
    });
    const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris')] });
    const { client, eventsOf } = createHarness(clock, {
      providers: [primary, fallback],
      routes: {
        chat: {
          candidates: ['p1/alpha', 'p2/beta'],
          retry: false,
          breaker: { consecutiveFailures: 1, openMs: 30_000 },
        },
      },
    });

    await resolved(client.chat(question), clock);
    clock.advance(30_000);
    const probed = await resolved(client.chat(question), clock);

    expect(probed.text).toBe('back');
    expect(eventsOf('breaker').map((e) => `${e.from}->${e.to}:${e.reason}`)).toEqual([
      'closed->open:consecutive_failures',
      'open->half-open:open_elapsed',
      'half-open->closed:probe_succeeded',
    ]);
  });

  it('fail the request at once with a retryable no_candidate error when every breaker is open', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('unavailable'))] });
    const { client } = createHarness(clock, {
      providers: [primary],
      routes: { chat: { candidates: ['p1/alpha'], retry: false, breaker: { consecutiveFailures: 1 } } },
    });

    await rejected(client.chat(question), clock);
    const askedAt = clock.now();
    const error = await rejected(client.chat(question), clock);

    expect(primary.calls).toHaveLength(1);
    expect(clock.now()).toBe(askedAt);
    expect(error).toBeInstanceOf(ChainError);
    expect(error).toMatchObject({
      reason: 'no_candidate',
      kind: 'unavailable',
      code: 'no_candidate',
      retryable: true,
      attempts: [],
    });
  });

  it('do not count a malformed request against the provider', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('bad_request'))] });
    const { client, eventsOf } = createHarness(clock, {
      providers: [primary],
      routes: { chat: { candidates: ['p1/alpha'], breaker: { consecutiveFailures: 2 } } },
    });

    for (let request = 0; request < 3; request++) await rejected(client.chat(question), clock);

    expect(primary.calls).toHaveLength(3);
    expect(eventsOf('breaker')).toEqual([]);
  });

  it('do not count a request the caller cancelled', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, { alpha: [answer('slow', { afterMs: 5000 })] });
    const { client, eventsOf } = createHarness(clock, {
      providers: [primary],
      routes: { chat: { candidates: ['p1/alpha'], breaker: { consecutiveFailures: 1 } } },
    });

    for (let request = 0; request < 2; request++) {
      const controller = new AbortController();
      clock.setTimeout(() => controller.abort(), 100);
      await rejected(client.chat(question, { signal: controller.signal }), clock);
    }

    expect(primary.calls.map((call) => call.abortKind)).toEqual(['cancelled', 'cancelled']);
    expect(eventsOf('breaker')).toEqual([]);
  });

  it('count a stream cut after its first token as a failure of its provider', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, {
      alpha: [events(start('p1'), delta('The capital'), streamError(providerError('server')))],
    });
    const { client, eventsOf } = createHarness(clock, {
      providers: [primary],
      routes: {
        chat: { candidates: ['p1/alpha'], streamRecovery: 'fail', breaker: { consecutiveFailures: 1 } },
      },
    });

    const received = await drained(client.stream(question), clock);

    expect(received.at(-1)).toMatchObject({ type: 'error', error: { kind: 'server' } });
    expect(eventsOf('breaker')).toMatchObject([{ key: 'p1/alpha', to: 'open' }]);
  });

  it('can be turned off per route', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('unavailable'))] });
    const { client, eventsOf } = createHarness(clock, {
      providers: [primary],
      routes: { chat: { candidates: ['p1/alpha'], retry: false, breaker: false } },
    });

    for (let request = 0; request < 6; request++) await rejected(client.chat(question), clock);

    expect(primary.calls).toHaveLength(6);
    expect(eventsOf('breaker')).toEqual([]);
  });
});
