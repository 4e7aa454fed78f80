import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../test-support/fake-clock.ts';
import { Deadline } from './deadline.ts';

describe('deadline', () => {
  describe('with a limit', () => {
    it('counts down as time passes', () => {
      const clock = createFakeClock();
      const deadline = new Deadline(10_000, clock);
      expect(deadline.remainingMs()).toBe(10_000);
      clock.advance(2500);
      expect(deadline.remainingMs()).toBe(7500);
    });

    it('expires when its time is up, not before', () => {
      const clock = createFakeClock();
      const deadline = new Deadline(10_000, clock);
      clock.advance(9999);
      expect(deadline.expired()).toBe(false);
      clock.advance(1);
      expect(deadline.expired()).toBe(true);
    });

    it('has 0 ms left, never less, once expired', () => {
      const clock = createFakeClock();
      const deadline = new Deadline(1000, clock);
      clock.advance(5000);
      expect(deadline.remainingMs()).toBe(0);
    });

    it('is expired from the start with a limit of 0', () => {
      expect(new Deadline(0, createFakeClock()).expired()).toBe(true);
    });

    it('starts counting when it is made, not when it is first read', () => {
      const clock = createFakeClock();
      const deadline = new Deadline(10_000, clock);
      expect(deadline.expiresAtMs).toBe(clock.now() + 10_000);
      clock.advance(4000);
      expect(deadline.remainingMs()).toBe(6000);
    });
  });

  describe('fits', () => {
    it.each([
      { ms: 0, fits: true },
      { ms: 5999, fits: true },
      { ms: 6000, fits: false },
      { ms: 6001, fits: false },
    ])('with 6000 ms left, a wait of $ms ms fits: $fits', ({ ms, fits }) => {
      const clock = createFakeClock();
      const deadline = new Deadline(10_000, clock);
      clock.advance(4000);
      expect(deadline.fits(ms)).toBe(fits);
    });

    it('fits nothing once expired', () => {
      const clock = createFakeClock();
      const deadline = new Deadline(1000, clock);
      clock.advance(1000);
      expect(deadline.fits(0)).toBe(false);
    });
  });

  describe('limit', () => {
    it.each([
      { ms: 60_000, limitMs: 6000, why: "the request's remaining time is shorter" },
      { ms: 2000, limitMs: 2000, why: "the attempt's own limit is shorter" },
      { ms: undefined, limitMs: 6000, why: 'the attempt has no limit of its own' },
    ])('gives an attempt $limitMs ms when $why', ({ ms, limitMs }) => {
      const clock = createFakeClock();
      const deadline = new Deadline(10_000, clock);
      clock.advance(4000);
      expect(deadline.limit(ms)).toBe(limitMs);
    });

    it('gives an attempt 0 ms once expired', () => {
      const clock = createFakeClock();
      const deadline = new Deadline(1000, clock);
      clock.advance(3000);
      expect(deadline.limit(60_000)).toBe(0);
    });
  });

  describe('without a limit', () => {
    it('has Infinity left and never expires', () => {
      const clock = createFakeClock();
      const deadline = new Deadline(undefined, clock);
      clock.advance(365 * 86_400_000);
      expect(deadline.remainingMs()).toBe(Number.POSITIVE_INFINITY);
      expect(deadline.expired()).toBe(false);
    });

    it('fits any finite wait', () => {
      expect(new Deadline(undefined, createFakeClock()).fits(Number.MAX_SAFE_INTEGER)).toBe(true);
    });

    it("leaves an attempt's own limit as it is", () => {
      expect(new Deadline(undefined, createFakeClock()).limit(60_000)).toBe(60_000);
    });

    it('gives no limit, rather than Infinity, to an attempt without one', () => {
      expect(new Deadline(undefined, createFakeClock()).limit(undefined)).toBeUndefined();
    });
  });

  describe('options', () => {
    it.each([-1, Number.NaN])('rejects a totalMs of %s', (totalMs) => {
      expect(() => new Deadline(totalMs, createFakeClock())).toThrow(RangeError);
    });
  });
});
