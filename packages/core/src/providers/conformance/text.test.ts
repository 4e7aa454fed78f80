import { describe, expect, it } from 'vitest';
import { adapters } from './test-support/adapters.ts';
import { collect, count, finishOf, shape, textOf } from './test-support/events.ts';
import { ask, model, reply } from './test-support/scenario.ts';
import { expectNothingInFlight, lastAttempt, useConformance } from './test-support/simulator.ts';

describe.each(adapters)('$name adapter: text answers', (under) => {
  const conformance = useConformance(under);

  describe('chat()', () => {
    it("returns the model's whole answer with finish reason 'stop'", async () => {
      const response = await conformance.adapter.chat(ask());

      expect(response.text).toBe(reply);
      expect(response.content).toEqual([{ type: 'text', text: reply }]);
      expect(response.toolCalls).toEqual([]);
      expect(response.finishReason).toBe('stop');
      expect(response.refusal).toBeUndefined();
    });

    it('reports the usage of the call, its total the sum of input and output', async () => {
      const { usage } = await conformance.adapter.chat(ask());

      expect(usage.inputTokens).toBeGreaterThan(0);
      expect(usage.outputTokens).toBeGreaterThan(0);
      expect(usage.totalTokens).toBe(usage.inputTokens + usage.outputTokens);
    });

    it('names the provider and the model that answered', async () => {
      const response = await conformance.adapter.chat(ask());

      expect(response.provider).toBe(conformance.adapter.name);
      expect(response.model).toBe(model);
      expect(response.id).not.toBe('');
    });

    if (under.sendsRequestId) {
      it("captures the provider's request id of the attempt", async () => {
        const response = await conformance.adapter.chat(ask());

        expect(response.requestId).toBe(lastAttempt(conformance.sim).requestId);
      });
    } else {
      it('leaves the request id undefined: the provider sends none', async () => {
        const response = await conformance.adapter.chat(ask());

        expect(response.requestId).toBeUndefined();
      });
    }

    it("stops with finish reason 'length' at a small output limit", async () => {
      const response = await conformance.adapter.chat(ask(model, { maxOutputTokens: 3 }));

      expect(response.finishReason).toBe('length');
      expect(response.text).not.toBe('');
      expect(reply.startsWith(response.text)).toBe(true);
      expect(response.text.length).toBeLessThan(reply.length);
    });
  });

  describe('stream()', () => {
    it('yields start, text deltas, usage, then finish', async () => {
      const events = await collect(conformance.adapter.stream(ask()));

      expect(shape(events)).toEqual(['start', 'text-delta', 'usage', 'finish']);
      expect(count(events, 'text-delta')).toBeGreaterThan(1);
      expect(finishOf(events).finishReason).toBe('stop');
    });

    it('streams text deltas that join to the same answer chat() gives', async () => {
      const answer = await conformance.adapter.chat(ask());
      const events = await collect(conformance.adapter.stream(ask()));

      expect(textOf(events)).toBe(answer.text);
    });

    it('reports the usage of the call before it finishes', async () => {
      const events = await collect(conformance.adapter.stream(ask()));
      const usage = events.find((event) => event.type === 'usage')?.usage;

      expect(usage?.inputTokens).toBeGreaterThan(0);
      expect(usage?.outputTokens).toBeGreaterThan(0);
      expect(usage?.totalTokens).toBe((usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0));
    });

    it(`starts with the provider, the model and ${under.sendsRequestId ? 'the request id' : 'no request id'}`, async () => {
      const [start] = await collect(conformance.adapter.stream(ask()));

      expect(start?.type).toBe('start');
      if (start?.type !== 'start') return;
      expect(start.provider).toBe(conformance.adapter.name);
      expect(start.model).toBe(model);
      expect(start.requestId).toBe(under.sendsRequestId ? lastAttempt(conformance.sim).requestId : undefined);
    });

    it("finishes with 'length' at a small output limit", async () => {
      const events = await collect(conformance.adapter.stream(ask(model, { maxOutputTokens: 3 })));

      expect(finishOf(events).finishReason).toBe('length');
      expect(textOf(events)).not.toBe('');
      expect(reply.startsWith(textOf(events))).toBe(true);
      expect(textOf(events).length).toBeLessThan(reply.length);
    });
  });

  it('leaves no request in flight', () => expectNothingInFlight(conformance.sim));
});
