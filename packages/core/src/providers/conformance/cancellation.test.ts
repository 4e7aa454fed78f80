import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../neutral/stream-event.ts';
import { adapters } from './test-support/adapters.ts';
import { collect, count, errorOf, readRest, readUntil, rejectionOf } from './test-support/events.ts';
import { ask } from './test-support/scenario.ts';
import {
  expectClosedByClient,
  expectNothingInFlight,
  nextAttempt,
  useConformance,
} from './test-support/simulator.ts';

const firstDelta = (events: StreamEvent[]): boolean => count(events, 'text-delta') === 1;

/**
 * The caller stops a call: by aborting its signal, or by leaving the `for await` loop. Either way the
 * upstream request is closed at once. The simulator's `stream_stall` answer sends three chunks and then
 * holds the connection open, so the call is still under way when it is stopped.
 */
describe.each(adapters)('$name adapter: cancellation', (under) => {
  const conformance = useConformance(under);

  it("ends a stream aborted after its first delta with an error of kind 'cancelled', and no more deltas", async () => {
    const controller = new AbortController();
    const attempt = nextAttempt(conformance.sim);
    const iterator = conformance.adapter
      .stream(ask('stream_stall'), { signal: controller.signal })
      [Symbol.asyncIterator]();
    await readUntil(iterator, firstDelta);

    controller.abort();

    const after = await readRest(iterator);
    expect(after.map((event) => event.type)).toEqual(['error']);
    expect(errorOf(after)).toMatchObject({ kind: 'cancelled', retryable: false });
    const { seq } = await attempt;
    await expectClosedByClient(conformance.sim, seq);
  });

  it('closes the upstream connection when the consumer leaves the loop early', async () => {
    const attempt = nextAttempt(conformance.sim);
    let deltas = 0;

    for await (const event of conformance.adapter.stream(ask('stream_stall'))) {
      if (event.type === 'text-delta') deltas++;
      if (deltas === 1) break;
    }

    const { seq } = await attempt;
    expect(deltas).toBe(1);
    await expectClosedByClient(conformance.sim, seq);
  });

  it("rejects a chat() aborted while it waits with kind 'cancelled', and closes the request", async () => {
    const controller = new AbortController();
    const attempt = nextAttempt(conformance.sim);
    const response = conformance.adapter.chat(ask('no_response'), { signal: controller.signal });
    const { seq } = await attempt;

    controller.abort();

    expect(await rejectionOf(response)).toMatchObject({ kind: 'cancelled', retryable: false });
    await expectClosedByClient(conformance.sim, seq);
  });

  it("fails at once, with kind 'cancelled', for a signal aborted before the call", async () => {
    const signal = AbortSignal.abort();

    const error = await rejectionOf(conformance.adapter.chat(ask(), { signal }));
    const events = await collect(conformance.adapter.stream(ask(), { signal }));

    expect(error).toMatchObject({ kind: 'cancelled', retryable: false });
    expect(events.map((event) => event.type)).toEqual(['error']);
    expect(errorOf(events).kind).toBe('cancelled');
  });

  it('leaves no request in flight', () => expectNothingInFlight(conformance.sim));
});
