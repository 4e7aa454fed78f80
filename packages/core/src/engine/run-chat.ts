import { jsonCandidates } from '../content/extract-json.ts';
import { validate } from '../content/schema.ts';
import { ChainError } from '../errors/chain-error.ts';
import { classify } from '../errors/classify.ts';
import type { SteadfastError } from '../errors/steadfast-error.ts';
import type { ChatResponse } from '../neutral/response.ts';
import { runChain } from './chain.ts';
import { type CheckMode, checkedChatAttempt } from './checked-attempt.ts';
import { runHedged } from './hedge.ts';
import { lastResort } from './last-resort.ts';
import { emitEnd, reportOf } from './report.ts';
import type { RunContext } from './run-context.ts';
import type { ChatResult } from './types.ts';

/** A finished request: the answer, and its validated JSON value when one was required. */
export interface ChatOutcome {
  result: ChatResult;
  /** Present when the answer had to be JSON (from the live answer, or re-read from a cached one). */
  value?: unknown;
}

/** A cached answer's JSON, validated again: a cache entry is trusted no more than a live answer. */
async function cachedValue(
  response: ChatResponse,
  mode: CheckMode,
): Promise<{ ok: boolean; value?: unknown }> {
  if (mode.schema === undefined) return { ok: true };
  for (const found of jsonCandidates(response.text)) {
    const checked = await validate(mode.schema, found.value);
    if (checked.ok) return { ok: true, value: checked.value };
  }
  return { ok: false };
}

/** One non-streamed request through its route: fresh cache, the chain, then stale cache and degradation. */
export async function runChat(
  ctx: RunContext,
  cacheKey: string | undefined,
  mode: CheckMode = {},
): Promise<ChatOutcome> {
  const { events } = ctx.deps;
  const cache = ctx.route.cache;
  if (cache !== undefined && cacheKey !== undefined) {
    const cached = await cache.get(cacheKey).catch(() => undefined);
    const usable = cached?.fresh === true ? await cachedValue(cached.response, mode) : { ok: false };
    if (cached !== undefined && usable.ok) {
      if (events.active)
        events.emit({ type: 'cache-hit', requestId: ctx.requestId, fresh: true, ageMs: cached.ageMs });
      const result = {
        ...cached.response,
        resilience: reportOf(ctx, { cache: 'fresh', cacheAgeMs: cached.ageMs }),
      };
      end(ctx, 'cached', undefined, result);
      return { result, value: usable.value };
    }
  }
  try {
    const hedge = ctx.route.policies.hedge;
    const attempt = checkedChatAttempt(ctx, mode);
    const { value } = hedge ? await runHedged(ctx, attempt, hedge.delayMs) : await runChain(ctx, attempt);
    if (cache !== undefined && cacheKey !== undefined)
      await cache.set(cacheKey, value.response).catch(() => undefined);
    const result: ChatResult = { ...value.response, resilience: reportOf(ctx, { content: value.content }) };
    end(ctx, 'ok', undefined, result);
    return { result, value: value.value };
  } catch (thrown) {
    const error = classify(thrown);
    if (error instanceof ChainError) {
      const rescued = await lastResort(ctx, error, cacheKey);
      const usable = rescued === undefined ? { ok: false } : await cachedValue(rescued, mode);
      if (rescued !== undefined && usable.ok) {
        end(ctx, rescued.resilience.degraded ? 'degraded' : 'stale', error, rescued);
        return { result: rescued, value: usable.value };
      }
    }
    end(ctx, 'failed', error, undefined);
    throw error;
  }
}

function end(
  ctx: RunContext,
  outcome: 'ok' | 'cached' | 'stale' | 'degraded' | 'failed',
  error: SteadfastError | undefined,
  result: ChatResult | undefined,
): void {
  emitEnd(ctx, outcome, error, result?.resilience ?? reportOf(ctx));
}
