import { estimateTokens } from '../catalog/estimate-tokens.ts';
import type { ToolCallPart } from '../neutral/request.ts';
import type { ChatResponse, FinishReason, Usage } from '../neutral/response.ts';
import type { RunContext } from './run-context.ts';

/** What the consumer has received so far, to continue from and to cache. */
export class Delivered {
  text = '';
  toolCalls: Map<number, ToolCallPart> = new Map();
  usage: Usage | undefined;
  started = false;
  id = '';
  provider = '';
  model = '';
  requestId: string | undefined;

  get inToolCall(): boolean {
    return this.toolCalls.size > 0;
  }

  addUsage(usage: Usage): void {
    const before = this.usage;
    this.usage =
      before === undefined
        ? usage
        : {
            inputTokens: before.inputTokens + usage.inputTokens,
            outputTokens: before.outputTokens + usage.outputTokens,
            cachedInputTokens: before.cachedInputTokens + usage.cachedInputTokens,
            totalTokens: before.totalTokens + usage.totalTokens,
          };
  }

  response(finishReason: FinishReason, raw: string | undefined, ctx: RunContext): ChatResponse {
    const toolCalls = [...this.toolCalls.values()];
    return {
      id: this.id,
      provider: this.provider,
      model: this.model,
      requestId: this.requestId,
      content: [...(this.text === '' ? [] : [{ type: 'text' as const, text: this.text }]), ...toolCalls],
      text: this.text,
      toolCalls,
      finishReason,
      rawFinishReason: raw,
      usage: this.usage ?? { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, totalTokens: 0 },
      rateLimit: undefined,
      timings: { startedAt: ctx.startedAt, headersMs: 0, totalMs: ctx.deps.clock.now() - ctx.startedAt },
    };
  }
}

/**
 * Tokens of an attempt that ended before its provider reported usage (a cut stream is billed all the
 * same): the prompt by the catalog's estimate, the output at four characters a token.
 */
export function usageEstimator(ctx: RunContext): (text: string) => Usage {
  const input = estimateTokens(ctx.request);
  return (text) => {
    const output = Math.ceil(text.length / 4);
    return { inputTokens: input, outputTokens: output, cachedInputTokens: 0, totalTokens: input + output };
  };
}
