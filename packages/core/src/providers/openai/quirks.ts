/** How an OpenAI-compatible server departs from OpenAI's own API. */
export interface OpenAiQuirks {
  /** Field for the output token limit. OpenAI wants `max_completion_tokens`; most others `max_tokens`. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Accepts `stream_options: { include_usage: true }`. */
  streamUsage: boolean;
  /** Accepts `metadata` (OpenAI stores it with the completion). */
  metadata: boolean;
  /** Extra `finish_reason` values and what they mean. */
  finishReasons: Readonly<
    Record<string, 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'other' | 'error'>
  >;
}

const openAi: OpenAiQuirks = {
  maxTokensField: 'max_completion_tokens',
  streamUsage: true,
  metadata: true,
  finishReasons: {},
};

const compatible: OpenAiQuirks = {
  maxTokensField: 'max_tokens',
  streamUsage: true,
  metadata: false,
  finishReasons: {},
};

/** Known OpenAI-compatible servers (see reference/provider-wire-formats.md §7). */
export const openAiFlavours: Readonly<Record<string, OpenAiQuirks>> = {
  openai: openAi,
  azure: { ...openAi, metadata: false },
  generic: compatible,
  vllm: compatible,
  ollama: compatible,
  groq: compatible,
  together: compatible,
  // Mistral adds `model_length` (the context filled up) and `error`.
  mistral: { ...compatible, finishReasons: { model_length: 'length', error: 'error' } },
  // DeepSeek stops with `insufficient_system_resource` when it sheds load mid-answer.
  deepseek: { ...compatible, finishReasons: { insufficient_system_resource: 'error' } },
  // OpenRouter reports an upstream failure inside a 200 stream as `finish_reason: "error"`.
  openrouter: { ...compatible, finishReasons: { error: 'error' } },
};

/** A flavour name known to `openAiFlavours`. */
export type OpenAiFlavour = keyof typeof openAiFlavours;
