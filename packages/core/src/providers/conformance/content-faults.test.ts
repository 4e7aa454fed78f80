import { describe, expect, it } from 'vitest';
import { adapters } from './test-support/adapters.ts';
import { collect, count, finishOf, refusalOf, textOf } from './test-support/events.ts';
import { ask, reply } from './test-support/scenario.ts';
import { expectNothingInFlight, useConformance } from './test-support/simulator.ts';

// A refusal's words as the simulator writes them (OpenAI `refusal`, Anthropic text).
const refusalWords = /can't help/;

/**
 * Answers that arrive with HTTP 200 but are not what was wanted. At this layer they are answers, not
 * errors: the engine above decides whether an empty or truncated answer is worth a retry.
 */
describe.each(adapters)('$name adapter: unusable answers', (under) => {
  const conformance = useConformance(under);

  describe('an empty answer', () => {
    it("chat() returns text '' with finish reason 'stop'", async () => {
      const response = await conformance.adapter.chat(ask('empty'));

      expect(response.text).toBe('');
      expect(response.content).toEqual([]);
      expect(response.finishReason).toBe('stop');
    });

    it('stream() finishes without a text delta', async () => {
      const events = await collect(conformance.adapter.stream(ask('empty')));

      expect(count(events, 'text-delta')).toBe(0);
      expect(finishOf(events).finishReason).toBe('stop');
    });
  });

  describe('a native refusal', () => {
    it(`chat() finishes with '${under.refusal.finishReason}'${under.refusal.hasText ? ' and the refusal’s words' : ', no words given'}`, async () => {
      const response = await conformance.adapter.chat(ask('refusal'));

      expect(response.finishReason).toBe(under.refusal.finishReason);
      if (under.refusal.hasText) expect(response.refusal).toMatch(refusalWords);
      else expect(response.refusal).toBeUndefined();
    });

    it(`stream() finishes with '${under.refusal.finishReason}'${under.refusal.streamedAs === undefined ? '' : ` after ${under.refusal.streamedAs} events`}`, async () => {
      const events = await collect(conformance.adapter.stream(ask('refusal')));

      expect(finishOf(events).finishReason).toBe(under.refusal.finishReason);
      const words = under.refusal.streamedAs === 'refusal-delta' ? refusalOf(events) : textOf(events);
      if (under.refusal.streamedAs === undefined) expect(words).toBe('');
      else expect(words).toMatch(refusalWords);
    });
  });

  describe('a truncated answer', () => {
    it("chat() returns the beginning of the answer with finish reason 'length'", async () => {
      const response = await conformance.adapter.chat(ask('truncated'));

      expect(response.finishReason).toBe('length');
      expect(response.text).not.toBe('');
      expect(reply.startsWith(response.text)).toBe(true);
      expect(response.text.length).toBeLessThan(reply.length);
    });

    it("stream() finishes with 'length' after the beginning of the answer", async () => {
      const events = await collect(conformance.adapter.stream(ask('truncated')));

      expect(finishOf(events).finishReason).toBe('length');
      expect(textOf(events)).not.toBe('');
      expect(reply.startsWith(textOf(events))).toBe(true);
      expect(textOf(events).length).toBeLessThan(reply.length);
    });
  });

  it('leaves no request in flight', () => expectNothingInFlight(conformance.sim));
});
