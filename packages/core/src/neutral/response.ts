import type { RateLimitInfo } from '../errors/rate-limit.ts';
import type { TextPart, ToolCallPart } from './request.ts';

/** Why generation stopped, the same for every provider. */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'refusal' | 'other';

/** Token counts of one call. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the provider's prompt cache (included in `inputTokens`). */
  cachedInputTokens: number;
  /** Reasoning / thinking tokens (included in `outputTokens`), when reported. */
  reasoningTokens?: number;
  totalTokens: number;
}

/** When things happened in one call, in ms from its start. */
export interface Timings {
  /** Epoch ms when the call started. */
  startedAt: number;
  /** Until the response headers. */
  headersMs: number;
  /** Until the first text or tool-call token (streams). */
  firstTokenMs?: number;
  /** Until the answer was complete. */
  totalMs: number;
}

/** The answer of one call, independent of the provider that gave it. */
export interface ChatResponse {
  /** The provider's response id. */
  id: string;
  /** The configured provider name that answered. */
  provider: string;
  /** The model that actually answered, as the provider named it. */
  model: string;
  requestId: string | undefined;
  /** Text and tool calls, in the order the model produced them. */
  content: Array<TextPart | ToolCallPart>;
  /** All text parts joined. */
  text: string;
  toolCalls: ToolCallPart[];
  /** The model's refusal, when the provider signals one natively (OpenAI `refusal`, Anthropic `stop_reason: refusal`). */
  refusal?: string;
  finishReason: FinishReason;
  /** The provider's own finish reason (`end_turn`, `MAX_TOKENS`, …). */
  rawFinishReason: string | undefined;
  usage: Usage;
  rateLimit: RateLimitInfo | undefined;
  timings: Timings;
}
