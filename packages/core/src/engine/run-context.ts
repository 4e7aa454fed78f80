import type { Catalog } from '../catalog/catalog.ts';
import type { SteadfastError } from '../errors/steadfast-error.ts';
import type { ChatRequest } from '../neutral/request.ts';
import type { CircuitBreaker } from '../policies/breaker.ts';
import type { ResponseCache } from '../policies/cache.ts';
import type { Clock } from '../policies/clock.ts';
import type { Deadline } from '../policies/deadline.ts';
import type { RateLimitTracker } from '../policies/rate-limit-tracker.ts';
import type { RetryPolicy } from '../policies/retry.ts';
import type { RetryBudget } from '../policies/retry-budget.ts';
import type { ProviderAdapter } from '../providers/adapter.ts';
import type { Emitter } from '../telemetry/event.ts';
import type { AttemptRecord, Candidate, EngineEvent, RoutePolicies, SkipReason } from './types.ts';

/** A route with its candidates parsed and its policies built. */
export interface ResolvedRoute {
  name: string;
  candidates: Candidate[];
  policies: RoutePolicies;
  retry: RetryPolicy | undefined;
  budget: RetryBudget | undefined;
  breaker: CircuitBreaker | undefined;
  cache: ResponseCache | undefined;
}

/** What every request of a client shares. */
export interface EngineDeps {
  providers: ReadonlyMap<string, ProviderAdapter>;
  catalog: Catalog;
  clock: Clock;
  events: Emitter<EngineEvent>;
  rateLimits: RateLimitTracker;
}

/** The state of one request as it moves through its chain. */
export interface RunContext {
  requestId: string;
  route: ResolvedRoute;
  request: ChatRequest;
  deps: EngineDeps;
  deadline: Deadline;
  signal: AbortSignal | undefined;
  startedAt: number;
  attempts: AttemptRecord[];
  errors: SteadfastError[];
  /** Candidates (`provider/model`) that already failed in this request. */
  failed: Set<string>;
  /** Providers that failed at the provider level (down, overloaded), to prefer others. */
  failedProviders: Set<string>;
  /** Candidates an attempt is running on right now (hedged chains leave each other's alone). */
  claimed: Set<string>;
  /** The window of the biggest-window model that said the request is too large. */
  tooLargeFor: number | undefined;
  /** Models that said the request is too large: the same model elsewhere would say it too. */
  tooLargeModels: Set<string>;
  /** Why candidates were passed over, for the error when none could be tried. */
  skips: Set<SkipReason>;
}

export function candidateKey(candidate: Candidate): string {
  return `${candidate.provider}/${candidate.model}`;
}
