import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/types.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import type { Alert } from './alert.ts';
import type { ErrorRateRule } from './alert-rule.ts';
import { callbackSink } from './alert-sinks.ts';
import { createAlerts } from './alerts.ts';
import { Emitter } from './event.ts';
import type { Labels } from './metric-family.ts';
import { createRecordedMetrics } from './test-support/recorded-metrics.ts';

const tickMs = 15_000;
const minute = 60_000;

/** An evaluator with one error-rate rule, on a fake clock, over metrics the test records. */
function setup(rule: ErrorRateRule = { type: 'error-rate' }) {
  const clock = createFakeClock();
  const t0 = clock.now();
  const metrics = createRecordedMetrics(clock);
  const notifications: Alert[] = [];
  createAlerts({
    source: new Emitter<EngineEvent>(),
    metrics,
    clock,
    rules: [rule],
    sinks: [callbackSink((alert) => notifications.push(alert))],
  });
  /**
   * `durationMs` of traffic: at the start of every 15 s evaluation interval, `requests` requests of
   * which `failed` fail (the counts cycle when given as lists, for flapping).
   */
  function traffic(
    durationMs: number,
    requests: number,
    failed: number | readonly number[],
    labels?: Labels,
  ) {
    const failures = typeof failed === 'number' ? [failed] : failed;
    for (let tick = 0; tick * tickMs < durationMs; tick++) {
      metrics.increment('requests', requests, labels);
      metrics.increment('request_errors', failures[tick % failures.length] as number, labels);
      clock.advance(tickMs);
    }
  }
  return { clock, t0, metrics, notifications, traffic };
}

describe('the error-rate alert', () => {
  it('fires once after 5 minutes above 5 %, holds through flapping, resolves once at 4 %', () => {
    const { t0, notifications, traffic } = setup();

    traffic(5 * minute, 200, 20); // 10 %, first judged at the evaluation 15 s in
    expect(notifications).toEqual([]);
    traffic(tickMs, 200, 20);
    expect(notifications).toEqual([
      {
        rule: 'error-rate',
        state: 'firing',
        severity: 'critical',
        summary: 'Error rate 10 % over 5 min (380 of 3800 requests) is above 5 %',
        labels: {},
        value: 0.1,
        threshold: 0.05,
        startedAt: t0 + tickMs,
        at: t0 + tickMs + 5 * minute,
      },
    ]);

    traffic(20 * minute, 200, [9, 11]); // 4.5 % and 5.5 % in turn: inside the band
    expect(notifications).toHaveLength(1);

    traffic(10 * minute, 200, 2); // 1 %: the window's rate falls through 4 %
    expect(notifications.map((alert) => alert.state)).toEqual(['firing', 'resolved']);
    const [firing, resolved] = notifications as [Alert, Alert];
    expect(resolved.value).toBeLessThanOrEqual(0.04);
    expect(resolved.value).toBeGreaterThan(0.035); // the first evaluation at or below 4 %, not a later one
    expect(resolved).toMatchObject({ threshold: 0.04, startedAt: firing.startedAt });

    traffic(30 * minute, 200, [9, 11]); // flapping around 5 % never holds above it for 5 minutes
    expect(notifications).toHaveLength(2);
  });

  it('restarts its 5-minute wait when the rate dips below 5 % in between', () => {
    const { clock, t0, metrics, notifications, traffic } = setup();

    traffic(4 * minute, 200, 20);
    metrics.increment('requests', 10_000); // a burst of successes takes the rate under 4 % for a moment
    traffic(tickMs, 200, 20);
    const dippedAt = clock.now();
    traffic(2 * minute, 200, 20);
    expect(notifications).toEqual([]); // 5 minutes after the first rise have passed

    traffic(30 * minute, 200, 20);
    expect(notifications).toHaveLength(1);
    const [firing] = notifications as [Alert];
    expect(firing.startedAt).toBeGreaterThan(dippedAt);
    expect(firing.at - firing.startedAt).toBe(5 * minute);
    expect(firing.startedAt).toBeGreaterThan(t0 + 5 * minute);
  });

  it('does not judge fewer than 20 requests in the window', () => {
    const { notifications, traffic } = setup();

    traffic(30 * minute, 1, 1); // 100 % errors, but only 19 requests in any 5-minute window
    expect(notifications).toEqual([]);

    traffic(6 * minute, 2, 1);
    expect(notifications.map((alert) => [alert.state, alert.value])).toEqual([['firing', 0.5]]);
  });

  it('counts only the requests its filter selects, and carries the filter as its labels', () => {
    const { notifications, traffic } = setup({
      type: 'error-rate',
      name: 'chat-errors',
      filter: { route: 'chat' },
    });

    for (let tick = 0; tick < 40; tick++) {
      traffic(tickMs, 1000, 0, { route: 'search' }); // busy and healthy
      traffic(tickMs, 20, 10, { route: 'chat' });
    }

    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ rule: 'chat-errors', labels: { route: 'chat' }, value: 0.5 });
    expect(notifications[0]?.summary).toContain('for route=chat');
  });

  it('takes its thresholds, window and for period from the rule', () => {
    const { t0, notifications, traffic } = setup({
      type: 'error-rate',
      thresholdRatio: 0.2,
      resolveRatio: 0.1,
      windowMs: minute,
      forMs: minute,
      minRequests: 5,
    });

    traffic(10 * minute, 10, 2); // 20 %: not above
    expect(notifications).toEqual([]);
    traffic(2 * minute, 10, 3); // 30 %
    expect(notifications).toMatchObject([{ state: 'firing', threshold: 0.2 }]);
    expect(notifications[0]?.at).toBe(notifications[0]!.startedAt + minute);
    traffic(2 * minute, 10, 2); // 20 %: inside the band
    expect(notifications).toHaveLength(1);
    traffic(2 * minute, 10, 1); // 10 %
    expect(notifications).toMatchObject([{ state: 'firing' }, { state: 'resolved', threshold: 0.1 }]);
    expect(notifications[1]?.at).toBeGreaterThan(t0 + 14 * minute);
  });
});
