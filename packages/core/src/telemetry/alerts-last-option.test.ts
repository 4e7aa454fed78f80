import { describe, expect, it } from 'vitest';
import { ask, createHarness } from '../engine/test-support/engine-harness.ts';
import { answer, fail, providerError } from '../engine/test-support/script.ts';
import { createScriptedAdapter } from '../engine/test-support/scripted-adapter.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import type { Alert } from './alert.ts';
import { callbackSink } from './alert-sinks.ts';
import { createAlerts } from './alerts.ts';
import { createRecordedMetrics } from './test-support/recorded-metrics.ts';

const minute = 60_000;

/**
 * A real client: route `chat` falls back from p1/alpha to p2/beta, route `solo` has p2/gamma only.
 * alpha fails its first `alphaFailures` calls and answers after; gamma always fails.
 */
function setup(alphaFailures: number) {
  const clock = createFakeClock();
  const down = fail(providerError('server'));
  const p1 = createScriptedAdapter('p1', clock, {
    alpha: [...Array.from({ length: alphaFailures }, () => down), answer('alpha')],
  });
  const p2 = createScriptedAdapter('p2', clock, { beta: [answer('beta')], gamma: [down] });
  const { client } = createHarness(clock, {
    providers: [p1, p2],
    routes: {
      chat: { candidates: ['p1/alpha', 'p2/beta'] },
      solo: { candidates: ['p2/gamma'] },
    },
    defaults: { retry: false, breaker: false },
  });
  const notifications: Alert[] = [];
  const alerts = createAlerts({
    source: client,
    metrics: createRecordedMetrics(clock),
    clock,
    rules: [{ type: 'last-option' }],
    sinks: [callbackSink((alert) => notifications.push(alert))],
  });
  return { clock, client, alerts, notifications };
}

describe('the last-option alert', () => {
  it('fires once when a route falls back to its last option, resolves once after 5 quiet minutes', async () => {
    const { clock, client, notifications } = setup(2);
    const firstAt = clock.now();

    expect((await client.chat(ask('chat'))).text).toBe('beta');
    expect(notifications).toEqual([
      {
        rule: 'last-option',
        state: 'firing',
        severity: 'warning',
        summary: 'Requests of route chat fall back to their last option (p2/beta)',
        labels: { route: 'chat' },
        value: 1,
        threshold: 1,
        startedAt: firstAt,
        at: firstAt,
      },
    ]);

    clock.advance(2 * minute);
    expect((await client.chat(ask('chat'))).text).toBe('beta'); // again: the same episode
    const lastAt = clock.now();
    clock.advance(minute);
    expect((await client.chat(ask('chat'))).text).toBe('alpha'); // alpha is back
    expect(notifications).toHaveLength(1);

    clock.advance(lastAt + 5 * minute - clock.now() - 1);
    expect(notifications).toHaveLength(1); // quiet for less than 5 minutes since the last one
    clock.advance(15_000);
    expect(notifications.map((alert) => alert.state)).toEqual(['firing', 'resolved']);
    expect(notifications[1]).toMatchObject({ labels: { route: 'chat' }, value: 0, startedAt: firstAt });
    expect(notifications[1]?.at).toBeGreaterThanOrEqual(lastAt + 5 * minute);

    clock.advance(30 * minute);
    expect(notifications).toHaveLength(2);
  });

  it('never fires for a single-candidate route, which is always on its last option', async () => {
    const { client, clock, notifications } = setup(0);

    for (let request = 0; request < 5; request++) {
      await expect(client.chat(ask('solo'))).rejects.toMatchObject({ kind: 'server' });
      clock.advance(minute);
    }
    expect((await client.chat(ask('chat'))).text).toBe('alpha'); // answered by its first option

    expect(notifications).toEqual([]);
  });
});
