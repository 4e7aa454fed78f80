import type { EngineEvent } from '../../engine/types.ts';
import { createFakeClock, type FakeClock } from '../../test-support/fake-clock.ts';
import { Emitter } from '../event.ts';
import { createMetrics, type Metrics, type MetricsOptions } from '../metrics.ts';
import { type Ending, requestEnd, requestStart } from './scripted-events.ts';

/** A collector listening to an emitter that a test plays scripted events into, on a fake clock. */
export interface Listening {
  metrics: Metrics;
  clock: FakeClock;
  /** Emits the events, in order. */
  play(...events: EngineEvent[]): void;
  /** Plays one whole request on `route`: its start, then its end as `ending` says. */
  request(route: string, ending: Ending): void;
}

export function listening(options: MetricsOptions = {}): Listening {
  const source = new Emitter<EngineEvent>();
  const clock = createFakeClock();
  const metrics = createMetrics(source, { clock, ...options });
  let sequence = 0;
  const play = (...events: EngineEvent[]): void => {
    for (const event of events) source.emit(event);
  };
  return {
    metrics,
    clock,
    play,
    request(route, ending) {
      const id = `request-${++sequence}`;
      play(requestStart(id, route), requestEnd(id, route, ending));
    },
  };
}
