import { ChainError } from '../errors/chain-error.ts';
import { classify } from '../errors/classify.ts';
import { SteadfastError } from '../errors/steadfast-error.ts';
import type { ChatRequest } from '../neutral/request.ts';
import type { Usage } from '../neutral/response.ts';
import type { StreamEvent } from '../neutral/stream-event.ts';
import { announceAttemptEnd, runChain } from './chain.ts';
import { continuationRequest, Stitcher } from './continuation.ts';
import { costOf } from './cost.ts';
import { Delivered, usageEstimator } from './delivered.ts';
import { lastResort } from './last-resort.ts';
import { freshHit, replay } from './replay.ts';
import { emitEnd, reportOf } from './report.ts';
import { candidateKey, type RunContext } from './run-context.ts';
import { type CommittedStream, streamAttempt } from './stream-attempt.ts';
import type { AttemptRecord, Candidate, ResilienceReport } from './types.ts';

/** A stream of neutral events whose failures Steadfast handles; `report` tells how it was obtained. */
export interface ResilientStream extends AsyncIterable<StreamEvent> {
  /** Resolves when the stream has ended (or the consumer stopped reading). */
  readonly report: Promise<ResilienceReport>;
}

/**
 * One streamed request through its route. Before the first token reaches the consumer, every failure
 * is retried or failed over invisibly. After it, by the route's `streamRecovery`: `continue` asks the
 * same or the next candidate to go on from the text already sent and stitches the two; `buffer` held
 * everything back until the attempt completed; `fail` ends with a typed error event.
 */
export function runStream(
  ctx: RunContext,
  cacheKeyOf: () => Promise<string | undefined>,
  prepare?: (candidate: Candidate, request: ChatRequest) => ChatRequest,
): ResilientStream {
  let resolveReport: (report: ResilienceReport) => void = () => undefined;
  const report = new Promise<ResilienceReport>((resolve) => {
    resolveReport = resolve;
  });
  const policy = ctx.route.policies.streamRecovery ?? 'continue';
  const maxContinuations = ctx.route.policies.maxContinuations ?? 2;
  const { events, catalog } = ctx.deps;

  async function* generate(): AsyncGenerator<StreamEvent, void, undefined> {
    const cacheKey = await cacheKeyOf();
    const delivered = new Delivered();
    const estimatedUsage = usageEstimator(ctx);
    let continuations = 0;
    let cut: SteadfastError | undefined;
    let cutCandidate: Candidate | undefined;
    const cutsBy = new Map<string, number>();
    let firstTokenAnnounced = false;
    let outcome: 'ok' | 'cached' | 'stale' | 'degraded' | 'failed' = 'failed';
    let cacheAgeMs: number | undefined;
    let finalError: SteadfastError | undefined;
    let current: CommittedStream | undefined;
    let abandon: (() => void) | undefined;
    try {
      // A route that opted in to fresh hits serves them to streams too, replayed as one answer.
      const cache = ctx.route.cache;
      const fresh =
        cache === undefined || cacheKey === undefined ? undefined : await freshHit(cache, cacheKey);
      if (fresh !== undefined) {
        if (events.active) {
          events.emit({ type: 'cache-hit', requestId: ctx.requestId, fresh: true, ageMs: fresh.ageMs });
        }
        outcome = 'cached';
        cacheAgeMs = fresh.ageMs;
        yield* replay(fresh.response);
        return;
      }
      for (;;) {
        let committed: { value: CommittedStream; candidate: Candidate; record: AttemptRecord };
        try {
          if (cut === undefined) {
            committed = await runChain(
              ctx,
              streamAttempt(policy === 'buffer', prepare && ((candidate) => prepare(candidate, ctx.request))),
              ctx.request,
              { streaming: true },
            );
          } else {
            const sent = delivered.text;
            committed = await runChain(
              ctx,
              streamAttempt(
                false,
                (candidate) =>
                  continuationRequest(
                    prepare === undefined ? ctx.request : prepare(candidate, ctx.request),
                    sent,
                    catalog.get(candidate.model)?.capabilities.prefill ?? true,
                  ),
                true,
              ),
              ctx.request,
              cutCandidate === undefined
                ? { continuation: true, streaming: true }
                : { continuation: true, streaming: true, first: cutCandidate },
            );
          }
        } catch (thrown) {
          const error = classify(thrown);
          if (cut !== undefined) {
            // The continuation failed too: the consumer hears of the failure that cut the stream.
            finalError = cut;
            yield { type: 'error', error: cut };
            return;
          }
          if (error instanceof ChainError) {
            const rescued = await lastResort(ctx, error, cacheKey);
            if (rescued !== undefined) {
              outcome = rescued.resilience.degraded ? 'degraded' : 'stale';
              cacheAgeMs = rescued.resilience.cacheAgeMs;
              yield* replay(rescued);
              return;
            }
          }
          finalError = error;
          yield { type: 'error', error };
          return;
        }
        current = committed.value;
        const stitcher = cut === undefined ? undefined : new Stitcher(delivered.text);
        const source = (async function* () {
          yield* committed.value.buffered;
          for (;;) {
            const next = await committed.value.rest.next();
            if (next.done === true) return;
            yield next.value;
          }
        })();
        let failure: SteadfastError | undefined;
        let attemptUsage: Usage | undefined;
        let attemptText = '';
        // The chain recorded the attempt when it committed; the stream's end completes the record.
        const complete = (
          outcome: AttemptRecord['outcome'],
          status: number | undefined,
          error?: SteadfastError,
        ): void => {
          const entry = committed.record;
          entry.outcome = outcome;
          entry.status = status;
          entry.durationMs = ctx.deps.clock.now() - attemptStartedAt;
          entry.usage = attemptUsage ?? entry.usage ?? estimatedUsage(attemptText);
          entry.costUsd = costOf(catalog, committed.candidate.model, entry.usage);
          announceAttemptEnd(ctx, entry, error);
        };
        const attemptStartedAt = ctx.deps.clock.now() - committed.record.durationMs;
        abandon = () =>
          complete(
            'cancelled',
            undefined,
            new SteadfastError('cancelled', 'The consumer stopped reading the stream'),
          );
        const announceFirstToken = (): void => {
          if (firstTokenAnnounced) return;
          firstTokenAnnounced = true;
          if (!events.active) return;
          events.emit({
            type: 'first-token',
            requestId: ctx.requestId,
            provider: committed.candidate.provider,
            model: committed.candidate.model,
            sinceRequestMs: ctx.deps.clock.now() - ctx.startedAt,
            sinceAttemptMs: committed.record.durationMs,
          });
        };
        for await (const event of source) {
          switch (event.type) {
            case 'start':
              if (!delivered.started) {
                delivered.started = true;
                delivered.id = event.id;
                delivered.provider = event.provider;
                delivered.model = event.model;
                delivered.requestId = event.requestId;
                yield event;
              }
              break;
            case 'text-delta': {
              attemptText += event.text;
              const text = stitcher === undefined ? event.text : stitcher.push(event.text);
              if (text !== '') {
                announceFirstToken();
                delivered.text += text;
                yield { type: 'text-delta', text };
              }
              break;
            }
            case 'tool-call-delta': {
              const call = delivered.toolCalls.get(event.index) ?? {
                type: 'tool-call' as const,
                id: event.id ?? '',
                name: event.name ?? '',
                arguments: '',
              };
              call.arguments += event.argumentsDelta;
              delivered.toolCalls.set(event.index, call);
              announceFirstToken();
              yield event;
              break;
            }
            case 'refusal-delta':
              yield event;
              break;
            case 'malformed-chunk':
              // After the first token a malformed chunk is skipped and counted, not fatal.
              if (events.active) {
                events.emit({
                  type: 'malformed-chunk',
                  requestId: ctx.requestId,
                  provider: committed.candidate.provider,
                  model: committed.candidate.model,
                  beforeFirstToken: false,
                });
              }
              break;
            case 'usage':
              delivered.addUsage(event.usage);
              attemptUsage = event.usage;
              break;
            case 'finish': {
              const truncation = ctx.route.policies.content?.truncation ?? 'accept';
              if (event.finishReason === 'length' && truncation !== 'accept' && !delivered.inToolCall) {
                // Cut at the output limit: under `continue` it is continued like a cut stream (the
                // consumer keeps receiving one answer); under `fail` it ends with a typed error.
                failure = new SteadfastError(
                  'truncated',
                  `${committed.candidate.provider}/${committed.candidate.model} stopped at the output token limit`,
                  { provider: committed.candidate.provider, model: committed.candidate.model },
                );
                break;
              }
              if (stitcher !== undefined) {
                const rest = stitcher.flush();
                if (rest !== '') {
                  delivered.text += rest;
                  yield { type: 'text-delta', text: rest };
                }
              }
              committed.value.settle(undefined);
              current = undefined;
              committed.record.responseModel = delivered.model || committed.candidate.model;
              committed.record.finishReason = event.finishReason;
              complete('ok', undefined);
              if (delivered.usage !== undefined) yield { type: 'usage', usage: delivered.usage };
              outcome = 'ok';
              if (ctx.route.cache !== undefined && cacheKey !== undefined) {
                await ctx.route.cache
                  .set(cacheKey, delivered.response(event.finishReason, event.rawFinishReason, ctx))
                  .catch(() => undefined);
              }
              yield event;
              return;
            }
            case 'error':
              failure = event.error;
              break;
          }
          if (failure !== undefined) break;
        }
        // A provider that just stops has cut the answer: typed as such, so it is continued, counted by
        // the breaker and reported as `stream_interrupted`, never as a finish.
        const error =
          failure ??
          new SteadfastError(
            'stream_interrupted',
            `The stream from ${committed.candidate.provider} ended without a finish`,
            {
              provider: committed.candidate.provider,
              model: committed.candidate.model,
              code: 'missing_finish',
            },
          );
        // A truncated answer is the provider working as asked: the breaker hears a success.
        committed.value.settle(error.kind === 'truncated' ? undefined : error);
        complete(error.kind, error.status, error);
        ctx.errors.push(error);
        current = undefined;
        const truncated = error.kind === 'truncated';
        const canContinue =
          (truncated ? ctx.route.policies.content?.truncation === 'continue' : policy === 'continue') &&
          !delivered.inToolCall &&
          continuations < maxContinuations &&
          error.kind !== 'cancelled' &&
          !ctx.deadline.expired();
        if (events.active) {
          events.emit({
            type: 'stream-recovery',
            requestId: ctx.requestId,
            action: canContinue ? 'continue' : 'fail',
            provider: committed.candidate.provider,
            model: committed.candidate.model,
            sentChars: delivered.text.length,
          });
        }
        if (!canContinue) {
          finalError = cut ?? error;
          yield { type: 'error', error: finalError };
          return;
        }
        cut ??= error;
        // The candidate that cut the stream continues it once; one that cuts again is left for the others.
        const cutKey = candidateKey(committed.candidate);
        const cuts = (cutsBy.get(cutKey) ?? 0) + 1;
        cutsBy.set(cutKey, cuts);
        if (cuts > 1) ctx.failed.add(cutKey);
        cutCandidate = cuts > 1 ? undefined : committed.candidate;
        continuations++;
      }
    } finally {
      if (current !== undefined) {
        // The consumer stopped reading: stop the upstream request too.
        current.settle(undefined);
        abandon?.();
        await current.rest.return?.().catch(() => undefined);
      }
      const finalReport = reportOf(ctx, {
        degraded: outcome === 'degraded',
        ...(outcome === 'stale' ? { cache: 'stale' as const } : {}),
        ...(outcome === 'cached' ? { cache: 'fresh' as const } : {}),
        ...(cacheAgeMs === undefined ? {} : { cacheAgeMs }),
      });
      emitEnd(ctx, outcome, finalError, finalReport);
      resolveReport(finalReport);
    }
  }

  const iterable = generate();
  return {
    [Symbol.asyncIterator]: () => iterable,
    report,
  };
}
