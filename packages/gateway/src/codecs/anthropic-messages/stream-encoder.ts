import type { SteadfastError, StreamEvent, Usage } from '@steadfast/core';
import type { StreamContext, StreamEncoder } from '../codec.ts';
import { anthropicStopDetails, anthropicStopReason, anthropicUsage } from './encode.ts';
import { anthropicError } from './error-body.ts';

const noUsage: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, totalTokens: 0 };

function frame(type: string, data: object): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Writes neutral stream events as Messages API SSE: `message_start`; per block `content_block_start`,
 * deltas (`text_delta`, `input_json_delta`) and `content_block_stop`; `message_delta` with the stop
 * reason and the whole usage (the neutral usage arrives at the end, so `message_start` counts zero); then
 * `message_stop`.
 *
 * A refusal streamed apart from the text (OpenAI's `refusal` deltas) is held until the finish: it becomes
 * the answer's text when there was none, and `stop_details.explanation` either way.
 *
 * A failure is `event: error` and the stream ends there, without `message_stop`: a failed stream must
 * never look like a clean finish, and the official SDKs throw on that event.
 *
 * `context.includeUsage` does not apply: Messages API streams always carry usage.
 */
export function anthropicStreamEncoder(context: StreamContext): StreamEncoder {
  let started = false;
  let ended = false;
  let nextBlock = 0;
  let open: { index: number; type: 'text' | 'tool_use' } | undefined;
  // Tool-call index → block index. Upstreams send one call after another; a late delta for an earlier
  // call still names its own block, which the SDK's accumulator accepts.
  const toolBlocks = new Map<number, number>();
  let textSent = false;
  let refusal = '';
  let usage: Usage | undefined;

  function begin(model: string): string {
    started = true;
    return frame('message_start', {
      type: 'message_start',
      message: {
        id: context.id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    });
  }

  /** `message_start`, unless sent; the engine always starts with `start`, this is for any other source. */
  function opened(): string {
    return started ? '' : begin('');
  }

  function closeBlock(): string {
    if (open === undefined) return '';
    const index = open.index;
    open = undefined;
    return frame('content_block_stop', { type: 'content_block_stop', index });
  }

  function openBlock(type: 'text' | 'tool_use', block: object): { index: number; out: string } {
    const out = closeBlock();
    const index = nextBlock++;
    open = { index, type };
    return {
      index,
      out: out + frame('content_block_start', { type: 'content_block_start', index, content_block: block }),
    };
  }

  function text(value: string): string {
    let out = opened();
    let index = open?.type === 'text' ? open.index : undefined;
    if (index === undefined) {
      const block = openBlock('text', { type: 'text', text: '' });
      index = block.index;
      out += block.out;
    }
    textSent = true;
    return (
      out +
      frame('content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'text_delta', text: value },
      })
    );
  }

  function toolCall(event: Extract<StreamEvent, { type: 'tool-call-delta' }>): string {
    let out = opened();
    let index = toolBlocks.get(event.index);
    if (index === undefined) {
      const block = openBlock('tool_use', {
        type: 'tool_use',
        id: event.id ?? '',
        name: event.name ?? '',
        input: {},
      });
      index = block.index;
      out += block.out;
      toolBlocks.set(event.index, index);
    }
    if (event.argumentsDelta === '') return out;
    return (
      out +
      frame('content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: event.argumentsDelta },
      })
    );
  }

  function finish(event: Extract<StreamEvent, { type: 'finish' }>): string {
    let out = opened();
    if (refusal !== '' && !textSent) out += text(refusal);
    out += closeBlock();
    out += frame('message_delta', {
      type: 'message_delta',
      delta: {
        stop_reason: anthropicStopReason(event.finishReason, event.rawFinishReason),
        stop_sequence: null,
        stop_details: anthropicStopDetails(event.finishReason, refusal === '' ? undefined : refusal),
      },
      usage: anthropicUsage(usage ?? noUsage),
    });
    ended = true;
    return out + frame('message_stop', { type: 'message_stop' });
  }

  function error(failure: SteadfastError): string {
    if (ended) return '';
    ended = true;
    return frame('error', { type: 'error', error: anthropicError(failure, context.messages) });
  }

  function encode(event: StreamEvent): string {
    if (ended) return '';
    switch (event.type) {
      case 'start':
        return started ? '' : begin(event.model);
      case 'text-delta':
        return event.text === '' ? '' : text(event.text);
      case 'refusal-delta':
        refusal += event.text;
        return '';
      case 'tool-call-delta':
        return toolCall(event);
      case 'usage':
        usage = event.usage;
        return '';
      case 'malformed-chunk':
        // The engine decides what a malformed upstream chunk means; the client never sees it.
        return '';
      case 'finish':
        return finish(event);
      case 'error':
        return error(event.error);
    }
  }

  return {
    encode,
    error,
    // The API's own keep-alive; the SDKs skip it anywhere in the stream.
    keepAlive: () => (ended ? '' : 'event: ping\ndata: {"type":"ping"}\n\n'),
  };
}
