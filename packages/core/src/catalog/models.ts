import type { ModelInfo, ModelPricing } from './model-info.ts';

// Prices and windows: LiteLLM's model_prices_and_context_window.json (mirror synced 2026-07-24),
// cross-checked against provider pages as noted in the project's provider reference.
const litellm = 'LiteLLM model_prices_and_context_window.json (2026-07-24)';
const asOf = '2026-07-24';

const openAiChat = { tools: true, jsonSchema: true, vision: true, streaming: true, prefill: false };
// Claude up to 4.5 continues a trailing assistant message; 4.6 and later reject it with a 400.
const claudePrefill = { tools: true, jsonSchema: true, vision: true, streaming: true, prefill: true };
const claudeNoPrefill = { ...claudePrefill, prefill: false };
const gemini = { tools: true, jsonSchema: true, vision: true, streaming: true, prefill: false };

function price(input: number, output: number, cached?: number): ModelPricing {
  return cached === undefined
    ? { inputPerMTok: input, outputPerMTok: output, asOf, source: litellm }
    : { inputPerMTok: input, outputPerMTok: output, cachedInputPerMTok: cached, asOf, source: litellm };
}

/** The built-in catalog: the common current models of each provider. */
export const builtInModels: readonly ModelInfo[] = [
  {
    id: 'gpt-4o',
    provider: 'openai',
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    capabilities: openAiChat,
    pricing: price(2.5, 10, 1.25),
    tokenizer: 'o200k',
  },
  {
    id: 'gpt-4o-mini',
    provider: 'openai',
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    capabilities: openAiChat,
    pricing: price(0.15, 0.6, 0.075),
    tokenizer: 'o200k',
  },
  {
    id: 'gpt-4.1',
    provider: 'openai',
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    capabilities: openAiChat,
    pricing: price(2, 8, 0.5),
    tokenizer: 'o200k',
  },
  {
    id: 'gpt-4.1-mini',
    provider: 'openai',
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    capabilities: openAiChat,
    pricing: price(0.4, 1.6, 0.1),
    tokenizer: 'o200k',
  },
  {
    id: 'gpt-4.1-nano',
    provider: 'openai',
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    capabilities: openAiChat,
    pricing: price(0.1, 0.4, 0.025),
    tokenizer: 'o200k',
  },
  {
    id: 'gpt-5',
    provider: 'openai',
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    capabilities: openAiChat,
    pricing: price(1.25, 10),
    tokenizer: 'o200k',
  },
  {
    id: 'gpt-5-mini',
    provider: 'openai',
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    capabilities: openAiChat,
    pricing: price(0.25, 2),
    tokenizer: 'o200k',
  },
  {
    id: 'claude-haiku-4-5',
    provider: 'anthropic',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    capabilities: claudePrefill,
    pricing: price(1, 5, 0.1),
    tokenizer: 'claude',
  },
  {
    id: 'claude-sonnet-4-5',
    provider: 'anthropic',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    capabilities: claudePrefill,
    pricing: price(3, 15, 0.3),
    tokenizer: 'claude',
  },
  {
    id: 'claude-opus-4-5',
    provider: 'anthropic',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    capabilities: claudePrefill,
    pricing: price(5, 25, 0.5),
    tokenizer: 'claude',
  },
  {
    id: 'claude-sonnet-4-6',
    provider: 'anthropic',
    contextWindow: 1_000_000,
    maxOutputTokens: 64_000,
    capabilities: claudeNoPrefill,
    pricing: price(3, 15, 0.3),
    tokenizer: 'claude',
  },
  {
    id: 'claude-opus-4-6',
    provider: 'anthropic',
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    capabilities: claudeNoPrefill,
    pricing: price(5, 25, 0.5),
    tokenizer: 'claude',
  },
  {
    id: 'claude-opus-4-7',
    provider: 'anthropic',
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    capabilities: claudeNoPrefill,
    pricing: price(5, 25, 0.5),
    tokenizer: 'claude',
  },
  {
    id: 'claude-sonnet-5',
    provider: 'anthropic',
    contextWindow: 1_000_000,
    maxOutputTokens: 128_000,
    capabilities: claudeNoPrefill,
    pricing: price(2, 10, 0.2),
    tokenizer: 'claude',
  },
  {
    id: 'gemini-2.5-flash',
    provider: 'gemini',
    contextWindow: 1_048_576,
    maxOutputTokens: 65_535,
    capabilities: gemini,
    pricing: price(0.3, 2.5, 0.03),
    tokenizer: 'gemini',
  },
  {
    id: 'gemini-2.5-flash-lite',
    provider: 'gemini',
    contextWindow: 1_048_576,
    maxOutputTokens: 65_535,
    capabilities: gemini,
    pricing: price(0.1, 0.4, 0.01),
    tokenizer: 'gemini',
  },
  {
    id: 'gemini-2.5-pro',
    provider: 'gemini',
    contextWindow: 1_048_576,
    maxOutputTokens: 65_535,
    capabilities: gemini,
    pricing: price(1.25, 10, 0.125),
    tokenizer: 'gemini',
  },
  {
    id: 'gemini-3-flash-preview',
    provider: 'gemini',
    contextWindow: 1_048_576,
    maxOutputTokens: 65_535,
    capabilities: gemini,
    pricing: price(0.5, 3, 0.05),
    tokenizer: 'gemini',
  },
  {
    id: 'gemini-3-pro-preview',
    provider: 'gemini',
    contextWindow: 1_048_576,
    maxOutputTokens: 65_535,
    capabilities: gemini,
    pricing: price(2, 12, 0.2),
    tokenizer: 'gemini',
  },
];
