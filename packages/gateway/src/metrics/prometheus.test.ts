import {
  type ChatResponse,
  createClient,
  createMetrics,
  type MetricFamily,
  type Metrics,
  type ProviderAdapter,
} from '@steadfast/core';
import { describe, expect, it } from 'vitest';
import { ask } from '../../../core/src/engine/scenarios/test-support/ask.ts';
import {
  candidates,
  eventsOf,
  fallback,
  primary,
  route,
  startWorld,
  type World,
  type WorldOptions,
} from '../../../core/src/engine/scenarios/test-support/world.ts';
import { type ExposedHistogram, type Scrape, scrape } from '../test-support/exposition.ts';
import { prometheusContentType, prometheusText } from './prometheus.ts';

/**
 * `GET /metrics` as a scraper reads it: the core's metrics after real requests (the real OpenAI and
 * Anthropic adapters talking to the simulator, on a fake clock both share), through `prometheusText`,
 * parsed back by a Prometheus text-format parser.
 */

const openai = { provider: 'openai', model: primary };
const anthropic = { provider: 'anthropic', model: fallback };

async function observed(options: WorldOptions): Promise<{ world: World; metrics: Metrics }> {
  const world = await startWorld(options);
  return { world, metrics: createMetrics(world.client, { clock: world.clock }) };
}

/** The exposition of `metrics` now, parsed; and a check that it says exactly what `collect()` holds. */
async function scraped(metrics: Metrics): Promise<Scrape> {
  const exposition = scrape(await prometheusText(metrics));
  expectSameAs(exposition, metrics.collect());
  return exposition;
}

/**
 * Every family the core collected is in the exposition with its HELP and TYPE, every series with its
 * labels and value; a histogram's series as cumulative `_bucket` lines ending in `+Inf`, `_sum` and
 * `_count`.
 */
function expectSameAs(exposition: Scrape, families: MetricFamily[]): void {
  expect([...exposition.families.keys()]).toEqual(families.map((family) => family.name));
  for (const family of families) {
    expect(exposition.families.get(family.name)).toEqual({
      help: family.help,
      type: family.type.toUpperCase(),
    });
    if (family.type === 'histogram') {
      for (const series of family.series) {
        expect(exposition.histogram(family.name, series.labels)).toEqual({
          buckets: [
            ...family.buckets.map((bound, i): [string, number] => [String(bound), series.counts[i] ?? -1]),
            ['+Inf', series.count],
          ],
          sum: series.sum,
          count: series.count,
        });
      }
    } else {
      expect(exposition.labelSets(family.name)).toEqual(family.series.map((series) => series.labels));
      for (const series of family.series) {
        expect(exposition.value(family.name, series.labels)).toBe(series.value);
      }
    }
  }
}

/** Bucket counts never fall as `le` grows, and the `+Inf` bucket is the count. */
function expectCumulative(histogram: ExposedHistogram | undefined): void {
  const counts = histogram?.buckets.map(([, count]) => count) ?? [];
  expect(counts.length).toBeGreaterThan(1);
  for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1] ?? 0);
  expect(histogram?.buckets.at(-1)).toEqual(['+Inf', histogram?.count]);
}

/** Bucket by bucket, 1 where `le` ≥ the one observation, else 0: a histogram of one observation. */
function oneObservation(seconds: number, histogram: ExposedHistogram | undefined): Array<[string, number]> {
  return (histogram?.buckets ?? []).map(([le]) => [le, le === '+Inf' || seconds <= Number(le) ? 1 : 0]);
}

describe('prometheusText', () => {
  it('exposes every family the core collects, with its HELP and TYPE, and no sample before any request', async () => {
    const { metrics } = await observed({ scenario: {}, route: { candidates: [candidates.primary] } });

    const exposition = await scraped(metrics);

    expect(exposition.families.get('steadfast_requests_total')).toEqual({
      help: 'Requests ended, by outcome: ok, cached (a fresh cache hit), stale, degraded or failed.',
      type: 'COUNTER',
    });
    expect(exposition.families.get('steadfast_breaker_state')?.type).toBe('GAUGE');
    expect(exposition.families.get('steadfast_request_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(exposition.families.size).toBe(20);
    expect(exposition.samples).toEqual([]);
  });

  it('a success: one ok request and attempt, tokens by direction, and its duration in every bucket', async () => {
    const { world, metrics } = await observed({
      scenario: {},
      route: { candidates: [candidates.primary, candidates.fallback] },
    });

    const outcome = await ask(world, 'chat');
    const exposition = await scraped(metrics);

    expect(outcome.error).toBeUndefined();
    expect(exposition.labelSets('steadfast_requests_total')).toEqual([{ route, outcome: 'ok' }]);
    expect(exposition.value('steadfast_requests_total', { route, outcome: 'ok' })).toBe(1);
    expect(exposition.value('steadfast_attempts_total', { route, ...openai, outcome: 'ok' })).toBe(1);
    const usage = outcome.report.attempts[0]?.usage;
    expect(exposition.value('steadfast_tokens_total', { ...openai, direction: 'output' })).toBe(24);
    expect(exposition.value('steadfast_tokens_total', { ...openai, direction: 'input' })).toBe(
      usage?.inputTokens,
    );
    // The clock stood still: a request of 0 s is in every bucket.
    const duration = exposition.histogram('steadfast_request_duration_seconds', { route });
    expectCumulative(duration);
    expect(duration?.buckets.every(([, count]) => count === 1)).toBe(true);
    expect(duration).toMatchObject({ sum: 0, count: 1 });
  });

  it("a retry: counted by reason, and the request's duration (the retry's wait) in the buckets at and above it", async () => {
    const { world, metrics } = await observed({
      // The wait the provider asks for, so that the request lasts 2 s whatever the jitter.
      scenario: {
        models: { [primary]: { sequence: [{ kind: 'unavailable', retryAfterSeconds: 2 }, 'ok'] } },
      },
      route: { candidates: [candidates.primary, candidates.fallback], retry: { maxRetries: 2 } },
    });

    const outcome = await ask(world, 'chat');
    const exposition = await scraped(metrics);

    expect(exposition.value('steadfast_retries_total', { route, ...openai, reason: 'unavailable' })).toBe(1);
    expect(exposition.value('steadfast_attempts_total', { route, ...openai, outcome: 'unavailable' })).toBe(
      1,
    );
    expect(exposition.value('steadfast_attempts_total', { route, ...openai, outcome: 'ok' })).toBe(1);
    const [announced] = eventsOf(world, 'retry');
    const seconds = outcome.report.durationMs / 1000;
    expect(announced?.delayMs).toBe(2_000);
    expect(seconds).toBeCloseTo(2, 5);
    const duration = exposition.histogram('steadfast_request_duration_seconds', { route });
    expectCumulative(duration);
    expect(duration?.buckets).toEqual(oneObservation(seconds, duration));
    expect(duration?.buckets.slice(4, 6)).toEqual([
      ['1', 0],
      ['2.5', 1],
    ]);
    expect(duration?.sum).toBeCloseTo(seconds, 9);
    expect(duration?.count).toBe(1);
  });

  it('a fallback: counted by the kind left, the last option reached, and each attempt by outcome', async () => {
    const { world, metrics } = await observed({
      scenario: { models: { [primary]: { faults: [{ fault: 'server_error' }] }, [fallback]: {} } },
      route: { candidates: [candidates.primary, candidates.fallback], retry: false },
    });

    const outcome = await ask(world, 'chat');
    const exposition = await scraped(metrics);

    expect(outcome.error).toBeUndefined();
    expect(exposition.labelSets('steadfast_fallbacks_total')).toEqual([{ route, reason: 'server' }]);
    expect(exposition.value('steadfast_fallbacks_total', { route, reason: 'server' })).toBe(1);
    expect(exposition.value('steadfast_last_option_total', { route })).toBe(1);
    expect(exposition.value('steadfast_attempts_total', { route, ...openai, outcome: 'server' })).toBe(1);
    expect(exposition.value('steadfast_attempts_total', { route, ...anthropic, outcome: 'ok' })).toBe(1);
    expect(exposition.histogram('steadfast_attempt_duration_seconds', openai)?.count).toBe(1);
    expect(exposition.histogram('steadfast_attempt_duration_seconds', anthropic)?.count).toBe(1);
  });

  it('a breaker that opens: its state gauge at 2, the transition, and the candidate skipped while open', async () => {
    const { world, metrics } = await observed({
      scenario: { models: { [primary]: { faults: [{ fault: 'unavailable' }] }, [fallback]: {} } },
      route: {
        candidates: [candidates.primary, candidates.fallback],
        retry: false,
        breaker: { consecutiveFailures: 2 },
      },
    });

    await ask(world, 'chat');
    await ask(world, 'chat');
    await ask(world, 'chat');
    const exposition = await scraped(metrics);

    expect(exposition.families.get('steadfast_breaker_state')?.type).toBe('GAUGE');
    expect(exposition.value('steadfast_breaker_state', openai)).toBe(2);
    expect(exposition.labelSets('steadfast_breaker_transitions_total')).toEqual([{ ...openai, to: 'open' }]);
    expect(exposition.value('steadfast_breaker_transitions_total', { ...openai, to: 'open' })).toBe(1);
    expect(
      exposition.value('steadfast_candidate_skips_total', { route, ...openai, reason: 'breaker_open' }),
    ).toBe(1);
    expect(exposition.value('steadfast_fallbacks_total', { route, reason: 'unavailable' })).toBe(2);
    expect(exposition.value('steadfast_fallbacks_total', { route, reason: 'skipped' })).toBe(1);
    expect(exposition.value('steadfast_attempts_total', { route, ...openai, outcome: 'unavailable' })).toBe(
      2,
    );
  });

  it('a stale cache hit and a degraded answer: counted as outcomes, as cache hits and as degradations', async () => {
    const outage = { fromMs: 1_000, toMs: 100_000_000 };
    const { world, metrics } = await observed({
      scenario: {
        models: {
          [primary]: { faults: [{ fault: 'server_error', window: outage }] },
          [fallback]: { faults: [{ fault: 'unavailable', window: outage }] },
        },
      },
      route: {
        candidates: [candidates.primary, candidates.fallback],
        retry: false,
        breaker: false,
        cache: { maxStaleMs: 3_600_000 },
        degrade: () => 'The assistant is resting; please try again in a few minutes.',
      },
    });

    await ask(world, 'chat', undefined, { tenant: 'acme' });
    world.clock.advance(300_000);
    const stale = await ask(world, 'chat', undefined, { tenant: 'acme' });
    const degraded = await ask(world, 'chat', undefined, { tenant: 'globex' });
    const exposition = await scraped(metrics);

    expect(stale.report.cache).toBe('stale');
    expect(degraded.report.degraded).toBe(true);
    expect(exposition.labelSets('steadfast_requests_total')).toEqual([
      { route, outcome: 'ok' },
      { route, outcome: 'stale' },
      { route, outcome: 'degraded' },
    ]);
    expect(exposition.value('steadfast_requests_total', { route, outcome: 'stale' })).toBe(1);
    expect(exposition.value('steadfast_requests_total', { route, outcome: 'degraded' })).toBe(1);
    expect(exposition.value('steadfast_cache_hits_total', { route, freshness: 'stale' })).toBe(1);
    expect(exposition.value('steadfast_degraded_total', { route })).toBe(1);
    expect(exposition.histogram('steadfast_request_duration_seconds', { route })?.count).toBe(3);
  });

  it("a stream: its time to first token, from the request's start, the retry's wait included", async () => {
    const { world, metrics } = await observed({
      scenario: { models: { [primary]: { sequence: ['unavailable', 'ok'] } } },
      route: {
        candidates: [candidates.primary, candidates.fallback],
        retry: { maxRetries: 1, baseDelayMs: 1_000 },
      },
    });

    const outcome = await ask(world, 'stream');
    const exposition = await scraped(metrics);

    expect(outcome.error).toBeUndefined();
    const [firstToken] = eventsOf(world, 'first-token');
    const seconds = (firstToken?.sinceRequestMs ?? -1) / 1000;
    expect(seconds).toBeGreaterThan(0);
    const ttft = exposition.histogram('steadfast_time_to_first_token_seconds', { route, ...openai });
    expectCumulative(ttft);
    expect(ttft?.buckets).toEqual(oneObservation(seconds, ttft));
    expect(ttft?.sum).toBeCloseTo(seconds, 9);
    expect(ttft?.count).toBe(1);
    expect(exposition.value('steadfast_tokens_total', { ...openai, direction: 'output' })).toBe(24);
  });

  it('escapes quotes, backslashes and newlines in label values, so that a scraper reads them back as they were', async () => {
    const weirdRoute = 'support "vip"\nline two';
    const weirdProvider = 'C:\\proxies\\acme';
    const weirdModel = 'ft:gpt-4o:acme "v2"\\rc\n';
    const client = createClient({
      providers: { [weirdProvider]: instantAdapter(weirdProvider) },
      routes: { [weirdRoute]: { candidates: [{ provider: weirdProvider, model: weirdModel }] } },
    });
    const metrics = createMetrics(client);

    await client.chat({ model: weirdRoute, messages: [{ role: 'user', content: 'Hello?' }] });
    const text = await prometheusText(metrics);
    const exposition = scrape(text);

    expectSameAs(exposition, metrics.collect());
    expect(exposition.value('steadfast_requests_total', { route: weirdRoute, outcome: 'ok' })).toBe(1);
    expect(
      exposition.value('steadfast_attempts_total', {
        route: weirdRoute,
        provider: weirdProvider,
        model: weirdModel,
        outcome: 'ok',
      }),
    ).toBe(1);
    expect(text).toContain('steadfast_requests_total{route="support \\"vip\\"\\nline two",outcome="ok"} 1\n');
    expect(text).toContain('provider="C:\\\\proxies\\\\acme",model="ft:gpt-4o:acme \\"v2\\"\\\\rc\\n"');
  });

  it('is served as the text exposition format, version 0.0.4', () => {
    expect(prometheusContentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});

/** An adapter that answers at once, with no network: for label values no simulator model could have. */
function instantAdapter(name: string): ProviderAdapter {
  const response: ChatResponse = {
    id: 'instant-1',
    provider: name,
    model: 'instant',
    requestId: undefined,
    content: [{ type: 'text', text: 'Hello.' }],
    text: 'Hello.',
    toolCalls: [],
    finishReason: 'stop',
    rawFinishReason: 'stop',
    usage: { inputTokens: 3, outputTokens: 2, cachedInputTokens: 0, totalTokens: 5 },
    rateLimit: undefined,
    timings: { startedAt: 0, headersMs: 0, totalMs: 0 },
  };
  return {
    name,
    type: 'openai',
    chat: () => Promise.resolve(response),
    stream: () => {
      throw new Error('this adapter does not stream');
    },
  };
}
