import {
  type ChatRequest,
  createCatalog,
  createClient,
  createOpenAi,
  jsonSchema,
  SteadfastError,
} from '@steadfast/core';
import { type Fault, type FaultKind, faultKinds, parseScenario } from '@steadfast/simulator';
import { describe, expect, it } from 'vitest';
import { type CanaryAdapter, canaryAdapters, fallbackFor } from './test-support/canary-adapters.ts';
import { canaryKeys, keysIn } from './test-support/canary-keys.ts';
import { type CanaryWorldOptions, canaryRoute, startCanaryWorld } from './test-support/canary-world.ts';
import { exposed } from './test-support/exposed.ts';

/**
 * The canary sweep: every simulator fault, through every adapter, as `chat()` and as `stream()`, with
 * recognisable fake keys configured, and everything that reports on the client listening (see
 * `startCanaryWorld`). No key, nor its first 8 characters, may appear in any log line, error, event,
 * span, alert, metric label, store or cache entry, result, stream event or HTTP header, except the one
 * header each request authenticates with.
 *
 * Gateway keys reach the core only as what a gateway would make of them here, a cache tenant; the
 * gateway's own bad-input paths (auth, body parsing) come with the gateway.
 */

const question: ChatRequest = {
  model: canaryRoute,
  messages: [{ role: 'user', content: 'Why do LLM calls need a resilience layer?' }],
};

/** A fault as the sweep injects it into `adapter`'s model; one that waits, waits until a client limit ends it. */
type FaultCase = { label: string; kind: FaultKind; fault: (adapter: CanaryAdapter) => Fault };

const forever = 600_000;

/** Every simulator fault, with its parameters; typed by kind, so that a fault added later must be listed. */
const faultsByKind: { [K in FaultKind]: (adapter: CanaryAdapter) => Extract<Fault, { kind: K }> } = {
  rate_limit: () => ({ kind: 'rate_limit', retryAfterSeconds: 1 }),
  quota: () => ({ kind: 'quota' }),
  server_error: () => ({ kind: 'server_error' }),
  bad_gateway: () => ({ kind: 'bad_gateway' }),
  unavailable: () => ({ kind: 'unavailable', retryAfterSeconds: 1 }),
  overloaded: () => ({ kind: 'overloaded' }),
  gateway_timeout: () => ({ kind: 'gateway_timeout' }),
  context_length: () => ({ kind: 'context_length' }),
  content_filter: () => ({ kind: 'content_filter' }),
  // The simulator's own auth answer echoes the key masked, as OpenAI does.
  auth: () => ({ kind: 'auth' }),
  // The realistic leak: a provider quoting the whole key back in its error message.
  http: (adapter) => ({
    kind: 'http',
    ...adapter.errorAnswer(canaryKeys[adapter.key]),
    headers: { 'x-request-id': 'req_canary_http' },
  }),
  no_response: () => ({ kind: 'no_response' }),
  reset: () => ({ kind: 'reset' }),
  slow_first_token: () => ({ kind: 'slow_first_token', delayMs: forever }),
  stream_cut: () => ({ kind: 'stream_cut', afterChunks: 2 }),
  // Silent from the start, so that the first-token or attempt limit ends it whenever the bytes arrive.
  stream_stall: () => ({ kind: 'stream_stall', afterChunks: 0, stallMs: forever }),
  malformed_chunk: () => ({ kind: 'malformed_chunk', afterChunks: 2 }),
  missing_done: () => ({ kind: 'missing_done' }),
  stream_error: () => ({ kind: 'stream_error', afterChunks: 2 }),
  empty: () => ({ kind: 'empty' }),
  refusal: () => ({ kind: 'refusal', mode: 'native' }),
  truncated: () => ({ kind: 'truncated', atTokens: 5 }),
  malformed_json: () => ({ kind: 'malformed_json' }),
};

/**
 * The key's first 8 characters, asterisks and its last 4: a key quoted masked, as providers quote one,
 * with more of its start than the simulator's own mask shows (3 characters).
 */
function maskedLikeOpenAi(key: string): string {
  return `${key.slice(0, 8)}${'*'.repeat(20)}${key.slice(-4)}`;
}

const faultCases: FaultCase[] = [
  ...faultKinds.map((kind) => ({ label: kind, kind, fault: faultsByKind[kind] })),
  {
    label: 'http, quoting the key masked after its first 8 characters',
    kind: 'http',
    fault: (adapter) => ({ kind: 'http', ...adapter.errorAnswer(maskedLikeOpenAi(canaryKeys[adapter.key])) }),
  },
];

/** A world where `failing` always has `fault` and its fallback, on another provider, answers. */
function sweepWorld(failing: CanaryAdapter, fault: Fault): CanaryWorldOptions {
  return {
    scenario: { models: { [failing.model]: { faults: [{ fault }] }, '*': {} } },
    candidates: [failing, fallbackFor(failing)],
    route: {
      retry: { maxRetries: 1, baseDelayMs: 10 },
      breaker: { consecutiveFailures: 2 },
      cache: { maxStaleMs: 3_600_000 },
      contentFilter: 'fallback',
      degrade: () => 'The assistant is resting; please try again later.',
    },
  };
}

describe('canary: no key leaves the client by any way but its own request header', () => {
  it('the sweep covers every fault the simulator has', () => {
    expect(Object.keys(faultsByKind).sort()).toEqual([...faultKinds].sort());
  });

  describe.each(canaryAdapters)('$name failing', (failing) => {
    describe.each(['chat', 'stream'] as const)('through %s()', (mode) => {
      it.each(faultCases)('$label', async ({ kind, fault }) => {
        const world = await startCanaryWorld(sweepWorld(failing, fault(failing)));

        await world.ask(mode, question, { tenant: canaryKeys.gateway });

        // The fault was met, and the request went through the failing adapter's own key.
        const onFailing = world.sim.log().filter((attempt) => attempt.model === failing.model);
        expect(onFailing.map((attempt) => attempt.outcome)).toContain(kind);
        expect(world.exchanges.some((exchange) => exchange.adapter === failing)).toBe(true);
        expect(world.outputs.length).toBeGreaterThan(0);
        expect(await world.leaks()).toEqual([]);
      });
    });
  });

  describe.each(canaryAdapters)('$name quoting its whole key in an error', (failing) => {
    it("has the key replaced in the error's message, which still says what went wrong", async () => {
      const world = await startCanaryWorld({
        ...sweepWorld(failing, faultsByKind.http(failing)),
        route: { retry: false },
      });

      await world.ask('chat', question);

      const failed = world.events.find((event) => event.type === 'attempt-end' && event.outcome !== 'ok');
      const error = failed?.type === 'attempt-end' ? failed.error : undefined;
      expect(error?.kind).toBe('auth');
      expect(error?.message).toContain('[redacted]');
      expect(error?.message).toMatch(/key/i);
      expect(keysIn(exposed(error))).toEqual([]);
    });
  });

  it("the simulator's key check: each wrong key is refused with a 401 that quotes it masked, and none leaks", async () => {
    const world = await startCanaryWorld({
      scenario: { apiKey: 'sk-the-only-key-the-simulator-takes-000000', models: { '*': {} } },
      candidates: canaryAdapters.slice(0, 3),
      route: { retry: false },
    });

    await world.ask('chat', question);
    await world.ask('stream', question);

    // Gemini refuses a bad key with 400 API_KEY_INVALID.
    expect(world.exchanges.map((exchange) => exchange.status)).toEqual([401, 401, 400, 401, 401, 400]);
    expect(world.sim.log().every((attempt) => attempt.outcome === 'auth')).toBe(true);
    const [rejection] = world.outputs;
    expect(SteadfastError.isInstance(rejection) && rejection.kind).toBe('auth');
    expect(await world.leaks()).toEqual([]);
  });

  describe('bad input', () => {
    const calm = (): CanaryWorldOptions => ({
      scenario: { models: { '*': {} } },
      candidates: canaryAdapters.slice(0, 2),
    });

    it('a request for an unknown route is refused, naming the routes, and no key', async () => {
      const world = await startCanaryWorld(calm());

      await world.ask('chat', { ...question, model: 'no-such-route' });
      await world.ask('stream', { ...question, model: 'no-such-route' });

      expect(world.outputs).toHaveLength(2);
      for (const output of world.outputs) {
        expect(SteadfastError.isInstance(output) && output.code).toBe('unknown_route');
      }
      expect(world.exchanges).toEqual([]);
      expect(await world.leaks()).toEqual([]);
    });

    it('a request no candidate can take (tools, on models without them) fails without a call, and no key', async () => {
      const noTools = createCatalog(
        canaryAdapters.slice(0, 2).map((adapter) => ({
          id: adapter.model,
          provider: adapter.provider === 'anthropic' ? ('anthropic' as const) : ('openai' as const),
          contextWindow: 128_000,
          maxOutputTokens: 8_000,
          tokenizer: adapter.provider === 'anthropic' ? ('claude' as const) : ('o200k' as const),
          capabilities: { tools: false, jsonSchema: true, vision: true, streaming: true, prefill: true },
        })),
      );
      const world = await startCanaryWorld({ ...calm(), catalog: noTools });
      const withTools: ChatRequest = {
        ...question,
        tools: [{ name: 'lookup', description: 'Looks a word up', parameters: { type: 'object' } }],
      };

      await world.ask('chat', withTools);
      await world.ask('stream', withTools);

      expect(world.outputs[0]).toMatchObject({ reason: 'no_candidate' });
      expect(world.exchanges).toEqual([]);
      expect(world.events.some((event) => event.type === 'candidate-skipped')).toBe(true);
      expect(await world.leaks()).toEqual([]);
    });

    it('an object() whose answers never match the schema fails after its repairs, and no key', async () => {
      const world = await startCanaryWorld({
        ...calm(),
        scenario: { models: { '*': { jsonReply: '{"title": "Dune"}' } } },
      });
      const book = jsonSchema<{ title: string; author: string }>({
        type: 'object',
        properties: { title: { type: 'string' }, author: { type: 'string' } },
        required: ['title', 'author'],
      });

      try {
        world.outputs.push(await world.client.object({ ...question, schema: book, schemaName: 'book' }));
      } catch (error) {
        world.outputs.push(error);
      }

      expect(SteadfastError.isInstance(world.outputs[0])).toBe(true);
      expect(world.exchanges.length).toBeGreaterThan(1);
      expect(await world.leaks()).toEqual([]);
    });

    it('an invalid scenario is refused, naming its wrong fields and not the key it holds', () => {
      const invalid = [
        { apiKey: canaryKeys.openai, models: { m: { latencyMs: -1 } } },
        { api_key: canaryKeys.openai },
        { apiKey: canaryKeys.azure, seed: 'seven' },
      ];

      for (const scenario of invalid) {
        let refusal: unknown;
        try {
          parseScenario(scenario);
        } catch (error) {
          refusal = error;
        }
        expect(refusal).toBeInstanceOf(Error);
        expect((refusal as Error).message).toMatch(/Invalid scenario/);
        expect(keysIn(exposed(refusal))).toEqual([]);
      }
    });

    it('a client configured with a route to an unknown provider is refused, naming providers, and no key', () => {
      let refusal: unknown;
      try {
        createClient({
          providers: { openai: createOpenAi({ apiKey: canaryKeys.openai }) },
          routes: { [canaryRoute]: { candidates: ['openia/gpt-4o'] } },
        });
      } catch (error) {
        refusal = error;
      }

      expect((refusal as Error).message).toContain('provider "openia" is not configured (known: openai)');
      expect(keysIn(exposed(refusal))).toEqual([]);
    });
  });
});
