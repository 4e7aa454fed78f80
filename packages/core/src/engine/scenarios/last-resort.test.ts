import { describe, expect, it } from 'vitest';
import { ChainError } from '../../errors/chain-error.ts';
import type { SteadfastError } from '../../errors/steadfast-error.ts';
import { ask, modes } from './test-support/ask.ts';
import { modelsOf } from './test-support/upstream.ts';
import { candidates, fallback, primary, reply, startWorld } from './test-support/world.ts';

/** Both candidates answer during the first second, then fail for good (each a different way). */
const outageFromMs = 1_000;
const outage = { fromMs: outageFromMs, toMs: 100_000_000 };
const scenario = {
  models: {
    [primary]: { faults: [{ fault: 'server_error' as const, window: outage }] },
    [fallback]: { faults: [{ fault: 'unavailable' as const, window: outage }] },
  },
};
const degradedText = 'The assistant is unavailable right now; please try again in a few minutes.';
const fiveMinutesMs = 300_000;

describe.each(modes)('every candidate down, through %s()', (mode) => {
  it('serves the last good answer for the same tenant, marked stale with its age', async () => {
    const world = await startWorld({
      scenario,
      route: {
        candidates: [candidates.primary, candidates.fallback],
        retry: { maxRetries: 1, baseDelayMs: 1 },
        cache: { maxStaleMs: 3_600_000 },
        degrade: () => degradedText,
      },
    });
    const fresh = await ask(world, mode, undefined, { tenant: 'acme' });
    const answeredAt = world.clock.now();
    world.clock.advance(fiveMinutesMs);

    const stale = await ask(world, mode, undefined, { tenant: 'acme' });

    expect(fresh.report.cache).toBeUndefined();
    expect(stale.error).toBeUndefined();
    expect(stale.text).toBe(reply);
    expect(stale.report).toMatchObject({ cache: 'stale', degraded: false, fallbackUsed: false });
    // Its age is the time since it was stored: five minutes, plus the retries' waits.
    expect(stale.report.cacheAgeMs).toBe(world.clock.now() - answeredAt);
    expect(stale.report.cacheAgeMs).toBeGreaterThanOrEqual(fiveMinutesMs);
    // Only after every candidate failed.
    expect(modelsOf(stale.upstream)).toEqual([primary, primary, fallback, fallback]);
    expect(stale.report.attempts.map((attempt) => attempt.outcome)).toEqual([
      'server',
      'server',
      'unavailable',
      'unavailable',
    ]);
  });

  it("answers with the route's degradation, marked degraded, when the cache holds nothing for this tenant", async () => {
    const heardOf: SteadfastError[] = [];
    const world = await startWorld({
      scenario,
      route: {
        candidates: [candidates.primary, candidates.fallback],
        retry: { maxRetries: 1, baseDelayMs: 1 },
        cache: { maxStaleMs: 3_600_000 },
        degrade: (_request, error) => {
          heardOf.push(error);
          return degradedText;
        },
      },
    });
    await ask(world, mode, undefined, { tenant: 'acme' });
    world.clock.advance(fiveMinutesMs);

    const degraded = await ask(world, mode, undefined, { tenant: 'globex' });

    expect(degraded.error).toBeUndefined();
    expect(degraded.text).toBe(degradedText);
    expect(degraded.report).toMatchObject({ degraded: true, cache: undefined, cacheAgeMs: undefined });
    expect(modelsOf(degraded.upstream)).toEqual([primary, primary, fallback, fallback]);
    expect(heardOf).toHaveLength(1);
    expect(heardOf[0]).toBeInstanceOf(ChainError);
    expect(heardOf[0]).toMatchObject({ reason: 'all_failed' });
  });

  it('fails with a ChainError listing every attempt when the route has no degradation', async () => {
    const world = await startWorld({
      scenario,
      route: {
        candidates: [candidates.primary, candidates.fallback],
        retry: { maxRetries: 1, baseDelayMs: 1 },
      },
    });
    world.clock.advance(outageFromMs);

    const failed = await ask(world, mode);

    expect(failed.text).toBe('');
    expect(failed.error).toBeInstanceOf(ChainError);
    const error = failed.error as ChainError;
    // The first candidate's failure is the one the caller reads.
    expect(error).toMatchObject({ reason: 'all_failed', kind: 'server', provider: 'openai', model: primary });
    expect(error.attempts.map((attempt) => `${attempt.provider}/${attempt.model} ${attempt.status}`)).toEqual(
      [
        `${candidates.primary} 500`,
        `${candidates.primary} 500`,
        `${candidates.fallback} 503`,
        `${candidates.fallback} 503`,
      ],
    );
    expect(failed.upstream.map((attempt) => `${attempt.model} ${attempt.status}`)).toEqual([
      `${primary} 500`,
      `${primary} 500`,
      `${fallback} 503`,
      `${fallback} 503`,
    ]);
    expect(failed.report).toMatchObject({ degraded: false, cache: undefined });
  });
});
