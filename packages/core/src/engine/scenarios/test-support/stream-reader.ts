import type { StreamEvent } from '../../../neutral/stream-event.ts';
import type { ResilientStream } from '../../run-stream.ts';
import type { ResilienceReport } from '../../types.ts';

/** A stream read step by step, so that a test can move the clock while the consumer waits. */
export interface StreamReader {
  /** Every event read so far, in order. */
  readonly events: StreamEvent[];
  /** Reads until `count` text deltas have arrived in all. */
  readTextDeltas(count: number): Promise<void>;
  /**
   * Reads to the end. The engine works only while its consumer asks for the next event, so start this
   * before moving the clock past a limit, and await it after.
   */
  readRest(): Promise<void>;
  readonly report: Promise<ResilienceReport>;
}

export function readStepByStep(stream: ResilientStream): StreamReader {
  const iterator = stream[Symbol.asyncIterator]();
  const events: StreamEvent[] = [];
  const textDeltas = (): number => events.filter((event) => event.type === 'text-delta').length;
  async function readWhile(more: () => boolean): Promise<void> {
    while (more()) {
      const next = await iterator.next();
      if (next.done === true) return;
      events.push(next.value);
    }
  }
  return {
    events,
    readTextDeltas: (count) => readWhile(() => textDeltas() < count),
    readRest: () => readWhile(() => true),
    report: stream.report,
  };
}
