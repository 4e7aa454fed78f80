import { describe, expect, it } from 'vitest';
import { ChainError } from '../errors/chain-error.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import { ask, createHarness } from './test-support/engine-harness.ts';
import { rejected, resolved } from './test-support/run-until-settled.ts';
import { answer, fail, hang, providerError, type Step } from './test-support/script.ts';
import { createScriptedAdapter } from './test-support/scripted-adapter.ts';
import type { Route } from './types.ts';

const question = ask('chat');
const hedged: Route = { candidates: ['p1/alpha', 'p2/beta'], retry: false, hedge: { delayMs: 1000 } };

function setUp(alpha: Step, beta: Step, route: Route = hedged) {
  const clock = createFakeClock();
  const primary = createScriptedAdapter('p1', clock, { alpha: [alpha] });
  const backup = createScriptedAdapter('p2', clock, { beta: [beta] });
  const harness = createHarness(clock, { providers: [primary, backup], routes: { chat: route } });
  return { ...harness, primary, backup };
}

describe('hedging', () => {
  it('never starts the hedge when the primary answers within the delay', async () => {
    const { client, clock, primary, backup } = setUp(
      answer('from alpha', { afterMs: 500 }),
      answer('from beta'),
    );

    const result = await resolved(client.chat(question), clock);

    expect(result.text).toBe('from alpha');
    expect(backup.calls).toHaveLength(0);
    expect(primary.calls).toHaveLength(1);
    expect(clock.pending()).toBe(0);
  });

  it('starts the next candidate after the delay, takes the first good answer, and aborts the slow primary', async () => {
    const { client, clock, t0, primary, backup } = setUp(
      answer('from alpha', { afterMs: 5000 }),
      answer('from beta', { afterMs: 500 }),
    );

    const result = await resolved(client.chat(question), clock);

    expect(backup.calls.map((call) => call.startedAt - t0)).toEqual([1000]);
    expect(result.text).toBe('from beta');
    expect(clock.now() - t0).toBe(1500);
    expect(primary.calls).toMatchObject([{ outcome: 'aborted', abortKind: 'cancelled' }]);
    expect(primary.calls[0]?.endedAt).toBe(t0 + 1500);
    // Attempts are listed as they end: the aborted primary right after the answer that beat it.
    expect(result.resilience.attempts.map((a) => [a.provider, a.outcome])).toEqual([
      ['p2', 'ok'],
      ['p1', 'cancelled'],
    ]);
    expect(result.resilience.fallbackUsed).toBe(true);
  });

  it('aborts the hedge when the primary answers first after all', async () => {
    const { client, clock, t0, backup } = setUp(
      answer('from alpha', { afterMs: 2000 }),
      answer('from beta', { afterMs: 5000 }),
    );

    const result = await resolved(client.chat(question), clock);

    expect(result.text).toBe('from alpha');
    expect(backup.calls).toMatchObject([{ outcome: 'aborted', abortKind: 'cancelled' }]);
    expect(backup.calls[0]?.endedAt).toBe(t0 + 2000);
  });

  it('tries each candidate once: a primary failing before the delay falls back on its own, with no hedge', async () => {
    const { client, clock, backup } = setUp(
      fail(providerError('unavailable'), { afterMs: 200 }),
      answer('from beta', { afterMs: 3000 }),
    );

    const result = await resolved(client.chat(question), clock);

    expect(result.text).toBe('from beta');
    expect(backup.calls).toHaveLength(1);
  });

  it('fails only when both chains have failed, listing every attempt of both', async () => {
    const { client, clock, t0 } = setUp(
      fail(providerError('unavailable'), { afterMs: 3000 }),
      fail(providerError('server'), { afterMs: 3000 }),
    );

    const error = await rejected(client.chat(question), clock);

    expect(clock.now() - t0).toBe(4000);
    expect(error).toBeInstanceOf(ChainError);
    expect(error).toMatchObject({ kind: 'unavailable', reason: 'all_failed' });
    expect((error as ChainError).attempts.map((a) => `${a.provider}:${a.kind}`)).toEqual([
      'p1:unavailable',
      'p2:server',
    ]);
  });

  it('stops both chains when the caller aborts', async () => {
    const { client, clock, primary, backup } = setUp(hang(), hang());
    const controller = new AbortController();
    clock.setTimeout(() => controller.abort(), 2000);

    const error = await rejected(client.chat(question, { signal: controller.signal }), clock);

    expect(error).toMatchObject({ kind: 'cancelled' });
    expect(primary.calls.map((call) => call.abortKind)).toEqual(['cancelled']);
    expect(backup.calls.map((call) => call.abortKind)).toEqual(['cancelled']);
  });
});
