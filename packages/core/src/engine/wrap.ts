import { ChainError } from '../errors/chain-error.ts';
import { classify } from '../errors/classify.ts';
import { SteadfastError } from '../errors/steadfast-error.ts';
import { type BreakerOptions, createCircuitBreaker } from '../policies/breaker.ts';
import type { Clock } from '../policies/clock.ts';
import { Deadline } from '../policies/deadline.ts';
import { createRetryPolicy, type RetryOptions } from '../policies/retry.ts';
import { createRetryBudget, type RetryBudgetOptions } from '../policies/retry-budget.ts';
import { CallGuard } from '../policies/timeout.ts';
import type { StateStore } from '../store/state-store.ts';
import type { Emitter } from '../telemetry/event.ts';
import { delay } from './delay.ts';
import type { EngineEvent } from './types.ts';

/** Options of `wrap`: the policies around one kind of call. */
export interface WrapOptions {
  /** Who is called, for classification, the breaker and the budget (e.g. `openai`). */
  provider: string;
  /** The model, when the call has one (the breaker key is `provider/model`). */
  model?: string;
  /** One attempt's limit, in ms; the attempt's signal aborts when it passes. */
  timeoutMs?: number;
  /** The whole call, retries and waits included, in ms. */
  deadlineMs?: number;
  /** @default the retry defaults */
  retry?: RetryOptions | false;
  /** @default the breaker defaults */
  breaker?: BreakerOptions | false;
  /** @default the budget defaults */
  retryBudget?: RetryBudgetOptions | false;
}

/** What `wrap` shares with its client. */
export interface WrapDeps {
  store: StateStore;
  clock: Clock;
  random: () => number;
  events: Emitter<EngineEvent>;
}

/**
 * Protects any async call with a per-attempt timeout, retries with backoff within a budget, and a
 * circuit breaker. Errors thrown by the call (the official SDKs' errors included) are classified; the
 * call gets an AbortSignal that fires on timeout or when the caller aborts.
 */
export function wrapCall<T>(
  fn: (context: { signal: AbortSignal; attempt: number }) => Promise<T>,
  options: WrapOptions,
  deps: WrapDeps,
): (callOptions?: { signal?: AbortSignal }) => Promise<T> {
  const { clock, events } = deps;
  const retry = options.retry === false ? undefined : createRetryPolicy(options.retry ?? {}, deps.random);
  const breaker =
    options.breaker === false
      ? undefined
      : createCircuitBreaker(options.breaker ?? {}, { store: deps.store, clock });
  const budget =
    options.retryBudget === false
      ? undefined
      : createRetryBudget(options.retryBudget, { store: deps.store, clock });
  breaker?.onTransition((transition) => events.emit({ type: 'breaker', ...transition }));
  const key = `${options.provider}/${options.model ?? '*'}`;
  const context = { provider: options.provider, model: options.model };
  let sequence = 0;

  return async (callOptions = {}) => {
    const requestId = `wrap_${(++sequence).toString(36)}`;
    const deadline = new Deadline(options.deadlineMs, clock);
    const errors: SteadfastError[] = [];
    let previousDelayMs: number | undefined;
    await budget?.recordRequest(options.provider);
    for (let attempt = 1; ; attempt++) {
      const admission = breaker === undefined ? undefined : await breaker.acquire(key);
      if (admission !== undefined && !admission.allowed) {
        const open = new SteadfastError('unavailable', `The circuit breaker of ${key} is open`, {
          ...context,
          code: 'breaker_open',
          retryAfterMs: Math.max(0, admission.openUntil - clock.now()),
        });
        throw new ChainError('no_candidate', errors[0] ?? open, errors, []);
      }
      const permit = admission?.permit;
      const guard = new CallGuard(
        { timeoutMs: deadline.limit(options.timeoutMs) },
        { signal: callOptions.signal, clock, ...context },
      );
      const startedAt = clock.now();
      if (events.active) {
        events.emit({
          type: 'attempt-start',
          requestId,
          provider: options.provider,
          model: options.model ?? '*',
          attempt,
          lastOption: true,
        });
      }
      let error: SteadfastError;
      try {
        const value = await fn({ signal: guard.signal, attempt });
        await permit?.success(clock.now() - startedAt).catch(() => undefined);
        return value;
      } catch (thrown) {
        error = guard.abortError ?? classify(thrown, context);
        await (error.kind === 'cancelled' ? permit?.release() : permit?.failure(error))?.catch(
          () => undefined,
        );
      } finally {
        guard.dispose();
      }
      errors.push(error);
      if (error.kind === 'cancelled') throw error;
      const decision = retry?.decide({
        error,
        retriesSoFar: attempt - 1,
        previousDelayMs,
        remainingMs: deadline.remainingMs(),
      });
      if (
        decision?.action !== 'retry' ||
        (budget !== undefined && !(await budget.tryAcquire(options.provider)))
      ) {
        throw new ChainError(deadline.expired() ? 'deadline' : 'all_failed', errors[0] ?? error, errors, []);
      }
      if (events.active) {
        events.emit({
          type: 'retry',
          requestId,
          provider: options.provider,
          model: options.model ?? '*',
          delayMs: decision.delayMs,
          reason: error.kind,
        });
      }
      await delay(decision.delayMs, clock, callOptions.signal);
      previousDelayMs = decision.delayMs;
    }
  };
}
