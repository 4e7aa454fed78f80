import { type AttemptFn, runChain } from './chain.ts';
import type { RunContext } from './run-context.ts';
import type { AttemptRecord, Candidate } from './types.ts';

type Won<T> = { value: T; candidate: Candidate; record: AttemptRecord };

/** One of the two chains of a hedged request: how to stop it, and when it has stopped. */
interface Running {
  controller: AbortController;
  done: Promise<unknown>;
}

function childSignal(parent: AbortSignal | undefined): AbortController {
  const controller = new AbortController();
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', () => controller.abort(parent.reason), { once: true });
  return controller;
}

/**
 * Runs the chain, and if it has not answered after `delayMs`, a second chain beside it that starts at
 * the next candidate. The first good answer wins and the other chain is aborted; the request fails
 * only when both chains have failed. The two share the request's records, so no candidate is tried
 * by both: a candidate one chain is calling is left to it (`ctx.claimed`).
 */
export function runHedged<T>(ctx: RunContext, attempt: AttemptFn<T>, delayMs: number): Promise<Won<T>> {
  if (ctx.route.candidates.length < 2) return runChain(ctx, attempt);
  const { clock } = ctx.deps;
  return new Promise<Won<T>>((resolve, reject) => {
    let hedge: Running | undefined;
    let settled = false;
    let running = 1;
    let primaryDone = false;
    // The chain that fails last saw every attempt of both: its error lists them all.
    let lastError: unknown;
    const win = (loser: () => Running | undefined) => (won: Won<T>) => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      const other = loser();
      if (other === undefined) {
        resolve(won);
        return;
      }
      other.controller.abort(new Error('hedged: the other chain answered first'));
      // The aborted call is one of the request's attempts and belongs in its report. An adapter drops
      // a call as soon as its signal aborts, so this waits for no upstream, only for the record.
      other.done.then(
        () => resolve(won),
        () => resolve(won),
      );
    };
    const lose = (error: unknown): void => {
      if (settled) return;
      running--;
      lastError = error;
      if (running > 0) return;
      settled = true;
      clock.clearTimeout(timer);
      reject(lastError);
    };
    const primaryController = childSignal(ctx.signal);
    const primary: Running = {
      controller: primaryController,
      done: runChain({ ...ctx, signal: primaryController.signal }, attempt),
    };
    primary.done.then(
      (won) => win(() => hedge)(won as Won<T>),
      (error: unknown) => {
        primaryDone = true;
        lose(error);
      },
    );
    const timer = clock.setTimeout(() => {
      // The primary chain already ended (it failed over on its own) or answered: nothing to hedge.
      if (settled || primaryDone) return;
      const hedgeController = childSignal(ctx.signal);
      const done = runChain({ ...ctx, signal: hedgeController.signal }, attempt);
      hedge = { controller: hedgeController, done };
      running++;
      done.then(
        win(() => primary),
        lose,
      );
    }, delayMs);
  });
}
