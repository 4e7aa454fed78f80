import { describe, expect, it } from 'vitest';
import type { BreakerOptions } from '../breaker.ts';
import { breakerCountedKinds, breakerDefaults } from '../defaults.ts';
import { resolveBreakerOptions } from './options.ts';

describe('breaker options', () => {
  it('fills every default from breakerDefaults, with slow calls off', () => {
    const resolved = resolveBreakerOptions({});
    expect(resolved).toMatchObject(breakerDefaults);
    expect(resolved.slowCallMs).toBeUndefined();
    expect([...resolved.countKinds]).toEqual(breakerCountedKinds);
  });

  it.each<[string, BreakerOptions]>([
    ['consecutiveFailures of 0', { consecutiveFailures: 0 }],
    ['fractional consecutiveFailures', { consecutiveFailures: 2.5 }],
    ['failureRateThreshold of 0', { failureRateThreshold: 0 }],
    ['failureRateThreshold above 1', { failureRateThreshold: 1.5 }],
    ['failureRateThreshold NaN', { failureRateThreshold: Number.NaN }],
    ['windowMs of 0', { windowMs: 0 }],
    ['minimumCalls of 0', { minimumCalls: 0 }],
    ['negative openMs', { openMs: -1 }],
    ['infinite openMs', { openMs: Number.POSITIVE_INFINITY }],
    ['maxOpenMs below openMs', { openMs: 60_000, maxOpenMs: 30_000 }],
    ['openBackoffFactor below 1', { openBackoffFactor: 0.5 }],
    ['halfOpenProbes of 0', { halfOpenProbes: 0 }],
    ['probeTimeoutMs of 0', { probeTimeoutMs: 0 }],
    ['slowCallMs of 0', { slowCallMs: 0 }],
  ])('rejects %s', (_case, options) => {
    expect(() => resolveBreakerOptions(options)).toThrow(RangeError);
  });

  it('accepts the edges of each range', () => {
    const resolved = resolveBreakerOptions({
      consecutiveFailures: 1,
      failureRateThreshold: 1,
      minimumCalls: 1,
      openMs: 1_000,
      maxOpenMs: 1_000,
      openBackoffFactor: 1,
      halfOpenProbes: 1,
    });
    expect(resolved).toMatchObject({ failureRateThreshold: 1, maxOpenMs: 1_000, openBackoffFactor: 1 });
  });
});
