import type { ClassifyContext } from '../../errors/classify-http.ts';
import { classifyStreamEvent } from '../../errors/classify-stream.ts';
import { SteadfastError } from '../../errors/steadfast-error.ts';
import type { Usage } from '../../neutral/response.ts';
import type { StreamEvent } from '../../neutral/stream-event.ts';
import { record } from '../json.ts';
import type { SseMessage } from '../sse.ts';
import type { StreamDecoder } from '../stream-call.ts';
import { endOfStream } from '../stream-end.ts';
import { embeddedOpenAiError, openAiFinish, openAiUsage } from './parse-response.ts';
import type { OpenAiQuirks } from './quirks.ts';

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/**
 * Decodes Chat Completions chunks: `data:` frames until `[DONE]`, deltas of text, refusal and tool calls,
 * the usage chunk (`choices: []`), errors sent as `{"error":…}` or `event: error` after HTTP 200, and
 * OpenRouter's `finish_reason: "error"`. The finish is held until `[DONE]` or the end of the body so
 * that the usage chunk, which comes after it, is not lost.
 */
export function openAiStreamDecoder(
  quirks: OpenAiQuirks,
  context: ClassifyContext & { provider: string; model: string },
  response: {
    requestId: string | undefined;
    rateLimit: Extract<StreamEvent, { type: 'start' }>['rateLimit'];
  },
): StreamDecoder {
  let started = false;
  let finishRaw: string | undefined;
  let refused = false;
  let usage: Usage | undefined;

  function error(error: SteadfastError): StreamEvent[] {
    return [{ type: 'error', error }];
  }

  function close(): StreamEvent[] {
    const finish = finishRaw === undefined ? undefined : openAiFinish(finishRaw, quirks);
    const reason =
      finishRaw === undefined
        ? undefined
        : {
            finishReason: refused ? 'refusal' : finish === 'error' ? 'other' : (finish ?? 'other'),
            raw: finishRaw,
          };
    return endOfStream(reason, usage, context, response.requestId);
  }

  function decode(message: SseMessage): StreamEvent[] {
    if (message.data === '[DONE]') return close();
    const data = parseJson(message.data);
    if (message.stray === true) {
      // Ollama writes errors as raw JSON lines without `data:`.
      const stray = classifyStreamEvent(data, context);
      return stray === undefined ? [] : error(stray);
    }
    if (data === undefined) return [{ type: 'malformed-chunk', data: message.data.slice(0, 1000) }];
    if (message.event === 'error') {
      return error(
        classifyStreamEvent(data, context) ??
          new SteadfastError('server', `${context.provider} sent an error event`, context),
      );
    }
    const chunk = record(data);
    if (chunk === undefined) return [{ type: 'malformed-chunk', data: message.data.slice(0, 1000) }];
    const failure = embeddedOpenAiError(chunk, context);
    if (failure !== undefined) return error(failure);
    const events: StreamEvent[] = [];
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    // Azure's first chunk carries only prompt filter results, with an empty id and no choices; it does
    // not start the answer. Hugging Face TGI sends an empty id on every chunk: its first choice does.
    const id = typeof chunk.id === 'string' ? chunk.id : '';
    if (!started && (id !== '' || choices.length > 0)) {
      started = true;
      events.push({
        type: 'start',
        id,
        provider: context.provider,
        model: typeof chunk.model === 'string' && chunk.model !== '' ? chunk.model : context.model,
        requestId: response.requestId,
        rateLimit: response.rateLimit,
      });
    }
    const chunkUsage = openAiUsage(chunk);
    if (chunkUsage !== undefined) usage = chunkUsage;
    const choice = record(choices[0]);
    if (choice === undefined) return events;
    const delta = record(choice.delta);
    if (delta !== undefined) {
      if (typeof delta.content === 'string' && delta.content !== '') {
        events.push({ type: 'text-delta', text: delta.content });
      }
      if (typeof delta.refusal === 'string' && delta.refusal !== '') {
        refused = true;
        events.push({ type: 'refusal-delta', text: delta.refusal });
      }
      if (Array.isArray(delta.tool_calls)) {
        for (const call of delta.tool_calls) {
          const entry = record(call);
          if (entry === undefined) continue;
          const fn = record(entry.function);
          const event: Extract<StreamEvent, { type: 'tool-call-delta' }> = {
            type: 'tool-call-delta',
            index: typeof entry.index === 'number' ? entry.index : 0,
            argumentsDelta: typeof fn?.arguments === 'string' ? fn.arguments : '',
          };
          if (typeof entry.id === 'string') event.id = entry.id;
          if (typeof fn?.name === 'string') event.name = fn.name;
          events.push(event);
        }
      }
    }
    if (typeof choice.finish_reason === 'string') {
      finishRaw = choice.finish_reason;
      if (openAiFinish(finishRaw, quirks) === 'error') {
        events.push(
          ...error(
            new SteadfastError(
              'server',
              `${context.provider} ended the stream with finish_reason "${finishRaw}"`,
              {
                ...context,
                requestId: response.requestId,
                code: finishRaw,
              },
            ),
          ),
        );
      }
    }
    return events;
  }

  return {
    decode,
    end: close,
    fail(failure) {
      // The answer was complete (finish reason seen) and only the tail (usage, [DONE]) was lost.
      return finishRaw !== undefined && openAiFinish(finishRaw, quirks) !== 'error'
        ? close()
        : error(failure);
    },
  };
}
