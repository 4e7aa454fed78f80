import { SteadfastError } from '../errors/steadfast-error.ts';
import { type Clock, systemClock } from './clock.ts';

/** Time limits of one upstream call. Each is off when absent. */
export interface CallTimeouts {
  /** The whole call, from sending the request to the last byte, in ms. */
  timeoutMs?: number | undefined;
  /** From sending the request to the first token of the answer (streams), in ms. */
  firstTokenTimeoutMs?: number | undefined;
  /** Longest silence in a stream, from its response headers on and between two chunks, in ms. */
  idleTimeoutMs?: number | undefined;
}

type Limit = 'call' | 'first token' | 'idle';

/**
 * Watches one upstream call: aborts it when the caller's signal aborts or one of its time limits passes,
 * so the socket is released, and knows which it was. Pass `signal` to `fetch`; report progress with
 * `receivedBytes()` and `receivedToken()`; call `dispose()` when the call is over.
 */
export class CallGuard {
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #clock: Clock;
  readonly #timeouts: CallTimeouts;
  readonly #context: { provider?: string | undefined; model?: string | undefined };
  readonly #callerSignal: AbortSignal | undefined;
  #callTimer: unknown;
  #firstTokenTimer: unknown;
  #idleTimer: unknown;
  #onCallerAbort = (): void => {
    this.#controller.abort(
      new SteadfastError('cancelled', 'The request was aborted by its caller', {
        ...this.#context,
        cause: this.#callerSignal?.reason,
      }),
    );
    this.#clearTimers();
  };

  constructor(
    timeouts: CallTimeouts,
    options: {
      signal?: AbortSignal | undefined;
      clock?: Clock | undefined;
      provider?: string | undefined;
      model?: string | undefined;
    } = {},
  ) {
    this.signal = this.#controller.signal;
    this.#clock = options.clock ?? systemClock;
    this.#timeouts = timeouts;
    this.#context = { provider: options.provider, model: options.model };
    this.#callerSignal = options.signal;
    if (options.signal?.aborted) {
      this.#onCallerAbort();
      return;
    }
    options.signal?.addEventListener('abort', this.#onCallerAbort, { once: true });
    if (timeouts.timeoutMs !== undefined) this.#callTimer = this.#arm('call', timeouts.timeoutMs);
    if (timeouts.firstTokenTimeoutMs !== undefined) {
      this.#firstTokenTimer = this.#arm('first token', timeouts.firstTokenTimeoutMs);
    }
  }

  /** The error the call was aborted with, if it was. */
  get abortError(): SteadfastError | undefined {
    const reason: unknown = this.#controller.signal.reason;
    return this.#controller.signal.aborted && SteadfastError.isInstance(reason) ? reason : undefined;
  }

  /** Bytes arrived (the response headers, or a chunk of the body): the idle limit starts again. */
  receivedBytes(): void {
    if (this.#timeouts.idleTimeoutMs === undefined || this.signal.aborted) return;
    if (this.#idleTimer !== undefined) this.#clock.clearTimeout(this.#idleTimer);
    this.#idleTimer = this.#arm('idle', this.#timeouts.idleTimeoutMs);
  }

  /** The first token arrived: the first-token limit no longer applies. */
  receivedToken(): void {
    if (this.#firstTokenTimer === undefined) return;
    this.#clock.clearTimeout(this.#firstTokenTimer);
    this.#firstTokenTimer = undefined;
  }

  /** The call is over: stop every timer and stop listening to the caller's signal. */
  dispose(): void {
    this.#clearTimers();
    this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
  }

  /** Aborts the call (e.g. the consumer stopped reading), releasing its socket. */
  abort(): void {
    if (this.signal.aborted) return;
    this.#controller.abort(
      new SteadfastError('cancelled', 'The stream was closed by its consumer', { ...this.#context }),
    );
    this.#clearTimers();
  }

  #arm(limit: Limit, ms: number): unknown {
    return this.#clock.setTimeout(() => {
      if (this.signal.aborted) return;
      const message =
        limit === 'call'
          ? `The call took longer than its ${ms} ms limit`
          : limit === 'first token'
            ? `No token arrived within ${ms} ms`
            : `The stream was silent for more than ${ms} ms`;
      this.#controller.abort(
        new SteadfastError('timeout', message, { ...this.#context, code: limit.replace(' ', '_') }),
      );
      this.#clearTimers();
    }, ms);
  }

  #clearTimers(): void {
    for (const timer of [this.#callTimer, this.#firstTokenTimer, this.#idleTimer]) {
      if (timer !== undefined) this.#clock.clearTimeout(timer);
    }
    this.#callTimer = this.#firstTokenTimer = this.#idleTimer = undefined;
  }
}
