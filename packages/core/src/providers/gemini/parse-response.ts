import { classifyStreamEvent } from '../../errors/classify-stream.ts';
import { SteadfastError } from '../../errors/steadfast-error.ts';
import type { TextPart, ToolCallPart } from '../../neutral/request.ts';
import type { ChatResponse, FinishReason, Usage } from '../../neutral/response.ts';
import type { ExchangeFacts } from '../http-adapter.ts';
import { count, type Json, record } from '../json.ts';

// Finish reasons that mean Google's safety or policy filters stopped the answer.
const filtered = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/** The neutral finish reason of a Gemini `finishReason`; a function call still says STOP there. */
export function geminiFinish(raw: string | undefined, calledTool: boolean): FinishReason {
  if (raw === undefined) return 'other';
  if (raw === 'STOP') return calledTool ? 'tool_calls' : 'stop';
  if (raw === 'MAX_TOKENS') return 'length';
  if (filtered.has(raw)) return 'content_filter';
  return 'other';
}

/** Gemini usage: thoughts count as output; `totalTokenCount` includes them. */
export function geminiUsage(metadata: unknown): Usage | undefined {
  const u = record(metadata);
  if (u === undefined) return undefined;
  const thoughts = count(u.thoughtsTokenCount);
  const input = count(u.promptTokenCount);
  const output = count(u.candidatesTokenCount) + thoughts;
  const usage: Usage = {
    inputTokens: input,
    outputTokens: output,
    cachedInputTokens: count(u.cachedContentTokenCount),
    totalTokens: count(u.totalTokenCount) || input + output,
  };
  if (thoughts > 0) usage.reasoningTokens = thoughts;
  return usage;
}

/** A prompt Gemini blocked: HTTP 200 with no candidates and a `promptFeedback.blockReason`. */
export function blockedPrompt(
  body: Json,
  context: { provider: string; model: string },
): SteadfastError | undefined {
  const reason = record(body.promptFeedback)?.blockReason;
  const candidates = Array.isArray(body.candidates) ? body.candidates : [];
  if (typeof reason !== 'string' || candidates.length > 0) return undefined;
  return new SteadfastError('content_filter', `${context.provider} blocked the prompt (${reason})`, {
    ...context,
    code: reason,
  });
}

/** Text and function-call parts of one candidate chunk. */
export function candidateParts(
  candidate: Json | undefined,
  callOffset: number,
): { text: string; calls: ToolCallPart[] } {
  const content = record(candidate?.content);
  let text = '';
  const calls: ToolCallPart[] = [];
  for (const item of Array.isArray(content?.parts) ? content.parts : []) {
    const part = record(item);
    if (part === undefined || part.thought === true) continue;
    if (typeof part.text === 'string') text += part.text;
    const call = record(part.functionCall);
    if (call !== undefined) {
      calls.push({
        type: 'tool-call',
        // Gemini ids are optional; a stable one per answer keeps tool results matchable.
        id: typeof call.id === 'string' && call.id !== '' ? call.id : `call_${callOffset + calls.length}`,
        name: String(call.name ?? ''),
        arguments: JSON.stringify(call.args ?? {}),
      });
    }
  }
  return { text, calls };
}

/** A `generateContent` body as a neutral response. */
export function fromGeminiBody(body: Json, facts: ExchangeFacts): ChatResponse {
  const context = { provider: facts.provider, model: facts.model };
  const embedded = classifyStreamEvent(body, context);
  if (embedded !== undefined) throw embedded;
  const blocked = blockedPrompt(body, context);
  if (blocked !== undefined) throw blocked;
  const candidate = record(Array.isArray(body.candidates) ? body.candidates[0] : undefined);
  const { text, calls } = candidateParts(candidate, 0);
  const content: Array<TextPart | ToolCallPart> = text === '' ? [] : [{ type: 'text', text }];
  content.push(...calls);
  const rawFinish = typeof candidate?.finishReason === 'string' ? candidate.finishReason : undefined;
  return {
    id: typeof body.responseId === 'string' ? body.responseId : '',
    provider: facts.provider,
    model:
      typeof body.modelVersion === 'string' && body.modelVersion !== '' ? body.modelVersion : facts.model,
    requestId: facts.requestId,
    content,
    text,
    toolCalls: calls,
    finishReason: geminiFinish(rawFinish, calls.length > 0),
    rawFinishReason: rawFinish,
    usage: geminiUsage(body.usageMetadata) ?? {
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      totalTokens: 0,
    },
    rateLimit: facts.rateLimit,
    timings: facts.timings,
  };
}
