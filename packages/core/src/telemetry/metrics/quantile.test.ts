import { describe, expect, it } from 'vitest';
import { nearestRank, rankIndex } from './quantile.ts';

function ranked(values: number[], q: number): number {
  return nearestRank(Float64Array.from(values), values.length, q);
}

describe('nearestRank', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);

  it.each([
    [0, 1],
    [0.01, 1],
    [0.07, 7],
    [0.5, 50],
    [0.9, 90],
    [0.95, 95],
    [0.99, 99],
    [0.999, 100],
    [1, 100],
  ])('the %f-quantile of 1…100, unsorted, is %i', (q, expected) => {
    expect(ranked(oneToHundred, q)).toBe(expected);
  });

  it('picks an observed value, never one between two (p50 of four values is the second)', () => {
    expect(ranked([40, 10, 30, 20], 0.5)).toBe(20);
  });

  it('copes with runs of equal values, as durations on a coarse clock have', () => {
    const values = [...Array(50).fill(5), ...Array(45).fill(7), 9, 9, 9, 9, 100];

    expect(ranked(values, 0.5)).toBe(5);
    expect(ranked(values, 0.51)).toBe(7);
    expect(ranked(values, 0.95)).toBe(7);
    expect(ranked(values, 0.99)).toBe(9);
    expect(ranked(values, 1)).toBe(100);
  });

  it('reads only the first `count` values of the buffer', () => {
    expect(nearestRank(Float64Array.from([3, 1, 2, 1000, 1000]), 3, 1)).toBe(3);
  });

  it('ranks with the binary rounding of q × n left out (0.07 × 100 is 7.000000000000001)', () => {
    expect(rankIndex(0.07, 100)).toBe(6);
    expect(rankIndex(0.95, 20)).toBe(18);
    expect(rankIndex(0, 20)).toBe(0);
  });
});
