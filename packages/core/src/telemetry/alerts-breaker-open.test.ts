import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/types.ts';
import type { BreakerState, BreakerTransitionReason } from '../policies/breaker.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import type { Alert } from './alert.ts';
import { callbackSink } from './alert-sinks.ts';
import { createAlerts } from './alerts.ts';
import { Emitter } from './event.ts';
import { createRecordedMetrics } from './test-support/recorded-metrics.ts';

function setup() {
  const clock = createFakeClock();
  const engine = new Emitter<EngineEvent>();
  const notifications: Alert[] = [];
  const alerts = createAlerts({
    source: engine,
    metrics: createRecordedMetrics(clock),
    clock,
    rules: [{ type: 'breaker-open' }],
    sinks: [callbackSink((alert) => notifications.push(alert))],
  });
  function transition(key: string, from: BreakerState, to: BreakerState, reason: BreakerTransitionReason) {
    engine.emit({ type: 'breaker', key, from, to, reason });
  }
  return { clock, alerts, notifications, transition };
}

describe('the breaker-open alert', () => {
  it('fires the moment a breaker opens, labelled with its provider and model', () => {
    const { clock, notifications, transition } = setup();

    transition('openai/gpt-4o', 'closed', 'open', 'consecutive_failures');

    expect(notifications).toEqual([
      {
        rule: 'breaker-open',
        state: 'firing',
        severity: 'warning',
        summary: 'Circuit breaker of openai/gpt-4o opened (consecutive_failures)',
        labels: { provider: 'openai', model: 'gpt-4o' },
        value: 1,
        threshold: 1,
        startedAt: clock.now(),
        at: clock.now(),
      },
    ]);
  });

  it('stays one episode through half-open and failed probes, and resolves once when the breaker closes', () => {
    const { clock, alerts, notifications, transition } = setup();
    const openedAt = clock.now();

    transition('openai/gpt-4o', 'closed', 'open', 'failure_rate');
    clock.advance(30_000);
    transition('openai/gpt-4o', 'open', 'half-open', 'open_elapsed');
    transition('openai/gpt-4o', 'half-open', 'open', 'probe_failed');
    clock.advance(60_000);
    transition('openai/gpt-4o', 'open', 'half-open', 'open_elapsed');
    expect(alerts.active()).toHaveLength(1);
    transition('openai/gpt-4o', 'half-open', 'closed', 'probe_succeeded');
    clock.advance(10 * 60_000); // evaluations in between change nothing

    expect(notifications.map((alert) => alert.state)).toEqual(['firing', 'resolved']);
    expect(notifications[1]).toMatchObject({
      labels: { provider: 'openai', model: 'gpt-4o' },
      value: 0,
      startedAt: openedAt,
      at: openedAt + 90_000,
    });
    expect(alerts.active()).toEqual([]);
  });

  it('keeps one episode per breaker', () => {
    const { notifications, transition } = setup();

    transition('openai/gpt-4o', 'closed', 'open', 'consecutive_failures');
    transition('anthropic/claude-sonnet-4', 'closed', 'open', 'consecutive_failures');
    transition('openai/gpt-4o', 'half-open', 'closed', 'probe_succeeded');

    expect(notifications.map((alert) => [alert.state, alert.labels.provider])).toEqual([
      ['firing', 'openai'],
      ['firing', 'anthropic'],
      ['resolved', 'openai'],
    ]);
  });

  it('fires again when a breaker that closed opens again: a new episode', () => {
    const { notifications, transition } = setup();

    transition('openai/gpt-4o', 'closed', 'open', 'consecutive_failures');
    transition('openai/gpt-4o', 'half-open', 'closed', 'probe_succeeded');
    transition('openai/gpt-4o', 'closed', 'open', 'consecutive_failures');

    expect(notifications.map((alert) => alert.state)).toEqual(['firing', 'resolved', 'firing']);
  });

  it('keeps the slashes of a model name in its model label', () => {
    const { notifications, transition } = setup();

    transition('openrouter/meta-llama/llama-3.1-70b', 'closed', 'open', 'consecutive_failures');

    expect(notifications[0]?.labels).toEqual({ provider: 'openrouter', model: 'meta-llama/llama-3.1-70b' });
  });
});
