import { type ChatResult, type FinishReason, type Usage, userMessageFor } from '@steadfast/core';
import type { ResponseContext } from '../codec.ts';

/** Messages API `stop_reason` values. */
export type AnthropicStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

/** Anthropic's own stop reasons and the neutral reason each becomes (the core adapter's reading). */
const nativeStopReasons: ReadonlyMap<string, FinishReason> = new Map<AnthropicStopReason, FinishReason>([
  ['end_turn', 'stop'],
  ['stop_sequence', 'stop'],
  ['pause_turn', 'stop'],
  ['max_tokens', 'length'],
  ['model_context_window_exceeded', 'length'],
  ['tool_use', 'tool_calls'],
  ['refusal', 'refusal'],
]);

/**
 * The `stop_reason` for a neutral one. An Anthropic upstream's own reason is kept when it means the
 * same (`stop_sequence`, `pause_turn`, `model_context_window_exceeded` say more than `stop` or
 * `length`). A content filter reads as `refusal`, the Messages API's only way to say that the answer was
 * withheld; an unknown reason (`other`) as `end_turn`.
 */
export function anthropicStopReason(reason: FinishReason, raw: string | undefined): AnthropicStopReason {
  if (raw !== undefined && nativeStopReasons.get(raw) === reason) return raw as AnthropicStopReason;
  switch (reason) {
    case 'stop':
    case 'other':
      return 'end_turn';
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    case 'refusal':
    case 'content_filter':
      return 'refusal';
  }
}

/** `stop_details` of a refusal (and of a content filter, which reads as one). */
export interface AnthropicStopDetails {
  type: 'refusal';
  category: null;
  explanation: string | null;
}

export function anthropicStopDetails(
  reason: FinishReason,
  refusal: string | undefined,
): AnthropicStopDetails | null {
  if (reason === 'content_filter') {
    return { type: 'refusal', category: null, explanation: userMessageFor('content_filter') };
  }
  if (reason !== 'refusal') return null;
  return {
    type: 'refusal',
    category: null,
    explanation: refusal === undefined || refusal === '' ? null : refusal,
  };
}

/** Messages API `usage`. */
export interface AnthropicUsage {
  /** Input tokens neither read from nor written to the cache. */
  input_tokens: number;
  output_tokens: number;
  /** The neutral usage does not keep cache writes apart: they are counted in `input_tokens`. */
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** The neutral input count includes cache reads; Anthropic counts them apart. */
export function anthropicUsage(usage: Usage): AnthropicUsage {
  return {
    input_tokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens),
    output_tokens: usage.outputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: usage.cachedInputTokens,
  };
}

/**
 * A tool call's JSON text as the object `tool_use.input` must be. Text that is not a JSON object (a
 * model's broken output) is kept visible as `{ _unparsed: text }`, as the core's Anthropic adapter does,
 * rather than dropped.
 */
export function toolInput(args: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(args);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Falls through to the visible form below.
  }
  return { _unparsed: args };
}

export type AnthropicContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** A `message` body. */
export interface AnthropicMessageBody {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: AnthropicStopReason;
  stop_sequence: null;
  stop_details: AnthropicStopDetails | null;
  usage: AnthropicUsage;
}

/**
 * A finished answer as a Messages API `message`: text and tool_use blocks in the order the model
 * produced them, `model` the model that actually answered. A refusal that came with no text (an OpenAI
 * upstream sends it apart, as `refusal`) becomes the text of the answer, as Claude's own refusals read.
 */
export function encodeAnthropicMessages(result: ChatResult, context: ResponseContext): AnthropicMessageBody {
  const content: AnthropicContentBlock[] = [];
  for (const part of result.content) {
    if (part.type === 'text') {
      // The API never sends an empty text block, and rejects one sent back in the history.
      if (part.text !== '') content.push({ type: 'text', text: part.text });
    } else {
      content.push({ type: 'tool_use', id: part.id, name: part.name, input: toolInput(part.arguments) });
    }
  }
  const refusal = result.refusal;
  if (refusal !== undefined && refusal !== '' && !content.some((block) => block.type === 'text')) {
    content.unshift({ type: 'text', text: refusal });
  }
  return {
    id: context.id,
    type: 'message',
    role: 'assistant',
    model: result.model,
    content,
    stop_reason: anthropicStopReason(result.finishReason, result.rawFinishReason),
    stop_sequence: null,
    stop_details: anthropicStopDetails(result.finishReason, refusal),
    usage: anthropicUsage(result.usage),
  };
}
