import { describe, expect, it } from 'vitest';
import { adapters } from './test-support/adapters.ts';
import { collect, count, errorOf, finishOf, rejectionOf, shape, textOf } from './test-support/events.ts';
import { ask, chunksBeforeFault, reply } from './test-support/scenario.ts';
import { expectNothingInFlight, lastAttempt, useConformance } from './test-support/simulator.ts';

/**
 * Faults after HTTP 200, in the body of a stream. A stream ends with `finish` only when the provider
 * sent a finish reason; anything else that ends it early is an `error`.
 */
describe.each(adapters)('$name adapter: stream faults', (under) => {
  const conformance = useConformance(under);
  const requestIdOfLastAttempt = (): string | undefined =>
    under.sendsRequestId ? lastAttempt(conformance.sim).requestId : undefined;

  describe(`a connection cut after ${chunksBeforeFault} chunks`, () => {
    it(`yields ${chunksBeforeFault} text deltas, then an error of kind 'stream_interrupted'`, async () => {
      const events = await collect(conformance.adapter.stream(ask('stream_cut')));

      expect(count(events, 'text-delta')).toBe(chunksBeforeFault);
      expect(reply.startsWith(textOf(events))).toBe(true);
      expect(count(events, 'finish')).toBe(0);
      expect(errorOf(events).kind).toBe('stream_interrupted');
    });

    it('makes the error retryable, and gives it the request id of the attempt', async () => {
      const events = await collect(conformance.adapter.stream(ask('stream_cut')));

      expect(errorOf(events).retryable).toBe(true);
      expect(errorOf(events).requestId).toBe(requestIdOfLastAttempt());
    });

    it("rejects a chat() whose body was cut half-way with kind 'stream_interrupted'", async () => {
      const error = await rejectionOf(conformance.adapter.chat(ask('stream_cut')));

      expect(error.kind).toBe('stream_interrupted');
    });
  });

  describe('a malformed chunk in the middle', () => {
    it("reports it as a 'malformed-chunk' event and goes on to finish", async () => {
      const events = await collect(conformance.adapter.stream(ask('malformed_chunk')));

      expect(count(events, 'malformed-chunk')).toBe(1);
      expect(shape(events)).toEqual([
        'start',
        'text-delta',
        'malformed-chunk',
        'text-delta',
        'usage',
        'finish',
      ]);
      expect(finishOf(events).finishReason).toBe('stop');
    });

    it('loses none of the text of the well-formed chunks', async () => {
      const events = await collect(conformance.adapter.stream(ask('malformed_chunk')));

      expect(textOf(events)).toBe(reply);
    });

    it("rejects a chat() whose 200 body is not JSON with kind 'bad_gateway'", async () => {
      const error = await rejectionOf(conformance.adapter.chat(ask('malformed_chunk')));

      expect(error).toMatchObject({ kind: 'bad_gateway', code: 'invalid_json' });
    });
  });

  describe('a stream missing its last frame', () => {
    if (under.missingLastFrame === 'finish') {
      it('still finishes: the finish reason had arrived before the terminator', async () => {
        const events = await collect(conformance.adapter.stream(ask('missing_done')));

        expect(textOf(events)).toBe(reply);
        expect(shape(events).slice(-2)).toEqual(['usage', 'finish']);
        expect(finishOf(events).finishReason).toBe('stop');
      });
    } else {
      it("ends with an error of kind 'stream_interrupted': the finish reason was in the lost frame", async () => {
        const events = await collect(conformance.adapter.stream(ask('missing_done')));

        expect(textOf(events)).toBe(reply);
        expect(count(events, 'finish')).toBe(0);
        expect(errorOf(events).kind).toBe('stream_interrupted');
      });
    }
  });

  describe(`an error event after ${chunksBeforeFault} chunks`, () => {
    it(`yields ${chunksBeforeFault} text deltas, then an error of the provider's kind ('${under.streamErrorKind}')`, async () => {
      const events = await collect(conformance.adapter.stream(ask('stream_error')));

      expect(count(events, 'text-delta')).toBe(chunksBeforeFault);
      expect(count(events, 'finish')).toBe(0);
      const error = errorOf(events);
      expect(error.kind).toBe(under.streamErrorKind);
      expect(error.provider).toBe(conformance.adapter.name);
    });

    it(`gives the error ${under.sendsRequestId ? "the request id from the stream's headers" : 'no request id'}`, async () => {
      const events = await collect(conformance.adapter.stream(ask('stream_error')));

      expect(errorOf(events).requestId).toBe(requestIdOfLastAttempt());
    });
  });

  it('leaves no request in flight', () => expectNothingInFlight(conformance.sim));
});
