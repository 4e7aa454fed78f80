import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../neutral/request.ts';
import type { ChatResponse } from '../neutral/response.ts';
import { createMemoryStore } from '../store/memory-store.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import { cacheKey, createResponseCache } from './cache.ts';

const request: ChatRequest = {
  model: 'smart',
  system: 'Answer briefly.',
  messages: [{ role: 'user', content: 'What is the capital of France?' }],
  tools: [{ name: 'lookup', description: 'Looks a city up', parameters: { type: 'object' } }],
  toolChoice: 'auto',
  responseFormat: { type: 'text' },
  maxOutputTokens: 256,
  temperature: 0.2,
  topP: 0.9,
  stop: ['\n\n'],
  seed: 7,
  user: 'user-1',
  providerOptions: { openai: { reasoning_effort: 'low' } },
};

const scope = { route: 'smart', tenant: 'acme' };

function answer(text: string): ChatResponse {
  return {
    id: `resp-${text}`,
    provider: 'openai',
    model: 'gpt-4o',
    requestId: 'req-1',
    content: [{ type: 'text', text }],
    text,
    toolCalls: [],
    finishReason: 'stop',
    rawFinishReason: 'stop',
    usage: { inputTokens: 10, outputTokens: 2, cachedInputTokens: 0, totalTokens: 12 },
    rateLimit: undefined,
    timings: { startedAt: 0, headersMs: 100, totalMs: 200 },
  };
}

type KeyedField = Exclude<keyof ChatRequest, 'original' | 'metadata'>;

// A record over every keyed field, so that a field added to ChatRequest fails to compile here until it
// has a case.
const changeOneField = {
  model: { model: 'fast' },
  system: { system: 'Answer at length.' },
  messages: { messages: [{ role: 'user', content: 'What is the capital of Spain?' }] },
  tools: { tools: [{ name: 'lookup', description: 'Looks a city up', parameters: { type: 'string' } }] },
  toolChoice: { toolChoice: { tool: 'lookup' } },
  responseFormat: { responseFormat: { type: 'json' } },
  maxOutputTokens: { maxOutputTokens: 257 },
  temperature: { temperature: 0.3 },
  topP: { topP: 1 },
  stop: { stop: ['END'] },
  seed: { seed: 8 },
  user: { user: 'user-2' },
  providerOptions: { providerOptions: { openai: { reasoning_effort: 'high' } } },
} satisfies Record<KeyedField, Partial<ChatRequest>>;

describe('cacheKey', () => {
  it('is a SHA-256 hex digest, the same for the same request and scope', async () => {
    const key = await cacheKey(request, scope);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await cacheKey(structuredClone(request), { ...scope })).toBe(key);
  });

  it.each(Object.entries(changeOneField))('changes when only %s changes', async (_field, change) => {
    expect(await cacheKey({ ...request, ...change }, scope)).not.toBe(await cacheKey(request, scope));
  });

  it.each(Object.keys(changeOneField))('changes when %s is dropped', async (field) => {
    const { [field as KeyedField]: _dropped, ...rest } = request;
    expect(await cacheKey(rest as ChatRequest, scope)).not.toBe(await cacheKey(request, scope));
  });

  it('keeps tenants apart', async () => {
    const keys = await Promise.all([
      cacheKey(request, { route: 'smart', tenant: 'acme' }),
      cacheKey(request, { route: 'smart', tenant: 'globex' }),
      cacheKey(request, { route: 'smart' }),
    ]);
    expect(new Set(keys).size).toBe(3);
  });

  it('keeps routes apart', async () => {
    expect(await cacheKey(request, { route: 'smart', tenant: 'acme' })).not.toBe(
      await cacheKey(request, { route: 'cheap', tenant: 'acme' }),
    );
  });

  it('does not depend on the order of object keys, at any depth', async () => {
    const reordered: ChatRequest = {
      providerOptions: { openai: { reasoning_effort: 'low' } },
      user: 'user-1',
      seed: 7,
      stop: ['\n\n'],
      topP: 0.9,
      temperature: 0.2,
      maxOutputTokens: 256,
      responseFormat: { type: 'text' },
      toolChoice: 'auto',
      tools: [{ parameters: { type: 'object' }, description: 'Looks a city up', name: 'lookup' }],
      messages: [{ content: 'What is the capital of France?', role: 'user' }],
      system: 'Answer briefly.',
      model: 'smart',
    };
    expect(await cacheKey(reordered, { tenant: 'acme', route: 'smart' })).toBe(
      await cacheKey(request, scope),
    );
  });

  it('treats a property set to undefined as absent', async () => {
    const { seed: _seed, ...withoutSeed } = request;
    expect(await cacheKey({ ...withoutSeed, seed: undefined } as unknown as ChatRequest, scope)).toBe(
      await cacheKey(withoutSeed, scope),
    );
    expect(await cacheKey(request, { route: 'smart', tenant: undefined })).toBe(
      await cacheKey(request, { route: 'smart' }),
    );
  });

  it('keeps the order of array items: a conversation in another order is another conversation', async () => {
    const twoTurns: ChatRequest = {
      model: 'smart',
      messages: [
        { role: 'user', content: 'first' },
        { role: 'user', content: 'second' },
      ],
    };
    const swapped: ChatRequest = { ...twoTurns, messages: [...twoTurns.messages].reverse() };
    expect(await cacheKey(swapped, scope)).not.toBe(await cacheKey(twoTurns, scope));
  });

  it('ignores the original wire body and the metadata', async () => {
    const decorated: ChatRequest = {
      ...request,
      original: { format: 'openai-chat', body: { model: 'smart', stream: true } },
      metadata: { traceId: 'abc' },
    };
    expect(await cacheKey(decorated, scope)).toBe(await cacheKey(request, scope));
  });
});

describe('response cache', () => {
  function setup(options: { freshTtlMs?: number; maxStaleMs?: number }, maxCacheEntries?: number) {
    const clock = createFakeClock();
    const store = createMemoryStore(
      maxCacheEntries === undefined ? { now: clock.now } : { now: clock.now, maxCacheEntries },
    );
    return { clock, cache: createResponseCache(options, { store, clock }) };
  }

  it('returns what was stored, with when and how old', async () => {
    const { clock, cache } = setup({ freshTtlMs: 60_000, maxStaleMs: 600_000 });
    const storedAt = clock.now();
    await cache.set('k', answer('Paris'));
    clock.advance(1_500);
    expect(await cache.get('k')).toEqual({ response: answer('Paris'), storedAt, ageMs: 1_500, fresh: true });
  });

  it('misses a key never stored', async () => {
    const { cache } = setup({});
    expect(await cache.get('nothing')).toBeUndefined();
  });

  it('is fresh while younger than freshTtlMs, stale from then on', async () => {
    const { clock, cache } = setup({ freshTtlMs: 60_000, maxStaleMs: 600_000 });
    await cache.set('k', answer('Paris'));
    clock.advance(59_999);
    expect((await cache.get('k'))?.fresh).toBe(true);
    clock.advance(1);
    expect(await cache.get('k')).toMatchObject({ ageMs: 60_000, fresh: false });
  });

  it('is gone once maxStaleMs old', async () => {
    const { clock, cache } = setup({ freshTtlMs: 60_000, maxStaleMs: 600_000 });
    await cache.set('k', answer('Paris'));
    clock.advance(599_999);
    expect((await cache.get('k'))?.response.text).toBe('Paris');
    clock.advance(1);
    expect(await cache.get('k')).toBeUndefined();
  });

  it('by default is never fresh and keeps answers for a day', async () => {
    const { clock, cache } = setup({});
    await cache.set('k', answer('Paris'));
    expect((await cache.get('k'))?.fresh).toBe(false);
    clock.advance(86_400_000 - 1);
    expect((await cache.get('k'))?.response.text).toBe('Paris');
    clock.advance(1);
    expect(await cache.get('k')).toBeUndefined();
  });

  it('keeps a fresh answer for freshTtlMs when that is longer than maxStaleMs', async () => {
    const { clock, cache } = setup({ freshTtlMs: 120_000, maxStaleMs: 60_000 });
    await cache.set('k', answer('Paris'));
    clock.advance(119_999);
    expect((await cache.get('k'))?.fresh).toBe(true);
    clock.advance(1);
    expect(await cache.get('k')).toBeUndefined();
  });

  it('stores nothing when both durations are 0', async () => {
    const { cache } = setup({ freshTtlMs: 0, maxStaleMs: 0 });
    await cache.set('k', answer('Paris'));
    expect(await cache.get('k')).toBeUndefined();
  });

  it('keeps different answers under different keys', async () => {
    const { cache } = setup({});
    const france = await cacheKey(request, scope);
    const spain = await cacheKey({ ...request, ...changeOneField.messages }, scope);
    await cache.set(france, answer('Paris'));
    await cache.set(spain, answer('Madrid'));
    expect((await cache.get(france))?.response.text).toBe('Paris');
    expect((await cache.get(spain))?.response.text).toBe('Madrid');
  });

  it('replaces an answer stored again under the same key, and restarts its age', async () => {
    const { clock, cache } = setup({ freshTtlMs: 60_000 });
    await cache.set('k', answer('Paris'));
    clock.advance(90_000);
    await cache.set('k', answer('Paris, France'));
    expect(await cache.get('k')).toMatchObject({
      response: { text: 'Paris, France' },
      ageMs: 0,
      fresh: true,
    });
  });

  it('evicts the least recently used answer when the memory store is full', async () => {
    const { cache } = setup({}, 2);
    await cache.set('a', answer('A'));
    await cache.set('b', answer('B'));
    await cache.get('a');
    await cache.set('c', answer('C'));
    expect((await cache.get('a'))?.response.text).toBe('A');
    expect(await cache.get('b')).toBeUndefined();
    expect((await cache.get('c'))?.response.text).toBe('C');
  });

  it('hands out copies: a caller changing its answer changes neither the cache nor the next caller', async () => {
    const { cache } = setup({});
    const stored = answer('Paris');
    await cache.set('k', stored);
    stored.text = 'changed after set';
    const first = await cache.get('k');
    if (first !== undefined) first.response.text = 'changed after get';
    expect((await cache.get('k'))?.response.text).toBe('Paris');
  });

  it.each([
    ['freshTtlMs', { freshTtlMs: -1 }],
    ['maxStaleMs', { maxStaleMs: Number.NaN }],
    ['maxStaleMs', { maxStaleMs: Number.POSITIVE_INFINITY }],
  ])('rejects a negative or non-finite %s', (name, options) => {
    const store = createMemoryStore();
    expect(() => createResponseCache(options, { store, clock: createFakeClock() })).toThrow(
      new RangeError(
        `${name} must be a finite number of ms, 0 or more; got ${String(Object.values(options)[0])}`,
      ),
    );
  });
});
