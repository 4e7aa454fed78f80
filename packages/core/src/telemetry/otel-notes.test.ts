import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/types.ts';
import { noteOf } from './otel-notes.ts';

const requestId = 'sf_1';

describe('the span events of a request', () => {
  it.each<{ event: EngineEvent; name: string; attributes: Record<string, unknown> }>([
    {
      event: {
        type: 'candidate-skipped',
        requestId,
        provider: 'openai',
        model: 'gpt',
        reason: 'breaker_open',
      },
      name: 'steadfast.candidate_skipped',
      attributes: {
        'steadfast.provider': 'openai',
        'gen_ai.request.model': 'gpt',
        'steadfast.reason': 'breaker_open',
      },
    },
    {
      event: {
        type: 'candidate-deferred',
        requestId,
        provider: 'openai',
        model: 'gpt',
        reason: 'rate_limited',
      },
      name: 'steadfast.candidate_deferred',
      attributes: {
        'steadfast.provider': 'openai',
        'gen_ai.request.model': 'gpt',
        'steadfast.reason': 'rate_limited',
      },
    },
    {
      event: {
        type: 'fallback',
        requestId,
        from: undefined,
        to: { provider: 'anthropic', model: 'claude' },
        reason: 'skipped',
      },
      name: 'steadfast.fallback',
      attributes: {
        'steadfast.to.provider': 'anthropic',
        'steadfast.to.model': 'claude',
        'steadfast.reason': 'skipped',
      },
    },
    {
      event: { type: 'cache-hit', requestId, fresh: false, ageMs: 9000 },
      name: 'steadfast.cache_hit',
      attributes: { 'steadfast.cache': 'stale', 'steadfast.cache_age_ms': 9000 },
    },
    {
      event: { type: 'degraded', requestId, reason: 'timeout' },
      name: 'steadfast.degraded',
      attributes: { 'error.type': 'timeout' },
    },
    {
      event: {
        type: 'stream-recovery',
        requestId,
        action: 'continue',
        provider: 'openai',
        model: 'gpt',
        sentChars: 120,
      },
      name: 'steadfast.stream_recovery',
      attributes: {
        'steadfast.action': 'continue',
        'steadfast.provider': 'openai',
        'gen_ai.request.model': 'gpt',
        'steadfast.sent_chars': 120,
      },
    },
    {
      event: {
        type: 'malformed-chunk',
        requestId,
        provider: 'openai',
        model: 'gpt',
        beforeFirstToken: false,
      },
      name: 'steadfast.malformed_chunk',
      attributes: {
        'steadfast.provider': 'openai',
        'gen_ai.request.model': 'gpt',
        'steadfast.before_first_token': false,
      },
    },
  ])('records $event.type as $name', ({ event, name, attributes }) => {
    expect(noteOf(event)).toEqual({ name, attributes });
  });

  it('are not made of the events that start or end a span', () => {
    expect(noteOf({ type: 'request-start', requestId, route: 'chat', stream: false })).toBeUndefined();
  });
});
