import type { ServerResponse } from 'node:http';
import type { Fault } from './scenario.ts';
import { send } from './send.ts';
import { cutConnection, type TimerSet } from './stream-writer.ts';

/**
 * Writes a non-streamed answer once its generation time (in ms) has passed, applying a body fault if
 * there is one: `stream_cut` and `stream_stall` cut the body half-way, at once or after the stall.
 */
export function writeBody(
  response: ServerResponse,
  payload: string,
  headers: Record<string, string>,
  generationMs: number,
  fault: Fault | undefined,
  timers: TimerSet,
): void {
  const write = (): void => {
    if (response.destroyed) return;
    if (fault?.kind === 'stream_cut' || fault?.kind === 'stream_stall') {
      // A body cut mid-way: full length announced, half of it sent.
      response.writeHead(200, {
        ...headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
      });
      response.write(payload.slice(0, Math.floor(payload.length / 2)));
      if (fault.kind === 'stream_cut') return cutConnection(response);
      const timer = setTimeout(() => {
        timers.delete(timer);
        cutConnection(response);
      }, fault.stallMs);
      timers.add(timer);
      return;
    }
    send(response, 200, 'application/json', payload, headers);
  };
  if (generationMs <= 0) return write();
  const timer = setTimeout(() => {
    timers.delete(timer);
    write();
  }, generationMs);
  timers.add(timer);
}
