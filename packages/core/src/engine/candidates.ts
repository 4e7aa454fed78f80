import { fitsContext } from '../catalog/estimate-tokens.ts';
import type { ModelCapabilities } from '../catalog/model-info.ts';
import type { ChatRequest } from '../neutral/request.ts';
import { candidateKey, type RunContext } from './run-context.ts';
import type { Candidate, SkipReason } from './types.ts';

/** The capabilities a request needs of the model that answers it. */
export function neededCapabilities(request: ChatRequest): Array<keyof ModelCapabilities> {
  const needed: Array<keyof ModelCapabilities> = [];
  if (request.tools !== undefined && request.tools.length > 0) needed.push('tools');
  if (request.responseFormat?.type === 'json_schema') needed.push('jsonSchema');
  const hasImage = request.messages.some(
    (message) =>
      message.role === 'user' &&
      typeof message.content !== 'string' &&
      message.content.some((p) => p.type === 'image'),
  );
  if (hasImage) needed.push('vision');
  return needed;
}

type Verdict = 'ok' | 'capability' | 'context_window' | 'unknown_provider';

/** Whether a candidate can take this request at all, from the catalog (unknown models are given the benefit). */
export function judge(ctx: RunContext, candidate: Candidate, request: ChatRequest): Verdict {
  if (!ctx.deps.providers.has(candidate.provider)) return 'unknown_provider';
  // The same model at another provider has the same window, whether the catalog knows it or not.
  if (ctx.tooLargeModels.has(candidate.model)) return 'context_window';
  const info = ctx.deps.catalog.get(candidate.model);
  if (info === undefined) return 'ok';
  for (const capability of neededCapabilities(request)) {
    if (!info.capabilities[capability]) return 'capability';
  }
  // A model with a window no bigger than one that already said "too large" would say it too.
  if (ctx.tooLargeFor !== undefined && info.contextWindow <= ctx.tooLargeFor) return 'context_window';
  if (!fitsContext(request, info)) return 'context_window';
  return 'ok';
}

/**
 * The next candidate to try: the first untried one in route order, except that after a provider-level
 * failure a candidate on another provider goes first. Candidates that cannot take the request are
 * reported and passed over; one that another chain of the request (a hedge) is calling right now is
 * left to it.
 */
export function pickNext(ctx: RunContext, tried: Set<string>, request: ChatRequest): Candidate | undefined {
  const open = ctx.route.candidates.filter((c) => {
    const key = candidateKey(c);
    return !tried.has(key) && !ctx.failed.has(key) && !ctx.claimed.has(key);
  });
  const ordered = [
    ...open.filter((c) => !ctx.failedProviders.has(c.provider)),
    ...open.filter((c) => ctx.failedProviders.has(c.provider)),
  ];
  for (const candidate of ordered) {
    const verdict = judge(ctx, candidate, request);
    if (verdict === 'ok') return candidate;
    tried.add(candidateKey(candidate));
    skip(ctx, candidate, verdict);
  }
  return undefined;
}

/** Notes that a candidate was passed over without a call, and tells listeners why. */
export function skip(ctx: RunContext, candidate: Candidate, reason: SkipReason): void {
  ctx.skips.add(reason);
  if (ctx.deps.events.active) {
    ctx.deps.events.emit({
      type: 'candidate-skipped',
      requestId: ctx.requestId,
      provider: candidate.provider,
      model: candidate.model,
      reason,
    });
  }
}

/** Candidates not yet tried or failed, for `lastOption`. */
export function remainingAfter(ctx: RunContext, tried: Set<string>, current: Candidate): number {
  return ctx.route.candidates.filter(
    (c) => c !== current && !tried.has(candidateKey(c)) && !ctx.failed.has(candidateKey(c)),
  ).length;
}
