import type { SteadfastError } from '../errors/steadfast-error.ts';
import type { RunContext } from './run-context.ts';
import type { ContentReport, ResilienceReport } from './types.ts';

/** The resilience report of a request so far. */
export function reportOf(
  ctx: RunContext,
  extra: {
    cache?: 'fresh' | 'stale';
    cacheAgeMs?: number;
    degraded?: boolean;
    content?: ContentReport;
  } = {},
): ResilienceReport {
  const first = ctx.route.candidates[0];
  const answered = ctx.attempts.findLast((a) => a.outcome === 'ok');
  let costUsd = 0;
  for (const attempt of ctx.attempts) costUsd += attempt.costUsd;
  return {
    route: ctx.route.name,
    attempts: ctx.attempts.map((attempt) => ({ ...attempt })),
    fallbackUsed:
      answered !== undefined &&
      first !== undefined &&
      (answered.provider !== first.provider || answered.model !== first.model),
    cache: extra.cache,
    cacheAgeMs: extra.cacheAgeMs,
    degraded: extra.degraded ?? false,
    costUsd,
    durationMs: ctx.deps.clock.now() - ctx.startedAt,
    content: extra.content,
  };
}

/** Tells listeners how a request ended. */
export function emitEnd(
  ctx: RunContext,
  outcome: 'ok' | 'cached' | 'stale' | 'degraded' | 'failed',
  error: SteadfastError | undefined,
  report: ResilienceReport,
): void {
  const { events } = ctx.deps;
  if (!events.active) return;
  events.emit({
    type: 'request-end',
    requestId: ctx.requestId,
    route: ctx.route.name,
    outcome,
    error,
    report,
  });
}
