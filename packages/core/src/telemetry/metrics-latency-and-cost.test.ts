import { describe, expect, it } from 'vitest';
import { listening } from './test-support/listening.ts';
import { familyOf, histogramOf, nonZeroOf, valueAt } from './test-support/metric-values.ts';
import {
  attempt,
  attemptEnd,
  firstToken,
  requestEnd,
  requestStart,
  usage,
} from './test-support/scripted-events.ts';

describe('createMetrics: latency, tokens and cost', () => {
  describe('latency histograms, in seconds', () => {
    it('observe the whole request at its end, retries and fallbacks included, per route', () => {
      const { metrics, play } = listening({ durationBuckets: [0.5, 1, 5] });
      play(
        requestStart('r1', 'chat'),
        requestEnd('r1', 'chat', { outcome: 'ok', durationMs: 300 }),
        requestStart('r2', 'chat'),
        requestEnd('r2', 'chat', { outcome: 'failed', kind: 'timeout', durationMs: 4_000 }),
        requestStart('r3', 'chat'),
        requestEnd('r3', 'chat', { outcome: 'ok', durationMs: 9_000 }),
      );

      expect(familyOf(metrics, 'steadfast_request_duration_seconds')).toMatchObject({
        type: 'histogram',
        buckets: [0.5, 1, 5],
      });
      // Cumulative: 0.3 s ≤ 0.5; 4 s ≤ 5; 9 s only in the count (+Inf).
      expect(histogramOf(metrics, 'steadfast_request_duration_seconds', { route: 'chat' })).toEqual({
        labels: { route: 'chat' },
        counts: [1, 1, 2],
        sum: 13.3,
        count: 3,
      });
    });

    it('observe each attempt per provider and model, whatever route it served', () => {
      const { metrics, play } = listening({ durationBuckets: [1, 10] });
      play(
        requestStart('r1', 'chat'),
        requestStart('r2', 'summary'),
        attemptEnd('r1', attempt('openai', 'gpt-4o', { outcome: 'timeout', durationMs: 10_000 })),
        attemptEnd('r2', attempt('openai', 'gpt-4o', { durationMs: 800 })),
      );

      expect(
        histogramOf(metrics, 'steadfast_attempt_duration_seconds', { provider: 'openai', model: 'gpt-4o' }),
      ).toEqual({ labels: { provider: 'openai', model: 'gpt-4o' }, counts: [1, 2], sum: 10.8, count: 2 });
    });

    it("observe a stream's time to first token from the request's start, per route and candidate", () => {
      const { metrics, play } = listening({ durationBuckets: [1, 2] });
      play(requestStart('r1', 'chat', true), firstToken('r1', 'anthropic', 'claude', 1_500, 200));

      expect(
        histogramOf(metrics, 'steadfast_time_to_first_token_seconds', {
          route: 'chat',
          provider: 'anthropic',
          model: 'claude',
        }),
      ).toMatchObject({ counts: [0, 1], sum: 1.5, count: 1 });
    });
  });

  it('adds up tokens per provider and model: input, output, and cached input', () => {
    const { metrics, play } = listening();
    play(
      requestStart('r1', 'chat'),
      attemptEnd('r1', attempt('openai', 'gpt-4o', { usage: usage(1_000, 200, 800) })),
      requestStart('r2', 'summary'),
      attemptEnd('r2', attempt('openai', 'gpt-4o', { usage: usage(500, 50) })),
      // An attempt that failed before any usage was reported adds nothing.
      attemptEnd('r2', attempt('openai', 'gpt-4o', { outcome: 'connection' })),
    );

    const tokens = (direction: string) =>
      valueAt(metrics, 'steadfast_tokens_total', { provider: 'openai', model: 'gpt-4o', direction });
    expect([tokens('input'), tokens('output'), tokens('cached')]).toEqual([1_500, 250, 800]);
  });

  describe('cost', () => {
    it('adds up what every attempt cost, failed ones included, per route, provider and model', () => {
      const { metrics, play } = listening();
      play(
        requestStart('r1', 'chat'),
        // A stream cut after some output is paid for, though its answer was not used.
        attemptEnd('r1', attempt('openai', 'gpt-4o', { outcome: 'stream_interrupted', costUsd: 0.25 })),
        attemptEnd('r1', attempt('openai', 'gpt-4o', { costUsd: 0.5 })),
        attemptEnd('r1', attempt('anthropic', 'claude', { costUsd: 1 })),
      );

      expect(nonZeroOf(metrics, 'steadfast_cost_usd_total')).toEqual([
        { labels: { route: 'chat', provider: 'openai', model: 'gpt-4o' }, value: 0.75 },
        { labels: { route: 'chat', provider: 'anthropic', model: 'claude' }, value: 1 },
      ]);
    });

    it('per answered request (ok, cached, stale, degraded) counts the cost of failed requests and attempts too', () => {
      const { metrics, play } = listening();
      const wasted = attempt('openai', 'gpt-4o', { outcome: 'timeout', costUsd: 0.5 });
      const paid = attempt('openai', 'gpt-4o', { costUsd: 1 });
      play(
        requestStart('ok', 'chat'),
        attemptEnd('ok', wasted),
        attemptEnd('ok', paid),
        requestEnd('ok', 'chat', { outcome: 'ok', attempts: [wasted, paid] }),
        requestStart('failed', 'chat'),
        attemptEnd('failed', wasted),
        requestEnd('failed', 'chat', { outcome: 'failed', kind: 'timeout', attempts: [wasted] }),
        requestStart('cached', 'chat'),
        requestEnd('cached', 'chat', { outcome: 'cached' }),
        requestStart('stale', 'chat'),
        attemptEnd('stale', wasted),
        requestEnd('stale', 'chat', { outcome: 'stale', kind: 'timeout', attempts: [wasted] }),
        requestStart('degraded', 'chat'),
        requestEnd('degraded', 'chat', { outcome: 'degraded', kind: 'unavailable' }),
      );

      // 0.5 + 1 + 0.5 + 0.5 = 2.5 USD over four answered requests; the failed one answered nothing.
      expect(valueAt(metrics, 'steadfast_cost_per_successful_request_usd', { route: 'chat' })).toBe(0.625);
    });

    it('per answered request has no series for a route that has answered nothing: the ratio is undefined', () => {
      const { metrics, play } = listening();
      const wasted = attempt('openai', 'gpt-4o', { outcome: 'timeout', costUsd: 0.5 });
      play(
        requestStart('r1', 'chat'),
        attemptEnd('r1', wasted),
        requestEnd('r1', 'chat', { outcome: 'failed', kind: 'timeout', attempts: [wasted] }),
      );

      expect(
        valueAt(metrics, 'steadfast_cost_usd_total', { route: 'chat', provider: 'openai', model: 'gpt-4o' }),
      ).toBe(0.5);
      expect(familyOf(metrics, 'steadfast_cost_per_successful_request_usd').series).toEqual([]);
    });
  });
});
