import type { ErrorKind } from '../../errors/kinds.ts';
import type { BreakerOptions } from '../breaker.ts';
import { breakerCountedKinds, breakerDefaults } from '../defaults.ts';

/** Breaker options with every default filled in and every value checked. */
export interface ResolvedBreakerOptions {
  readonly consecutiveFailures: number;
  readonly failureRateThreshold: number;
  readonly windowMs: number;
  readonly minimumCalls: number;
  readonly openMs: number;
  readonly maxOpenMs: number;
  readonly openBackoffFactor: number;
  readonly halfOpenProbes: number;
  readonly probeTimeoutMs: number;
  readonly slowCallMs: number | undefined;
  /** A set, so that classifying a failure on the hot path is one lookup. */
  readonly countKinds: ReadonlySet<ErrorKind>;
}

function atLeastOneWhole(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a whole number of at least 1, got ${value}`);
  }
  return value;
}

function positiveFinite(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a finite number above 0, got ${value}`);
  }
  return value;
}

/**
 * Fills in the defaults of `breakerDefaults` and checks each value.
 * @throws RangeError when an option is out of range
 */
export function resolveBreakerOptions(options: BreakerOptions): ResolvedBreakerOptions {
  const failureRateThreshold = options.failureRateThreshold ?? breakerDefaults.failureRateThreshold;
  if (!(failureRateThreshold > 0 && failureRateThreshold <= 1)) {
    throw new RangeError(`failureRateThreshold must be above 0 and at most 1, got ${failureRateThreshold}`);
  }
  const openMs = positiveFinite('openMs', options.openMs ?? breakerDefaults.openMs);
  const maxOpenMs = positiveFinite('maxOpenMs', options.maxOpenMs ?? breakerDefaults.maxOpenMs);
  if (maxOpenMs < openMs) {
    throw new RangeError(`maxOpenMs (${maxOpenMs}) must be at least openMs (${openMs})`);
  }
  const openBackoffFactor = options.openBackoffFactor ?? breakerDefaults.openBackoffFactor;
  if (!Number.isFinite(openBackoffFactor) || openBackoffFactor < 1) {
    throw new RangeError(`openBackoffFactor must be a finite number of at least 1, got ${openBackoffFactor}`);
  }
  return {
    consecutiveFailures: atLeastOneWhole(
      'consecutiveFailures',
      options.consecutiveFailures ?? breakerDefaults.consecutiveFailures,
    ),
    failureRateThreshold,
    windowMs: positiveFinite('windowMs', options.windowMs ?? breakerDefaults.windowMs),
    minimumCalls: atLeastOneWhole('minimumCalls', options.minimumCalls ?? breakerDefaults.minimumCalls),
    openMs,
    maxOpenMs,
    openBackoffFactor,
    halfOpenProbes: atLeastOneWhole(
      'halfOpenProbes',
      options.halfOpenProbes ?? breakerDefaults.halfOpenProbes,
    ),
    probeTimeoutMs: positiveFinite(
      'probeTimeoutMs',
      options.probeTimeoutMs ?? breakerDefaults.probeTimeoutMs,
    ),
    slowCallMs:
      options.slowCallMs === undefined ? undefined : positiveFinite('slowCallMs', options.slowCallMs),
    countKinds: new Set(options.countKinds ?? breakerCountedKinds),
  };
}
