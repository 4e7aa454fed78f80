import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory-store.ts';
import type { StateStore } from '../store/state-store.ts';
import { createFakeClock, type FakeClock } from '../test-support/fake-clock.ts';
import { retryBudgetDefaults } from './defaults.ts';
import { createRetryBudget, type RetryBudget, type RetryBudgetOptions } from './retry-budget.ts';

function setup(options?: RetryBudgetOptions): { budget: RetryBudget; clock: FakeClock; store: StateStore } {
  const clock = createFakeClock();
  const store = createMemoryStore({ now: clock.now });
  return { budget: createRetryBudget(options, { store, clock }), clock, store };
}

/** Asks for retries until one is refused or `most` were granted; returns how many were granted. */
async function acquireUpTo(budget: RetryBudget, provider: string, most: number): Promise<number> {
  let granted = 0;
  while (granted < most && (await budget.tryAcquire(provider))) granted++;
  return granted;
}

const windowMs = retryBudgetDefaults.windowMs;
// The window slides in tenths: a count leaves it between 9/10 of a window and a whole window later.
const bucketMs = windowMs / 10;

describe('retry budget', () => {
  describe('under a total outage', () => {
    /** Records `requests` failing requests, each asking for up to 3 retries; checks the budget after each. */
    async function outage(budget: RetryBudget, requests: number, ratio: number, minRetries: number) {
      let granted = 0;
      for (let request = 1; request <= requests; request++) {
        await budget.recordRequest('openai');
        granted += await acquireUpTo(budget, 'openai', 3);
        expect(granted).toBeLessThanOrEqual(ratio * request + minRetries);
      }
      return granted;
    }

    it.each([
      { ratio: 0.5, minRetries: 0, requests: 37, ceiling: 18 },
      { ratio: 0.1, minRetries: 3, requests: 1000, ceiling: 103 },
      { ratio: 0, minRetries: 5, requests: 200, ceiling: 5 },
    ])(
      'grants at most $ratio × $requests requests + $minRetries = $ceiling retries',
      async ({ ratio, minRetries, requests, ceiling }) => {
        const { budget } = setup({ ratio, minRetries });
        // The budget is a ceiling that is also reached: the outage gets every retry it allows.
        expect(await outage(budget, requests, ratio, minRetries)).toBe(ceiling);
      },
    );

    it('grants 100 failing requests 30 retries by default (1 in 5, plus 10)', async () => {
      const { budget } = setup();
      const { ratio, minRetries } = retryBudgetDefaults;
      expect(await outage(budget, 100, ratio, minRetries)).toBe(30);
    });

    it('grants minRetries retries to a provider with no recorded requests', async () => {
      const { budget } = setup();
      expect(await acquireUpTo(budget, 'openai', 100)).toBe(retryBudgetDefaults.minRetries);
    });

    it('never grants the part of a retry a fractional budget leaves (1.5 allows 1)', async () => {
      const { budget } = setup({ ratio: 0.25, minRetries: 0 });
      for (let i = 0; i < 6; i++) await budget.recordRequest('openai');
      expect(await acquireUpTo(budget, 'openai', 10)).toBe(1);
    });

    it('holds when many callers ask at once', async () => {
      const { budget } = setup({ ratio: 0, minRetries: 10 });
      const answers = await Promise.all(Array.from({ length: 50 }, () => budget.tryAcquire('openai')));
      expect(answers.filter(Boolean)).toHaveLength(10);
    });

    it('shares one budget between replicas that share a store', async () => {
      const clock = createFakeClock();
      const store = createMemoryStore({ now: clock.now });
      const replicaA = createRetryBudget({ ratio: 0, minRetries: 4 }, { store, clock });
      const replicaB = createRetryBudget({ ratio: 0, minRetries: 4 }, { store, clock });
      expect(await acquireUpTo(replicaA, 'openai', 3)).toBe(3);
      expect(await acquireUpTo(replicaB, 'openai', 3)).toBe(1);
    });
  });

  describe('counting', () => {
    it('counts a retry only when it grants it', async () => {
      const { budget } = setup({ ratio: 1, minRetries: 0 });
      for (let i = 0; i < 5; i++) expect(await budget.tryAcquire('openai')).toBe(false);
      await budget.recordRequest('openai');
      expect(await budget.tryAcquire('openai')).toBe(true);
      expect(await budget.tryAcquire('openai')).toBe(false);
    });

    it('keeps its counts in the store under budget: keys', async () => {
      const { budget, clock, store } = setup();
      await budget.recordRequest('openai');
      await budget.recordRequest('openai');
      await budget.tryAcquire('openai');
      const shape = { bucketMs, buckets: 10 };
      expect(await store.readWindow('budget:requests:openai', clock.now(), shape)).toBe(2);
      expect(await store.readWindow('budget:retries:openai', clock.now(), shape)).toBe(1);
    });
  });

  describe('sliding window', () => {
    it('stops counting requests older than the window', async () => {
      const { budget, clock } = setup({ ratio: 1, minRetries: 0 });
      for (let i = 0; i < 5; i++) await budget.recordRequest('openai');
      clock.advance(windowMs - bucketMs);
      expect(await budget.tryAcquire('openai')).toBe(true);
      clock.advance(bucketMs);
      expect(await budget.tryAcquire('openai')).toBe(false);
    });

    it('stops counting retries older than the window', async () => {
      const { budget, clock } = setup({ ratio: 0, minRetries: 2 });
      expect(await acquireUpTo(budget, 'openai', 5)).toBe(2);
      clock.advance(windowMs - bucketMs);
      expect(await budget.tryAcquire('openai')).toBe(false);
      clock.advance(bucketMs);
      expect(await acquireUpTo(budget, 'openai', 5)).toBe(2);
    });

    it('lets an outage that outlasts the window retry again at the same rate', async () => {
      const { budget, clock } = setup({ ratio: 0.5, minRetries: 0 });
      const grantedPerWindow: number[] = [];
      for (let window = 0; window < 3; window++) {
        let granted = 0;
        for (let i = 0; i < 20; i++) {
          await budget.recordRequest('openai');
          granted += await acquireUpTo(budget, 'openai', 3);
        }
        grantedPerWindow.push(granted);
        clock.advance(windowMs);
      }
      expect(grantedPerWindow).toEqual([10, 10, 10]);
    });

    it('slides by the window it is given', async () => {
      const { budget, clock } = setup({ ratio: 0, minRetries: 1, windowMs: 60_000 });
      expect(await budget.tryAcquire('openai')).toBe(true);
      clock.advance(windowMs);
      expect(await budget.tryAcquire('openai')).toBe(false);
      clock.advance(60_000 - windowMs);
      expect(await budget.tryAcquire('openai')).toBe(true);
    });
  });

  describe('providers', () => {
    it('keeps a separate budget for each provider', async () => {
      const { budget } = setup({ ratio: 0, minRetries: 2 });
      expect(await acquireUpTo(budget, 'openai', 5)).toBe(2);
      expect(await acquireUpTo(budget, 'anthropic', 5)).toBe(2);
    });

    it("does not grow one provider's budget with another's requests", async () => {
      const { budget } = setup({ ratio: 1, minRetries: 0 });
      for (let i = 0; i < 5; i++) await budget.recordRequest('openai');
      expect(await budget.tryAcquire('anthropic')).toBe(false);
      expect(await budget.tryAcquire('openai')).toBe(true);
    });
  });

  describe('options', () => {
    it.each<{ name: string; options: RetryBudgetOptions }>([
      { name: 'a negative ratio', options: { ratio: -0.1 } },
      { name: 'a NaN ratio', options: { ratio: Number.NaN } },
      { name: 'a negative minRetries', options: { minRetries: -1 } },
      { name: 'an infinite minRetries', options: { minRetries: Number.POSITIVE_INFINITY } },
      { name: 'a zero window', options: { windowMs: 0 } },
    ])('rejects $name', ({ options }) => {
      const clock = createFakeClock();
      expect(() => createRetryBudget(options, { store: createMemoryStore(), clock })).toThrow(RangeError);
    });
  });
});
