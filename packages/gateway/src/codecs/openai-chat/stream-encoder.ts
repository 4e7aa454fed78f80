import type { SteadfastError, StreamEvent, Usage } from '@steadfast/core';
import type { StreamContext, StreamEncoder } from '../codec.ts';
import { openAiFinishReason, openAiUsage } from './encode.ts';
import { openAiError } from './error-body.ts';

const noUsage: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, totalTokens: 0 };

/**
 * Writes neutral stream events as Chat Completions SSE: `data: {chat.completion.chunk}` frames with the
 * same id, created and model, a first delta with the role, text, refusal and tool-call deltas, the finish
 * chunk, the usage chunk (`choices: []`) when the client asked for it, then `data: [DONE]`.
 *
 * A failure is `data: {"error":…}` and the stream ends there, without `[DONE]`: a failed stream must
 * never look like a clean finish, and the official SDKs throw on that frame.
 */
export function openAiStreamEncoder(context: StreamContext): StreamEncoder {
  // Every chunk starts the same; it is written once, when the answering model is known.
  let head: string | undefined;
  let ended = false;
  let usage: Usage | undefined;
  const toolCallsSeen = new Set<number>();
  // With include_usage, OpenAI sends `"usage": null` on every chunk but the last.
  const tail = context.includeUsage ? '],"usage":null}\n\n' : ']}\n\n';

  function chunk(delta: string, finishReason: string | null): string {
    const finish = finishReason === null ? 'null' : `"${finishReason}"`;
    return `${head}{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}${tail}`;
  }

  function begin(model: string): string {
    head = `data: {"id":${JSON.stringify(context.id)},"object":"chat.completion.chunk","created":${context.created},"model":${JSON.stringify(model)},"choices":[`;
    return chunk('{"role":"assistant","content":"","refusal":null}', null);
  }

  /** The role chunk, unless sent; the engine always starts with `start`, this is for any other source. */
  function opened(): string {
    return head === undefined ? begin('') : '';
  }

  function toolCallDelta(event: Extract<StreamEvent, { type: 'tool-call-delta' }>): string {
    const args = JSON.stringify(event.argumentsDelta);
    if (toolCallsSeen.has(event.index)) {
      return `{"tool_calls":[{"index":${event.index},"function":{"arguments":${args}}}]}`;
    }
    toolCallsSeen.add(event.index);
    const id = JSON.stringify(event.id ?? '');
    const name = JSON.stringify(event.name ?? '');
    return `{"tool_calls":[{"index":${event.index},"id":${id},"type":"function","function":{"name":${name},"arguments":${args}}}]}`;
  }

  function error(failure: SteadfastError): string {
    if (ended) return '';
    ended = true;
    return `data: ${JSON.stringify({ error: openAiError(failure, context.requestId, context.messages) })}\n\n`;
  }

  function encode(event: StreamEvent): string {
    if (ended) return '';
    switch (event.type) {
      case 'start':
        return head === undefined ? begin(event.model) : '';
      case 'text-delta':
        return event.text === '' ? '' : opened() + chunk(`{"content":${JSON.stringify(event.text)}}`, null);
      case 'refusal-delta':
        return event.text === '' ? '' : opened() + chunk(`{"refusal":${JSON.stringify(event.text)}}`, null);
      case 'tool-call-delta':
        return opened() + chunk(toolCallDelta(event), null);
      case 'usage':
        usage = event.usage;
        return '';
      case 'malformed-chunk':
        // The engine decides what a malformed upstream chunk means; the client never sees it.
        return '';
      case 'finish': {
        ended = true;
        let out = opened() + chunk('{}', openAiFinishReason(event.finishReason));
        if (context.includeUsage) {
          out += `${head}],"usage":${JSON.stringify(openAiUsage(usage ?? noUsage))}}\n\n`;
        }
        return `${out}data: [DONE]\n\n`;
      }
      case 'error':
        return error(event.error);
    }
  }

  return {
    encode,
    error,
    // An SSE comment: every SSE reader skips it.
    keepAlive: () => (ended ? '' : ': keep-alive\n\n'),
  };
}
