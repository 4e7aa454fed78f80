import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCatalog } from '../catalog/catalog.ts';
import { ChainError } from '../errors/chain-error.ts';
import type { ToolCallPart } from '../neutral/request.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import { continuationPrompt } from './continuation.ts';
import { ask, createHarness } from './test-support/engine-harness.ts';
import { rejected, resolved } from './test-support/run-until-settled.ts';
import { answer, type Step, scriptedUsage } from './test-support/script.ts';
import { createScriptedAdapter } from './test-support/scripted-adapter.ts';
import type { ContentPolicies } from './types.ts';

const question = ask('chat');
const refusal = "I'm sorry, but I can't help with that.";
const weatherCall: ToolCallPart = {
  type: 'tool-call',
  id: 'call_1',
  name: 'get_weather',
  arguments: '{"city":"Paris"}',
};

/** A primary that plays `steps` and a fallback that answers "Paris", on one route with these content policies. */
function twoCandidates(steps: readonly Step[], content?: ContentPolicies) {
  const clock = createFakeClock();
  const primary = createScriptedAdapter('p1', clock, { alpha: steps });
  const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris')] });
  const harness = createHarness(clock, {
    providers: [primary, fallback],
    routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], ...(content === undefined ? {} : { content }) } },
  });
  return { ...harness, primary, fallback };
}

function outcomes(attempts: ReadonlyArray<{ provider: string; model: string; outcome: string }>): string[] {
  return attempts.map((a) => `${a.provider}/${a.model}:${a.outcome}`);
}

describe('content checks', () => {
  describe('empty answers', () => {
    it('are retried on the same candidate, and the retry answers', async () => {
      const { client, clock, primary, fallback, t0 } = twoCandidates([answer(''), answer('Paris')]);

      const result = await resolved(client.chat(question), clock);

      expect(result.text).toBe('Paris');
      expect(primary.calls.map((call) => call.startedAt - t0)).toEqual([0, 500]);
      expect(fallback.calls).toHaveLength(0);
      expect(outcomes(result.resilience.attempts)).toEqual(['p1/alpha:empty', 'p1/alpha:ok']);
    });

    it('include answers of whitespace only', async () => {
      const { client, clock, primary } = twoCandidates([answer(' \n\t '), answer('Paris')]);

      const result = await resolved(client.chat(question), clock);

      expect(result.text).toBe('Paris');
      expect(primary.calls).toHaveLength(2);
    });

    it('fall back once the retries are spent', async () => {
      const { client, clock, primary, fallback } = twoCandidates([answer('')]);

      const result = await resolved(client.chat(question), clock);

      // 1 + the default 3 retries.
      expect(primary.calls).toHaveLength(4);
      expect(fallback.calls).toHaveLength(1);
      expect(result.text).toBe('Paris');
    });

    it('do not include an answer that is only a tool call', async () => {
      const { client, clock, primary } = twoCandidates([answer('', { toolCalls: [weatherCall] })]);

      const result = await resolved(client.chat(question), clock);

      expect(primary.calls).toHaveLength(1);
      expect(result.toolCalls).toEqual([weatherCall]);
      expect(result.finishReason).toBe('tool_calls');
    });
  });

  describe('refusals', () => {
    it("under 'fail', end the request with kind refusal and call no fallback", async () => {
      const { client, clock, primary, fallback } = twoCandidates([answer(refusal)], { refusal: 'fail' });

      const error = await rejected(client.chat(question), clock);

      expect(error).toBeInstanceOf(ChainError);
      expect(error).toMatchObject({ kind: 'refusal', reason: 'not_fallbackable', provider: 'p1' });
      expect(primary.calls).toHaveLength(1);
      expect(fallback.calls).toHaveLength(0);
    });

    it("under 'next', go to the next candidate at once, without a retry", async () => {
      const { client, clock, primary, fallback } = twoCandidates([answer(refusal)], { refusal: 'next' });

      const result = await resolved(client.chat(question), clock);

      expect(result.text).toBe('Paris');
      expect(primary.calls).toHaveLength(1);
      expect(fallback.calls).toHaveLength(1);
      expect(outcomes(result.resilience.attempts)).toEqual(['p1/alpha:refusal', 'p2/beta:ok']);
      expect(result.resilience.content?.refused).toBe(false);
    });

    it("under 'return' (the default), are returned marked refused", async () => {
      const { client, clock, fallback } = twoCandidates([answer(refusal)]);

      const result = await resolved(client.chat(question), clock);

      expect(result.text).toBe(refusal);
      expect(result.resilience.content).toMatchObject({ refused: true });
      expect(fallback.calls).toHaveLength(0);
    });

    it('are recognised from the native signal, even with no text', async () => {
      const nativeRefusal = answer('', { finishReason: 'refusal', refusal: 'I cannot help with that.' });
      const { client, clock, primary, fallback } = twoCandidates([nativeRefusal], { refusal: 'next' });

      const result = await resolved(client.chat(question), clock);

      expect(primary.calls).toHaveLength(1);
      expect(fallback.calls).toHaveLength(1);
      expect(result.text).toBe('Paris');
    });

    it('with no text are returned as refusals, not retried as empty answers', async () => {
      const nativeRefusal = answer('', { refusal: 'I cannot help with that.' });
      const { client, clock, primary } = twoCandidates([nativeRefusal]);

      const result = await resolved(client.chat(question), clock);

      expect(primary.calls).toHaveLength(1);
      expect(result.refusal).toBe('I cannot help with that.');
      expect(result.resilience.content).toMatchObject({ refused: true });
    });

    it('are not found in an ordinary answer that says "I can\'t" in passing', async () => {
      const ordinary = "Here's the plan. I can't stress enough how important backups are: run them nightly.";
      const { client, clock, fallback } = twoCandidates([answer(ordinary)], { refusal: 'fail' });

      const result = await resolved(client.chat(question), clock);

      expect(result.text).toBe(ordinary);
      expect(result.resilience.content).toMatchObject({ refused: false });
      expect(fallback.calls).toHaveLength(0);
    });

    it("are recognised by the route's own phrases", async () => {
      const { client, clock, fallback } = twoCandidates([answer('Policy forbids answering this.')], {
        refusal: 'next',
        refusalDetection: { extraPhrases: ['policy forbids'] },
      });

      const result = await resolved(client.chat(question), clock);

      expect(fallback.calls).toHaveLength(1);
      expect(result.text).toBe('Paris');
    });
  });

  describe('content filters', () => {
    it('end the request with kind content_filter, calling no fallback by default', async () => {
      const filtered = answer('The answer was', { finishReason: 'content_filter' });
      const { client, clock, primary, fallback } = twoCandidates([filtered]);

      const error = await rejected(client.chat(question), clock);

      expect(error).toMatchObject({ kind: 'content_filter', reason: 'not_fallbackable' });
      expect(primary.calls).toHaveLength(1);
      expect(fallback.calls).toHaveLength(0);
    });

    it("go to the next candidate when the route's contentFilter is 'fallback'", async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, {
        alpha: [answer('The answer was', { finishReason: 'content_filter' })],
      });
      const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris')] });
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], contentFilter: 'fallback' } },
      });

      const result = await resolved(client.chat(question), clock);

      expect(result.text).toBe('Paris');
      expect(primary.calls).toHaveLength(1);
    });
  });

  describe('truncated answers', () => {
    const cut = answer('The capital of France is', { finishReason: 'length' });

    it("under 'fail', go to the next candidate with kind truncated", async () => {
      const { client, clock, primary, fallback } = twoCandidates([cut], { truncation: 'fail' });

      const result = await resolved(client.chat(question), clock);

      expect(result.text).toBe('Paris');
      expect(primary.calls).toHaveLength(1);
      expect(fallback.calls).toHaveLength(1);
      expect(outcomes(result.resilience.attempts)).toEqual(['p1/alpha:truncated', 'p2/beta:ok']);
    });

    it("under 'accept' (the default for chat), are returned marked truncated", async () => {
      const { client, clock, primary } = twoCandidates([cut]);

      const result = await resolved(client.chat(question), clock);

      expect(primary.calls).toHaveLength(1);
      expect(result.text).toBe('The capital of France is');
      expect(result.finishReason).toBe('length');
      expect(result.resilience.content).toMatchObject({ truncated: true, continuations: 0 });
    });

    describe("under 'continue'", () => {
      it('ask the model to go on from its own text, and return the stitched whole', async () => {
        const { client, clock, primary, fallback } = twoCandidates([cut, answer(' Paris, on the Seine.')], {
          truncation: 'continue',
        });

        const result = await resolved(client.chat(question), clock);

        expect(primary.calls).toHaveLength(2);
        expect(fallback.calls).toHaveLength(0);
        expect(primary.calls[1]?.request.messages).toEqual([
          ...question.messages,
          { role: 'assistant', content: 'The capital of France is' },
        ]);
        expect(result.text).toBe('The capital of France is Paris, on the Seine.');
        expect(result.content).toEqual([{ type: 'text', text: result.text }]);
        expect(result.finishReason).toBe('stop');
        expect(result.resilience.content).toMatchObject({ truncated: false, continuations: 1 });
        expect(result.usage.outputTokens).toBe(2 * scriptedUsage.outputTokens);
      });

      it('ask a model without prefill in a user turn after its own text', async () => {
        const clock = createFakeClock();
        const provider = createScriptedAdapter('p1', clock, { 'no-prefill': [cut, answer(' Paris.')] });
        const { client } = createHarness(clock, {
          providers: [provider],
          routes: { chat: { candidates: ['p1/no-prefill'], content: { truncation: 'continue' } } },
          catalog: createCatalog([
            {
              id: 'no-prefill',
              provider: 'openai',
              contextWindow: 128_000,
              maxOutputTokens: 16_000,
              tokenizer: 'o200k',
              capabilities: { tools: true, jsonSchema: true, vision: false, streaming: true, prefill: false },
            },
          ]),
        });

        const result = await resolved(client.chat(question), clock);

        expect(provider.calls[1]?.request.messages.slice(-2)).toEqual([
          { role: 'assistant', content: 'The capital of France is' },
          { role: 'user', content: continuationPrompt },
        ]);
        expect(result.text).toBe('The capital of France is Paris.');
      });

      it('drop the part of a continuation that repeats the end of the cut text', async () => {
        const { client, clock } = twoCandidates([cut, answer('of France is Paris.')], {
          truncation: 'continue',
        });

        const result = await resolved(client.chat(question), clock);

        expect(result.text).toBe('The capital of France is Paris.');
      });

      it('go on for at most maxContinuations, then return the answer marked truncated', async () => {
        const { client, clock, primary } = twoCandidates(
          [cut, answer(' Paris,', { finishReason: 'length' }), answer(' on the', { finishReason: 'length' })],
          { truncation: 'continue', maxContinuations: 2 },
        );

        const result = await resolved(client.chat(question), clock);

        expect(primary.calls).toHaveLength(3);
        expect(primary.calls[2]?.request.messages.at(-1)).toEqual({
          role: 'assistant',
          content: 'The capital of France is Paris,',
        });
        expect(result.text).toBe('The capital of France is Paris, on the');
        expect(result.resilience.content).toMatchObject({ truncated: true, continuations: 2 });
      });

      it('do not continue an answer cut before it said anything: it is empty, and retried', async () => {
        const { client, clock, primary } = twoCandidates(
          [answer('', { finishReason: 'length' }), answer('Paris')],
          { truncation: 'continue' },
        );

        const result = await resolved(client.chat(question), clock);

        expect(primary.calls.map((call) => call.request.messages)).toEqual([
          question.messages,
          question.messages,
        ]);
        expect(outcomes(result.resilience.attempts)).toEqual(['p1/alpha:empty', 'p1/alpha:ok']);
        expect(result.text).toBe('Paris');
      });

      it('leave an answer with tool calls alone', async () => {
        const { client, clock, primary } = twoCandidates(
          [answer('Checking', { finishReason: 'length', toolCalls: [weatherCall] })],
          { truncation: 'continue' },
        );

        const result = await resolved(client.chat(question), clock);

        expect(primary.calls).toHaveLength(1);
        expect(result.toolCalls).toEqual([weatherCall]);
      });
    });
  });

  describe('objects', () => {
    it('continue a truncated JSON answer into a complete, valid object', async () => {
      const schema = z.object({
        name: z.string(),
        age: z.number(),
        address: z.object({ city: z.string() }),
      });
      const { client, clock, primary } = twoCandidates([
        answer('{"name": "Ada", "age": 3', { finishReason: 'length' }),
        answer('6, "address": {"city": "London"}}'),
      ]);

      const result = await resolved(client.object({ ...question, schema }), clock);

      expect(primary.calls).toHaveLength(2);
      expect(primary.calls[1]?.request.messages.at(-1)).toEqual({
        role: 'assistant',
        content: '{"name": "Ada", "age": 3',
      });
      expect(result.object).toEqual({ name: 'Ada', age: 36, address: { city: 'London' } });
      expect(JSON.parse(result.text)).toEqual(result.object);
      expect(result.resilience.content).toMatchObject({ truncated: false, continuations: 1, repairs: 0 });
    });

    it('go to the next candidate on a refusal, whatever the refusal policy', async () => {
      const clock = createFakeClock();
      const primary = createScriptedAdapter('p1', clock, { alpha: [answer(refusal)] });
      const fallback = createScriptedAdapter('p2', clock, { beta: [answer('{"city": "Paris"}')] });
      const { client } = createHarness(clock, {
        providers: [primary, fallback],
        routes: { chat: { candidates: ['p1/alpha', 'p2/beta'] } },
      });

      const result = await resolved(
        client.object({ ...question, schema: z.object({ city: z.string() }) }),
        clock,
      );

      expect(result.object).toEqual({ city: 'Paris' });
      expect(primary.calls).toHaveLength(1);
      expect(outcomes(result.resilience.attempts)).toEqual(['p1/alpha:refusal', 'p2/beta:ok']);
    });

    it('take a valid object as an answer even when one of its strings opens like a refusal', async () => {
      const reply = { reply: "Thanks for asking. I can't provide refunds after 30 days.", escalate: false };
      const { client, clock, primary, fallback } = twoCandidates([answer(JSON.stringify(reply))], {
        refusal: 'fail',
      });
      const schema = z.object({ reply: z.string(), escalate: z.boolean() });

      const result = await resolved(client.object({ ...question, schema }), clock);

      expect(result.object).toEqual(reply);
      expect(primary.calls).toHaveLength(1);
      expect(fallback.calls).toHaveLength(0);
    });
  });
});
