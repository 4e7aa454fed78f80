import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/types.ts';
import { Emitter } from './event.ts';
import { createMetrics, type MetricsOptions } from './metrics.ts';
import { listening } from './test-support/listening.ts';
import { familyOf, labelSetsOf, nonZeroOf, valueAt } from './test-support/metric-values.ts';
import {
  attempt,
  attemptEnd,
  attemptStart,
  contentReport,
  fallback,
  requestEnd,
  requestStart,
  retry,
} from './test-support/scripted-events.ts';

describe('createMetrics: engine events to metrics', () => {
  it('counts ended requests by route and outcome, and failed ones again by the kind of their error', () => {
    const { metrics, play } = listening();
    play(
      requestStart('r1', 'chat'),
      requestEnd('r1', 'chat', { outcome: 'ok' }),
      requestStart('r2', 'chat'),
      requestEnd('r2', 'chat', { outcome: 'failed', kind: 'timeout' }),
      requestStart('r3', 'chat'),
      requestEnd('r3', 'chat', { outcome: 'failed', kind: 'timeout' }),
      requestStart('r4', 'summary'),
      requestEnd('r4', 'summary', { outcome: 'stale', kind: 'unavailable' }),
    );

    expect(nonZeroOf(metrics, 'steadfast_requests_total')).toEqual([
      { labels: { route: 'chat', outcome: 'ok' }, value: 1 },
      { labels: { route: 'chat', outcome: 'failed' }, value: 2 },
      { labels: { route: 'summary', outcome: 'stale' }, value: 1 },
    ]);
    // A stale answer is an answer: its chain's error is not the caller's.
    expect(nonZeroOf(metrics, 'steadfast_request_errors_total')).toEqual([
      { labels: { route: 'chat', kind: 'timeout' }, value: 2 },
    ]);
  });

  it("counts attempts under the route of their request's start, by provider, model and outcome", () => {
    const { metrics, play } = listening();
    play(
      requestStart('r1', 'chat'),
      requestStart('r2', 'summary'),
      // Interleaved, as concurrent requests are: only the request id says which route an attempt serves.
      attemptEnd('r1', attempt('openai', 'gpt-4o', { outcome: 'unavailable' })),
      attemptEnd('r2', attempt('openai', 'gpt-4o')),
      attemptEnd('r1', attempt('openai', 'gpt-4o')),
      attemptEnd('r1', attempt('anthropic', 'claude', { outcome: 'timeout' })),
    );

    expect(nonZeroOf(metrics, 'steadfast_attempts_total')).toEqual([
      { labels: { route: 'chat', provider: 'openai', model: 'gpt-4o', outcome: 'unavailable' }, value: 1 },
      { labels: { route: 'summary', provider: 'openai', model: 'gpt-4o', outcome: 'ok' }, value: 1 },
      { labels: { route: 'chat', provider: 'openai', model: 'gpt-4o', outcome: 'ok' }, value: 1 },
      { labels: { route: 'chat', provider: 'anthropic', model: 'claude', outcome: 'timeout' }, value: 1 },
    ]);
  });

  it('counts retries by the candidate retried and the kind of the failure', () => {
    const { metrics, play } = listening();
    play(
      requestStart('r1', 'chat'),
      retry('r1', 'openai', 'gpt-4o', 'rate_limited'),
      retry('r1', 'openai', 'gpt-4o', 'rate_limited'),
      retry('r1', 'anthropic', 'claude', 'overloaded'),
    );

    expect(nonZeroOf(metrics, 'steadfast_retries_total')).toEqual([
      { labels: { route: 'chat', provider: 'openai', model: 'gpt-4o', reason: 'rate_limited' }, value: 2 },
      { labels: { route: 'chat', provider: 'anthropic', model: 'claude', reason: 'overloaded' }, value: 1 },
    ]);
  });

  it('counts fallback activations by the reason the previous candidate was left', () => {
    const { metrics, play } = listening();
    play(
      requestStart('r1', 'chat'),
      fallback('r1', 'openai/gpt-4o', 'anthropic/claude', 'unavailable'),
      fallback('r1', 'anthropic/claude', 'gemini/flash', 'skipped'),
      requestStart('r2', 'chat'),
      fallback('r2', 'openai/gpt-4o', 'anthropic/claude', 'unavailable'),
    );

    expect(nonZeroOf(metrics, 'steadfast_fallbacks_total')).toEqual([
      { labels: { route: 'chat', reason: 'unavailable' }, value: 2 },
      { labels: { route: 'chat', reason: 'skipped' }, value: 1 },
    ]);
  });

  it('counts a request reaching its last option once, however often that option is retried', () => {
    const { metrics, play } = listening();
    play(
      requestStart('r1', 'chat'),
      attemptStart('r1', 'openai', 'gpt-4o', { lastOption: false }),
      attemptStart('r1', 'anthropic', 'claude', { lastOption: true, attempt: 2 }),
      attemptStart('r1', 'anthropic', 'claude', { lastOption: true, attempt: 3 }),
      requestStart('r2', 'chat'),
      attemptStart('r2', 'openai', 'gpt-4o', { lastOption: false }),
    );

    expect(valueAt(metrics, 'steadfast_last_option_total', { route: 'chat' })).toBe(1);
  });

  it('follows each breaker: transitions counted by new state, the state as 0 closed, 1 half-open, 2 open', () => {
    const { metrics, play } = listening();
    const key = 'openai/gpt-4o';
    const state = () => valueAt(metrics, 'steadfast_breaker_state', { provider: 'openai', model: 'gpt-4o' });

    play({ type: 'breaker', key, from: 'closed', to: 'open', reason: 'consecutive_failures', openUntil: 1 });
    expect(state()).toBe(2);
    play({ type: 'breaker', key, from: 'open', to: 'half-open', reason: 'open_elapsed' });
    expect(state()).toBe(1);
    play({ type: 'breaker', key, from: 'half-open', to: 'open', reason: 'probe_failed', openUntil: 2 });
    expect(state()).toBe(2);
    play({ type: 'breaker', key, from: 'open', to: 'half-open', reason: 'open_elapsed' });
    play({ type: 'breaker', key, from: 'half-open', to: 'closed', reason: 'probe_succeeded' });
    expect(state()).toBe(0);

    expect(nonZeroOf(metrics, 'steadfast_breaker_transitions_total')).toEqual([
      { labels: { provider: 'openai', model: 'gpt-4o', to: 'open' }, value: 2 },
      { labels: { provider: 'openai', model: 'gpt-4o', to: 'half-open' }, value: 2 },
      { labels: { provider: 'openai', model: 'gpt-4o', to: 'closed' }, value: 1 },
    ]);
  });

  it('splits a breaker key at its first slash: model names may hold slashes of their own', () => {
    const { metrics, play } = listening();
    play({
      type: 'breaker',
      key: 'openrouter/meta-llama/llama-3-70b',
      from: 'closed',
      to: 'open',
      reason: 'failure_rate',
      openUntil: 1,
    });

    expect(labelSetsOf(metrics, 'steadfast_breaker_state')).toEqual([
      { provider: 'openrouter', model: 'meta-llama/llama-3-70b' },
    ]);
  });

  it('counts cache hits by freshness, and degradations, per route', () => {
    const { metrics, play } = listening();
    play(
      requestStart('r1', 'chat'),
      { type: 'cache-hit', requestId: 'r1', fresh: true, ageMs: 1_000 },
      requestStart('r2', 'chat'),
      { type: 'cache-hit', requestId: 'r2', fresh: false, ageMs: 600_000 },
      requestStart('r3', 'chat'),
      { type: 'cache-hit', requestId: 'r3', fresh: true, ageMs: 2_000 },
      requestStart('r4', 'chat'),
      { type: 'degraded', requestId: 'r4', reason: 'unavailable' },
    );

    expect(valueAt(metrics, 'steadfast_cache_hits_total', { route: 'chat', freshness: 'fresh' })).toBe(2);
    expect(valueAt(metrics, 'steadfast_cache_hits_total', { route: 'chat', freshness: 'stale' })).toBe(1);
    expect(valueAt(metrics, 'steadfast_degraded_total', { route: 'chat' })).toBe(1);
  });

  describe('content errors', () => {
    it('counts attempts whose answer failed a content check, and no other failure', () => {
      const { metrics, play } = listening();
      play(
        requestStart('r1', 'chat'),
        attemptEnd('r1', attempt('openai', 'gpt-4o', { outcome: 'empty' })),
        attemptEnd('r1', attempt('openai', 'gpt-4o', { outcome: 'schema_mismatch' })),
        attemptEnd('r1', attempt('openai', 'gpt-4o', { outcome: 'server' })),
        attemptEnd('r1', attempt('anthropic', 'claude', { outcome: 'content_filter' })),
      );

      expect(nonZeroOf(metrics, 'steadfast_content_errors_total')).toEqual([
        { labels: { route: 'chat', provider: 'openai', model: 'gpt-4o', kind: 'empty' }, value: 1 },
        { labels: { route: 'chat', provider: 'openai', model: 'gpt-4o', kind: 'schema_mismatch' }, value: 1 },
        {
          labels: { route: 'chat', provider: 'anthropic', model: 'claude', kind: 'content_filter' },
          value: 1,
        },
      ]);
    });

    it('counts an answer returned refused or truncated against the candidate that answered', () => {
      const { metrics, play } = listening();
      const attempts = [attempt('openai', 'gpt-4o', { outcome: 'server' }), attempt('anthropic', 'claude')];
      play(
        requestStart('r1', 'chat'),
        requestEnd('r1', 'chat', { outcome: 'ok', attempts, content: contentReport({ refused: true }) }),
        requestStart('r2', 'chat'),
        requestEnd('r2', 'chat', { outcome: 'ok', attempts, content: contentReport({ truncated: true }) }),
        requestStart('r3', 'chat'),
        requestEnd('r3', 'chat', { outcome: 'ok', attempts, content: contentReport() }),
      );

      expect(nonZeroOf(metrics, 'steadfast_content_errors_total')).toEqual([
        { labels: { route: 'chat', provider: 'anthropic', model: 'claude', kind: 'refusal' }, value: 1 },
        { labels: { route: 'chat', provider: 'anthropic', model: 'claude', kind: 'truncated' }, value: 1 },
      ]);
    });
  });

  it('counts skipped candidates, stream recoveries and malformed chunks', () => {
    const { metrics, play } = listening();
    play(
      requestStart('r1', 'chat', true),
      {
        type: 'candidate-skipped',
        requestId: 'r1',
        provider: 'openai',
        model: 'gpt-4o',
        reason: 'breaker_open',
      },
      {
        type: 'malformed-chunk',
        requestId: 'r1',
        provider: 'anthropic',
        model: 'claude',
        beforeFirstToken: false,
      },
      {
        type: 'stream-recovery',
        requestId: 'r1',
        action: 'continue',
        provider: 'anthropic',
        model: 'claude',
        sentChars: 120,
      },
    );

    expect(nonZeroOf(metrics, 'steadfast_candidate_skips_total')).toEqual([
      { labels: { route: 'chat', provider: 'openai', model: 'gpt-4o', reason: 'breaker_open' }, value: 1 },
    ]);
    expect(nonZeroOf(metrics, 'steadfast_malformed_chunks_total')).toEqual([
      { labels: { route: 'chat', provider: 'anthropic', model: 'claude' }, value: 1 },
    ]);
    expect(nonZeroOf(metrics, 'steadfast_stream_recoveries_total')).toEqual([
      { labels: { route: 'chat', provider: 'anthropic', model: 'claude', action: 'continue' }, value: 1 },
    ]);
  });

  it('puts attempt-level events of an unknown request (client.wrap() calls) under the route ""', () => {
    const { metrics, play } = listening();
    play(
      attemptStart('wrap_1', 'openai', 'gpt-4o', { lastOption: true }),
      retry('wrap_1', 'openai', 'gpt-4o', 'server'),
    );

    expect(nonZeroOf(metrics, 'steadfast_retries_total')).toEqual([
      { labels: { route: '', provider: 'openai', model: 'gpt-4o', reason: 'server' }, value: 1 },
    ]);
    // A wrapped call has one option, always its last: nothing worth counting.
    expect(nonZeroOf(metrics, 'steadfast_last_option_total')).toEqual([]);
  });

  it('forgets a request\'s route at its end: a late event of it counts under the route ""', () => {
    const { metrics, play } = listening();
    play(
      requestStart('r1', 'chat'),
      requestEnd('r1', 'chat', { outcome: 'ok' }),
      retry('r1', 'openai', 'gpt-4o', 'server'),
    );

    expect(labelSetsOf(metrics, 'steadfast_retries_total')).toEqual([
      { route: '', provider: 'openai', model: 'gpt-4o', reason: 'server' },
    ]);
  });

  it('keeps at most maxOpenRequests requests open: the oldest unended one is forgotten first', () => {
    const { metrics, play } = listening({ maxOpenRequests: 2 });
    play(
      requestStart('r1', 'first'),
      requestStart('r2', 'second'),
      requestStart('r3', 'third'),
      attemptEnd('r1', attempt('openai', 'gpt-4o')),
      attemptEnd('r2', attempt('openai', 'gpt-4o')),
      attemptEnd('r3', attempt('openai', 'gpt-4o')),
    );

    expect(labelSetsOf(metrics, 'steadfast_attempts_total').map((labels) => labels.route)).toEqual([
      '',
      'second',
      'third',
    ]);
  });

  it('collects every family, Prometheus-named with units, as a snapshot that later events leave alone', () => {
    const { metrics, play } = listening();
    play(requestStart('r1', 'chat'), requestEnd('r1', 'chat', { outcome: 'ok' }));

    const snapshot = metrics.collect();
    play(requestStart('r2', 'chat'), requestEnd('r2', 'chat', { outcome: 'ok' }));

    expect(snapshot.map((family) => [family.name, family.type])).toEqual([
      ['steadfast_requests_total', 'counter'],
      ['steadfast_request_errors_total', 'counter'],
      ['steadfast_attempts_total', 'counter'],
      ['steadfast_retries_total', 'counter'],
      ['steadfast_fallbacks_total', 'counter'],
      ['steadfast_last_option_total', 'counter'],
      ['steadfast_candidate_skips_total', 'counter'],
      ['steadfast_breaker_transitions_total', 'counter'],
      ['steadfast_breaker_state', 'gauge'],
      ['steadfast_cache_hits_total', 'counter'],
      ['steadfast_degraded_total', 'counter'],
      ['steadfast_content_errors_total', 'counter'],
      ['steadfast_stream_recoveries_total', 'counter'],
      ['steadfast_malformed_chunks_total', 'counter'],
      ['steadfast_request_duration_seconds', 'histogram'],
      ['steadfast_attempt_duration_seconds', 'histogram'],
      ['steadfast_time_to_first_token_seconds', 'histogram'],
      ['steadfast_tokens_total', 'counter'],
      ['steadfast_cost_usd_total', 'counter'],
      ['steadfast_cost_per_successful_request_usd', 'gauge'],
    ]);
    expect(snapshot.find((family) => family.name === 'steadfast_requests_total')?.series).toEqual([
      { labels: { route: 'chat', outcome: 'ok' }, value: 1 },
    ]);
    expect(valueAt(metrics, 'steadfast_requests_total', { route: 'chat', outcome: 'ok' })).toBe(2);
  });

  it('uses LLM-sized latency buckets by default: 50 ms to 120 s', () => {
    const { metrics } = listening();

    expect(familyOf(metrics, 'steadfast_attempt_duration_seconds')).toMatchObject({
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120],
    });
  });

  it('stops counting once disposed, and keeps what it counted', () => {
    const { metrics, play } = listening();
    play(requestStart('r1', 'chat'), requestEnd('r1', 'chat', { outcome: 'ok' }));

    metrics.dispose();
    play(requestStart('r2', 'chat'), requestEnd('r2', 'chat', { outcome: 'ok' }));

    expect(valueAt(metrics, 'steadfast_requests_total', { route: 'chat', outcome: 'ok' })).toBe(1);
  });

  it.each([
    [{ bucketMs: 0 }, /bucketMs must be a positive number/],
    [{ maxWindowMs: 5_000, bucketMs: 10_000 }, /maxWindowMs \(5000\) must be at least bucketMs/],
    [{ exactWindowMs: -1 }, /exactWindowMs must be 0 or more/],
    [{ durationBuckets: [1, 0.5] }, /durationBuckets must be positive, finite and strictly ascending/],
    [{ durationBuckets: [] }, /durationBuckets/],
    [{ maxSamplesPerBucket: 1.5 }, /maxSamplesPerBucket must be a positive integer/],
    [{ maxOpenRequests: 0 }, /maxOpenRequests must be a positive integer/],
  ] satisfies Array<[MetricsOptions, RegExp]>)('refuses the option %o', (options, message) => {
    expect(() => createMetrics(new Emitter<EngineEvent>(), options)).toThrow(message);
  });
});
