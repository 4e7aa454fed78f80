import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCatalog } from '../catalog/catalog.ts';
import { toJsonSchema } from '../content/schema.ts';
import { ChainError } from '../errors/chain-error.ts';
import type { ChatRequest } from '../neutral/request.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import { ask, createHarness } from './test-support/engine-harness.ts';
import { rejected, resolved } from './test-support/run-until-settled.ts';
import { answer, fail, providerError, type Step } from './test-support/script.ts';
import { createScriptedAdapter } from './test-support/scripted-adapter.ts';
import type { Route } from './types.ts';

const question = ask('chat', 'Who wrote the first program?');
const user = z.object({ name: z.string(), age: z.number() });
const ada = { name: 'Ada', age: 36 };

/** A model the catalog knows, with native structured output or without it. */
function catalogModel(id: string, jsonSchema: boolean) {
  return {
    id,
    provider: 'openai' as const,
    contextWindow: 128_000,
    maxOutputTokens: 16_000,
    tokenizer: 'o200k' as const,
    capabilities: { tools: true, jsonSchema, vision: false, streaming: true, prefill: true },
  };
}

const catalog = createCatalog([catalogModel('native-model', true), catalogModel('plain-model', false)]);

/** A primary playing `primarySteps` and a fallback playing `fallbackSteps`, on route `chat`. */
function setup(
  primarySteps: readonly Step[],
  fallbackSteps: readonly Step[] = [answer(JSON.stringify(ada))],
  route: Partial<Route> = {},
) {
  const clock = createFakeClock();
  const primary = createScriptedAdapter('p1', clock, { alpha: primarySteps });
  const fallback = createScriptedAdapter('p2', clock, { beta: fallbackSteps });
  const harness = createHarness(clock, {
    providers: [primary, fallback],
    routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], ...route } },
    catalog,
  });
  return { ...harness, primary, fallback };
}

/** The text of the last message of a request, which a repair turn puts the issues in. */
function lastTurn(request: ChatRequest | undefined): string {
  const content = request?.messages.at(-1)?.content;
  return typeof content === 'string' ? content : '';
}

describe('JSON answers', () => {
  describe('the repair loop', () => {
    it('asks again with the issues, and takes the repaired answer', async () => {
      const { client, clock, primary, fallback } = setup([
        answer('{"name": "Ada"}'),
        answer('{"name": "Ada", "age": 36}'),
      ]);

      const result = await resolved(client.object({ ...question, schema: user }), clock);

      expect(result.object).toEqual(ada);
      expect(primary.calls).toHaveLength(2);
      expect(fallback.calls).toHaveLength(0);
      const repair = primary.calls[1]?.request;
      expect(repair?.messages.at(-2)).toEqual({ role: 'assistant', content: '{"name": "Ada"}' });
      expect(repair?.messages.at(-1)?.role).toBe('user');
      expect(lastTurn(repair)).toMatch(/^That answer is not valid JSON for the requested schema:\n- age: /);
      expect(result.resilience.content).toMatchObject({ repairs: 1 });
      expect(result.resilience.attempts).toHaveLength(1);
    });

    it('is bounded: maxRepairs 2 makes exactly 1 + 2 calls to the candidate, then the next candidate answers', async () => {
      const { client, clock, primary, fallback } = setup([answer('{"name": "Ada"}')], undefined, {
        content: { maxRepairs: 2 },
      });

      const result = await resolved(client.object({ ...question, schema: user }), clock);

      expect(primary.calls).toHaveLength(3);
      expect(fallback.calls).toHaveLength(1);
      for (const repair of primary.calls.slice(1)) {
        expect(lastTurn(repair.request)).toContain(
          '- age: Invalid input: expected number, received undefined',
        );
      }
      expect(result.object).toEqual(ada);
      expect(result.resilience.attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual([
        'p1:schema_mismatch',
        'p2:ok',
      ]);
      expect(result.resilience.content).toMatchObject({ repairs: 0 });
    });

    it('makes no repair with maxRepairs 0', async () => {
      const { client, clock, primary, fallback } = setup([answer('{"name": "Ada"}')], undefined, {
        content: { maxRepairs: 0 },
      });

      await resolved(client.object({ ...question, schema: user }), clock);

      expect(primary.calls).toHaveLength(1);
      expect(fallback.calls).toHaveLength(1);
    });

    it('reports an answer with no JSON at all as malformed_json, once every candidate gave up', async () => {
      const prose = answer('Ada Lovelace, who was 36.');
      const { client, clock, primary, fallback } = setup([prose], [prose], { content: { maxRepairs: 1 } });

      const error = await rejected(client.object({ ...question, schema: user }), clock);

      expect(error).toBeInstanceOf(ChainError);
      expect(error).toMatchObject({ kind: 'malformed_json', reason: 'all_failed' });
      expect(primary.calls).toHaveLength(2);
      expect(fallback.calls).toHaveLength(2);
      expect(lastTurn(primary.calls[1]?.request)).toContain('- (root): the answer contains no JSON');
    });

    it('reports JSON of the wrong shape as schema_mismatch', async () => {
      const wrong = answer('{"name": 36}');
      const { client, clock } = setup([wrong], [wrong], { content: { maxRepairs: 0 } });

      const error = await rejected(client.object({ ...question, schema: user }), clock);

      expect(error).toMatchObject({ kind: 'schema_mismatch' });
      expect((error as ChainError).errors.map((e) => e.kind)).toEqual(['schema_mismatch', 'schema_mismatch']);
    });

    it('is not needed for near misses: they are repaired locally and returned as clean JSON', async () => {
      const { client, clock, primary } = setup([
        answer("Here you go:\n```json\n{'name': 'Ada', 'age': 36,}\n```"),
      ]);

      const result = await resolved(client.object({ ...question, schema: user }), clock);

      expect(primary.calls).toHaveLength(1);
      expect(result.object).toEqual(ada);
      expect(result.text).toBe(JSON.stringify(ada));
      expect(result.resilience.content).toMatchObject({ jsonRepaired: true, repairs: 0 });
    });

    it('continues a repair answer that was cut at the output limit', async () => {
      const { client, clock, primary } = setup([
        answer('{"name": "Ada"}'),
        answer('{"name": "Ada", "a', { finishReason: 'length' }),
        answer('ge": 36}'),
      ]);

      const result = await resolved(client.object({ ...question, schema: user }), clock);

      expect(primary.calls).toHaveLength(3);
      expect(primary.calls[2]?.request.messages.at(-1)).toEqual({
        role: 'assistant',
        content: '{"name": "Ada", "a',
      });
      expect(result.object).toEqual(ada);
      expect(result.resilience.content).toMatchObject({ repairs: 1, continuations: 1, truncated: false });
    });
  });

  describe('how each candidate is asked', () => {
    it('a model with native structured output gets the schema as a json_schema response format', async () => {
      const clock = createFakeClock();
      const provider = createScriptedAdapter('p1', clock, { 'native-model': [answer(JSON.stringify(ada))] });
      const { client } = createHarness(clock, {
        providers: [provider],
        routes: { chat: { candidates: ['p1/native-model'] } },
        catalog,
      });

      await resolved(
        client.object({
          ...question,
          system: 'Be brief.',
          schema: user,
          schemaName: 'user',
          schemaDescription: 'A person',
        }),
        clock,
      );

      const sent = provider.calls[0]?.request;
      expect(sent?.responseFormat).toEqual({
        type: 'json_schema',
        schema: toJsonSchema(user),
        name: 'user',
        description: 'A person',
      });
      expect(sent?.system).toBe('Be brief.');
    });

    it("a model without it gets JSON mode and the schema in the system prompt, after the caller's", async () => {
      const clock = createFakeClock();
      const provider = createScriptedAdapter('p1', clock, { 'plain-model': [answer(JSON.stringify(ada))] });
      const { client } = createHarness(clock, {
        providers: [provider],
        routes: { chat: { candidates: ['p1/plain-model'] } },
        catalog,
      });

      await resolved(client.object({ ...question, system: 'Be brief.', schema: user }), clock);

      const sent = provider.calls[0]?.request;
      expect(sent?.responseFormat).toEqual({ type: 'json' });
      expect(sent?.system).toBe(
        `Be brief.\n\nAnswer with a single JSON value only (no prose, no code fences) that matches this JSON Schema:\n${JSON.stringify(toJsonSchema(user))}`,
      );
    });

    it('a schema that cannot describe itself is asked for in JSON mode, even of a native model', async () => {
      const clock = createFakeClock();
      const provider = createScriptedAdapter('p1', clock, { 'native-model': [answer(JSON.stringify(ada))] });
      const { client } = createHarness(clock, {
        providers: [provider],
        routes: { chat: { candidates: ['p1/native-model'] } },
        catalog,
      });
      const schema = v.object({ name: v.string(), age: v.number() });

      const result = await resolved(client.object({ ...question, schema }), clock);

      const sent = provider.calls[0]?.request;
      expect(sent?.responseFormat).toEqual({ type: 'json' });
      expect(sent?.system).toBe('Answer with a single JSON value only: no prose, no code fences.');
      expect(result.object).toEqual(ada);
    });

    it('each candidate of a route is asked its own way', async () => {
      const clock = createFakeClock();
      const provider = createScriptedAdapter('p1', clock, {
        'native-model': [answer('{"name": "Ada"}')],
        'plain-model': [answer(JSON.stringify(ada))],
      });
      const { client } = createHarness(clock, {
        providers: [provider],
        routes: { chat: { candidates: ['p1/native-model', 'p1/plain-model'], content: { maxRepairs: 0 } } },
        catalog,
      });

      const result = await resolved(client.object({ ...question, schema: user }), clock);

      expect(provider.calls.map((call) => [call.model, call.request.responseFormat?.type])).toEqual([
        ['native-model', 'json_schema'],
        ['plain-model', 'json'],
      ]);
      expect(result.object).toEqual(ada);
    });
  });

  describe('validateJson on a route', () => {
    const format = { type: 'json_schema' as const, schema: toJsonSchema(user) ?? {}, name: 'user' };

    it("enforces a chat request's json_schema response format and returns clean JSON text", async () => {
      const { client, clock } = setup(
        [answer('Here is the user:\n```json\n{"name": "Ada", "age": 36}\n```')],
        undefined,
        { content: { validateJson: true } },
      );

      const result = await resolved(client.chat({ ...question, responseFormat: format }), clock);

      expect(result.text).toBe('{"name":"Ada","age":36}');
      expect(result.content).toEqual([{ type: 'text', text: result.text }]);
      expect(result.resilience.content).toMatchObject({ jsonRepaired: true });
    });

    it('asks again when the JSON does not match the response format', async () => {
      const { client, clock, primary } = setup(
        [answer('{"name": "Ada"}'), answer('{"name": "Ada", "age": 36}')],
        undefined,
        { content: { validateJson: true } },
      );

      const result = await resolved(client.chat({ ...question, responseFormat: format }), clock);

      expect(primary.calls).toHaveLength(2);
      expect(lastTurn(primary.calls[1]?.request)).toContain("- (root): must have required property 'age'");
      expect(result.text).toBe('{"name": "Ada", "age": 36}');
    });

    it('takes any JSON for a plain json response format, and not the prose after it', async () => {
      const { client, clock } = setup([answer('{"name": "Ada", "age": 36}\nHope this helps!')], undefined, {
        content: { validateJson: true },
      });

      const result = await resolved(client.chat({ ...question, responseFormat: { type: 'json' } }), clock);

      expect(result.text).toBe('{"name":"Ada","age":36}');
    });

    it('leaves a request without a JSON response format alone', async () => {
      const { client, clock } = setup([answer('Ada Lovelace.')], undefined, {
        content: { validateJson: true },
      });

      const result = await resolved(client.chat(question), clock);

      expect(result.text).toBe('Ada Lovelace.');
    });

    it('is off by default: the answer is returned as the model wrote it', async () => {
      const prose = 'Here is the user:\n```json\n{"name": "Ada"}\n```';
      const { client, clock, primary } = setup([answer(prose)]);

      const result = await resolved(client.chat({ ...question, responseFormat: format }), clock);

      expect(result.text).toBe(prose);
      expect(primary.calls).toHaveLength(1);
    });
  });

  describe('cached answers', () => {
    const down = fail(providerError('unavailable'));
    const cached: Partial<Route> = { cache: {}, retry: false };

    it('serve object() from a stale answer when every candidate fails, validated again', async () => {
      const { client, clock } = setup([answer(JSON.stringify(ada)), down], [down], cached);
      await resolved(client.object({ ...question, schema: user }), clock);
      clock.advance(60_000);

      const result = await resolved(client.object({ ...question, schema: user }), clock);

      expect(result.object).toEqual(ada);
      expect(result.resilience).toMatchObject({ cache: 'stale', cacheAgeMs: 60_000 });
    });

    it('do not serve object() a stale answer that does not validate: the outage is reported', async () => {
      const { client, clock } = setup([answer('{"name": "Ada"}'), down], [down], cached);
      // A chat() with a JSON response format shares object()'s cache entry; nothing checked its shape.
      await resolved(client.chat({ ...question, responseFormat: { type: 'json' } }), clock);

      const error = await rejected(client.object({ ...question, schema: user }), clock);

      expect(error).toBeInstanceOf(ChainError);
      expect(error).toMatchObject({ kind: 'unavailable' });
    });

    it('are passed over when fresh but invalid, and a live candidate answers', async () => {
      const { client, clock, primary } = setup(
        [answer('{"name": "Ada"}'), answer(JSON.stringify(ada))],
        undefined,
        { cache: { freshTtlMs: 60_000 }, retry: false },
      );
      await resolved(client.chat({ ...question, responseFormat: { type: 'json' } }), clock);

      const result = await resolved(client.object({ ...question, schema: user }), clock);

      expect(primary.calls).toHaveLength(2);
      expect(result.object).toEqual(ada);
      expect(result.resilience.cache).toBeUndefined();
    });
  });
});
