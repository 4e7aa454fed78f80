import type { ServerResponse } from 'node:http';
import type { Fault } from './scenario.ts';
import type { StreamPlan } from './wire/types.ts';

/** Pacing of one answer. */
export interface Pacing {
  /** Delay before the first content frame, in ms. */
  firstTokenMs: number;
  /** Delay between content frames, in ms (0: all at once). */
  tokenIntervalMs: number;
}

/** Timers of in-flight answers, so that closing the simulator stops them all. */
export type TimerSet = Set<NodeJS.Timeout>;

function later(timers: TimerSet, ms: number, run: () => void): void {
  const timer = setTimeout(() => {
    timers.delete(timer);
    run();
  }, ms);
  timers.add(timer);
}

const cutByServer = new WeakSet<ServerResponse>();

/** True when the simulator itself cut this response's connection (a fault), not the client. */
export function wasCutByServer(response: ServerResponse): boolean {
  return cutByServer.has(response);
}

/** Ends the connection abruptly once what was written has been flushed: the client sees a cut body. */
export function cutConnection(response: ServerResponse): void {
  cutByServer.add(response);
  const socket = response.socket;
  if (socket === null) return;
  // end() flushes what was written, then closes: the client gets the partial body and then EOF.
  socket.end();
  socket.setTimeout(1000, () => socket.destroy());
}

/**
 * Writes a planned stream with its pacing, applying a stream fault if there is one: cut the connection
 * after k content frames, stall then cut, insert a malformed frame or an error event, or end without
 * the terminator. `done` runs once, when the answer is over (or the client left).
 */
export function writeStream(
  response: ServerResponse,
  plan: StreamPlan,
  pacing: Pacing,
  fault: Fault | undefined,
  timers: TimerSet,
  done: () => void,
): void {
  let frames = plan.frames;
  let stopAt = frames.length;
  let ending: 'end' | 'cut' | 'stall' = 'end';
  let stallMs = 0;
  switch (fault?.kind) {
    case 'stream_cut':
      stopAt = Math.min(plan.contentStart + fault.afterChunks, plan.contentEnd);
      ending = 'cut';
      break;
    case 'stream_stall':
      stopAt = Math.min(plan.contentStart + fault.afterChunks, plan.contentEnd);
      ending = 'stall';
      stallMs = fault.stallMs;
      break;
    case 'stream_error': {
      const at = Math.min(plan.contentStart + fault.afterChunks, plan.contentEnd);
      frames = [...frames.slice(0, at), plan.errorFrame];
      stopAt = frames.length;
      break;
    }
    case 'malformed_chunk': {
      const at = Math.min(plan.contentStart + fault.afterChunks, plan.contentEnd);
      frames = [...frames.slice(0, at), plan.malformedFrame, ...frames.slice(at)];
      stopAt = frames.length;
      break;
    }
    case 'missing_done':
      stopAt = frames.length - plan.terminatorFrames;
      break;
  }
  const firstContent = plan.contentStart;
  let index = 0;
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    done();
  };
  response.once('close', finish);

  const close = (): void => {
    if (response.destroyed) return finish();
    if (ending === 'end') {
      response.end();
      return;
    }
    if (ending === 'cut') {
      cutConnection(response);
      return;
    }
    later(timers, stallMs, () => cutConnection(response));
  };

  const pump = (): void => {
    if (response.destroyed) return finish();
    // Everything up to the next paced frame goes out in one write.
    let chunk = '';
    while (index < stopAt) {
      chunk += frames[index] as string;
      index++;
      const paced = index >= firstContent && index < plan.contentEnd && index < stopAt;
      if (paced && pacing.tokenIntervalMs > 0) break;
    }
    if (chunk !== '') response.write(chunk);
    if (index >= stopAt) close();
    else later(timers, pacing.tokenIntervalMs, pump);
  };

  // Frames before the first content frame go with the headers; content waits for the first token.
  let head = '';
  while (index < Math.min(firstContent, stopAt)) head += frames[index++] as string;
  if (head !== '') response.write(head);
  else response.flushHeaders();
  if (pacing.firstTokenMs > 0 && index < stopAt) later(timers, pacing.firstTokenMs, pump);
  else pump();
}
