import { ChainError, type ExhaustionReason } from '../errors/chain-error.ts';
import type { ErrorKind } from '../errors/kinds.ts';
import { SteadfastError } from '../errors/steadfast-error.ts';
import { neededCapabilities } from './candidates.ts';
import type { RunContext } from './run-context.ts';

/**
 * The error a caller should see when every option failed: a content filter (its reason is what the
 * caller needs), otherwise the first candidate's own failure — never a side effect of failing over.
 * A fallback that rejects the request with a 400 after the primary's 503 is such a side effect: the
 * fallback may lack a parameter the primary takes, and the caller's problem is the outage. A request
 * that is malformed for every model fails on the first candidate, so it is the first failure anyway.
 */
function primaryError(errors: readonly SteadfastError[]): SteadfastError | undefined {
  return errors.find((e) => e.kind === 'content_filter') ?? errors[0];
}

/**
 * The error of a request that never reached a provider. Candidates that may take it later (a breaker
 * open, a rate limit spent) make it a retryable outage; when the request itself fits no candidate, a
 * retry could never succeed, and the error says so.
 */
function nothingTried(ctx: RunContext, reason: ExhaustionReason): SteadfastError {
  const route = ctx.route.name;
  if (reason === 'deadline') {
    return new SteadfastError(
      'timeout',
      `Route "${route}" ran out of time before any attempt could be made`,
      {
        code: reason,
      },
    );
  }
  const { skips } = ctx;
  if (!skips.has('breaker_open') && !skips.has('rate_limited')) {
    if (skips.has('context_window')) {
      return new SteadfastError(
        'too_large',
        `The request does not fit the context window of any candidate of route "${route}"`,
        { code: 'context_window' },
      );
    }
    if (skips.has('capability')) {
      return new SteadfastError(
        'bad_request',
        `No candidate of route "${route}" can take this request (it needs ${neededCapabilities(ctx.request).join(', ')})`,
        { code: 'capability' },
      );
    }
  }
  return new SteadfastError(
    'unavailable',
    `No candidate of route "${route}" could be tried (circuit breakers open, capabilities or context windows lacking, or rate limits spent)`,
    { code: reason },
  );
}

/** Ends the chain: the most meaningful error, with every attempt listed. */
export function exhausted(ctx: RunContext, reason: ExhaustionReason): ChainError {
  const primary = primaryError(ctx.errors) ?? nothingTried(ctx, reason);
  const attempts = ctx.attempts
    .filter((a) => a.outcome !== 'ok')
    .map((a) => ({
      provider: a.provider,
      model: a.model,
      kind: a.outcome as ErrorKind,
      status: a.status,
      durationMs: a.durationMs,
    }));
  return new ChainError(reason, primary, ctx.errors, attempts);
}
