import { describe, expect, it } from 'vitest';
import { createCatalog } from '../../catalog/catalog.ts';
import type { ModelCapabilities } from '../../catalog/model-info.ts';
import { ask, modes, question, story } from './test-support/ask.ts';
import { attemptsOn, modelsOf } from './test-support/upstream.ts';
import { eventsOf, reply, startWorld } from './test-support/world.ts';

const capabilities: ModelCapabilities = {
  tools: true,
  jsonSchema: true,
  vision: false,
  streaming: true,
  prefill: true,
};

/** Three models the catalog knows: two with a 1,000-token window, one with 200,000. */
const catalog = createCatalog([
  {
    id: 'small-model',
    provider: 'openai',
    contextWindow: 1_000,
    maxOutputTokens: 100,
    tokenizer: 'o200k',
    capabilities,
  },
  {
    id: 'same-size-model',
    provider: 'gemini',
    contextWindow: 1_000,
    maxOutputTokens: 100,
    tokenizer: 'gemini',
    capabilities,
  },
  {
    id: 'big-model',
    provider: 'anthropic',
    contextWindow: 200_000,
    maxOutputTokens: 8_000,
    tokenizer: 'claude',
    capabilities,
  },
]);

const route = {
  candidates: ['openai/small-model', 'gemini/same-size-model', 'anthropic/big-model'],
  retry: { baseDelayMs: 1 },
};

// The small model really takes 600 tokens, less than the catalog says: only asking it finds that out.
const scenario = {
  models: { 'small-model': { contextWindow: 600 }, 'same-size-model': {}, 'big-model': {} },
};

/** A one-message prompt of `words` short words (about 1.25 tokens each by the estimate). */
function promptOf(words: number) {
  return question({ messages: [{ role: 'user', content: 'word '.repeat(words) }] });
}

describe.each(modes)('a prompt too long for the first candidates, through %s()', (mode) => {
  it('is sent once to the small model when the estimate says it fits, never retried there, and a bigger model answers', async () => {
    const world = await startWorld({ scenario, route, catalog });

    // About 700 tokens by the estimate (within 1,000), about 630 by the provider (over its 600).
    const outcome = await ask(world, mode, promptOf(500));

    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(reply);
    expect(attemptsOn(outcome.upstream, 'small-model')).toMatchObject([
      { outcome: 'context_length', status: 400 },
    ]);
    // The small model's refusal tells the engine that a window of 1,000 is not enough: the same-size model is passed over.
    expect(modelsOf(outcome.upstream)).toEqual(['small-model', 'big-model']);
    expect(eventsOf(world, 'candidate-skipped')).toMatchObject([
      { model: 'same-size-model', reason: 'context_window' },
    ]);
    expect(story(outcome.report)).toEqual(['openai/small-model too_large', 'anthropic/big-model ok']);
    expect(eventsOf(world, 'retry')).toEqual([]);
  });

  it('is never sent to a model whose window the estimate already exceeds', async () => {
    const world = await startWorld({ scenario, route, catalog });

    // About 1,180 tokens by the estimate: over both small windows.
    const outcome = await ask(world, mode, promptOf(850));

    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(reply);
    expect(modelsOf(outcome.upstream)).toEqual(['big-model']);
    expect(eventsOf(world, 'candidate-skipped')).toMatchObject([
      { model: 'small-model', reason: 'context_window' },
      { model: 'same-size-model', reason: 'context_window' },
    ]);
    expect(story(outcome.report)).toEqual(['anthropic/big-model ok']);
    expect(outcome.report.fallbackUsed).toBe(true);
  });
});
