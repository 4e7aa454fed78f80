import type { ClassifyContext } from '../../errors/classify-http.ts';
import { classifyStreamEvent } from '../../errors/classify-stream.ts';
import type { Usage } from '../../neutral/response.ts';
import type { StreamEvent } from '../../neutral/stream-event.ts';
import type { ExchangeFacts } from '../http-adapter.ts';
import { type Json, record } from '../json.ts';
import type { SseMessage } from '../sse.ts';
import type { StreamDecoder } from '../stream-call.ts';
import { endOfStream } from '../stream-end.ts';
import { blockedPrompt, candidateParts, geminiFinish, geminiUsage } from './parse-response.ts';

/**
 * Decodes `streamGenerateContent?alt=sse` chunks: each a whole response with text deltas, function calls
 * sent whole, running usage, and a `finishReason` on the last. Gemini sends no terminator, so the end
 * of the body finishes the stream if a finish reason came, and is a cut otherwise.
 */
export function geminiStreamDecoder(
  context: ClassifyContext & { provider: string; model: string },
  facts: Pick<ExchangeFacts, 'requestId' | 'rateLimit'>,
): StreamDecoder {
  let started = false;
  let finishRaw: string | undefined;
  let calls = 0;
  let usage: Usage | undefined;

  function finish(): StreamEvent[] {
    const reason =
      finishRaw === undefined
        ? undefined
        : { finishReason: geminiFinish(finishRaw, calls > 0), raw: finishRaw };
    return endOfStream(reason, usage, context, facts.requestId);
  }

  function decode(message: SseMessage): StreamEvent[] {
    let chunk: Json | undefined;
    try {
      chunk = record(JSON.parse(message.data));
    } catch {
      chunk = undefined;
    }
    if (chunk === undefined) {
      return message.stray === true ? [] : [{ type: 'malformed-chunk', data: message.data.slice(0, 1000) }];
    }
    const failure = classifyStreamEvent(chunk, context) ?? blockedPrompt(chunk, context);
    if (failure !== undefined) return [{ type: 'error', error: failure }];
    const events: StreamEvent[] = [];
    if (!started) {
      started = true;
      events.push({
        type: 'start',
        id: typeof chunk.responseId === 'string' ? chunk.responseId : '',
        provider: context.provider,
        model:
          typeof chunk.modelVersion === 'string' && chunk.modelVersion !== ''
            ? chunk.modelVersion
            : context.model,
        requestId: facts.requestId,
        rateLimit: facts.rateLimit,
      });
    }
    const chunkUsage = geminiUsage(chunk.usageMetadata);
    if (chunkUsage !== undefined) usage = chunkUsage;
    const candidate = record(Array.isArray(chunk.candidates) ? chunk.candidates[0] : undefined);
    const { text, calls: found } = candidateParts(candidate, calls);
    if (text !== '') events.push({ type: 'text-delta', text });
    for (const call of found) {
      events.push({
        type: 'tool-call-delta',
        index: calls++,
        id: call.id,
        name: call.name,
        argumentsDelta: call.arguments,
      });
    }
    if (typeof candidate?.finishReason === 'string') finishRaw = candidate.finishReason;
    return events;
  }

  return {
    decode,
    end: finish,
    fail: (error) => (finishRaw !== undefined ? finish() : [{ type: 'error', error }]),
  };
}
