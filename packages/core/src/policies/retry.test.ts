import { describe, expect, it } from 'vitest';
import { type ErrorKind, errorKinds } from '../errors/kinds.ts';
import { SteadfastError, type SteadfastErrorDetails } from '../errors/steadfast-error.ts';
import { createSeededRandom } from '../test-support/seeded-random.ts';
import { retryDefaults } from './defaults.ts';
import {
  createRetryPolicy,
  type Jitter,
  type RetryDecision,
  type RetryInput,
  type RetryOptions,
} from './retry.ts';

function failure(kind: ErrorKind, details: SteadfastErrorDetails = {}): SteadfastError {
  return new SteadfastError(kind, `a ${kind} failure`, details);
}

/** One decision of a fresh policy; the first retry, no deadline and a mid-range draw unless told. */
function decide(
  options: RetryOptions,
  input: Partial<RetryInput> & { error: SteadfastError },
  random: () => number = () => 0.5,
): RetryDecision {
  return createRetryPolicy(options, random).decide({
    retriesSoFar: 0,
    previousDelayMs: undefined,
    remainingMs: Number.POSITIVE_INFINITY,
    ...input,
  });
}

type MoveOnReason = Extract<RetryDecision, { action: 'move-on' }>['reason'];

const moveOn = (reason: MoveOnReason): RetryDecision => ({ action: 'move-on', reason });
const retryAfter = (delayMs: number): RetryDecision => ({ action: 'retry', delayMs });

describe('retry', () => {
  describe('by kind, with default options', () => {
    // Written out rather than read from kindTraits, so that a change of a kind's traits shows up here.
    const retriedByDefault: Record<ErrorKind, boolean> = {
      rate_limited: true,
      quota_exhausted: false,
      server: true,
      bad_gateway: true,
      unavailable: true,
      overloaded: true,
      timeout: true,
      connection: true,
      stream_interrupted: true,
      conflict: true,
      bad_request: false,
      auth: false,
      forbidden: false,
      not_found: false,
      too_large: false,
      unprocessable: false,
      empty: true,
      malformed_json: true,
      schema_mismatch: true,
      refusal: false,
      truncated: false,
      content_filter: false,
      cancelled: false,
      unknown: false,
    };

    it('has an expectation for every kind', () => {
      expect(Object.keys(retriedByDefault).sort()).toEqual([...errorKinds].sort());
    });

    it.each(errorKinds.map((kind) => ({ kind, retried: retriedByDefault[kind] })))(
      '$kind: retried $retried',
      ({ kind, retried }) => {
        const decision = decide({}, { error: failure(kind) });
        expect(decision).toEqual(
          retried ? { action: 'retry', delayMs: expect.any(Number) } : moveOn('not_retryable'),
        );
      },
    );

    it.each<ErrorKind>([
      'bad_request',
      'auth',
      'forbidden',
      'not_found',
      'too_large',
      'unprocessable',
      'quota_exhausted',
    ])('never retries the client error %s, even at its first failure', (kind) => {
      expect(decide({ maxRetries: 10 }, { error: failure(kind) })).toEqual(moveOn('not_retryable'));
    });

    it("follows the error's own retryable over its kind's (a provider's x-should-retry)", () => {
      expect(decide({}, { error: failure('server', { retryable: false }) })).toEqual(moveOn('not_retryable'));
      expect(decide({}, { error: failure('unknown', { retryable: true }) }).action).toBe('retry');
    });
  });

  describe('retryOn', () => {
    it('retries a kind it marks true', () => {
      expect(decide({ retryOn: { refusal: true } }, { error: failure('refusal') }).action).toBe('retry');
    });

    it('stops retrying a kind it marks false', () => {
      expect(decide({ retryOn: { rate_limited: false } }, { error: failure('rate_limited') })).toEqual(
        moveOn('not_retryable'),
      );
    });

    it("wins over the error's own retryable", () => {
      const error = failure('server', { retryable: false });
      expect(decide({ retryOn: { server: true } }, { error }).action).toBe('retry');
    });

    it('leaves the kinds it does not name to their own retryable', () => {
      const options = { retryOn: { refusal: true } };
      expect(decide(options, { error: failure('server') }).action).toBe('retry');
      expect(decide(options, { error: failure('bad_request') })).toEqual(moveOn('not_retryable'));
    });

    it('never retries a cancelled request, even when retryOn says so', () => {
      const error = failure('cancelled', { retryable: true });
      expect(decide({ retryOn: { cancelled: true } }, { error })).toEqual(moveOn('not_retryable'));
    });
  });

  describe('timeouts', () => {
    const cases: { code: string | undefined; retryTimeouts: boolean; retried: boolean; why: string }[] = [
      { code: 'call', retryTimeouts: false, retried: false, why: 'no answer within the call limit' },
      { code: 'first_token', retryTimeouts: false, retried: false, why: 'no first token' },
      { code: 'idle', retryTimeouts: false, retried: true, why: 'the stream had answered' },
      { code: undefined, retryTimeouts: false, retried: true, why: 'a timeout reported by the provider' },
      { code: 'ETIMEDOUT', retryTimeouts: false, retried: true, why: 'a network timeout' },
      { code: 'call', retryTimeouts: true, retried: true, why: 'retryTimeouts is on' },
      { code: 'first_token', retryTimeouts: true, retried: true, why: 'retryTimeouts is on' },
    ];

    it.each(cases)('code $code, retryTimeouts $retryTimeouts: retried $retried ($why)', (c) => {
      const decision = decide(
        { retryTimeouts: c.retryTimeouts },
        { error: failure('timeout', { code: c.code }) },
      );
      expect(decision.action).toBe(c.retried ? 'retry' : 'move-on');
      if (!c.retried) expect(decision).toEqual(moveOn('not_retryable'));
    });

    it('moves on from a provider that never answered, by default', () => {
      expect(decide({}, { error: failure('timeout', { code: 'call' }) })).toEqual(moveOn('not_retryable'));
    });

    it('does not retry a silent timeout because retryOn allows timeouts: only retryTimeouts does', () => {
      const error = failure('timeout', { code: 'first_token' });
      expect(decide({ retryOn: { timeout: true } }, { error })).toEqual(moveOn('not_retryable'));
    });

    it('retries no timeout at all when retryOn turns timeouts off', () => {
      const error = failure('timeout', { code: 'call' });
      expect(decide({ retryOn: { timeout: false }, retryTimeouts: true }, { error })).toEqual(
        moveOn('not_retryable'),
      );
    });
  });

  describe('max retries', () => {
    const cases: {
      maxRetries: number | undefined;
      retriesSoFar: number;
      decision: 'retry' | 'max_retries';
    }[] = [
      { maxRetries: undefined, retriesSoFar: 0, decision: 'retry' },
      { maxRetries: undefined, retriesSoFar: 2, decision: 'retry' },
      { maxRetries: undefined, retriesSoFar: 3, decision: 'max_retries' },
      { maxRetries: 0, retriesSoFar: 0, decision: 'max_retries' },
      { maxRetries: 5, retriesSoFar: 4, decision: 'retry' },
      { maxRetries: 5, retriesSoFar: 5, decision: 'max_retries' },
      { maxRetries: 5, retriesSoFar: 9, decision: 'max_retries' },
    ];

    it.each(cases)('maxRetries $maxRetries after $retriesSoFar retries: $decision', (c) => {
      const options = c.maxRetries === undefined ? {} : { maxRetries: c.maxRetries };
      const decision = decide(options, { error: failure('server'), retriesSoFar: c.retriesSoFar });
      if (c.decision === 'retry') expect(decision.action).toBe('retry');
      else expect(decision).toEqual(moveOn('max_retries'));
    });

    it('reports a kind that is never retried as not_retryable, not as out of retries', () => {
      const input = { error: failure('bad_request'), retriesSoFar: 3 };
      expect(decide({}, input)).toEqual(moveOn('not_retryable'));
    });
  });

  describe('Retry-After', () => {
    it('waits exactly the requested time when the backoff is shorter', () => {
      expect(decide({}, { error: failure('rate_limited', { retryAfterMs: 2500 }) }, () => 0)).toEqual(
        retryAfter(2500),
      );
    });

    it('retries exactly at Retry-After, neither sooner nor later, whatever the jitter draws', () => {
      const random = createSeededRandom(1);
      const policy = createRetryPolicy({ maxRetries: 10 }, random);
      const error = failure('rate_limited', { retryAfterMs: 3000 });
      const delays: number[] = [];
      for (let i = 0; i < 1000; i++) {
        const decision = policy.decide({
          error,
          retriesSoFar: i % 4,
          previousDelayMs: undefined,
          remainingMs: Number.POSITIVE_INFINITY,
        });
        if (decision.action === 'retry') delays.push(decision.delayMs);
      }
      expect(delays).toHaveLength(1000);
      expect(Math.min(...delays)).toBe(3000);
      // The provider knows its own window: its wait replaces the backoff instead of flooring it.
      expect(Math.max(...delays)).toBe(3000);
    });

    it('waits what Retry-After says even when the backoff would be longer', () => {
      const error = failure('overloaded', { retryAfterMs: 1000 });
      expect(decide({ jitter: 'none' }, { error, retriesSoFar: 2 })).toEqual(retryAfter(1000));
    });

    it('waits the backoff when the provider asked for no wait', () => {
      const error = failure('overloaded');
      expect(decide({ jitter: 'none' }, { error, retriesSoFar: 2 })).toEqual(retryAfter(4000));
    });

    it('waits as long as maxDelayMs when the provider asks for exactly that', () => {
      const error = failure('rate_limited', { retryAfterMs: retryDefaults.maxDelayMs });
      expect(decide({}, { error })).toEqual(retryAfter(retryDefaults.maxDelayMs));
    });

    it.each([
      { maxDelayMs: undefined, retryAfterMs: retryDefaults.maxDelayMs + 1 },
      { maxDelayMs: 5000, retryAfterMs: 5001 },
      { maxDelayMs: 5000, retryAfterMs: 3_600_000 },
    ])('moves on instead of waiting $retryAfterMs ms past a cap of $maxDelayMs ms', (c) => {
      const options = c.maxDelayMs === undefined ? {} : { maxDelayMs: c.maxDelayMs };
      const error = failure('rate_limited', { retryAfterMs: c.retryAfterMs });
      expect(decide(options, { error })).toEqual(moveOn('wait_too_long'));
    });

    it('reports a too-long wait as wait_too_long even when the deadline is nearer', () => {
      const error = failure('rate_limited', { retryAfterMs: 120_000 });
      expect(decide({}, { error, remainingMs: 10 })).toEqual(moveOn('wait_too_long'));
    });

    it.each([0, -5, Number.NaN])('falls back to the backoff when Retry-After is %s', (retryAfterMs) => {
      const error = failure('rate_limited', { retryAfterMs });
      expect(decide({ jitter: 'none' }, { error, retriesSoFar: 1 })).toEqual(retryAfter(2000));
    });
  });

  describe('deadline', () => {
    const error = failure('server');

    it('moves on when the wait would end exactly at the deadline', () => {
      expect(decide({ jitter: 'none' }, { error, remainingMs: 1000 })).toEqual(moveOn('deadline'));
    });

    it('retries when the wait ends before the deadline', () => {
      expect(decide({ jitter: 'none' }, { error, remainingMs: 1001 })).toEqual(retryAfter(1000));
    });

    it('moves on when the requested Retry-After outlasts the deadline', () => {
      const limited = failure('rate_limited', { retryAfterMs: 5000 });
      expect(decide({}, { error: limited, remainingMs: 4000 }, () => 0)).toEqual(moveOn('deadline'));
    });

    it('moves on when no time is left at all', () => {
      expect(decide({}, { error, remainingMs: 0 }, () => 0)).toEqual(moveOn('deadline'));
    });
  });

  describe('backoff', () => {
    it('uses full jitter from a 1 s base by default', () => {
      expect(decide({}, { error: failure('server'), retriesSoFar: 2 }, () => 0.5)).toEqual(retryAfter(2000));
      expect(decide({}, { error: failure('server'), retriesSoFar: 2 }, () => 0)).toEqual(retryAfter(0));
    });

    it('grows with the retries made so far', () => {
      const decisions = [0, 1, 2].map((retriesSoFar) =>
        decide({ jitter: 'none' }, { error: failure('server'), retriesSoFar }),
      );
      expect(decisions).toEqual([retryAfter(1000), retryAfter(2000), retryAfter(4000)]);
    });

    it('builds a decorrelated wait on the previous one', () => {
      const error = failure('server');
      expect(decide({ jitter: 'decorrelated' }, { error, previousDelayMs: 4000 })).toEqual(retryAfter(6500));
      expect(decide({ jitter: 'decorrelated' }, { error, previousDelayMs: 1000 })).toEqual(retryAfter(2000));
    });

    it('takes its base and cap from the options', () => {
      const options: RetryOptions = { jitter: 'none', baseDelayMs: 100, maxDelayMs: 300 };
      const delays = [0, 1, 2].map((retriesSoFar) =>
        decide(options, { error: failure('server'), retriesSoFar }),
      );
      expect(delays).toEqual([retryAfter(100), retryAfter(200), retryAfter(300)]);
    });
  });

  describe('options', () => {
    it.each<{ name: string; options: RetryOptions }>([
      { name: 'a negative maxRetries', options: { maxRetries: -1 } },
      { name: 'a fractional maxRetries', options: { maxRetries: 1.5 } },
      { name: 'a NaN maxRetries', options: { maxRetries: Number.NaN } },
      { name: 'a negative baseDelayMs', options: { baseDelayMs: -1 } },
      { name: 'an infinite baseDelayMs', options: { baseDelayMs: Number.POSITIVE_INFINITY } },
      { name: 'a negative maxDelayMs', options: { maxDelayMs: -1 } },
      { name: 'a NaN maxDelayMs', options: { maxDelayMs: Number.NaN } },
      { name: 'an unknown jitter', options: { jitter: 'gaussian' as Jitter } },
    ])('rejects $name', ({ options }) => {
      expect(() => createRetryPolicy(options)).toThrow(RangeError);
    });
  });
});
