import type { ChatResponse } from '../neutral/response.ts';
import type { StreamEvent } from '../neutral/stream-event.ts';
import type { CachedResponse, ResponseCache } from '../policies/cache.ts';

/** A cached answer young enough to stand in for a live call, if there is one. */
export async function freshHit(cache: ResponseCache, key: string): Promise<CachedResponse | undefined> {
  const cached = await cache.get(key).catch(() => undefined);
  return cached?.fresh === true ? cached : undefined;
}

/** An answer that did not come from a live stream (cache, degradation), as stream events. */
export function replay(result: ChatResponse): StreamEvent[] {
  const events: StreamEvent[] = [
    {
      type: 'start',
      id: result.id,
      provider: result.provider,
      model: result.model,
      requestId: result.requestId,
      rateLimit: undefined,
    },
  ];
  if (result.text !== '') events.push({ type: 'text-delta', text: result.text });
  result.toolCalls.forEach((call, index) => {
    events.push({
      type: 'tool-call-delta',
      index,
      id: call.id,
      name: call.name,
      argumentsDelta: call.arguments,
    });
  });
  events.push({ type: 'usage', usage: result.usage });
  events.push({ type: 'finish', finishReason: result.finishReason, rawFinishReason: result.rawFinishReason });
  return events;
}
