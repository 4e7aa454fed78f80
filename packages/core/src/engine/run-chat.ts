import { ChainError } from '../errors/chain-error.ts';
import { classify } from '../errors/classify.ts';
import type { SteadfastError } from '../errors/steadfast-error.ts';
import type { ChatResponse } from '../neutral/response.ts';
import { type AttemptFn, runChain } from './chain.ts';
import { runHedged } from './hedge.ts';
import { lastResort } from './last-resort.ts';
import { emitEnd, reportOf } from './report.ts';
import type { RunContext } from './run-context.ts';
import type { ChatResult } from './types.ts';

const attemptChat: AttemptFn<ChatResponse> = async (_candidate, adapter, options, request) => {
  const response = await adapter.chat(request, options);
  return { value: response, usage: response.usage, rateLimit: response.rateLimit };
};

/** One non-streamed request through its route: fresh cache, the chain, then stale cache and degradation. */
export async function runChat(ctx: RunContext, cacheKey: string | undefined): Promise<ChatResult> {
  const { events } = ctx.deps;
  const cache = ctx.route.cache;
  if (cache !== undefined && cacheKey !== undefined) {
    const cached = await cache.get(cacheKey).catch(() => undefined);
    if (cached?.fresh === true) {
      if (events.active)
        events.emit({ type: 'cache-hit', requestId: ctx.requestId, fresh: true, ageMs: cached.ageMs });
      const result = {
        ...cached.response,
        resilience: reportOf(ctx, { cache: 'fresh', cacheAgeMs: cached.ageMs }),
      };
      end(ctx, 'cached', undefined, result);
      return result;
    }
  }
  try {
    const hedge = ctx.route.policies.hedge;
    const { value } = hedge
      ? await runHedged(ctx, attemptChat, hedge.delayMs)
      : await runChain(ctx, attemptChat);
    if (cache !== undefined && cacheKey !== undefined)
      await cache.set(cacheKey, value).catch(() => undefined);
    const result: ChatResult = { ...value, resilience: reportOf(ctx) };
    end(ctx, 'ok', undefined, result);
    return result;
  } catch (thrown) {
    const error = classify(thrown);
    if (error instanceof ChainError) {
      const rescued = await lastResort(ctx, error, cacheKey);
      if (rescued !== undefined) {
        end(ctx, rescued.resilience.degraded ? 'degraded' : 'stale', error, rescued);
        return rescued;
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
