import { describe, expect, it } from 'vitest';
import { addOutcome, type OutcomeBucket, windowTotals } from './outcome-window.ts';

const windowMs = 30_000;
// A multiple of the 3 s slice, so that slice boundaries fall on round numbers.
const startMs = 1_767_225_600_000;

function calls(outcomes: Array<[atMs: number, failed: boolean]>): OutcomeBucket[] {
  let window: OutcomeBucket[] = [];
  for (const [atMs, failed] of outcomes) window = addOutcome(window, failed, startMs + atMs, windowMs);
  return window;
}

describe('outcome window', () => {
  it('totals calls and failures within the window', () => {
    const window = calls([
      [0, true],
      [1_000, false],
      [10_000, true],
      [29_999, false],
    ]);
    expect(windowTotals(window, startMs + 29_999, windowMs)).toEqual({ calls: 4, failures: 2 });
  });

  it('slides whole slices out: a call leaves the window once its slice is windowMs old', () => {
    const window = calls([
      [0, true],
      [2_999, true],
      [3_000, false],
    ]);
    expect(windowTotals(window, startMs + 30_000, windowMs)).toEqual({ calls: 1, failures: 0 });
    expect(windowTotals(window, startMs + 33_000, windowMs)).toEqual({ calls: 0, failures: 0 });
  });

  it('drops old slices as it records, so a record never holds more than ten', () => {
    const outcomes: Array<[number, boolean]> = [];
    for (let atMs = 0; atMs < 300_000; atMs += 1_000) outcomes.push([atMs, atMs % 2_000 === 0]);
    const window = calls(outcomes);
    expect(window.length).toBeLessThanOrEqual(10);
    expect(windowTotals(window, startMs + 299_000, windowMs)).toEqual({ calls: 30, failures: 15 });
  });

  it('adds a call stamped behind the newest slice (a replica with a slower clock) to that slice', () => {
    const window = calls([
      [9_000, false],
      [8_000, true],
    ]);
    expect(window).toEqual([{ startMs: startMs + 9_000, calls: 2, failures: 1 }]);
  });

  it('never changes the window it was given', () => {
    const before = calls([[0, false]]);
    const snapshot = structuredClone(before);
    addOutcome(before, true, startMs, windowMs);
    expect(before).toEqual(snapshot);
  });
});
