import type { ClassifyContext } from '../errors/classify-http.ts';
import { SteadfastError } from '../errors/steadfast-error.ts';
import type { FinishReason, Usage } from '../neutral/response.ts';
import type { StreamEvent } from '../neutral/stream-event.ts';

/**
 * The events that end a stream: its usage (when reported) and its finish. A stream that never received a
 * finish reason was cut, whatever its transport said, and ends with a `stream_interrupted` error instead.
 */
export function endOfStream(
  finish: { finishReason: FinishReason; raw: string } | undefined,
  usage: Usage | undefined,
  context: ClassifyContext & { provider: string },
  requestId: string | undefined,
): StreamEvent[] {
  if (finish === undefined) {
    const error = new SteadfastError(
      'stream_interrupted',
      `The stream from ${context.provider} ended before a finish reason`,
      { provider: context.provider, model: context.model, requestId, code: 'no_finish_reason' },
    );
    return [{ type: 'error', error }];
  }
  const events: StreamEvent[] = [];
  if (usage !== undefined) events.push({ type: 'usage', usage });
  events.push({ type: 'finish', finishReason: finish.finishReason, rawFinishReason: finish.raw });
  return events;
}
