/** What a model can do. */
export interface ModelCapabilities {
  /** Function / tool calling. */
  tools: boolean;
  /** Native structured output against a JSON Schema. */
  jsonSchema: boolean;
  /** Image input. */
  vision: boolean;
  streaming: boolean;
  /** Continues from a trailing assistant message (needed for stream continuation by prefill). */
  prefill: boolean;
}

/** List prices in USD per million tokens, and when they were read. */
export interface ModelPricing {
  inputPerMTok: number;
  outputPerMTok: number;
  /** Price of input tokens read from the prompt cache. */
  cachedInputPerMTok?: number;
  /** ISO date the prices were read from `source`. */
  asOf: string;
  source: string;
}

/** One model as the catalog knows it. */
export interface ModelInfo {
  /** The model's name at its provider, without a date suffix (`gpt-4o`, `claude-sonnet-4-5`). */
  id: string;
  /** The wire family that serves it. */
  provider: 'openai' | 'anthropic' | 'gemini';
  /** Input plus output tokens the model accepts. */
  contextWindow: number;
  maxOutputTokens: number;
  capabilities: ModelCapabilities;
  pricing?: ModelPricing;
  /** Tokenizer family, for token estimates. */
  tokenizer: 'o200k' | 'claude' | 'gemini';
}
