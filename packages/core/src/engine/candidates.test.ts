import { describe, expect, it } from 'vitest';
import { createCatalog, type ModelOverride } from '../catalog/catalog.ts';
import type { ModelCapabilities } from '../catalog/model-info.ts';
import { ChainError } from '../errors/chain-error.ts';
import type { ChatRequest } from '../neutral/request.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import { ask, createHarness } from './test-support/engine-harness.ts';
import { rejected, resolved } from './test-support/run-until-settled.ts';
import { answer, fail, providerError } from './test-support/script.ts';
import { createScriptedAdapter } from './test-support/scripted-adapter.ts';

const everything: ModelCapabilities = {
  tools: true,
  jsonSchema: true,
  vision: true,
  streaming: true,
  prefill: true,
};

function model(
  id: string,
  contextWindow: number,
  capabilities: Partial<ModelCapabilities> = {},
): ModelOverride {
  return {
    id,
    provider: 'openai',
    contextWindow,
    maxOutputTokens: 4096,
    tokenizer: 'o200k',
    capabilities: { ...everything, ...capabilities },
  };
}

// Models the tests reason about; anything else is unknown to the catalog.
const catalog = createCatalog([
  model('no-tools', 100_000, { tools: false }),
  model('no-vision', 100_000, { vision: false }),
  model('no-schema', 100_000, { jsonSchema: false }),
  model('small', 2_000),
  model('mid', 50_000),
  model('big', 200_000),
]);

const withTools: ChatRequest = {
  ...ask('chat'),
  tools: [{ name: 'lookup', description: 'Looks a city up', parameters: { type: 'object' } }],
};
const withImage: ChatRequest = {
  model: 'chat',
  messages: [{ role: 'user', content: [{ type: 'image', url: 'https://example.com/a.png' }] }],
};
const withSchema: ChatRequest = {
  ...ask('chat'),
  responseFormat: { type: 'json_schema', schema: { type: 'object' } },
};
// Asks for more output room than the small model has in all.
const tooBigForSmall: ChatRequest = { ...ask('chat'), maxOutputTokens: 3_000 };

describe('candidates', () => {
  describe('capability and context-window skipping', () => {
    it.each([
      { need: 'tools', request: withTools, lacking: 'no-tools' },
      { need: 'vision', request: withImage, lacking: 'no-vision' },
      { need: 'a JSON schema', request: withSchema, lacking: 'no-schema' },
    ])('skips, without calling it, a model that cannot take $need', async ({ request, lacking }) => {
      const clock = createFakeClock();
      const provider = createScriptedAdapter('p1', clock, {
        [lacking]: [answer('wrong')],
        mid: [answer('right')],
      });
      const { client, eventsOf } = createHarness(clock, {
        providers: [provider],
        catalog,
        routes: { chat: { candidates: [`p1/${lacking}`, 'p1/mid'] } },
      });

      const result = await resolved(client.chat(request), clock);

      expect(provider.callsTo(lacking)).toHaveLength(0);
      expect(result.text).toBe('right');
      expect(eventsOf('candidate-skipped')).toMatchObject([{ model: lacking, reason: 'capability' }]);
    });

    it('skips a model whose context window the request does not fit', async () => {
      const clock = createFakeClock();
      const provider = createScriptedAdapter('p1', clock, {
        small: [answer('wrong')],
        mid: [answer('right')],
      });
      const { client, eventsOf } = createHarness(clock, {
        providers: [provider],
        catalog,
        routes: { chat: { candidates: ['p1/small', 'p1/mid'] } },
      });

      const result = await resolved(client.chat(tooBigForSmall), clock);

      expect(provider.callsTo('small')).toHaveLength(0);
      expect(result.text).toBe('right');
      expect(eventsOf('candidate-skipped')).toMatchObject([{ model: 'small', reason: 'context_window' }]);
    });

    it('gives a model the catalog does not know the benefit of the doubt', async () => {
      const clock = createFakeClock();
      const provider = createScriptedAdapter('p1', clock, { 'house-model': [answer('Paris')] });
      const { client, eventsOf } = createHarness(clock, {
        providers: [provider],
        catalog,
        routes: { chat: { candidates: ['p1/house-model'] } },
      });

      const result = await resolved(client.chat({ ...withTools, maxOutputTokens: 1_000_000 }), clock);

      expect(result.text).toBe('Paris');
      expect(eventsOf('candidate-skipped')).toEqual([]);
    });

    it('fails with a non-retryable too_large, not a retryable outage, when the request fits no candidate', async () => {
      const clock = createFakeClock();
      const provider = createScriptedAdapter('p1', clock, { small: [answer('wrong')] });
      const { client } = createHarness(clock, {
        providers: [provider],
        catalog,
        routes: { chat: { candidates: ['p1/small'] } },
      });

      const error = await rejected(client.chat(tooBigForSmall), clock);

      expect(error).toBeInstanceOf(ChainError);
      expect(error).toMatchObject({ reason: 'no_candidate', kind: 'too_large', retryable: false });
      expect(provider.calls).toHaveLength(0);
    });

    it('fails with a non-retryable error when no candidate has the capability the request needs', async () => {
      const clock = createFakeClock();
      const provider = createScriptedAdapter('p1', clock, { 'no-tools': [answer('wrong')] });
      const { client } = createHarness(clock, {
        providers: [provider],
        catalog,
        routes: { chat: { candidates: ['p1/no-tools'] } },
      });

      const error = await rejected(client.chat(withTools), clock);

      expect(error).toMatchObject({ reason: 'no_candidate', retryable: false, fallbackable: false });
      expect(provider.calls).toHaveLength(0);
    });
  });

  describe('context length exceeded', () => {
    it('is not retried on the same model, and models with no bigger window are skipped', async () => {
      const clock = createFakeClock();
      const first = createScriptedAdapter('p1', clock, {
        mid: [fail(providerError('too_large', { code: 'context_length_exceeded' }))],
        small: [answer('wrong')],
      });
      const second = createScriptedAdapter('p2', clock, { mid: [answer('wrong')], big: [answer('right')] });
      const { client, eventsOf } = createHarness(clock, {
        providers: [first, second],
        catalog,
        routes: { chat: { candidates: ['p1/mid', 'p2/mid', 'p1/small', 'p2/big'] } },
      });

      const result = await resolved(client.chat(ask('chat')), clock);

      expect(first.callsTo('mid')).toHaveLength(1);
      expect(second.callsTo('mid')).toHaveLength(0);
      expect(first.callsTo('small')).toHaveLength(0);
      expect(result.text).toBe('right');
      expect(eventsOf('candidate-skipped').map((e) => [`${e.provider}/${e.model}`, e.reason])).toEqual([
        ['p2/mid', 'context_window'],
        ['p1/small', 'context_window'],
      ]);
    });

    it('is not retried on the same model at another provider, even when the catalog does not know it', async () => {
      const clock = createFakeClock();
      const first = createScriptedAdapter('p1', clock, {
        'house-model': [fail(providerError('too_large', { code: 'context_length_exceeded' }))],
      });
      const second = createScriptedAdapter('p2', clock, {
        'house-model': [answer('wrong')],
        big: [answer('right')],
      });
      const { client } = createHarness(clock, {
        providers: [first, second],
        catalog,
        routes: { chat: { candidates: ['p1/house-model', 'p2/house-model', 'p2/big'] } },
      });

      const result = await resolved(client.chat(ask('chat')), clock);

      expect(first.calls).toHaveLength(1);
      expect(second.callsTo('house-model')).toHaveLength(0);
      expect(result.text).toBe('right');
    });

    it('reports the too_large error when no bigger model is left', async () => {
      const clock = createFakeClock();
      const provider = createScriptedAdapter('p1', clock, {
        big: [fail(providerError('too_large', { code: 'context_length_exceeded' }))],
        mid: [answer('wrong')],
      });
      const { client } = createHarness(clock, {
        providers: [provider],
        catalog,
        routes: { chat: { candidates: ['p1/big', 'p1/mid'] } },
      });

      const error = await rejected(client.chat(ask('chat')), clock);

      expect(provider.calls).toHaveLength(1);
      expect(error).toMatchObject({ kind: 'too_large', code: 'context_length_exceeded' });
    });
  });
});
