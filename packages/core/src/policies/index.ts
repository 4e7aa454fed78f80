/**
 * The policies a user composes around an LLM call.
 * @module
 */
export {
  type BreakerAdmission,
  type BreakerOptions,
  type BreakerPermit,
  type BreakerState,
  type BreakerTransition,
  type BreakerTransitionReason,
  type CircuitBreaker,
  type CircuitBreakerDeps,
  createCircuitBreaker,
} from './breaker.ts';
export {
  type CachedResponse,
  type CacheScope,
  cacheKey,
  createResponseCache,
  type ResponseCache,
  type ResponseCacheDeps,
  type ResponseCacheOptions,
} from './cache.ts';
export { Deadline } from './deadline.ts';
export {
  breakerCountedKinds,
  breakerDefaults,
  cacheDefaults,
  retryBudgetDefaults,
  retryDefaults,
  timeoutDefaults,
} from './defaults.ts';
export {
  createRateLimitTracker,
  type RateLimitTracker,
  type RateLimitTrackerDeps,
} from './rate-limit-tracker.ts';
export {
  createRetryPolicy,
  type Jitter,
  type RetryDecision,
  type RetryInput,
  type RetryOptions,
  type RetryPolicy,
} from './retry.ts';
export {
  createRetryBudget,
  type RetryBudget,
  type RetryBudgetDeps,
  type RetryBudgetOptions,
} from './retry-budget.ts';
