import { describe, expect, it } from 'vitest';
import type { Alert, AlertSeverity } from './alert.ts';
import { callbackSink, logSink } from './alert-sinks.ts';
import type { Logger } from './logger.ts';

const firing: Alert = {
  rule: 'error-rate',
  state: 'firing',
  severity: 'critical',
  summary: 'Error rate 10 % over 5 min (38 of 380 requests) is above 5 %',
  labels: { route: 'chat' },
  value: 0.1,
  threshold: 0.05,
  startedAt: 1_000,
  at: 301_000,
};

/** A logger that keeps every line. */
function recordingLogger() {
  const lines: Array<{ level: keyof Logger; obj: Record<string, unknown>; msg: string }> = [];
  const logger: Logger = {
    info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => lines.push({ level: 'error', obj, msg }),
  };
  return { logger, lines };
}

describe('logSink', () => {
  it.each<[AlertSeverity, Alert['state'], keyof Logger]>([
    ['critical', 'firing', 'error'],
    ['warning', 'firing', 'warn'],
    ['info', 'firing', 'info'],
    ['critical', 'resolved', 'info'],
    ['warning', 'resolved', 'info'],
  ])('logs a %s alert %s at %s', (severity, state, level) => {
    const { logger, lines } = recordingLogger();

    logSink(logger).send({ ...firing, severity, state });

    expect(lines).toEqual([
      {
        level,
        obj: { alert: { ...firing, severity, state } },
        msg: `Alert error-rate ${state}: Error rate 10 % over 5 min (38 of 380 requests) is above 5 %`,
      },
    ]);
  });

  it('redacts credentials quoted in the summary and labels', () => {
    const { logger, lines } = recordingLogger();
    const key = 'sk-proj-abcdefghijklmnop1234';

    logSink(logger).send({
      ...firing,
      summary: `Incorrect API key provided: ${key}`,
      labels: { token: key },
    });

    expect(JSON.stringify(lines)).not.toContain(key);
    expect(lines[0]?.msg).toBe('Alert error-rate firing: Incorrect API key provided: [redacted]');
  });
});

describe('callbackSink', () => {
  it('hands the alert over as it is', () => {
    const received: Alert[] = [];

    callbackSink((alert) => received.push(alert)).send(firing);

    expect(received).toEqual([firing]);
  });

  it('swallows what the callback throws or rejects with', async () => {
    const thrown = callbackSink(() => {
      throw new Error('callback bug');
    });
    let rejected = false;
    const rejecting = callbackSink(async () => {
      rejected = true;
      throw new Error('callback bug');
    });

    expect(() => thrown.send(firing)).not.toThrow();
    expect(() => rejecting.send(firing)).not.toThrow();
    // An unhandled rejection would fail this test run once the microtasks have drained.
    await new Promise((resolve) => setImmediate(resolve));
    expect(rejected).toBe(true);
  });
});
