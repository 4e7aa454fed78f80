import type { ChainError } from '../errors/chain-error.ts';
import type { ChatResponse } from '../neutral/response.ts';
import { reportOf } from './report.ts';
import type { RunContext } from './run-context.ts';
import type { ChatResult } from './types.ts';

/**
 * Failures where an old or made-up answer would mislead: the request itself is the problem. The chain
 * also stops when a fallback rejects the request, but when the caller's error is the primary's outage
 * the request is not known to be at fault, and a stale answer beats none.
 */
function isRequestProblem(error: ChainError): boolean {
  return error.reason === 'not_fallbackable' && (error.kind === 'content_filter' || !error.fallbackable);
}

/**
 * After every live candidate failed: a stale cached answer if there is one, otherwise the route's
 * degradation. Undefined when neither applies, and the caller gets the chain's error.
 */
export async function lastResort(
  ctx: RunContext,
  error: ChainError,
  cacheKey: string | undefined,
): Promise<ChatResult | undefined> {
  if (isRequestProblem(error)) return undefined;
  const { events } = ctx.deps;
  if (ctx.route.cache !== undefined && cacheKey !== undefined) {
    const cached = await ctx.route.cache.get(cacheKey).catch(() => undefined);
    if (cached !== undefined) {
      if (events.active)
        events.emit({ type: 'cache-hit', requestId: ctx.requestId, fresh: false, ageMs: cached.ageMs });
      return { ...cached.response, resilience: reportOf(ctx, { cache: 'stale', cacheAgeMs: cached.ageMs }) };
    }
  }
  const degrade = ctx.route.policies.degrade;
  if (degrade === undefined) return undefined;
  let answer: Awaited<ReturnType<typeof degrade>>;
  try {
    answer = await degrade(ctx.request, error);
  } catch {
    // A broken last resort is a side effect of failing over: the caller gets the chain's own error.
    return undefined;
  }
  if (events.active) events.emit({ type: 'degraded', requestId: ctx.requestId, reason: error.kind });
  const response: ChatResponse = typeof answer === 'string' ? degradedResponse(ctx, answer) : { ...answer };
  return { ...response, resilience: reportOf(ctx, { degraded: true }) };
}

function degradedResponse(ctx: RunContext, text: string): ChatResponse {
  return {
    id: `degraded-${ctx.requestId}`,
    provider: 'degraded',
    model: 'degraded',
    requestId: undefined,
    content: [{ type: 'text', text }],
    text,
    toolCalls: [],
    finishReason: 'stop',
    rawFinishReason: undefined,
    usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, totalTokens: 0 },
    rateLimit: undefined,
    timings: { startedAt: ctx.startedAt, headersMs: 0, totalMs: ctx.deps.clock.now() - ctx.startedAt },
  };
}
