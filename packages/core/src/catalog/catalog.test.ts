import { describe, expect, it } from 'vitest';
import { thrown } from '../test-support/thrown.ts';
import { createCatalog, type ModelOverride } from './catalog.ts';
import type { ModelInfo } from './model-info.ts';
import { builtInModels } from './models.ts';

function builtIn(id: string): ModelInfo {
  const model = builtInModels.find((entry) => entry.id === id);
  if (model === undefined) throw new TypeError(`no built-in ${id}`);
  return model;
}

const llama: ModelInfo = {
  id: 'llama-3.3-70b-versatile',
  provider: 'openai',
  contextWindow: 131_072,
  maxOutputTokens: 32_768,
  capabilities: { tools: true, jsonSchema: false, vision: false, streaming: true, prefill: false },
  tokenizer: 'o200k',
};

describe('catalog lookup', () => {
  const catalog = createCatalog();

  it.each([
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gpt-4.1-2025-04-14', 'gpt-4.1'],
    ['gpt-5-mini-2025-08-07', 'gpt-5-mini'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['models/gemini-2.5-flash', 'gemini-2.5-flash'],
    ['gemini-2.5-flash-001', 'gemini-2.5-flash'],
  ])('resolves the dated or prefixed name %s to %s', (name, id) => {
    expect(catalog.get(name)).toEqual(builtIn(id));
  });

  it.each(builtInModels.map((model) => model.id))('resolves %s to its own entry, not a shorter one', (id) => {
    expect(catalog.get(id)).toEqual(builtIn(id));
  });

  it.each(['gpt-9', 'claude-3-5-sonnet-20241022', 'gemini-1.0-pro-001', 'llama3.2', 'models/', ''])(
    'knows nothing of %j',
    (name) => {
      expect(catalog.get(name)).toBeUndefined();
    },
  );

  it('lists every built-in model', () => {
    expect(catalog.list()).toEqual([...builtInModels]);
  });
});

describe('catalog overrides', () => {
  it('change only the fields they give on a known model, its dated names included', () => {
    const catalog = createCatalog([{ id: 'gpt-4o', contextWindow: 64_000, capabilities: { vision: false } }]);
    const expected: ModelInfo = {
      ...builtIn('gpt-4o'),
      contextWindow: 64_000,
      capabilities: { ...builtIn('gpt-4o').capabilities, vision: false },
    };
    expect(catalog.get('gpt-4o')).toEqual(expected);
    expect(catalog.get('gpt-4o-2024-08-06')).toEqual(expected);
    expect(catalog.get('gpt-4o-mini')).toEqual(builtIn('gpt-4o-mini'));
  });

  it('replace the pricing as a whole', () => {
    const pricing = { inputPerMTok: 2, outputPerMTok: 8, asOf: '2026-11-02', source: 'contract #4411' };
    expect(createCatalog([{ id: 'gpt-4o', pricing }]).get('gpt-4o')).toEqual({
      ...builtIn('gpt-4o'),
      pricing,
    });
  });

  it('leave the built-in entries and other catalogs untouched', () => {
    createCatalog([{ id: 'claude-sonnet-4-5', maxOutputTokens: 8_192 }]);
    expect(builtIn('claude-sonnet-4-5').maxOutputTokens).toBe(64_000);
    expect(createCatalog().get('claude-sonnet-4-5')).toEqual(builtIn('claude-sonnet-4-5'));
  });

  it('add a new model that is complete', () => {
    const catalog = createCatalog([llama]);
    expect(catalog.get('llama-3.3-70b-versatile')).toEqual(llama);
    expect(catalog.list()).toEqual([...builtInModels, llama]);
  });

  it.each<[string, ModelOverride, string]>([
    [
      'fields',
      { id: 'mistral-large-latest', provider: 'openai', maxOutputTokens: 8_192 },
      'Catalog entry "mistral-large-latest" is a new model and needs contextWindow, tokenizer, capabilities',
    ],
    [
      'capabilities',
      { ...llama, capabilities: { tools: true, streaming: true, jsonSchema: false } },
      'Catalog entry "llama-3.3-70b-versatile" is a new model and needs capabilities.vision, capabilities.prefill',
    ],
    [
      'everything',
      { id: 'my-model' },
      'Catalog entry "my-model" is a new model and needs provider, contextWindow, maxOutputTokens, tokenizer, capabilities',
    ],
  ])('reject a new model missing %s, naming what is missing', (_what, override, message) => {
    expect(thrown(() => createCatalog([override]))).toEqual(new TypeError(message));
  });
});

describe('built-in catalog', () => {
  it('has one entry per id, and no id that a snapshot suffix would shorten', () => {
    const ids = builtInModels.map((model) => model.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => /-(\d{4}-\d{2}-\d{2}|\d{8}|latest|\d{3}|v\d+(:\d+)?)$/.test(id))).toEqual([]);
  });

  it.each(builtInModels)(
    '$id has positive windows, and positive prices with the date they were read',
    (model) => {
      expect(model.contextWindow).toBeGreaterThan(0);
      expect(model.maxOutputTokens).toBeGreaterThan(0);
      expect(model.maxOutputTokens).toBeLessThanOrEqual(model.contextWindow);
      const pricing = model.pricing;
      expect(pricing).toBeDefined();
      if (pricing === undefined) return;
      expect(pricing.inputPerMTok).toBeGreaterThan(0);
      expect(pricing.outputPerMTok).toBeGreaterThan(0);
      if (pricing.cachedInputPerMTok !== undefined) {
        expect(pricing.cachedInputPerMTok).toBeGreaterThan(0);
        expect(pricing.cachedInputPerMTok).toBeLessThan(pricing.inputPerMTok);
      }
      expect(pricing.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(new Date(`${pricing.asOf}T00:00:00Z`).toISOString().slice(0, 10)).toBe(pricing.asOf);
      expect(pricing.source).not.toBe('');
    },
  );

  it('prices the reference models as the provider reference lists them (USD per million tokens)', () => {
    const prices = Object.fromEntries(
      ['gpt-4o', 'claude-sonnet-4-5', 'gemini-2.5-flash'].map((id) => {
        const pricing = builtIn(id).pricing;
        return [id, [pricing?.inputPerMTok, pricing?.cachedInputPerMTok, pricing?.outputPerMTok]];
      }),
    );
    expect(prices).toEqual({
      'gpt-4o': [2.5, 1.25, 10],
      'claude-sonnet-4-5': [3, 0.3, 15],
      'gemini-2.5-flash': [0.3, 0.03, 2.5],
    });
  });
});
