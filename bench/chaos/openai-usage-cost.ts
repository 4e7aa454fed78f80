import type { Catalog } from '../../packages/core/src/catalog/catalog.ts';
import { costOf } from '../../packages/core/src/engine/cost.ts';
import { primaryModel } from './scenarios.ts';

/** The `usage` object of an OpenAI Chat Completions answer, as the naive and openai clients receive it. */
export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}

/**
 * What a primary answer's usage cost at catalog prices, in USD, by the same function that prices
 * Steadfast's attempts; 0 when the client received no usage.
 */
export function primaryCostUsd(catalog: Catalog, usage: OpenAiUsage | null | undefined): number {
  if (usage === undefined || usage === null) return 0;
  return costOf(catalog, primaryModel, {
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    totalTokens: usage.prompt_tokens + usage.completion_tokens,
  });
}
