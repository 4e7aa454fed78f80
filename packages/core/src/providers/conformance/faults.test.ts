import { describe, expect, it } from 'vitest';
import type { ErrorKind } from '../../errors/kinds.ts';
import { type AdapterUnderTest, adapters } from './test-support/adapters.ts';
import { collect, errorOf, rejectionOf } from './test-support/events.ts';
import { ask, unknownModel } from './test-support/scenario.ts';
import { expectNothingInFlight, lastAttempt, useConformance } from './test-support/simulator.ts';

/** A failed call: the model of the scenario that injects it, and what it must be classified as. */
interface FaultCase {
  fault: string;
  model: string;
  kind: ErrorKind;
  /** The wait the provider asked for, in ms; none unless the fault sends one. */
  retryAfterMs?: number;
  /** False when no HTTP response came at all (so no request id either). */
  answered?: false;
}

/** Every failure of the HTTP exchange, as each provider sends it, and the kind it must become. */
function faultCases(under: AdapterUnderTest): FaultCase[] {
  return [
    // `retry-after: 7` for OpenAI, Azure and Anthropic; Gemini's `RetryInfo.retryDelay: "7s"` in the body.
    { fault: 'rate_limit', model: 'rate_limit', kind: 'rate_limited', retryAfterMs: 7000 },
    { fault: 'quota', model: 'quota', kind: 'quota_exhausted' },
    { fault: 'server_error', model: 'server_error', kind: 'server' },
    { fault: 'bad_gateway (an HTML 502)', model: 'bad_gateway', kind: 'bad_gateway' },
    { fault: 'unavailable', model: 'unavailable', kind: 'unavailable' },
    { fault: 'overloaded', model: 'overloaded', kind: under.overloadedKind },
    { fault: 'gateway_timeout', model: 'gateway_timeout', kind: 'timeout' },
    { fault: 'context_length', model: 'context_length', kind: 'too_large' },
    // Gemini blocks a prompt with HTTP 200 and `promptFeedback.blockReason`; the others answer 400.
    { fault: 'content_filter', model: 'content_filter', kind: 'content_filter' },
    { fault: 'auth', model: 'auth', kind: 'auth' },
    {
      fault: 'reset (connection dropped before headers)',
      model: 'reset',
      kind: 'connection',
      answered: false,
    },
    { fault: 'a model the provider does not have', model: unknownModel, kind: 'not_found' },
  ];
}

describe.each(adapters)('$name adapter: failed calls', (under) => {
  const conformance = useConformance(under);

  describe.each(faultCases(under))('$fault', ({ model, kind, retryAfterMs, answered }) => {
    it(`chat() rejects with kind '${kind}'`, async () => {
      const error = await rejectionOf(conformance.adapter.chat(ask(model)));

      expect(error.kind).toBe(kind);
      expect(error.provider).toBe(conformance.adapter.name);
      expect(error.model).toBe(model);
      expect(error.retryAfterMs).toBe(retryAfterMs);
    });

    const carriesRequestId = under.sendsRequestId && answered !== false;
    it(`chat() rejects with ${carriesRequestId ? "the attempt's request id" : 'no request id'} on the error`, async () => {
      const error = await rejectionOf(conformance.adapter.chat(ask(model)));

      expect(error.requestId).toBe(carriesRequestId ? lastAttempt(conformance.sim).requestId : undefined);
    });

    it(`stream() yields only an error event of kind '${kind}'`, async () => {
      const events = await collect(conformance.adapter.stream(ask(model)));

      expect(events.map((event) => event.type)).toEqual(['error']);
      const error = errorOf(events);
      expect(error.kind).toBe(kind);
      expect(error.provider).toBe(conformance.adapter.name);
      expect(error.retryAfterMs).toBe(retryAfterMs);
    });
  });

  it('leaves no request in flight', () => expectNothingInFlight(conformance.sim));
});
