import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/types.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import type { Alert, AlertSink } from './alert.ts';
import type { AlertRule } from './alert-rule.ts';
import { callbackSink } from './alert-sinks.ts';
import { createAlerts } from './alerts.ts';
import { Emitter } from './event.ts';
import type { MetricsQuery } from './metric-family.ts';
import { createRecordedMetrics } from './test-support/recorded-metrics.ts';

const minute = 60_000;
const retriesOverZero: AlertRule = {
  name: 'retries',
  series: 'retries',
  stat: 'count',
  windowMs: minute,
  op: '>',
  threshold: 0,
};
const breakerOpened: EngineEvent = {
  type: 'breaker',
  key: 'p1/alpha',
  from: 'closed',
  to: 'open',
  reason: 'consecutive_failures',
};

describe('the alert evaluator', () => {
  it('reads metric rules on its clock every evaluateEveryMs', () => {
    const clock = createFakeClock();
    const metrics = createRecordedMetrics(clock);
    const notifications: Alert[] = [];
    createAlerts({
      source: new Emitter<EngineEvent>(),
      metrics,
      clock,
      rules: [retriesOverZero],
      sinks: [callbackSink((alert) => notifications.push(alert))],
      evaluateEveryMs: 30_000,
    });

    metrics.increment('retries');
    clock.advance(29_999);
    expect(notifications).toEqual([]);
    clock.advance(1);
    expect(notifications).toMatchObject([{ rule: 'retries', state: 'firing', at: clock.now() }]);
  });

  it('lists what is firing now, oldest first', () => {
    const clock = createFakeClock();
    const engine = new Emitter<EngineEvent>();
    const metrics = createRecordedMetrics(clock);
    const alerts = createAlerts({
      source: engine,
      metrics,
      clock,
      rules: [retriesOverZero, { type: 'breaker-open' }],
      sinks: [],
      evaluateEveryMs: 24 * 60 * minute,
    });

    engine.emit(breakerOpened);
    clock.advance(1000);
    metrics.increment('retries');
    alerts.evaluate();
    expect(alerts.active().map((alert) => alert.rule)).toEqual(['breaker-open', 'retries']);

    engine.emit({ ...breakerOpened, from: 'half-open', to: 'closed', reason: 'probe_succeeded' });
    expect(alerts.active().map((alert) => [alert.rule, alert.state])).toEqual([['retries', 'firing']]);
  });

  it('runs the four built-in rules when given none', () => {
    const clock = createFakeClock();
    const engine = new Emitter<EngineEvent>();
    const metrics = createRecordedMetrics(clock);
    const alerts = createAlerts({ source: engine, metrics, clock, sinks: [] });

    engine.emit(breakerOpened);
    for (let tick = 0; tick < 30; tick++) {
      metrics.increment('requests', 100);
      metrics.increment('request_errors', 50);
      clock.advance(15_000);
    }

    expect(alerts.active().map((alert) => alert.rule)).toEqual(['breaker-open', 'error-rate']);
  });

  it('tells every sink, in order, even after one throws', () => {
    const clock = createFakeClock();
    const engine = new Emitter<EngineEvent>();
    const heard: string[] = [];
    const broken: AlertSink = {
      send() {
        heard.push('broken');
        throw new Error('sink down');
      },
    };
    createAlerts({
      source: engine,
      metrics: createRecordedMetrics(clock),
      clock,
      rules: [{ type: 'breaker-open' }],
      sinks: [broken, callbackSink((alert) => heard.push(alert.rule))],
    });

    engine.emit(breakerOpened);

    expect(heard).toEqual(['broken', 'breaker-open']);
  });

  it('reads the other rules when one query throws, reports it, and keeps its timer', () => {
    const clock = createFakeClock();
    const recorded = createRecordedMetrics(clock);
    let queriesBroken = true;
    const metrics: MetricsQuery = {
      ...recorded,
      ratio(...args) {
        if (queriesBroken) throw new Error('metrics store unreachable');
        return recorded.ratio(...args);
      },
    };
    const notifications: Alert[] = [];
    const alerts = createAlerts({
      source: new Emitter<EngineEvent>(),
      metrics,
      clock,
      rules: [{ type: 'error-rate', forMs: 0 }, retriesOverZero],
      sinks: [callbackSink((alert) => notifications.push(alert))],
    });
    recorded.increment('retries');
    recorded.increment('requests', 100);
    recorded.increment('request_errors', 100);

    expect(() => alerts.evaluate()).toThrow('metrics store unreachable');
    expect(notifications.map((alert) => alert.rule)).toEqual(['retries']);

    queriesBroken = false;
    clock.advance(15_000);
    expect(notifications.map((alert) => alert.rule)).toEqual(['retries', 'error-rate']);
  });

  it('stops its timer, its subscription and its sinks on dispose', () => {
    const clock = createFakeClock();
    const engine = new Emitter<EngineEvent>();
    const metrics = createRecordedMetrics(clock);
    const sent: Alert[] = [];
    let sinkDisposed = false;
    const alerts = createAlerts({
      source: engine,
      metrics,
      clock,
      rules: [retriesOverZero, { type: 'breaker-open' }],
      sinks: [
        {
          send: (alert) => sent.push(alert),
          dispose: () => {
            sinkDisposed = true;
          },
        },
      ],
    });
    expect(engine.active).toBe(true);

    alerts.dispose();
    metrics.increment('retries');
    clock.advance(10 * minute);
    engine.emit(breakerOpened);

    expect(clock.pending()).toBe(0);
    expect(engine.active).toBe(false);
    expect(sinkDisposed).toBe(true);
    expect(sent).toEqual([]);
    expect(alerts.evaluate()).toEqual([]);
  });

  it('does not listen to engine events when no rule needs them', () => {
    const clock = createFakeClock();
    const engine = new Emitter<EngineEvent>();
    createAlerts({
      source: engine,
      metrics: createRecordedMetrics(clock),
      clock,
      rules: [retriesOverZero],
      sinks: [],
    });

    expect(engine.active).toBe(false); // the engine builds no event payloads for us
  });
});
