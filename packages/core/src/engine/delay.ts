import { SteadfastError } from '../errors/steadfast-error.ts';
import type { Clock } from '../policies/clock.ts';

/** Waits `ms` on `clock`; rejects with a `cancelled` error as soon as `signal` aborts, removing its listener. */
export function delay(ms: number, clock: Clock, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(cancelled(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clock.clearTimeout(timer);
      reject(cancelled(signal));
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function cancelled(signal: AbortSignal | undefined): SteadfastError {
  return new SteadfastError('cancelled', 'The request was aborted by its caller', { cause: signal?.reason });
}
