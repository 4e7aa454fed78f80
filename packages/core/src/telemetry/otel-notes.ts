import type { Attributes } from '@opentelemetry/api';
import type { EngineEvent } from '../engine/types.ts';

/** A span event: what happened to a request between its attempts. */
export interface SpanNote {
  name: string;
  attributes: Attributes;
}

/**
 * The span event recording `event` on its request's span, for the events that are notes about the
 * request rather than the start or end of something: retries, fallbacks, skipped or deferred
 * candidates, cache hits, degraded answers, stream recoveries and malformed chunks.
 */
export function noteOf(event: EngineEvent): SpanNote | undefined {
  switch (event.type) {
    case 'retry':
      return {
        name: 'steadfast.retry',
        attributes: {
          'steadfast.provider': event.provider,
          'gen_ai.request.model': event.model,
          'steadfast.retry_delay_ms': event.delayMs,
          'error.type': event.reason,
        },
      };
    case 'fallback':
      return {
        name: 'steadfast.fallback',
        attributes: {
          ...(event.from === undefined
            ? {}
            : { 'steadfast.from.provider': event.from.provider, 'steadfast.from.model': event.from.model }),
          'steadfast.to.provider': event.to.provider,
          'steadfast.to.model': event.to.model,
          'steadfast.reason': event.reason,
        },
      };
    case 'candidate-skipped':
    case 'candidate-deferred':
      return {
        name:
          event.type === 'candidate-skipped' ? 'steadfast.candidate_skipped' : 'steadfast.candidate_deferred',
        attributes: {
          'steadfast.provider': event.provider,
          'gen_ai.request.model': event.model,
          'steadfast.reason': event.reason,
        },
      };
    case 'cache-hit':
      return {
        name: 'steadfast.cache_hit',
        attributes: {
          'steadfast.cache': event.fresh ? 'fresh' : 'stale',
          'steadfast.cache_age_ms': event.ageMs,
        },
      };
    case 'degraded':
      return { name: 'steadfast.degraded', attributes: { 'error.type': event.reason } };
    case 'stream-recovery':
      return {
        name: 'steadfast.stream_recovery',
        attributes: {
          'steadfast.action': event.action,
          'steadfast.provider': event.provider,
          'gen_ai.request.model': event.model,
          'steadfast.sent_chars': event.sentChars,
        },
      };
    case 'malformed-chunk':
      return {
        name: 'steadfast.malformed_chunk',
        attributes: {
          'steadfast.provider': event.provider,
          'gen_ai.request.model': event.model,
          'steadfast.before_first_token': event.beforeFirstToken,
        },
      };
    default:
      return undefined;
  }
}
