import type { EngineEvent } from '../engine/types.ts';
import type { Unsubscribe } from './event.ts';

/** Anything that reports engine events: a client (`client.on`), or an `Emitter` of them. */
export interface EngineEventSource {
  on(listener: (event: EngineEvent) => void): Unsubscribe;
}
