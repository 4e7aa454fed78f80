import { afterEach, describe, expect, it } from 'vitest';
import { ask, createHarness } from '../engine/test-support/engine-harness.ts';
import { runUntilSettled } from '../engine/test-support/run-until-settled.ts';
import { answer, fail, providerError } from '../engine/test-support/script.ts';
import { createScriptedAdapter } from '../engine/test-support/scripted-adapter.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import type { Alert } from './alert.ts';
import { callbackSink } from './alert-sinks.ts';
import { type WebhookEvent, type WebhookSink, webhookSink } from './alert-webhook.ts';
import { createAlerts } from './alerts.ts';
import { createRecordedMetrics } from './test-support/recorded-metrics.ts';
import { refusedOrigin, startWebhookReceiver } from './test-support/webhook-receiver.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A real client whose route `chat` falls back from p1/alpha (down for good; its breaker opens on the
 * first failure) to p2/beta, and alerts over it told to a webhook at `url` first, then to a callback.
 */
function setup(url: string) {
  const clock = createFakeClock();
  const p1 = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('server'))] });
  const p2 = createScriptedAdapter('p2', clock, { beta: [answer('beta')] });
  const { client } = createHarness(clock, {
    providers: [p1, p2],
    routes: { chat: { candidates: ['p1/alpha', 'p2/beta'] } },
    defaults: { retry: false, breaker: { consecutiveFailures: 1, openMs: 3_600_000, maxOpenMs: 3_600_000 } },
  });
  // Long enough that no attempt times out while the test runs: the hook stays down throughout.
  const webhook = webhookSink({ url, clock, timeoutMs: 3_600_000, backoff: { baseDelayMs: 3_600_000 } });
  const told: Alert[] = [];
  const metrics = createRecordedMetrics(clock);
  const alerts = createAlerts({
    source: client,
    metrics,
    clock,
    rules: [
      { type: 'breaker-open' },
      { type: 'last-option' },
      { name: 'retries', series: 'retries', stat: 'count', windowMs: 60_000, op: '>', threshold: 0 },
    ],
    sinks: [webhook, callbackSink((alert) => told.push(alert))],
  });
  cleanups.push(() => alerts.dispose());
  /** A chat request, driven on the fake clock; fails the test if it has not settled within 100 steps. */
  const chat = () => runUntilSettled(client.chat(ask('chat')), clock, 10, 100);
  return { clock, webhook, alerts, metrics, told, chat };
}

function next<T extends WebhookEvent['type']>(
  sink: WebhookSink,
  type: T,
): Promise<Extract<WebhookEvent, { type: T }>> {
  return new Promise((resolve) => {
    const stop = sink.on((event) => {
      if (event.type !== type) return;
      stop();
      resolve(event as Extract<WebhookEvent, { type: T }>);
    });
  });
}

describe('alerts to a webhook that is down', () => {
  it('a hook that never answers holds up neither requests nor the evaluator', async () => {
    const receiver = await startWebhookReceiver(['hold']);
    cleanups.push(() => receiver.close());
    const { webhook, alerts, metrics, told, chat } = setup(`${receiver.origin}/alerts`);

    const first = await chat();
    expect(first).toMatchObject({ status: 'fulfilled', value: { text: 'beta' } });
    // The callback, after the webhook in the sink list, heard of both alerts already.
    expect(told.map((alert) => alert.rule).sort()).toEqual(['breaker-open', 'last-option']);

    await receiver.received(1); // the first alert's POST is now in flight, and will stay unanswered
    const second = await chat();
    expect(second).toMatchObject({ status: 'fulfilled', value: { text: 'beta' } });
    expect(receiver.posts).toHaveLength(1);
    expect(webhook.stats()).toMatchObject({ delivering: true, delivered: 0, queued: 1 });

    metrics.increment('retries');
    const made = alerts.evaluate(); // synchronous: returns with the alert told, its POST not even started
    expect(made.map((alert) => alert.rule)).toEqual(['retries']);
    expect(told.at(-1)?.rule).toBe('retries');
    expect(webhook.stats()).toMatchObject({ delivering: true, delivered: 0, queued: 2 });
  });

  it('a hook that refuses connections holds up no request', async () => {
    const { webhook, told, chat } = setup(`${await refusedOrigin()}/alerts`);
    const refused = next(webhook, 'retry');

    const first = await chat();
    expect(first).toMatchObject({ status: 'fulfilled', value: { text: 'beta' } });
    expect(told.map((alert) => alert.rule).sort()).toEqual(['breaker-open', 'last-option']);

    expect((await refused).error).toMatch(/ECONNREFUSED/);
    const second = await chat(); // while the webhook waits out its backoff
    expect(second).toMatchObject({ status: 'fulfilled', value: { text: 'beta' } });
    expect(webhook.stats()).toMatchObject({ delivering: true, delivered: 0 });
  });
});
