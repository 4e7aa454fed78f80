import type { ClassifyContext } from '../../errors/classify-http.ts';
import { classifyStreamEvent } from '../../errors/classify-stream.ts';
import { SteadfastError } from '../../errors/steadfast-error.ts';
import type { TextPart, ToolCallPart } from '../../neutral/request.ts';
import type { ChatResponse, FinishReason, Usage } from '../../neutral/response.ts';
import type { ExchangeFacts } from '../http-adapter.ts';
import { count, type Json, record } from '../json.ts';
import type { OpenAiQuirks } from './quirks.ts';

/** Usage from an OpenAI-family body (OpenAI details, Groq `x_groq.usage`, DeepSeek cache-hit tokens). */
export function openAiUsage(body: Json): Usage | undefined {
  const usage = record(body.usage) ?? record(record(body.x_groq)?.usage);
  if (usage === undefined) return undefined;
  const input = count(usage.prompt_tokens);
  const output = count(usage.completion_tokens);
  const cached =
    count(record(usage.prompt_tokens_details)?.cached_tokens) || count(usage.prompt_cache_hit_tokens);
  const reasoning = record(usage.completion_tokens_details)?.reasoning_tokens;
  const out: Usage = {
    inputTokens: input,
    outputTokens: output,
    cachedInputTokens: cached,
    totalTokens: count(usage.total_tokens) || input + output,
  };
  if (typeof reasoning === 'number') out.reasoningTokens = reasoning;
  return out;
}

export const emptyUsage: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, totalTokens: 0 };

/** The neutral finish reason of an OpenAI-family `finish_reason` (`error` means the answer failed). */
export function openAiFinish(raw: string | undefined, quirks: OpenAiQuirks): FinishReason | 'error' {
  if (raw === undefined) return 'other';
  const quirk = quirks.finishReasons[raw];
  if (quirk !== undefined) return quirk;
  switch (raw) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'other';
  }
}

/**
 * An error inside a 200 body or chunk: a top-level `error`, or OpenRouter's upstream failure, which it
 * puts in the choice (`choices[0].error`) beside `finish_reason: "error"`.
 */
export function embeddedOpenAiError(body: Json, context: ClassifyContext): SteadfastError | undefined {
  const choices = Array.isArray(body.choices) ? body.choices : [];
  const choiceError = record(choices[0])?.error;
  if ((body.error === undefined || body.error === null) && record(choiceError) !== undefined) {
    return classifyStreamEvent({ error: choiceError }, context);
  }
  return classifyStreamEvent(body, context);
}

/** A Chat Completions body as a neutral response; an error inside a 200 body is thrown classified. */
export function fromOpenAiBody(body: Json, quirks: OpenAiQuirks, facts: ExchangeFacts): ChatResponse {
  const context = { provider: facts.provider, model: facts.model };
  const embedded = embeddedOpenAiError(body, context);
  if (embedded !== undefined) throw embedded;
  const choices = Array.isArray(body.choices) ? body.choices : [];
  const choice = record(choices[0]);
  if (choice === undefined) {
    // Azure answers a filtered prompt in some API versions with no choices and filter results only.
    if (body.prompt_filter_results !== undefined) {
      throw new SteadfastError('content_filter', `${facts.provider} filtered the prompt`, context);
    }
    throw new SteadfastError('bad_gateway', `${facts.provider} answered without any choice`, {
      ...context,
      code: 'no_choices',
    });
  }
  const message = record(choice.message) ?? {};
  const content: Array<TextPart | ToolCallPart> = [];
  const text = typeof message.content === 'string' ? message.content : '';
  if (text !== '') content.push({ type: 'text', text });
  const toolCalls: ToolCallPart[] = [];
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    const fn = record(record(call)?.function);
    if (fn === undefined) continue;
    toolCalls.push({
      type: 'tool-call',
      id: String(record(call)?.id ?? ''),
      name: String(fn.name ?? ''),
      arguments: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {}),
    });
  }
  content.push(...toolCalls);
  const rawFinish = typeof choice.finish_reason === 'string' ? choice.finish_reason : undefined;
  const finish = openAiFinish(rawFinish, quirks);
  if (finish === 'error') {
    throw new SteadfastError(
      'server',
      `${facts.provider} ended the answer with finish_reason "${rawFinish}"`,
      {
        ...context,
        code: rawFinish,
      },
    );
  }
  const refusal = typeof message.refusal === 'string' && message.refusal !== '' ? message.refusal : undefined;
  const response: ChatResponse = {
    id: typeof body.id === 'string' ? body.id : '',
    provider: facts.provider,
    model: typeof body.model === 'string' && body.model !== '' ? body.model : facts.model,
    requestId: facts.requestId,
    content,
    text,
    toolCalls,
    finishReason: refusal !== undefined ? 'refusal' : finish,
    rawFinishReason: rawFinish,
    usage: openAiUsage(body) ?? emptyUsage,
    rateLimit: facts.rateLimit,
    timings: facts.timings,
  };
  if (refusal !== undefined) response.refusal = refusal;
  return response;
}
