import { classify } from '../errors/classify.ts';
import type { ErrorKind } from '../errors/kinds.ts';
import type { RateLimitInfo } from '../errors/rate-limit.ts';
import type { SteadfastError } from '../errors/steadfast-error.ts';
import type { ChatRequest } from '../neutral/request.ts';
import type { FinishReason, Usage } from '../neutral/response.ts';
import type { BreakerPermit } from '../policies/breaker.ts';
import { timeoutDefaults } from '../policies/defaults.ts';
import type { CallOptions, ProviderAdapter } from '../providers/adapter.ts';
import { pickNext, remainingAfter, skip } from './candidates.ts';
import { costOf } from './cost.ts';
import { delay } from './delay.ts';
import { exhausted } from './exhausted.ts';
import { candidateKey, type ResolvedRoute, type RunContext } from './run-context.ts';
import type { AttemptRecord, Candidate } from './types.ts';

/** What one successful attempt hands back to the chain. */
export interface AttemptOutcome<T> {
  value: T;
  usage: Usage | undefined;
  rateLimit: RateLimitInfo | undefined;
  /** The model that answered and why it stopped, when the attempt produced a whole answer. */
  answer?: { model: string; finishReason: FinishReason } | undefined;
  /**
   * For a stream: settles when the stream ends, with its error if it failed later. The breaker hears of
   * the attempt only then, so a provider that cuts streams mid-answer is counted as failing.
   */
  done?: Promise<SteadfastError | undefined>;
}

/** Makes one attempt on one candidate. Throws (anything) on failure; the chain classifies it. */
export type AttemptFn<T> = (
  candidate: Candidate,
  adapter: ProviderAdapter,
  options: CallOptions,
  request: ChatRequest,
) => Promise<AttemptOutcome<T>>;

/** Kinds after which another provider is preferred: the provider itself is failing, not the model. */
const providerLevel: ReadonlySet<ErrorKind> = new Set([
  'server',
  'bad_gateway',
  'unavailable',
  'overloaded',
  'connection',
  'timeout',
  'auth',
  'quota_exhausted',
]);

/** How long a provider whose quota is spent is passed over when it named no time. */
const quotaBlockMs = 60_000;

/** Waiting this long for a rate-limited candidate is worth it when nothing else is left. */
const maxRateLimitWaitMs = 60_000;

/** Tells the breaker how an attempt went; resolves once it has recorded it (never rejects). */
function settle(
  permit: BreakerPermit | undefined,
  error: SteadfastError | undefined,
  durationMs: number,
): Promise<void> {
  if (permit === undefined) return Promise.resolve();
  const settled =
    error === undefined
      ? permit.success(durationMs)
      : error.kind === 'cancelled'
        ? permit.release()
        : permit.failure(error);
  // Breaker bookkeeping must never fail the request.
  return settled.catch(() => undefined);
}

/**
 * Whether the failure just recorded opened the candidate's breaker: then a retry would only wait its
 * backoff to be refused, so the chain leaves the candidate at once. Asked only before a retry.
 */
async function openedBy(
  recorded: Promise<void>,
  breaker: ResolvedRoute['breaker'],
  key: string,
): Promise<boolean> {
  if (breaker === undefined) return false;
  await recorded;
  return (await breaker.state(key).catch(() => 'closed')) === 'open';
}

/**
 * Walks a route's candidates for one request: breaker admission, the attempt under the deadline,
 * classification, retry with backoff within the budget, and fallback. Returns the first success with
 * the candidate that gave it; throws a `ChainError` when every option failed, or a `cancelled`
 * error as soon as the caller aborts.
 */
export async function runChain<T>(
  ctx: RunContext,
  attempt: AttemptFn<T>,
  request: ChatRequest = ctx.request,
  flags: { continuation?: boolean; first?: Candidate; streaming?: boolean } = {},
): Promise<{ value: T; candidate: Candidate; record: AttemptRecord }> {
  const { deps, route } = ctx;
  const { clock, events } = deps;
  const policies = route.policies;
  const tried = new Set<string>();
  const deferred: Candidate[] = [];
  let previous: Candidate | undefined;
  /** Why the chain left `previous`: its failure, or its breaker refusing it. */
  let leftBecause: ErrorKind | 'skipped' = 'skipped';
  let attemptedAny = false;

  const next = async (): Promise<Candidate | undefined> => {
    if (
      flags.first !== undefined &&
      !tried.has(candidateKey(flags.first)) &&
      !ctx.failed.has(candidateKey(flags.first))
    ) {
      return flags.first;
    }
    for (;;) {
      const candidate = pickNext(ctx, tried, request);
      if (candidate === undefined) break;
      if (policies.rateLimitAware !== false && (await deps.rateLimits.blockedForMs(candidate.provider)) > 0) {
        // Spent until its reset: try the others first, and come back only if nothing else answers.
        tried.add(candidateKey(candidate));
        deferred.push(candidate);
        if (events.active) {
          events.emit({
            type: 'candidate-deferred',
            requestId: ctx.requestId,
            provider: candidate.provider,
            model: candidate.model,
            reason: 'rate_limited',
          });
        }
        continue;
      }
      return candidate;
    }
    while (deferred.length > 0) {
      const candidate = deferred.shift() as Candidate;
      if (ctx.failed.has(candidateKey(candidate))) continue;
      const waitMs = await deps.rateLimits.blockedForMs(candidate.provider);
      if (waitMs <= maxRateLimitWaitMs && ctx.deadline.fits(waitMs)) {
        await delay(waitMs, clock, ctx.signal);
        return candidate;
      }
      skip(ctx, candidate, 'rate_limited');
    }
    return undefined;
  };

  for (let candidate = await next(); candidate !== undefined; candidate = await next()) {
    const key = candidateKey(candidate);
    tried.add(key);
    ctx.claimed.add(key);
    const adapter = deps.providers.get(candidate.provider) as ProviderAdapter;
    if (previous !== undefined && events.active) {
      events.emit({
        type: 'fallback',
        requestId: ctx.requestId,
        from: previous,
        to: candidate,
        reason: leftBecause,
      });
    }
    let retries = 0;
    let previousDelayMs: number | undefined;
    let delayBefore: number | undefined;
    for (;;) {
      if (ctx.deadline.expired()) throw exhausted(ctx, 'deadline');
      let permit: BreakerPermit | undefined;
      if (route.breaker !== undefined) {
        const admission = await route.breaker.acquire(key);
        if (!admission.allowed) {
          skip(ctx, candidate, 'breaker_open');
          leftBecause = 'skipped';
          break;
        }
        permit = admission.permit;
      }
      if (retries === 0 && route.budget !== undefined) await route.budget.recordRequest(candidate.provider);
      attemptedAny = true;
      if (events.active) {
        events.emit({
          type: 'attempt-start',
          requestId: ctx.requestId,
          provider: candidate.provider,
          model: candidate.model,
          attempt: ctx.attempts.length + 1,
          lastOption: remainingAfter(ctx, tried, candidate) === 0 && deferred.length === 0,
        });
      }
      const startedAt = clock.now();
      const options: CallOptions = {
        model: candidate.model,
        signal: ctx.signal,
        timeoutMs: ctx.deadline.limit(policies.attemptTimeoutMs ?? timeoutDefaults.attemptTimeoutMs),
        firstTokenTimeoutMs: ctx.deadline.limit(
          policies.firstTokenTimeoutMs ?? timeoutDefaults.firstTokenTimeoutMs,
        ),
        idleTimeoutMs: policies.idleTimeoutMs ?? timeoutDefaults.idleTimeoutMs,
      };
      let error: SteadfastError;
      let recorded: Promise<void>;
      try {
        const outcome = await attempt(candidate, adapter, options, request);
        const durationMs = clock.now() - startedAt;
        const entry = record(
          ctx,
          candidate,
          'ok',
          undefined,
          durationMs,
          delayBefore,
          outcome.usage,
          flags.continuation,
          undefined,
          // A stream's attempt is over only when the stream is; its runner reports the end.
          flags.streaming !== true,
          outcome.answer,
        );
        deps.rateLimits.observe(candidate.provider, outcome.rateLimit, 200).catch(() => undefined);
        if (outcome.done === undefined) settle(permit, undefined, durationMs);
        else
          outcome.done.then(
            (late) => settle(permit, late, clock.now() - startedAt),
            () => settle(permit, undefined, 0),
          );
        return { value: outcome.value, candidate, record: entry };
      } catch (thrown) {
        error = classify(thrown, { provider: candidate.provider, model: candidate.model });
        const durationMs = clock.now() - startedAt;
        record(
          ctx,
          candidate,
          error.kind,
          error.status,
          durationMs,
          delayBefore,
          undefined,
          flags.continuation,
          error,
        );
        recorded = settle(permit, error, durationMs);
        deps.rateLimits.observe(candidate.provider, error.rateLimit, error.status).catch(() => undefined);
      }
      // A spent quota stays spent: later requests go straight to other candidates for a while, instead of
      // each collecting its own 429 first. A wait the provider named (a daily reset) is taken as it is.
      if (error.kind === 'quota_exhausted') {
        deps.rateLimits.block(candidate.provider, error.retryAfterMs ?? quotaBlockMs).catch(() => undefined);
      }
      if (error.kind === 'cancelled' || ctx.signal?.aborted)
        throw error.kind === 'cancelled' ? error : classify(ctx.signal?.reason);
      ctx.errors.push(error);
      if (error.kind === 'content_filter' && policies.contentFilter !== 'fallback')
        throw exhausted(ctx, 'not_fallbackable');
      // A continuation's request is ours, not the caller's (the original was accepted): a 400 to it is
      // this model refusing the prefill, and another candidate may still continue.
      const refusedContinuation = flags.continuation === true && error.kind === 'bad_request';
      if (!error.fallbackable && !error.retryable && !refusedContinuation)
        throw exhausted(ctx, 'not_fallbackable');
      if (error.kind === 'too_large') {
        ctx.tooLargeModels.add(candidate.model);
        const window = deps.catalog.get(candidate.model)?.contextWindow;
        if (window !== undefined) ctx.tooLargeFor = Math.max(ctx.tooLargeFor ?? 0, window);
      }
      const decision = route.retry?.decide({
        error,
        retriesSoFar: retries,
        previousDelayMs,
        remainingMs: ctx.deadline.remainingMs(),
      }) ?? { action: 'move-on' as const, reason: 'not_retryable' as const };
      const breakerOpened = decision.action === 'retry' && (await openedBy(recorded, route.breaker, key));
      // The retry is passed over, as an open candidate is: said so, and without waiting.
      if (breakerOpened) skip(ctx, candidate, 'breaker_open');
      if (
        decision.action === 'retry' &&
        !breakerOpened &&
        (route.budget === undefined || (await route.budget.tryAcquire(candidate.provider)))
      ) {
        if (events.active) {
          events.emit({
            type: 'retry',
            requestId: ctx.requestId,
            provider: candidate.provider,
            model: candidate.model,
            delayMs: decision.delayMs,
            reason: error.kind,
          });
        }
        await delay(decision.delayMs, clock, ctx.signal);
        retries++;
        previousDelayMs = decision.delayMs;
        delayBefore = decision.delayMs;
        continue;
      }
      ctx.failed.add(key);
      leftBecause = error.kind;
      if (providerLevel.has(error.kind)) ctx.failedProviders.add(candidate.provider);
      break;
    }
    ctx.claimed.delete(key);
    previous = candidate;
  }
  if (ctx.deadline.expired()) throw exhausted(ctx, 'deadline');
  throw exhausted(ctx, attemptedAny || ctx.errors.length > 0 ? 'all_failed' : 'no_candidate');
}

function record(
  ctx: RunContext,
  candidate: Candidate,
  outcome: 'ok' | ErrorKind,
  status: number | undefined,
  durationMs: number,
  delayMs: number | undefined,
  usage: Usage | undefined,
  continuation: boolean | undefined,
  error: SteadfastError | undefined,
  announce = true,
  answer?: { model: string; finishReason: FinishReason },
): AttemptRecord {
  const entry: AttemptRecord = {
    provider: candidate.provider,
    model: candidate.model,
    outcome,
    status,
    durationMs,
    delayMs,
    usage,
    costUsd: costOf(ctx.deps.catalog, candidate.model, usage),
    ...(continuation === true ? { continuation: true } : {}),
    ...(answer === undefined ? {} : { responseModel: answer.model, finishReason: answer.finishReason }),
  };
  ctx.attempts.push(entry);
  if (announce) announceAttemptEnd(ctx, entry, error);
  return entry;
}

/** Tells listeners that an attempt ended. */
export function announceAttemptEnd(
  ctx: RunContext,
  entry: AttemptRecord,
  error: SteadfastError | undefined,
): void {
  if (ctx.deps.events.active)
    ctx.deps.events.emit({ type: 'attempt-end', requestId: ctx.requestId, error, ...entry });
}
