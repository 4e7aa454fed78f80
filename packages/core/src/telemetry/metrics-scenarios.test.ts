import { describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import type { ModelInfo } from '../catalog/model-info.ts';
import { ask, type Outcome } from '../engine/scenarios/test-support/ask.ts';
import {
  candidates,
  eventsOf,
  fallback,
  primary,
  route,
  startWorld,
  type World,
  type WorldOptions,
} from '../engine/scenarios/test-support/world.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { histogramOf, nonZeroOf, valueAt } from './test-support/metric-values.ts';

/**
 * Each metric moving as it should while the real engine, through the real OpenAI and Anthropic adapters,
 * talks to the simulator. The simulator and the client share one fake clock, so the windows, durations
 * and time to first token are exact.
 */

const fiveMinutesMs = 300_000;
const openai = { provider: 'openai', model: primary };
const anthropic = { provider: 'anthropic', model: fallback };

/** A world with a collector listening to its client from the start. */
async function observed(options: WorldOptions): Promise<{ world: World; metrics: Metrics }> {
  const world = await startWorld(options);
  return { world, metrics: createMetrics(world.client, { clock: world.clock }) };
}

/** Easy list prices for the simulator's models, so that costs are not 0. */
function pricedModel(id: string, wire: ModelInfo['provider'], inputPerMTok: number, outputPerMTok: number) {
  return {
    id,
    provider: wire,
    contextWindow: 128_000,
    maxOutputTokens: 8_000,
    tokenizer: wire === 'openai' ? ('o200k' as const) : ('claude' as const),
    capabilities: { tools: true, jsonSchema: true, vision: true, streaming: true, prefill: true },
    pricing: { inputPerMTok, outputPerMTok, asOf: '2026-01-01', source: 'test' },
  };
}

const priced = createCatalog([
  pricedModel(primary, 'openai', 2, 8),
  pricedModel(fallback, 'anthropic', 3, 15),
]);

describe('metrics under simulator scenarios', () => {
  it('a 503, then an answer: one retry, one unavailable attempt, one ok attempt, one ok request', async () => {
    const { world, metrics } = await observed({
      scenario: { models: { [primary]: { sequence: ['unavailable', 'ok'] } } },
      route: {
        candidates: [candidates.primary, candidates.fallback],
        retry: { maxRetries: 2, baseDelayMs: 100 },
      },
    });

    const outcome = await ask(world, 'chat');

    expect(outcome.error).toBeUndefined();
    expect(nonZeroOf(metrics, 'steadfast_retries_total')).toEqual([
      { labels: { route, ...openai, reason: 'unavailable' }, value: 1 },
    ]);
    expect(nonZeroOf(metrics, 'steadfast_attempts_total')).toEqual([
      { labels: { route, ...openai, outcome: 'unavailable' }, value: 1 },
      { labels: { route, ...openai, outcome: 'ok' }, value: 1 },
    ]);
    expect(nonZeroOf(metrics, 'steadfast_requests_total')).toEqual([
      { labels: { route, outcome: 'ok' }, value: 1 },
    ]);
    expect(nonZeroOf(metrics, 'steadfast_fallbacks_total')).toEqual([]);
    expect(metrics.ratio('attempt_errors', 'attempts', fiveMinutesMs, { provider: 'openai' })).toBe(0.5);
    expect(metrics.count('retries', fiveMinutesMs, { reason: 'unavailable' })).toBe(1);
    // The request took the retry's wait on the shared clock (to the precision of epoch ms).
    const [announced] = eventsOf(world, 'retry');
    expect(outcome.report.durationMs).toBeCloseTo(announced?.delayMs ?? -1, 2);
    expect(histogramOf(metrics, 'steadfast_request_duration_seconds', { route })).toMatchObject({
      count: 1,
      sum: outcome.report.durationMs / 1000,
    });
  });

  it('a primary that is down: fallbacks, the last option, and its breaker open (2) after 5 failures', async () => {
    const { world, metrics } = await observed({
      scenario: { models: { [primary]: { faults: [{ fault: 'unavailable' }] }, [fallback]: {} } },
      route: {
        candidates: [candidates.primary, candidates.fallback],
        retry: { maxRetries: 2, baseDelayMs: 1 },
        breaker: { consecutiveFailures: 5 },
      },
    });
    const breakerState = () => valueAt(metrics, 'steadfast_breaker_state', openai);
    const failedOnPrimary = () =>
      valueAt(metrics, 'steadfast_attempts_total', { route, ...openai, outcome: 'unavailable' });

    await ask(world, 'chat');
    // Three failures: the breaker has not moved, so it has no series yet.
    expect(failedOnPrimary()).toBe(3);
    expect(breakerState()).toBeUndefined();

    await ask(world, 'chat');
    // Two more: the fifth in a row opens it.
    expect(failedOnPrimary()).toBe(5);
    expect(breakerState()).toBe(2);

    await ask(world, 'chat');
    await ask(world, 'chat');

    expect(failedOnPrimary()).toBe(5);
    expect(nonZeroOf(metrics, 'steadfast_breaker_transitions_total')).toEqual([
      { labels: { ...openai, to: 'open' }, value: 1 },
    ]);
    expect(metrics.count('breaker_opened', fiveMinutesMs, openai)).toBe(1);
    // Left after its failures twice, then passed over while open.
    expect(nonZeroOf(metrics, 'steadfast_fallbacks_total')).toEqual([
      { labels: { route, reason: 'unavailable' }, value: 2 },
      { labels: { route, reason: 'skipped' }, value: 2 },
    ]);
    expect(valueAt(metrics, 'steadfast_last_option_total', { route })).toBe(4);
    expect(valueAt(metrics, 'steadfast_attempts_total', { route, ...anthropic, outcome: 'ok' })).toBe(4);
    expect(valueAt(metrics, 'steadfast_requests_total', { route, outcome: 'ok' })).toBe(4);
    expect(metrics.ratio('request_errors', 'requests', fiveMinutesMs)).toBe(0);
  });

  describe('every candidate down after the first second', () => {
    const outage = { fromMs: 1_000, toMs: 100_000_000 };
    const options: WorldOptions = {
      scenario: {
        models: {
          [primary]: { faults: [{ fault: 'server_error', window: outage }] },
          [fallback]: { faults: [{ fault: 'unavailable', window: outage }] },
        },
      },
      route: {
        candidates: [candidates.primary, candidates.fallback],
        retry: { maxRetries: 1, baseDelayMs: 1 },
        breaker: false,
        cache: { maxStaleMs: 3_600_000 },
        degrade: () => 'The assistant is resting; please try again in a few minutes.',
      },
      catalog: priced,
    };

    it('serves a stale cache hit, then degrades for a tenant with nothing cached', async () => {
      const { world, metrics } = await observed(options);
      const fresh = await ask(world, 'chat', undefined, { tenant: 'acme' });
      world.clock.advance(fiveMinutesMs);

      const stale = await ask(world, 'chat', undefined, { tenant: 'acme' });
      const degraded = await ask(world, 'chat', undefined, { tenant: 'globex' });

      expect(stale.report.cache).toBe('stale');
      expect(degraded.report.degraded).toBe(true);
      expect(nonZeroOf(metrics, 'steadfast_requests_total')).toEqual([
        { labels: { route, outcome: 'ok' }, value: 1 },
        { labels: { route, outcome: 'stale' }, value: 1 },
        { labels: { route, outcome: 'degraded' }, value: 1 },
      ]);
      expect(nonZeroOf(metrics, 'steadfast_cache_hits_total')).toEqual([
        { labels: { route, freshness: 'stale' }, value: 1 },
      ]);
      expect(valueAt(metrics, 'steadfast_degraded_total', { route })).toBe(1);
      // Both rescued requests were answered: neither is a request error, though 8 attempts failed.
      expect(nonZeroOf(metrics, 'steadfast_request_errors_total')).toEqual([]);
      expect(metrics.count('attempt_errors', fiveMinutesMs)).toBe(8);
      expect(metrics.count('cache_hits', fiveMinutesMs, { freshness: 'stale' })).toBe(1);
      // Only the first answer was paid for; three requests were answered.
      expect(fresh.report.costUsd).toBeGreaterThan(0);
      expect(valueAt(metrics, 'steadfast_cost_per_successful_request_usd', { route })).toBeCloseTo(
        fresh.report.costUsd / 3,
        12,
      );
    });
  });

  it('an empty answer: a content error, retried, then answered', async () => {
    const { world, metrics } = await observed({
      scenario: { models: { [primary]: { sequence: ['empty', 'ok'] } } },
      route: {
        candidates: [candidates.primary, candidates.fallback],
        retry: { maxRetries: 1, baseDelayMs: 100 },
      },
    });

    const outcome = await ask(world, 'chat');

    expect(outcome.error).toBeUndefined();
    expect(nonZeroOf(metrics, 'steadfast_content_errors_total')).toEqual([
      { labels: { route, ...openai, kind: 'empty' }, value: 1 },
    ]);
    expect(valueAt(metrics, 'steadfast_retries_total', { route, ...openai, reason: 'empty' })).toBe(1);
    expect(metrics.count('content_errors', fiveMinutesMs, { kind: 'empty' })).toBe(1);
  });

  it("a stream: its time to first token is observed, from the request's start, the retry's wait included", async () => {
    const { world, metrics } = await observed({
      scenario: { models: { [primary]: { sequence: ['unavailable', 'ok'] } } },
      route: {
        candidates: [candidates.primary, candidates.fallback],
        retry: { maxRetries: 1, baseDelayMs: 1_000 },
      },
    });

    const outcome = await ask(world, 'stream');

    expect(outcome.error).toBeUndefined();
    const [firstToken] = eventsOf(world, 'first-token');
    const [announced] = eventsOf(world, 'retry');
    // The first token came right after the retry's wait (to the precision of epoch ms).
    expect(firstToken?.sinceRequestMs).toBeCloseTo(announced?.delayMs ?? -1, 2);
    expect(firstToken?.sinceRequestMs).toBeGreaterThan(0);
    expect(histogramOf(metrics, 'steadfast_time_to_first_token_seconds', { route, ...openai })).toMatchObject(
      {
        count: 1,
        sum: (firstToken?.sinceRequestMs ?? -1) / 1000,
      },
    );
    expect(metrics.quantile('first_token_ms', 0.95, fiveMinutesMs, { route })).toBe(
      firstToken?.sinceRequestMs,
    );
  });

  describe.each([
    // A chat() hears of the cut before any text, with no usage: retried, and it cost nothing.
    { mode: 'chat', cutIsPaid: false },
    // A stream is cut after text reached the consumer: the tokens sent are paid for, then it is continued.
    { mode: 'stream', cutIsPaid: true },
  ] as const)('tokens and cost, through $mode()', ({ mode, cutIsPaid }) => {
    it("match the result's resilience report, the cut attempt included", async () => {
      const { world, metrics } = await observed({
        scenario: {
          models: {
            [primary]: { faults: [{ fault: { kind: 'stream_cut', afterChunks: 3 }, attempts: [1] }] },
          },
        },
        route: { candidates: [candidates.primary, candidates.fallback] },
        catalog: priced,
      });

      const outcome: Outcome = await ask(world, mode);

      expect(outcome.error).toBeUndefined();
      const attempts = outcome.report.attempts;
      expect(attempts.map((attempt) => attempt.outcome)).toEqual(['stream_interrupted', 'ok']);
      expect((attempts[0]?.costUsd ?? 0) > 0).toBe(cutIsPaid);
      const reported = { input: 0, output: 0, cached: 0 };
      for (const attempt of attempts) {
        reported.input += attempt.usage?.inputTokens ?? 0;
        reported.output += attempt.usage?.outputTokens ?? 0;
        reported.cached += attempt.usage?.cachedInputTokens ?? 0;
      }
      const tokens = (direction: string) =>
        valueAt(metrics, 'steadfast_tokens_total', { ...openai, direction });
      expect({ input: tokens('input'), output: tokens('output'), cached: tokens('cached') }).toEqual(
        reported,
      );
      expect(reported.output).toBeGreaterThan(0);
      expect(outcome.report.costUsd).toBeGreaterThan(0);
      expect(valueAt(metrics, 'steadfast_cost_usd_total', { route, ...openai })).toBeCloseTo(
        outcome.report.costUsd,
        12,
      );
      expect(metrics.sum('cost_usd', fiveMinutesMs, { route })).toBeCloseTo(outcome.report.costUsd, 12);
      // One answered request: it cost what all its attempts cost.
      expect(valueAt(metrics, 'steadfast_cost_per_successful_request_usd', { route })).toBeCloseTo(
        outcome.report.costUsd,
        12,
      );
    });
  });
});
