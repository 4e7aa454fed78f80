import type { ClassifyContext } from '../../errors/classify-http.ts';
import { classifyStreamEvent } from '../../errors/classify-stream.ts';
import { SteadfastError } from '../../errors/steadfast-error.ts';
import type { Usage } from '../../neutral/response.ts';
import type { StreamEvent } from '../../neutral/stream-event.ts';
import type { ExchangeFacts } from '../http-adapter.ts';
import { type Json, record } from '../json.ts';
import type { SseMessage } from '../sse.ts';
import type { StreamDecoder } from '../stream-call.ts';
import { endOfStream } from '../stream-end.ts';
import { anthropicFinish, anthropicUsage } from './parse-response.ts';

/**
 * Decodes Messages API events: `message_start`, content blocks (text, tool use with `input_json_delta`,
 * thinking, which is skipped), `message_delta` with the stop reason and cumulative usage, `message_stop`,
 * `ping`, and `event: error` after HTTP 200. Unknown events are ignored, as the API asks.
 */
export function anthropicStreamDecoder(
  context: ClassifyContext & { provider: string; model: string },
  facts: Pick<ExchangeFacts, 'requestId' | 'rateLimit'>,
): StreamDecoder {
  let stopReason: string | undefined;
  let usage: Usage | undefined;
  let startUsage: unknown;
  const toolIndexByBlock = new Map<number, number>();

  function finish(): StreamEvent[] {
    const reason =
      stopReason === undefined ? undefined : { finishReason: anthropicFinish(stopReason), raw: stopReason };
    return endOfStream(reason, usage, context, facts.requestId);
  }

  function decode(message: SseMessage): StreamEvent[] {
    if (message.stray === true) return [];
    let data: Json | undefined;
    try {
      data = record(JSON.parse(message.data));
    } catch {
      data = undefined;
    }
    if (data === undefined) return [{ type: 'malformed-chunk', data: message.data.slice(0, 1000) }];
    const type = message.event ?? data.type;
    switch (type) {
      case 'message_start': {
        const msg = record(data.message) ?? {};
        startUsage = msg.usage;
        return [
          {
            type: 'start',
            id: typeof msg.id === 'string' ? msg.id : '',
            provider: context.provider,
            model: typeof msg.model === 'string' && msg.model !== '' ? msg.model : context.model,
            requestId: facts.requestId,
            rateLimit: facts.rateLimit,
          },
        ];
      }
      case 'content_block_start': {
        const block = record(data.content_block);
        const index = typeof data.index === 'number' ? data.index : 0;
        if (block?.type === 'tool_use') {
          const toolIndex = toolIndexByBlock.size;
          toolIndexByBlock.set(index, toolIndex);
          return [
            {
              type: 'tool-call-delta',
              index: toolIndex,
              id: String(block.id ?? ''),
              name: String(block.name ?? ''),
              argumentsDelta: '',
            },
          ];
        }
        if (block?.type === 'text' && typeof block.text === 'string' && block.text !== '') {
          return [{ type: 'text-delta', text: block.text }];
        }
        return [];
      }
      case 'content_block_delta': {
        const delta = record(data.delta);
        if (delta?.type === 'text_delta' && typeof delta.text === 'string') {
          return delta.text === '' ? [] : [{ type: 'text-delta', text: delta.text }];
        }
        if (delta?.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
          const index = toolIndexByBlock.get(typeof data.index === 'number' ? data.index : 0) ?? 0;
          return [{ type: 'tool-call-delta', index, argumentsDelta: delta.partial_json }];
        }
        return [];
      }
      case 'message_delta': {
        const delta = record(data.delta);
        if (typeof delta?.stop_reason === 'string') stopReason = delta.stop_reason;
        // Usage in message_delta is cumulative; input counts may only be in message_start.
        const merged = { ...record(startUsage), ...record(data.usage) };
        usage = anthropicUsage(merged);
        // A refusal's explanation comes only here; a non-streamed answer carries it as `refusal`.
        const explanation = record(delta?.stop_details)?.explanation;
        return stopReason === 'refusal' && typeof explanation === 'string' && explanation !== ''
          ? [{ type: 'refusal-delta', text: explanation }]
          : [];
      }
      case 'message_stop':
        return finish();
      case 'error':
        return [
          {
            type: 'error',
            error:
              classifyStreamEvent(data, { ...context }) ??
              new SteadfastError('server', `${context.provider} sent an error event`, context),
          },
        ];
      default:
        return [];
    }
  }

  return {
    decode,
    // Without message_stop, a stream whose stop reason arrived is complete; one without it was cut.
    end: finish,
    fail: (error) => (stopReason !== undefined ? finish() : [{ type: 'error', error }]),
  };
}
