import type { AttemptRecord, ContentReport, EngineEvent, ResilienceReport } from '../../engine/types.ts';
import type { ErrorKind } from '../../errors/kinds.ts';
import { SteadfastError } from '../../errors/steadfast-error.ts';
import type { Usage } from '../../neutral/response.ts';

/**
 * Engine events written by hand, with the fields a test does not care about filled in, for feeding a
 * listener a scripted story.
 */

export function usage(inputTokens: number, outputTokens: number, cachedInputTokens = 0): Usage {
  return { inputTokens, outputTokens, cachedInputTokens, totalTokens: inputTokens + outputTokens };
}

export function requestStart(requestId: string, route: string, stream = false): EngineEvent {
  return { type: 'request-start', requestId, route, stream };
}

export function attemptStart(
  requestId: string,
  provider: string,
  model: string,
  options: { lastOption?: boolean; attempt?: number } = {},
): EngineEvent {
  return {
    type: 'attempt-start',
    requestId,
    provider,
    model,
    attempt: options.attempt ?? 1,
    lastOption: options.lastOption ?? false,
  };
}

/** An attempt as the report records it: `ok` unless told, 0 ms, no usage, no cost. */
export function attempt(
  provider: string,
  model: string,
  fields: Partial<Omit<AttemptRecord, 'provider' | 'model'>> = {},
): AttemptRecord {
  return {
    provider,
    model,
    outcome: 'ok',
    status: fields.outcome === undefined || fields.outcome === 'ok' ? 200 : undefined,
    durationMs: 0,
    delayMs: undefined,
    usage: undefined,
    costUsd: 0,
    ...fields,
  };
}

export function attemptEnd(requestId: string, record: AttemptRecord): EngineEvent {
  const error =
    record.outcome === 'ok'
      ? undefined
      : new SteadfastError(record.outcome, `scripted ${record.outcome}`, {
          provider: record.provider,
          model: record.model,
        });
  return { type: 'attempt-end', requestId, error, ...record };
}

export function retry(
  requestId: string,
  provider: string,
  model: string,
  reason: ErrorKind,
  delayMs = 500,
): EngineEvent {
  return { type: 'retry', requestId, provider, model, delayMs, reason };
}

export function fallback(
  requestId: string,
  from: string,
  to: string,
  reason: ErrorKind | 'skipped',
): EngineEvent {
  const candidate = (name: string) => {
    const [provider = '', model = ''] = name.split('/');
    return { provider, model };
  };
  return { type: 'fallback', requestId, from: candidate(from), to: candidate(to), reason };
}

export function firstToken(
  requestId: string,
  provider: string,
  model: string,
  sinceRequestMs: number,
  sinceAttemptMs = sinceRequestMs,
): EngineEvent {
  return { type: 'first-token', requestId, provider, model, sinceRequestMs, sinceAttemptMs };
}

/** How a scripted request ended. */
export interface Ending {
  outcome: 'ok' | 'cached' | 'stale' | 'degraded' | 'failed';
  /** The kind of the error, for `failed` (and the chain's error behind `stale` and `degraded`). */
  kind?: ErrorKind;
  durationMs?: number;
  attempts?: AttemptRecord[];
  content?: ContentReport;
}

export function requestEnd(requestId: string, route: string, ending: Ending): EngineEvent {
  const attempts = ending.attempts ?? [];
  let costUsd = 0;
  for (const entry of attempts) costUsd += entry.costUsd;
  const report: ResilienceReport = {
    route,
    attempts,
    fallbackUsed: false,
    cache: ending.outcome === 'cached' ? 'fresh' : ending.outcome === 'stale' ? 'stale' : undefined,
    cacheAgeMs: undefined,
    degraded: ending.outcome === 'degraded',
    costUsd,
    durationMs: ending.durationMs ?? 0,
    content: ending.content,
  };
  const error =
    ending.kind === undefined ? undefined : new SteadfastError(ending.kind, `scripted ${ending.kind}`);
  return { type: 'request-end', requestId, route, outcome: ending.outcome, error, report };
}

/** A content report with nothing found, changed by `fields`. */
export function contentReport(fields: Partial<ContentReport> = {}): ContentReport {
  return { refused: false, truncated: false, continuations: 0, repairs: 0, jsonRepaired: false, ...fields };
}
