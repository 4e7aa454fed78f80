import { describe, expect, it } from 'vitest';
import { listening } from './test-support/listening.ts';
import { attempt, attemptEnd, requestStart } from './test-support/scripted-events.ts';

const fiveMinutesMs = 300_000;
/** `createMetrics`' default bucket: windows slide in steps of it. */
const bucketMs = 10_000;

/** 1, 2, …, n in an order that is not sorted, so that a quantile has to find its rank. */
function shuffled(n: number): number[] {
  const values = Array.from({ length: n }, (_, i) => i + 1);
  // A fixed permutation: multiply by a number coprime with n.
  return values.map((_, i) => ((i * 37) % n) + 1);
}

describe('metrics queries over sliding windows', () => {
  describe('count and rate', () => {
    it('count the events of the window, and their rate per second', () => {
      const { metrics, request } = listening();
      for (let i = 0; i < 30; i++) request('chat', { outcome: 'ok' });

      expect(metrics.count('requests', fiveMinutesMs)).toBe(30);
      expect(metrics.rate('requests', fiveMinutesMs)).toBe(0.1);
    });

    it('stop counting an event once it is older than the window', () => {
      const { metrics, clock, request } = listening();
      request('chat', { outcome: 'ok' });
      clock.advance(60_000);
      request('chat', { outcome: 'ok' });

      clock.advance(fiveMinutesMs - 60_000 - bucketMs);
      expect(metrics.count('requests', fiveMinutesMs)).toBe(2);
      // The first request is now five minutes old, and more: it has left the window.
      clock.advance(bucketMs);
      expect(metrics.count('requests', fiveMinutesMs)).toBe(1);
      clock.advance(60_000);
      expect(metrics.count('requests', fiveMinutesMs)).toBe(0);
      // A longer window still sees both.
      expect(metrics.count('requests', 3_600_000)).toBe(2);
    });

    it('keep only the events whose labels include the filter', () => {
      const { metrics, play } = listening();
      play(
        requestStart('r1', 'chat'),
        attemptEnd('r1', attempt('openai', 'gpt-4o', { outcome: 'timeout' })),
        attemptEnd('r1', attempt('openai', 'gpt-4o', { outcome: 'timeout' })),
        attemptEnd('r1', attempt('openai', 'gpt-4o-mini', { outcome: 'server' })),
        attemptEnd('r1', attempt('anthropic', 'claude', { outcome: 'timeout' })),
        attemptEnd('r1', attempt('anthropic', 'claude')),
      );

      expect(metrics.count('attempts', fiveMinutesMs)).toBe(5);
      expect(metrics.count('attempt_errors', fiveMinutesMs)).toBe(4);
      expect(metrics.count('attempt_errors', fiveMinutesMs, { provider: 'openai' })).toBe(3);
      expect(metrics.count('attempt_errors', fiveMinutesMs, { provider: 'openai', kind: 'timeout' })).toBe(2);
      expect(metrics.count('attempts', fiveMinutesMs, { route: 'chat', outcome: 'ok' })).toBe(1);
      expect(metrics.count('attempts', fiveMinutesMs, { route: 'other' })).toBe(0);
    });

    it('count breakers opening, per provider and model', () => {
      const { metrics, play } = listening();
      const key = 'openai/gpt-4o';
      play(
        { type: 'breaker', key, from: 'closed', to: 'open', reason: 'consecutive_failures', openUntil: 1 },
        { type: 'breaker', key, from: 'open', to: 'half-open', reason: 'open_elapsed' },
        { type: 'breaker', key, from: 'half-open', to: 'open', reason: 'probe_failed', openUntil: 2 },
      );

      expect(metrics.count('breaker_opened', fiveMinutesMs, { provider: 'openai', model: 'gpt-4o' })).toBe(2);
    });

    it('read all that is kept when asked about a window longer than maxWindowMs', () => {
      const { metrics, clock, request } = listening({ maxWindowMs: 600_000 });
      request('chat', { outcome: 'ok' });
      clock.advance(120_000);

      expect(metrics.count('requests', 3_600_000)).toBe(1);
      // Per second of the ten minutes kept, not of the hour asked about.
      expect(metrics.rate('requests', 3_600_000)).toBe(1 / 600);
    });

    it('refuse an empty window', () => {
      const { metrics } = listening();

      expect(() => metrics.count('requests', 0)).toThrow(RangeError);
    });
  });

  describe('ratio', () => {
    it('divides two counts over the same window and filter', () => {
      const { metrics, request } = listening();
      for (let i = 0; i < 18; i++) request('chat', { outcome: 'ok' });
      request('chat', { outcome: 'failed', kind: 'timeout' });
      request('chat', { outcome: 'failed', kind: 'server' });
      request('batch', { outcome: 'failed', kind: 'server' });

      expect(metrics.ratio('request_errors', 'requests', fiveMinutesMs, { route: 'chat' })).toBe(0.1);
      expect(metrics.ratio('request_errors', 'requests', fiveMinutesMs, { route: 'batch' })).toBe(1);
    });

    it('is undefined with no denominator, and 0 with no numerator', () => {
      const { metrics, clock, request } = listening();

      expect(metrics.ratio('request_errors', 'requests', fiveMinutesMs)).toBeUndefined();
      request('chat', { outcome: 'ok' });
      expect(metrics.ratio('request_errors', 'requests', fiveMinutesMs)).toBe(0);
      clock.advance(fiveMinutesMs);
      expect(metrics.ratio('request_errors', 'requests', fiveMinutesMs)).toBeUndefined();
    });
  });

  describe('measured series', () => {
    it('average, sum and quantiles of request durations, in ms, exact on known data', () => {
      const { metrics, request } = listening();
      for (const durationMs of shuffled(100)) request('chat', { outcome: 'ok', durationMs });

      expect(metrics.count('request_duration_ms', fiveMinutesMs)).toBe(100);
      expect(metrics.sum('request_duration_ms', fiveMinutesMs)).toBe(5_050);
      expect(metrics.average('request_duration_ms', fiveMinutesMs)).toBe(50.5);
      // Nearest rank: the smallest duration with at least q × 100 durations at or below it.
      expect(metrics.quantile('request_duration_ms', 0.5, fiveMinutesMs)).toBe(50);
      expect(metrics.quantile('request_duration_ms', 0.95, fiveMinutesMs)).toBe(95);
      expect(metrics.quantile('request_duration_ms', 0.99, fiveMinutesMs)).toBe(99);
      expect(metrics.quantile('request_duration_ms', 1, fiveMinutesMs)).toBe(100);
      expect(metrics.quantile('request_duration_ms', 0, fiveMinutesMs)).toBe(1);
    });

    it('quantiles of only the filtered label sets, and of the window only', () => {
      const { metrics, clock, request } = listening();
      for (let durationMs = 1; durationMs <= 20; durationMs++)
        request('slow', { outcome: 'ok', durationMs: durationMs * 1_000 });
      clock.advance(60_000);
      for (let durationMs = 1; durationMs <= 20; durationMs++) request('fast', { outcome: 'ok', durationMs });

      expect(metrics.quantile('request_duration_ms', 0.95, fiveMinutesMs, { route: 'slow' })).toBe(19_000);
      expect(metrics.quantile('request_duration_ms', 0.95, fiveMinutesMs, { route: 'fast' })).toBe(19);
      expect(metrics.quantile('request_duration_ms', 0.95, 60_000)).toBe(19);
      clock.advance(fiveMinutesMs - 60_000);
      expect(metrics.quantile('request_duration_ms', 0.95, fiveMinutesMs, { route: 'slow' })).toBeUndefined();
    });

    it('keep the outcome of each request duration, so that successes can be read alone', () => {
      const { metrics, request } = listening();
      request('chat', { outcome: 'ok', durationMs: 800 });
      request('chat', { outcome: 'failed', kind: 'timeout', durationMs: 120_000 });

      expect(metrics.average('request_duration_ms', fiveMinutesMs, { route: 'chat', outcome: 'ok' })).toBe(
        800,
      );
      expect(metrics.average('request_duration_ms', fiveMinutesMs, { route: 'chat' })).toBe(60_400);
    });

    it('are undefined without observations', () => {
      const { metrics, request } = listening();
      request('chat', { outcome: 'ok', durationMs: 10 });

      expect(metrics.average('first_token_ms', fiveMinutesMs)).toBeUndefined();
      expect(metrics.quantile('first_token_ms', 0.95, fiveMinutesMs)).toBeUndefined();
      expect(metrics.average('request_duration_ms', fiveMinutesMs, { route: 'other' })).toBeUndefined();
      expect(metrics.sum('cost_usd', fiveMinutesMs)).toBe(0);
    });

    it('sum what attempts cost over the window, and average it per attempt', () => {
      const { metrics, play } = listening();
      play(
        requestStart('r1', 'chat'),
        attemptEnd('r1', attempt('openai', 'gpt-4o', { outcome: 'timeout', costUsd: 0 })),
        attemptEnd('r1', attempt('openai', 'gpt-4o', { costUsd: 0.25 })),
        attemptEnd('r1', attempt('anthropic', 'claude', { costUsd: 0.5 })),
      );

      expect(metrics.sum('cost_usd', fiveMinutesMs)).toBe(0.75);
      expect(metrics.sum('cost_usd', fiveMinutesMs, { provider: 'openai' })).toBe(0.25);
      expect(metrics.average('cost_usd', fiveMinutesMs)).toBe(0.25);
    });

    it('answer quantiles older than exactWindowMs to within 1 %', () => {
      const { metrics, clock, request } = listening({ exactWindowMs: 60_000 });
      for (const durationMs of shuffled(200)) request('chat', { outcome: 'ok', durationMs: durationMs * 10 });
      clock.advance(120_000);
      // A later request moves the window on, past the horizon of exact values.
      request('chat', { outcome: 'ok', durationMs: 5 });

      const p95 = metrics.quantile('request_duration_ms', 0.95, fiveMinutesMs, { route: 'chat' }) ?? 0;
      // The exact p95 of the 201 durations is the 191st: 1,900 ms.
      expect(Math.abs(p95 - 1_900) / 1_900).toBeLessThanOrEqual(0.01);
      // Counts and sums stay exact.
      expect(metrics.count('request_duration_ms', fiveMinutesMs)).toBe(201);
      expect(metrics.sum('request_duration_ms', fiveMinutesMs)).toBe(201_005);
    });

    it('refuse to average or rank a series that is only counted, and a quantile outside [0, 1]', () => {
      const { metrics } = listening();

      expect(() => metrics.average('requests', fiveMinutesMs)).toThrow(/"requests" is only counted/);
      expect(() => metrics.quantile('retries', 0.95, fiveMinutesMs)).toThrow(RangeError);
      expect(() => metrics.sum('fallbacks', fiveMinutesMs)).toThrow(RangeError);
      expect(() => metrics.quantile('request_duration_ms', 95, fiveMinutesMs)).toThrow(/between 0 and 1/);
    });
  });
});
