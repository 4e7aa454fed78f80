import { limits } from './client-under-test.ts';

/** Why `guardedFetch` aborted an attempt. */
export class AttemptTimeout extends Error {
  readonly limit: 'attempt' | 'idle';

  constructor(limit: 'attempt' | 'idle') {
    super(
      limit === 'attempt'
        ? `the attempt took longer than ${limits.attemptTimeoutMs} ms`
        : `the response was silent for more than ${limits.idleTimeoutMs} ms`,
    );
    this.name = 'TimeoutError';
    this.limit = limit;
  }
}

/**
 * `fetch` with the time limits that Steadfast's attempts get, for the clients that have none of their
 * own: the whole attempt, body included, within `attemptTimeoutMs`, and no silence longer than
 * `idleTimeoutMs` once the headers arrived. The openai client gets it as its `fetch`, so the limits
 * apply per HTTP attempt and its own retry policy decides what happens after one fires: before the
 * headers it sees a connection timeout (which it retries); in the body, a failed read.
 */
export function guardedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const controller = new AbortController();
  const caller = init?.signal ?? undefined;
  const onCallerAbort = (): void => controller.abort(caller?.reason);
  caller?.addEventListener('abort', onCallerAbort, { once: true });
  let idleTimer: NodeJS.Timeout | undefined;
  const attemptTimer = setTimeout(
    () => controller.abort(new AttemptTimeout('attempt')),
    limits.attemptTimeoutMs,
  );
  const stop = (): void => {
    clearTimeout(attemptTimer);
    clearTimeout(idleTimer);
    caller?.removeEventListener('abort', onCallerAbort);
  };
  const quiet = (): void => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => controller.abort(new AttemptTimeout('idle')), limits.idleTimeoutMs);
  };

  return fetch(input, { ...init, signal: controller.signal }).then(
    (response) => {
      if (response.body === null) {
        stop();
        return response;
      }
      quiet();
      const reader = response.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(sink) {
          try {
            const chunk = await reader.read();
            if (chunk.done) {
              stop();
              sink.close();
              return;
            }
            quiet();
            sink.enqueue(chunk.value);
          } catch (error) {
            stop();
            sink.error(error);
          }
        },
        cancel(reason) {
          stop();
          return reader.cancel(reason);
        },
      });
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    },
    (error: unknown) => {
      stop();
      throw error;
    },
  );
}
