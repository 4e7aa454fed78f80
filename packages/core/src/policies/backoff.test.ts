import { describe, expect, it } from 'vitest';
import { createSeededRandom, justBelowOne } from '../test-support/seeded-random.ts';
import { type BackoffInput, backoffDelayMs } from './backoff.ts';
import type { Jitter } from './retry.ts';

const baseDelayMs = 1000;
const maxDelayMs = 60_000;
const draws = 10_000;

function input(jitter: Jitter, retry: number, previousDelayMs?: number): BackoffInput {
  return { retry, baseDelayMs, maxDelayMs, jitter, previousDelayMs };
}

/** The lowest and highest of many seeded draws. */
function spread(jitter: Jitter, retry: number, previousDelayMs?: number): { min: number; max: number } {
  const random = createSeededRandom(42);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < draws; i++) {
    const delayMs = backoffDelayMs(input(jitter, retry, previousDelayMs), random);
    min = Math.min(min, delayMs);
    max = Math.max(max, delayMs);
  }
  return { min, max };
}

describe('backoff', () => {
  // retry 3: ceiling = min(60 000, 1000 · 2^3) = 8000 ms.
  const ranges: { jitter: Jitter; previousDelayMs?: number; lowestMs: number; highestMs: number }[] = [
    { jitter: 'full', lowestMs: 0, highestMs: 8000 },
    { jitter: 'equal', lowestMs: 4000, highestMs: 8000 },
    { jitter: 'decorrelated', previousDelayMs: 5000, lowestMs: 1000, highestMs: 15_000 },
  ];

  describe.each(ranges)('$jitter jitter', ({ jitter, previousDelayMs, lowestMs, highestMs }) => {
    it(`stays within [${lowestMs}, ${highestMs}) ms over ${draws} draws and spreads across it`, () => {
      const { min, max } = spread(jitter, 3, previousDelayMs);
      expect(min).toBeGreaterThanOrEqual(lowestMs);
      expect(max).toBeLessThan(highestMs);
      const width = highestMs - lowestMs;
      expect(min).toBeLessThan(lowestMs + width * 0.01);
      expect(max).toBeGreaterThan(highestMs - width * 0.01);
    });

    it(`waits exactly ${lowestMs} ms when random draws 0`, () => {
      expect(backoffDelayMs(input(jitter, 3, previousDelayMs), () => 0)).toBe(lowestMs);
    });

    it(`waits all but nothing of ${highestMs} ms when random draws its largest value`, () => {
      const delayMs = backoffDelayMs(input(jitter, 3, previousDelayMs), () => justBelowOne);
      expect(delayMs).toBeLessThanOrEqual(highestMs);
      expect(delayMs).toBeCloseTo(highestMs, 6);
    });
  });

  describe('no jitter', () => {
    it('waits exactly base · 2^retry, without drawing', () => {
      const random = (): number => {
        throw new Error('no draw expected');
      };
      expect([0, 1, 2, 3, 4, 5].map((retry) => backoffDelayMs(input('none', retry), random))).toEqual([
        1000, 2000, 4000, 8000, 16_000, 32_000,
      ]);
    });
  });

  describe('growth', () => {
    it.each<Jitter>(['full', 'equal', 'none'])('doubles with each retry under %s jitter', (jitter) => {
      const delays = [0, 1, 2, 3].map((retry) => backoffDelayMs(input(jitter, retry), () => 0.5));
      expect(delays.slice(1).map((delayMs, i) => delayMs / (delays[i] ?? Number.NaN))).toEqual([2, 2, 2]);
    });

    it('grows the decorrelated range from the previous wait, not from the retry number', () => {
      const half = (): number => 0.5;
      // uniform(1000, previous · 3) at its middle.
      expect(backoffDelayMs(input('decorrelated', 0, 1000), half)).toBe(2000);
      expect(backoffDelayMs(input('decorrelated', 0, 4000), half)).toBe(6500);
      expect(backoffDelayMs(input('decorrelated', 7, 4000), half)).toBe(6500);
    });

    it('starts the decorrelated range from the base when there was no previous wait', () => {
      expect(backoffDelayMs(input('decorrelated', 0, undefined), () => 0.5)).toBe(2000);
    });

    it('waits the base when the previous decorrelated wait was under a third of it', () => {
      expect(backoffDelayMs(input('decorrelated', 0, 100), () => 0.9)).toBe(baseDelayMs);
    });

    it('keeps a chain of decorrelated waits between the base and the cap', () => {
      const random = createSeededRandom(7);
      let previousDelayMs: number | undefined;
      const chain: number[] = [];
      for (let retry = 0; retry < 1000; retry++) {
        previousDelayMs = backoffDelayMs(input('decorrelated', retry, previousDelayMs), random);
        chain.push(previousDelayMs);
      }
      expect(Math.min(...chain)).toBeGreaterThanOrEqual(baseDelayMs);
      expect(Math.max(...chain)).toBe(maxDelayMs);
    });
  });

  describe('cap', () => {
    it.each<Jitter>(['full', 'equal', 'decorrelated', 'none'])(
      'never waits longer than maxDelayMs under %s jitter, even after 2000 retries',
      (jitter) => {
        for (const retry of [6, 10, 100, 2000]) {
          const delayMs = backoffDelayMs(input(jitter, retry, maxDelayMs), () => justBelowOne);
          expect(delayMs).toBeLessThanOrEqual(maxDelayMs);
          expect(delayMs).toBeGreaterThan(maxDelayMs / 2);
        }
      },
    );

    it('waits the cap itself once base · 2^retry passes it, without jitter', () => {
      expect(backoffDelayMs(input('none', 6), Math.random)).toBe(maxDelayMs);
    });

    it('waits 0 with a zero base, however many retries', () => {
      for (const jitter of ['full', 'equal', 'none'] as const) {
        expect(backoffDelayMs({ ...input(jitter, 2000), baseDelayMs: 0 }, () => 0.5)).toBe(0);
      }
    });
  });
});
