import { describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '../../test-support/fake-clock.ts';
import { adapters } from './test-support/adapters.ts';
import {
  collect,
  count,
  errorOf,
  finishOf,
  readRest,
  readUntil,
  rejectionOf,
} from './test-support/events.ts';
import { ask, chunksBeforeFault } from './test-support/scenario.ts';
import {
  expectClosedByClient,
  expectNothingInFlight,
  nextAttempt,
  useConformance,
} from './test-support/simulator.ts';

const limitMs = 5_000;

/**
 * Time limits, driven by a fake clock: each test waits for the simulator to receive the attempt (or
 * for the deltas it expects), then moves the clock past the limit. The simulator holds these answers
 * back for ten minutes of real time, so only the adapter's limit can end them.
 */
/** Moves the clock past the limit at every turn of the event loop until `settling` settles. */
async function advancingClockUntil<T>(clock: FakeClock, settling: Promise<T>): Promise<T> {
  let settled = false;
  settling.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  for (let turn = 0; turn < 10_000 && !settled; turn++) {
    clock.advance(limitMs + 1);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return settling;
}

describe.each(adapters)('$name adapter: time limits', (under) => {
  const clock = createFakeClock();
  const conformance = useConformance(under, clock);

  it("ends a stream whose first token is late with an error of kind 'timeout', code 'first_token'", async () => {
    const attempt = nextAttempt(conformance.sim);
    const events = collect(
      conformance.adapter.stream(ask('slow_first_token'), { firstTokenTimeoutMs: limitMs }),
    );
    const { seq } = await attempt;

    clock.advance(limitMs + 1);

    const seen = await events;
    expect(count(seen, 'text-delta')).toBe(0);
    expect(errorOf(seen)).toMatchObject({ kind: 'timeout', code: 'first_token', retryable: true });
    await expectClosedByClient(conformance.sim, seq);
  });

  it("ends a stream that falls silent with an error of kind 'timeout', code 'idle'", async () => {
    const attempt = nextAttempt(conformance.sim);
    const iterator = conformance.adapter
      .stream(ask('stream_stall'), { idleTimeoutMs: limitMs })
      [Symbol.asyncIterator]();
    const before = await readUntil(iterator, (read) => count(read, 'text-delta') === chunksBeforeFault);
    const { seq } = await attempt;

    clock.advance(limitMs + 1);

    const after = await readRest(iterator);
    expect(count(before, 'text-delta')).toBe(chunksBeforeFault);
    expect(count(after, 'text-delta')).toBe(0);
    expect(errorOf(after)).toMatchObject({ kind: 'timeout', code: 'idle' });
    await expectClosedByClient(conformance.sim, seq);
  });

  it("ends a stream silent from its headers on with code 'idle', even before any chunk", async () => {
    const attempt = nextAttempt(conformance.sim);
    const events = collect(conformance.adapter.stream(ask('slow_first_token'), { idleTimeoutMs: limitMs }));
    const { seq } = await attempt;

    // The headers reach the adapter some turns after the simulator decided the attempt; only then is
    // there a silence to measure, so the clock moves on until the stream has ended.
    const seen = await advancingClockUntil(clock, events);

    expect(count(seen, 'text-delta')).toBe(0);
    expect(errorOf(seen)).toMatchObject({ kind: 'timeout', code: 'idle' });
    await expectClosedByClient(conformance.sim, seq);
  });

  it("rejects a chat() that gets no answer with kind 'timeout', code 'call'", async () => {
    const attempt = nextAttempt(conformance.sim);
    const response = conformance.adapter.chat(ask('no_response'), { timeoutMs: limitMs });
    const { seq } = await attempt;

    clock.advance(limitMs + 1);

    expect(await rejectionOf(response)).toMatchObject({ kind: 'timeout', code: 'call' });
    await expectClosedByClient(conformance.sim, seq);
  });

  it("ends a stream that gets no answer with an error of kind 'timeout', code 'call'", async () => {
    const attempt = nextAttempt(conformance.sim);
    const events = collect(conformance.adapter.stream(ask('no_response'), { timeoutMs: limitMs }));
    const { seq } = await attempt;

    clock.advance(limitMs + 1);

    expect(errorOf(await events)).toMatchObject({ kind: 'timeout', code: 'call' });
    await expectClosedByClient(conformance.sim, seq);
  });

  it('stops every timer once a stream has finished', async () => {
    const events = await collect(
      conformance.adapter.stream(ask(), {
        timeoutMs: limitMs,
        firstTokenTimeoutMs: limitMs,
        idleTimeoutMs: limitMs,
      }),
    );

    expect(finishOf(events).finishReason).toBe('stop');
    expect(clock.pending()).toBe(0);
  });

  it('stops its timer once chat() has answered', async () => {
    await conformance.adapter.chat(ask(), { timeoutMs: limitMs });

    expect(clock.pending()).toBe(0);
  });

  it('leaves no request in flight', () => expectNothingInFlight(conformance.sim));
});
