import type { ChatResult, FinishReason, Usage } from '@steadfast/core';
import type { ResponseContext } from '../codec.ts';

/** Chat Completions `finish_reason` values a client knows. */
export type OpenAiFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/**
 * The `finish_reason` for a neutral one. A refusal ends with `stop`, its text in `message.refusal`, as
 * OpenAI's own refusals do; a reason no client knows (`other`) reads as `stop`.
 */
export function openAiFinishReason(reason: FinishReason): OpenAiFinishReason {
  switch (reason) {
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return reason;
    case 'stop':
    case 'refusal':
    case 'other':
      return 'stop';
  }
}

/** Chat Completions `usage`. */
export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

export function openAiUsage(usage: Usage): OpenAiUsage {
  const out: OpenAiUsage = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
  };
  if (usage.reasoningTokens !== undefined) {
    out.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  }
  return out;
}

/** One tool call as Chat Completions writes it. */
export interface OpenAiToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A `chat.completion` body. */
export interface ChatCompletionBody {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: [
    {
      index: 0;
      message: {
        role: 'assistant';
        content: string | null;
        refusal: string | null;
        tool_calls?: OpenAiToolCall[];
      };
      logprobs: null;
      finish_reason: OpenAiFinishReason;
    },
  ];
  usage: OpenAiUsage;
}

/**
 * A finished answer as a `chat.completion` body: `model` is the model that actually answered (it may
 * not be the one asked for, after a fallback), `usage` is always there. A refusal's text goes in
 * `message.refusal`; the content is null when it held nothing else.
 */
export function encodeOpenAiChat(result: ChatResult, context: ResponseContext): ChatCompletionBody {
  const refused = result.finishReason === 'refusal' || result.refusal !== undefined;
  const refusal = refused ? (result.refusal ?? result.text) : null;
  const toolCalls = result.toolCalls.map(
    (call): OpenAiToolCall => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }),
  );
  // OpenAI sends null content beside tool calls or a refusal, and "" only for a genuinely empty answer.
  const onlyRefusal = refused && (result.text === '' || result.text === refusal);
  const content = onlyRefusal || (result.text === '' && toolCalls.length > 0) ? null : result.text;
  const message: ChatCompletionBody['choices'][0]['message'] = { role: 'assistant', content, refusal };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: context.id,
    object: 'chat.completion',
    created: context.created,
    model: result.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: openAiFinishReason(result.finishReason) }],
    usage: openAiUsage(result.usage),
  };
}
