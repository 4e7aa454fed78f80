import { describe, expect, it } from 'vitest';
import { SlidingWindow, type SlidingWindowOptions } from './sliding-window.ts';

const t0 = 1_767_225_600_000;
const options: SlidingWindowOptions = {
  maxWindowMs: 3_600_000,
  bucketMs: 10_000,
  measured: true,
  exactWindowMs: 300_000,
  maxSamplesPerBucket: 8192,
};

describe('SlidingWindow', () => {
  it('reaches back whole buckets: an event one bucket older than the window no longer counts', () => {
    const window = new SlidingWindow(['route'], { ...options, measured: false });
    const chat = window.id('chat');
    window.record(chat, t0 + 9_999);

    expect(window.count(60_000, t0 + 59_999, undefined)).toBe(1);
    expect(window.count(60_000, t0 + 60_000, undefined)).toBe(0);
  });

  it('reuses a bucket after the longest window has passed, its old counts gone', () => {
    const window = new SlidingWindow(['route'], { ...options, measured: false, maxWindowMs: 60_000 });
    const chat = window.id('chat');
    window.record(chat, t0);
    window.record(chat, t0 + 60_000);

    // Both land in the same slot of a six-slot ring; the second found it holding an older bucket.
    expect(window.count(60_000, t0 + 60_000, undefined)).toBe(1);
  });

  it('counts an event whose clock stepped back in the newest bucket, never over a newer one', () => {
    const window = new SlidingWindow(['route'], { ...options, measured: false });
    const chat = window.id('chat');
    window.record(chat, t0 + 3_600_000);
    window.record(chat, t0);

    expect(window.count(10_000, t0 + 3_600_000, undefined)).toBe(2);
  });

  it('keeps counts and sums exact past maxSamplesPerBucket, and a sample for quantiles within 1 %', () => {
    const window = new SlidingWindow(['route'], { ...options, maxSamplesPerBucket: 1_000 });
    const chat = window.id('chat');
    for (let i = 0; i < 10; i++) for (let ms = 1; ms <= 1_000; ms++) window.record(chat, t0, ms);

    expect(window.count(300_000, t0, undefined)).toBe(10_000);
    expect(window.sum(300_000, t0, undefined)).toBe(5_005_000);
    // A uniform sample of 1,000 from 10,000 evenly spread values: its p50 lands near 500, binned to 1 %.
    const p50 = window.quantile(0.5, 300_000, t0, undefined) ?? 0;
    expect(p50).toBeGreaterThan(450);
    expect(p50).toBeLessThan(550);
  });

  it('weighs a sampled bucket by what it stood for, beside a bucket kept whole', () => {
    const window = new SlidingWindow(['route'], { ...options, maxSamplesPerBucket: 100 });
    const chat = window.id('chat');
    // 10,000 fast requests in one bucket (kept as a sample of 100), 100 slow ones in the next (kept whole).
    for (let i = 0; i < 10_000; i++) window.record(chat, t0, 10);
    for (let i = 0; i < 100; i++) window.record(chat, t0 + 10_000, 5_000);

    // Unweighted, the sample of 100 and the 100 slow ones would put p50 at 5 s; it is 10 ms.
    expect(window.quantile(0.5, 300_000, t0 + 10_000, undefined)).toBeCloseTo(10, 0);
    expect(window.quantile(0.995, 300_000, t0 + 10_000, undefined)).toBeCloseTo(5_000, -2);
  });

  it('bins buckets that left the exact horizon, and still reads them to within 1 %', () => {
    const window = new SlidingWindow(['route', 'outcome'], { ...options, exactWindowMs: 60_000 });
    const ok = window.id('chat', 'ok');
    const failed = window.id('chat', 'failed');
    for (let ms = 1; ms <= 100; ms++) window.record(ok, t0, ms * 100);
    window.record(failed, t0, 60_000);
    // Two minutes on, the first bucket is binned as the next event arrives.
    window.record(ok, t0 + 120_000, 1);

    const p99 = window.quantile(0.99, 300_000, t0 + 120_000, { outcome: 'ok' }) ?? 0;
    // Nearest rank of 101 values: the 100th, 9,900 ms.
    expect(Math.abs(p99 - 9_900) / 9_900).toBeLessThanOrEqual(0.01);
    expect(window.quantile(0.99, 300_000, t0 + 120_000, { outcome: 'failed' })).toBeCloseTo(60_000, -3);
    // The exact horizon itself holds raw values only: exact.
    expect(window.quantile(0.5, 60_000, t0 + 120_000, undefined)).toBe(1);
  });

  it('counts only, for a series that is not measured', () => {
    const window = new SlidingWindow(['route'], { ...options, measured: false });
    window.record(window.id('chat'), t0, 250);

    expect(window.count(60_000, t0, undefined)).toBe(1);
    expect(window.sum(60_000, t0, undefined)).toBe(0);
    expect(window.quantile(0.5, 60_000, t0, undefined)).toBeUndefined();
  });
});
