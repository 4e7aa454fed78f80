import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/types.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import type { Alert } from './alert.ts';
import type { LatencyDoubledRule } from './alert-rule.ts';
import { callbackSink } from './alert-sinks.ts';
import { createAlerts } from './alerts.ts';
import { Emitter } from './event.ts';
import { createRecordedMetrics } from './test-support/recorded-metrics.ts';

const tickMs = 15_000;
const minute = 60_000;

function setup(rule: LatencyDoubledRule = { type: 'latency-doubled' }) {
  const clock = createFakeClock();
  const metrics = createRecordedMetrics(clock);
  const notifications: Alert[] = [];
  createAlerts({
    source: new Emitter<EngineEvent>(),
    metrics,
    clock,
    rules: [rule],
    sinks: [callbackSink((alert) => notifications.push(alert))],
  });
  /** `durationMs` of requests: `perTick` every 15 s, lasting `durationsMs` (cycled, for flapping). */
  function requests(durationMs: number, perTick: number, durationsMs: number | readonly number[]) {
    const cycle = typeof durationsMs === 'number' ? [durationsMs] : durationsMs;
    for (let tick = 0; tick * tickMs < durationMs; tick++) {
      for (let n = 0; n < perTick; n++)
        metrics.observe('request_duration_ms', cycle[tick % cycle.length] as number);
      clock.advance(tickMs);
    }
  }
  return { clock, notifications, requests };
}

describe('the latency-doubled alert', () => {
  it('fires once when the 5-minute average doubles its baseline, holds through flapping, resolves once at 1.5 ×', () => {
    const { notifications, requests } = setup();

    requests(60 * minute, 10, 1000);
    expect(notifications).toEqual([]);

    requests(5 * minute, 10, 2500);
    expect(notifications).toHaveLength(1);
    const [firing] = notifications as [Alert];
    expect(firing).toMatchObject({
      rule: 'latency-doubled',
      state: 'firing',
      severity: 'warning',
      labels: {},
    });
    expect(firing.threshold).toBeCloseTo(2000);
    expect(firing.value).toBeGreaterThan(2000);
    expect(firing.summary).toMatch(
      /^Average request duration \d+ ms over 5 min is above 2 × the baseline 1000 ms$/,
    );

    // 1.6 × and 2.4 × in turn for half an hour: inside the band. The slow minutes that leave the window
    // enter the hour the baseline is read from, but the baseline stays the one the alert fired against.
    requests(30 * minute, 10, [1600, 2400]);
    expect(notifications).toHaveLength(1);

    requests(5 * minute, 10, 1000);
    expect(notifications.map((alert) => alert.state)).toEqual(['firing', 'resolved']);
    const resolved = notifications[1] as Alert;
    expect(resolved.threshold).toBeCloseTo(1500);
    expect(resolved.value).toBeLessThanOrEqual(1500);
    expect(resolved.startedAt).toBe(firing.startedAt);

    requests(60 * minute, 10, [1000, 1400]);
    expect(notifications).toHaveLength(2);
  });

  it('leaves the current window out of its baseline', () => {
    const { notifications, requests } = setup();

    requests(15 * minute, 1, 1000); // 60 baseline samples
    requests(5 * minute, 10, 2100); // 190 samples: averaged in, they would lift the baseline to 1836 ms

    expect(notifications).toHaveLength(1);
    expect(notifications[0]?.threshold).toBeCloseTo(2000);
  });

  it('needs 50 samples of baseline and 20 in the window', () => {
    const thinBaseline = setup();
    thinBaseline.requests(7.5 * minute, 1, 1000); // 30 baseline samples
    thinBaseline.requests(5 * minute, 10, 5000);
    expect(thinBaseline.notifications).toEqual([]);

    const quietWindow = setup();
    quietWindow.requests(60 * minute, 1, 1000);
    quietWindow.requests(60 * minute, 1, 5000); // 19 samples in any 5-minute window
    expect(quietWindow.notifications).toEqual([]);
  });

  it('takes its factors and spans from the rule', () => {
    const { notifications, requests } = setup({
      type: 'latency-doubled',
      name: 'latency-tripled',
      factor: 3,
      resolveFactor: 2,
      windowMs: minute,
      baselineMs: 10 * minute,
      minSamples: 1,
      minBaselineSamples: 1,
    });

    requests(10 * minute, 1, 100);
    requests(minute, 1, 280); // 2.8 ×: under 3 ×
    expect(notifications).toEqual([]);
    requests(10 * minute, 1, 100); // until the 280s are older than the 10-minute span
    requests(2 * minute, 1, 400);
    expect(notifications).toMatchObject([{ rule: 'latency-tripled', state: 'firing' }]);
    expect(notifications[0]?.threshold).toBeCloseTo(300);
    requests(2 * minute, 1, 210); // above 2 ×: still firing
    expect(notifications).toHaveLength(1);
    requests(2 * minute, 1, 150);
    expect(notifications.map((alert) => alert.state)).toEqual(['firing', 'resolved']);
  });
});
