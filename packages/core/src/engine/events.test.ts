import { describe, expect, it } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import { ask, createHarness } from './test-support/engine-harness.ts';
import { drained, rejected, resolved } from './test-support/run-until-settled.ts';
import { answer, delta, events, fail, finish, providerError, start } from './test-support/script.ts';
import { createScriptedAdapter } from './test-support/scripted-adapter.ts';

const question = ask('chat');

// List prices of one million tokens: easy numbers to check a cost against.
const catalog = createCatalog([
  {
    id: 'priced',
    provider: 'openai',
    contextWindow: 100_000,
    maxOutputTokens: 4096,
    tokenizer: 'o200k',
    capabilities: { tools: true, jsonSchema: true, vision: true, streaming: true, prefill: true },
    pricing: { inputPerMTok: 1, outputPerMTok: 2, asOf: '2026-01-01', source: 'test' },
  },
]);

describe('events and the resilience report', () => {
  it('tell the story of a request, attempt by attempt, in order', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('unavailable'))] });
    const fallback = createScriptedAdapter('p2', clock, { beta: [answer('Paris', { afterMs: 100 })] });
    const { client, events: seen } = createHarness(clock, {
      providers: [primary, fallback],
      routes: { chat: { candidates: ['p1/alpha', 'p2/beta'], retry: { maxRetries: 1 } } },
    });

    await resolved(client.chat(question), clock);

    expect(seen.map((event) => event.type)).toEqual([
      'request-start',
      'attempt-start',
      'attempt-end',
      'retry',
      'attempt-start',
      'attempt-end',
      'fallback',
      'attempt-start',
      'attempt-end',
      'request-end',
    ]);
    const requestId = seen[0]?.type === 'request-start' ? seen[0].requestId : undefined;
    expect(seen.every((event) => !('requestId' in event) || event.requestId === requestId)).toBe(true);
    expect(seen).toMatchObject([
      { type: 'request-start', route: 'chat', stream: false },
      { type: 'attempt-start', provider: 'p1', model: 'alpha', attempt: 1, lastOption: false },
      {
        type: 'attempt-end',
        provider: 'p1',
        outcome: 'unavailable',
        status: 503,
        error: { kind: 'unavailable' },
      },
      { type: 'retry', provider: 'p1', model: 'alpha', delayMs: 500, reason: 'unavailable' },
      { type: 'attempt-start', provider: 'p1', attempt: 2 },
      { type: 'attempt-end', provider: 'p1', outcome: 'unavailable', delayMs: 500 },
      {
        type: 'fallback',
        from: { provider: 'p1', model: 'alpha' },
        to: { provider: 'p2', model: 'beta' },
        reason: 'unavailable',
      },
      { type: 'attempt-start', provider: 'p2', model: 'beta', attempt: 3, lastOption: true },
      { type: 'attempt-end', provider: 'p2', outcome: 'ok', durationMs: 100, error: undefined },
      { type: 'request-end', route: 'chat', outcome: 'ok', error: undefined },
    ]);
  });

  it('give the reason of a fallback past a candidate whose breaker was open as skipped', async () => {
    const clock = createFakeClock();
    const first = createScriptedAdapter('p1', clock, { alpha: [fail(providerError('unavailable'))] });
    const second = createScriptedAdapter('p2', clock, { beta: [fail(providerError('unavailable'))] });
    const third = createScriptedAdapter('p3', clock, { gamma: [answer('Paris')] });
    const breaker = { consecutiveFailures: 1 };
    const { client, eventsOf } = createHarness(clock, {
      providers: [first, second, third],
      routes: {
        // Opens the breaker of p2/beta, which every route shares.
        warm: { candidates: ['p2/beta'], retry: false, breaker },
        chat: { candidates: ['p1/alpha', 'p2/beta', 'p3/gamma'], retry: false, breaker },
      },
    });

    await rejected(client.chat(ask('warm')), clock);
    await resolved(client.chat(question), clock);

    expect(eventsOf('fallback').map((e) => [e.from?.model, e.to.model, e.reason])).toEqual([
      ['alpha', 'beta', 'unavailable'],
      ['beta', 'gamma', 'skipped'],
    ]);
  });

  it('say in every result which provider and model answered, after how many attempts, at what cost', async () => {
    const clock = createFakeClock();
    const primary = createScriptedAdapter('p1', clock, {
      priced: [fail(providerError('server'), { afterMs: 50 })],
    });
    const fallback = createScriptedAdapter('p2', clock, {
      priced: [
        answer('Paris', {
          usage: { inputTokens: 1000, outputTokens: 500, cachedInputTokens: 0, totalTokens: 1500 },
        }),
      ],
    });
    const { client } = createHarness(clock, {
      providers: [primary, fallback],
      catalog,
      routes: { chat: { candidates: ['p1/priced', 'p2/priced'], retry: false } },
    });

    const result = await resolved(client.chat(question), clock);

    expect(result).toMatchObject({ provider: 'p2', model: 'priced' });
    expect(result.resilience).toMatchObject({ route: 'chat', fallbackUsed: true, durationMs: 50 });
    expect(result.resilience.attempts.map((a) => [a.provider, a.outcome, a.costUsd])).toEqual([
      ['p1', 'server', 0],
      ['p2', 'ok', 0.002],
    ]);
    expect(result.resilience.costUsd).toBeCloseTo(0.002, 12);
  });

  it('end a stream attempt when its stream ends, with the usage it reported', async () => {
    const clock = createFakeClock();
    const usage = { inputTokens: 1000, outputTokens: 500, cachedInputTokens: 0, totalTokens: 1500 };
    const provider = createScriptedAdapter('p1', clock, {
      priced: [events(start('p1'), delta('Par'), delta('is'), { type: 'usage', usage }, finish())],
    });
    const { client, eventsOf } = createHarness(clock, {
      providers: [provider],
      catalog,
      routes: { chat: { candidates: ['p1/priced'] } },
    });

    const stream = client.stream(question);
    await drained(stream, clock);

    expect(eventsOf('attempt-end')).toMatchObject([{ outcome: 'ok', usage, costUsd: 0.002 }]);
    expect(eventsOf('request-start')).toMatchObject([{ stream: true }]);
    expect(await stream.report).toMatchObject({ costUsd: 0.002, attempts: [{ outcome: 'ok' }] });
  });

  it('never let a listener that throws break the request', async () => {
    const clock = createFakeClock();
    const provider = createScriptedAdapter('p1', clock, { alpha: [answer('Paris')] });
    const { client } = createHarness(clock, {
      providers: [provider],
      routes: { chat: { candidates: ['p1/alpha'] } },
    });
    client.on(() => {
      throw new Error('a broken exporter');
    });

    const result = await resolved(client.chat(question), clock);

    expect(result.text).toBe('Paris');
  });

  it('stop reaching a listener once it unsubscribes', async () => {
    const clock = createFakeClock();
    const provider = createScriptedAdapter('p1', clock, { alpha: [answer('Paris')] });
    const { client } = createHarness(clock, {
      providers: [provider],
      routes: { chat: { candidates: ['p1/alpha'] } },
    });
    const heard: string[] = [];
    const unsubscribe = client.on((event) => heard.push(event.type));

    await resolved(client.chat(question), clock);
    const heardBefore = heard.length;
    unsubscribe();
    await resolved(client.chat(question), clock);

    expect(heardBefore).toBeGreaterThan(0);
    expect(heard).toHaveLength(heardBefore);
  });
});
