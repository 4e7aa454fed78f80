import type { ChatResult, StreamEvent, ToolCallPart, Usage } from '@steadfast/core';

/** The usage of the answers below: 12 in (4 of them cached), 3 out. */
export const usage: Usage = { inputTokens: 12, outputTokens: 3, cachedInputTokens: 4, totalTokens: 15 };

/** A finished text answer from the engine, as the gateway receives it; `overrides` change any field. */
export function answer(overrides: Partial<ChatResult> = {}): ChatResult {
  return {
    id: 'upstream-id',
    provider: 'openai',
    model: 'gpt-4o-mini-2024-07-18',
    requestId: 'req_upstream',
    content: [{ type: 'text', text: 'Paris.' }],
    text: 'Paris.',
    toolCalls: [],
    finishReason: 'stop',
    rawFinishReason: 'stop',
    usage,
    rateLimit: undefined,
    timings: { startedAt: 0, headersMs: 10, totalMs: 20 },
    resilience: {
      route: 'default',
      attempts: [],
      fallbackUsed: false,
      cache: undefined,
      cacheAgeMs: undefined,
      degraded: false,
      costUsd: 0,
      durationMs: 20,
      content: undefined,
    },
    ...overrides,
  };
}

export const weatherCall: ToolCallPart = {
  type: 'tool-call',
  id: 'call_1',
  name: 'get_weather',
  arguments: '{"city":"Paris"}',
};

/** An answer that calls `calls` after `text`. */
export function toolAnswer(calls: ToolCallPart[], text = ''): ChatResult {
  return answer({
    content: [...(text === '' ? [] : [{ type: 'text' as const, text }]), ...calls],
    text,
    toolCalls: calls,
    finishReason: 'tool_calls',
    rawFinishReason: 'tool_calls',
  });
}

export function start(model = 'gpt-4o-mini-2024-07-18'): StreamEvent {
  return {
    type: 'start',
    id: 'upstream-id',
    provider: 'openai',
    model,
    requestId: 'req_upstream',
    rateLimit: undefined,
  };
}

/** A streamed text answer: start, the deltas, usage, finish. */
export function textStream(...pieces: string[]): StreamEvent[] {
  return [
    start(),
    ...pieces.map((text): StreamEvent => ({ type: 'text-delta', text })),
    { type: 'usage', usage },
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' },
  ];
}
