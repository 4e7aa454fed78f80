import { classifyStreamEvent } from '../../errors/classify-stream.ts';
import type { TextPart, ToolCallPart } from '../../neutral/request.ts';
import type { ChatResponse, FinishReason, Usage } from '../../neutral/response.ts';
import type { ExchangeFacts } from '../http-adapter.ts';
import { count, type Json, record } from '../json.ts';

/** The neutral finish reason of an Anthropic `stop_reason`. */
export function anthropicFinish(raw: string | undefined): FinishReason {
  switch (raw) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'refusal';
    default:
      return 'other';
  }
}

/**
 * Anthropic usage: `input_tokens` excludes cache reads and writes, so the neutral input count adds
 * them back (and reports the reads as cached).
 */
export function anthropicUsage(usage: unknown): Usage {
  const u = record(usage) ?? {};
  const cacheRead = count(u.cache_read_input_tokens);
  const input = count(u.input_tokens) + cacheRead + count(u.cache_creation_input_tokens);
  const output = count(u.output_tokens);
  const out: Usage = {
    inputTokens: input,
    outputTokens: output,
    cachedInputTokens: cacheRead,
    totalTokens: input + output,
  };
  const thinking = record(u.output_tokens_details)?.thinking_tokens;
  if (typeof thinking === 'number') out.reasoningTokens = thinking;
  return out;
}

/** A Messages API body as a neutral response. */
export function fromAnthropicBody(body: Json, facts: ExchangeFacts): ChatResponse {
  const embedded = body.type === 'error' ? classifyStreamEvent(body, facts) : undefined;
  if (embedded !== undefined) throw embedded;
  const content: Array<TextPart | ToolCallPart> = [];
  const toolCalls: ToolCallPart[] = [];
  let text = '';
  for (const item of Array.isArray(body.content) ? body.content : []) {
    const block = record(item);
    if (block?.type === 'text' && typeof block.text === 'string') {
      text += block.text;
      content.push({ type: 'text', text: block.text });
    } else if (block?.type === 'tool_use') {
      const call: ToolCallPart = {
        type: 'tool-call',
        id: String(block.id ?? ''),
        name: String(block.name ?? ''),
        arguments: JSON.stringify(block.input ?? {}),
      };
      toolCalls.push(call);
      content.push(call);
    }
  }
  const rawFinish = typeof body.stop_reason === 'string' ? body.stop_reason : undefined;
  const finishReason = anthropicFinish(rawFinish);
  const response: ChatResponse = {
    id: typeof body.id === 'string' ? body.id : '',
    provider: facts.provider,
    model: typeof body.model === 'string' && body.model !== '' ? body.model : facts.model,
    requestId: facts.requestId ?? (typeof body.request_id === 'string' ? body.request_id : undefined),
    content,
    text,
    toolCalls,
    finishReason,
    rawFinishReason: rawFinish,
    usage: anthropicUsage(body.usage),
    rateLimit: facts.rateLimit,
    timings: facts.timings,
  };
  if (finishReason === 'refusal') {
    const explanation = record(body.stop_details)?.explanation;
    response.refusal =
      typeof explanation === 'string' && explanation !== '' ? explanation : text || 'refused';
  }
  return response;
}
