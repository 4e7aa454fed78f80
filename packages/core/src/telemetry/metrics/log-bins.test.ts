import { describe, expect, it } from 'vitest';
import { BinTally, binOf, valueOfBin } from './log-bins.ts';

describe('log-spaced bins', () => {
  it.each([0.000_001, 0.003, 1, 42, 999, 1_234_567])('read %f back within 1 %', (value) => {
    const readBack = valueOfBin(binOf(value));

    expect(Math.abs(readBack - value) / value).toBeLessThanOrEqual(0.01 + 1e-12);
  });

  it('answer a quantile within 1 % of the exact one', () => {
    const tally = new BinTally();
    for (let ms = 1; ms <= 1_000; ms++) tally.add(ms, 1);

    const p99 = tally.quantile(0.99) ?? 0;
    expect(Math.abs(p99 - 990) / 990).toBeLessThanOrEqual(0.01);
  });

  it('read zeros (and nothing below) back as 0', () => {
    const tally = new BinTally();
    for (let i = 0; i < 9; i++) tally.add(0, 1);
    tally.add(100, 1);

    expect(tally.quantile(0.9)).toBe(0);
    expect(tally.quantile(0.95)).toBeCloseTo(100, -1);
  });

  it('weigh observations: one of weight 3 stands for three', () => {
    const tally = new BinTally();
    tally.add(10, 3);
    tally.add(1_000, 1);

    expect(tally.quantile(0.75)).toBeCloseTo(10, 0);
    expect(tally.quantile(0.76)).toBeCloseTo(1_000, -1);
  });

  it('merge binned tallies as if their values had been added one by one', () => {
    const one = new BinTally();
    const other = new BinTally();
    for (let ms = 1; ms <= 50; ms++) one.add(ms, 1);
    for (let ms = 51; ms <= 100; ms++) other.add(ms, 1);
    const merged = new BinTally();
    merged.addBinned(one.toBinned());
    merged.addBinned(other.toBinned());

    const p95 = merged.quantile(0.95) ?? 0;
    expect(Math.abs(p95 - 95) / 95).toBeLessThanOrEqual(0.01);
  });

  it('have no quantile when empty', () => {
    expect(new BinTally().quantile(0.5)).toBeUndefined();
  });
});
