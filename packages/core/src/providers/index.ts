export type { AdapterBaseOptions, CallOptions, ProviderAdapter, ProviderType } from './adapter.ts';
export { type AnthropicOptions, createAnthropic } from './anthropic/adapter.ts';
export { createGemini, type GeminiOptions } from './gemini/adapter.ts';
export {
  type AzureOpenAiOptions,
  createAzureOpenAi,
  createOpenAi,
  createOpenAiCompatible,
  type OpenAiCompatibleOptions,
  type OpenAiOptions,
} from './openai/adapter.ts';
export { type OpenAiFlavour, type OpenAiQuirks, openAiFlavours } from './openai/quirks.ts';
export { type ReadSseOptions, readSse, type SseMessage } from './sse.ts';
