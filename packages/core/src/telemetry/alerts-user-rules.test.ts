import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/types.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import type { Alert } from './alert.ts';
import type { AlertRule, ThresholdRule } from './alert-rule.ts';
import { callbackSink } from './alert-sinks.ts';
import { createAlerts } from './alerts.ts';
import { Emitter } from './event.ts';
import { createMetrics } from './metrics.ts';
import { createRecordedMetrics, type RecordedMetrics } from './test-support/recorded-metrics.ts';

const minute = 60_000;

/** An evaluator over `rules`; evaluated by hand unless `evaluateEveryMs` is given. */
function setup(rules: AlertRule[], evaluateEveryMs = 24 * 60 * minute) {
  const clock = createFakeClock();
  const metrics = createRecordedMetrics(clock);
  const notifications: Alert[] = [];
  const alerts = createAlerts({
    source: new Emitter<EngineEvent>(),
    metrics,
    clock,
    rules,
    sinks: [callbackSink((alert) => notifications.push(alert))],
    evaluateEveryMs,
  });
  return { clock, metrics, alerts, notifications };
}

/** 1, 2, … 100 ms: p95 is 95, p99 is 99, the average 50.5. */
function oneToHundred(metrics: RecordedMetrics): void {
  for (let ms = 1; ms <= 100; ms++) metrics.observe('first_token_ms', ms);
}

describe('user threshold rules', () => {
  const cases: Array<{ rule: ThresholdRule; record: (metrics: RecordedMetrics) => void; value: number }> = [
    {
      rule: {
        name: 'retry-storm',
        series: 'retries',
        stat: 'count',
        windowMs: minute,
        op: '>',
        threshold: 10,
      },
      record: (metrics) => metrics.increment('retries', 11),
      value: 11,
    },
    {
      rule: {
        name: 'fallbacks-per-s',
        series: 'fallbacks',
        stat: 'rate',
        windowMs: minute,
        op: '>',
        threshold: 0.5,
      },
      record: (metrics) => metrics.increment('fallbacks', 33),
      value: 0.55,
    },
    {
      rule: {
        name: 'cache-hit-ratio',
        series: 'cache_hits',
        denominator: 'requests',
        stat: 'ratio',
        windowMs: minute,
        op: '<',
        threshold: 0.2,
      },
      record: (metrics) => {
        metrics.increment('requests', 100);
        metrics.increment('cache_hits', 10);
      },
      value: 0.1,
    },
    {
      rule: { name: 'cost', series: 'cost_usd', stat: 'average', windowMs: minute, op: '>', threshold: 0.01 },
      record: (metrics) => {
        metrics.observe('cost_usd', 0.02);
        metrics.observe('cost_usd', 0.01);
      },
      value: 0.015,
    },
    {
      rule: {
        name: 'ttft-p95',
        series: 'first_token_ms',
        stat: 'p95',
        windowMs: minute,
        op: '>',
        threshold: 94,
      },
      record: oneToHundred,
      value: 95,
    },
    {
      // Above the p95 of the same data: a rule reading the wrong quantile would stay quiet.
      rule: {
        name: 'ttft-p99',
        series: 'first_token_ms',
        stat: 'p99',
        windowMs: minute,
        op: '>',
        threshold: 96,
      },
      record: oneToHundred,
      value: 99,
    },
  ];

  it.each(cases)('fires on the $rule.stat of $rule.series', ({ rule, record, value }) => {
    const { metrics, alerts, notifications } = setup([rule]);

    expect(alerts.evaluate()).toEqual([]); // nothing recorded yet
    record(metrics);
    const made = alerts.evaluate();

    expect(made).toEqual(notifications);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({
      rule: rule.name,
      state: 'firing',
      severity: 'warning',
      threshold: rule.threshold,
    });
    expect(notifications[0]?.value).toBeCloseTo(value);
  });

  it('reads only its window and filter', () => {
    const { clock, metrics, alerts } = setup([
      {
        name: 'chat-retries',
        series: 'retries',
        stat: 'count',
        windowMs: minute,
        filter: { route: 'chat' },
        op: '>',
        threshold: 2,
      },
    ]);

    metrics.increment('retries', 5, { route: 'chat' });
    clock.advance(minute); // now outside the window
    metrics.increment('retries', 5, { route: 'search' });
    metrics.increment('retries', 2, { route: 'chat' });
    expect(alerts.evaluate()).toEqual([]);

    metrics.increment('retries', 1, { route: 'chat' });
    expect(alerts.evaluate()).toMatchObject([{ value: 3, labels: { route: 'chat' } }]);
  });

  it('waits out forMs on the evaluation timer, restarting it when the value falls back in between', () => {
    const { clock, metrics, notifications } = setup(
      [
        {
          name: 'retries',
          series: 'retries',
          stat: 'count',
          windowMs: minute,
          op: '>',
          threshold: 0,
          forMs: 2 * minute,
        },
      ],
      15_000,
    );

    metrics.increment('retries'); // in the window for one minute only
    clock.advance(3 * minute);
    expect(notifications).toEqual([]);

    for (let second = 0; second < 150; second += 15) {
      metrics.increment('retries');
      clock.advance(15_000);
    }
    expect(notifications).toHaveLength(1);
    expect(notifications[0]!.at - notifications[0]!.startedAt).toBe(2 * minute);
  });

  it('resolves at its resolveThreshold only, without re-firing in between', () => {
    const { metrics, clock, alerts, notifications } = setup([
      {
        name: 'slow-first-token',
        series: 'first_token_ms',
        stat: 'average',
        windowMs: minute,
        op: '>',
        threshold: 1000,
        resolveThreshold: 800,
      },
    ]);
    /** A fresh window holding one observation of `ms`. */
    function window(ms: number): Alert[] {
      clock.advance(minute);
      metrics.observe('first_token_ms', ms);
      return alerts.evaluate();
    }

    expect(window(1200)).toMatchObject([{ state: 'firing', value: 1200, threshold: 1000 }]);
    expect([window(900), window(1100), window(801), window(1300)]).toEqual([[], [], [], []]);
    expect(window(800)).toMatchObject([{ state: 'resolved', value: 800, threshold: 800 }]);
    expect([window(900), window(999)]).toEqual([[], []]);
    expect(notifications).toHaveLength(2);
  });

  it('fires below a threshold with op <, resolving at or above resolveThreshold', () => {
    const { metrics, clock, alerts } = setup([
      {
        name: 'traffic-dropped',
        series: 'requests',
        stat: 'count',
        windowMs: minute,
        op: '<',
        threshold: 10,
        resolveThreshold: 20,
      },
    ]);
    function window(requests: number): Alert[] {
      clock.advance(minute);
      metrics.increment('requests', requests);
      return alerts.evaluate();
    }

    expect(window(50)).toEqual([]);
    expect(window(9)).toMatchObject([{ state: 'firing', value: 9 }]);
    expect(window(19)).toEqual([]);
    expect(window(20)).toMatchObject([{ state: 'resolved', value: 20, threshold: 20 }]);
  });

  it('neither fires nor resolves on a window without observations', () => {
    const { metrics, clock, alerts, notifications } = setup([
      {
        name: 'slow',
        series: 'request_duration_ms',
        stat: 'p99',
        windowMs: minute,
        op: '>',
        threshold: 5000,
      },
    ]);

    expect(alerts.evaluate()).toEqual([]);
    metrics.observe('request_duration_ms', 9000);
    alerts.evaluate();
    clock.advance(10 * minute); // the window empties: no reading, so the alert holds
    alerts.evaluate();

    expect(notifications.map((alert) => alert.state)).toEqual(['firing']);
    expect(alerts.active()).toHaveLength(1);
  });

  it.each<{ title: string; rules: AlertRule[]; message: RegExp }>([
    {
      title: 'a resolveThreshold on the firing side',
      rules: [
        {
          name: 'x',
          series: 'retries',
          stat: 'count',
          windowMs: minute,
          op: '>',
          threshold: 5,
          resolveThreshold: 6,
        },
      ],
      message: /"x": resolveThreshold must be on the resolving side/,
    },
    {
      title: 'an empty window',
      rules: [{ name: 'x', series: 'retries', stat: 'count', windowMs: 0, op: '>', threshold: 5 }],
      message: /"x": windowMs must be a positive number, got 0/,
    },
    {
      title: 'a negative for period',
      rules: [{ type: 'error-rate', forMs: -1 }],
      message: /"error-rate": forMs must be a non-negative number/,
    },
    {
      title: 'a resolve ratio above the threshold',
      rules: [{ type: 'error-rate', thresholdRatio: 0.05, resolveRatio: 0.06 }],
      message: /resolveRatio ≤ thresholdRatio/,
    },
    {
      title: 'two rules with one name',
      rules: [{ type: 'breaker-open' }, { type: 'last-option', name: 'breaker-open' }],
      message: /Two alert rules are named "breaker-open"/,
    },
  ])('refuses $title', ({ rules, message }) => {
    const clock = createFakeClock();
    expect(() =>
      createAlerts({
        source: new Emitter<EngineEvent>(),
        metrics: createRecordedMetrics(clock),
        clock,
        rules,
        sinks: [],
      }),
    ).toThrow(message);
    expect(clock.pending()).toBe(0); // no timer left behind
  });

  it('refuses a statistic the metrics cannot answer, at creation', () => {
    const clock = createFakeClock();
    const engine = new Emitter<EngineEvent>();
    const metrics = createMetrics(engine, { clock });
    const rule: ThresholdRule = {
      name: 'x',
      series: 'retries',
      stat: 'p95',
      windowMs: minute,
      op: '>',
      threshold: 1,
    };

    expect(() => createAlerts({ source: engine, metrics, clock, rules: [rule], sinks: [] })).toThrow(
      /"x": the metrics cannot answer it: quantile\(\) reads a measured series/,
    );
  });
});
