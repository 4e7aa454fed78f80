import { type AttemptFn, runChain } from './chain.ts';
import type { RunContext } from './run-context.ts';
import type { AttemptRecord, Candidate } from './types.ts';

type Won<T> = { value: T; candidate: Candidate; record: AttemptRecord };

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
 * by both.
 */
export function runHedged<T>(ctx: RunContext, attempt: AttemptFn<T>, delayMs: number): Promise<Won<T>> {
  if (ctx.route.candidates.length < 2) return runChain(ctx, attempt);
  const { clock } = ctx.deps;
  return new Promise<Won<T>>((resolve, reject) => {
    const primary = childSignal(ctx.signal);
    let hedge: AbortController | undefined;
    let settled = false;
    let running = 1;
    let lastError: unknown;
    const win = (loser: () => AbortController | undefined) => (won: Won<T>) => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      loser()?.abort(new Error('hedged: the other chain answered first'));
      resolve(won);
    };
    const lose = (error: unknown): void => {
      if (settled) return;
      running--;
      lastError = lastError ?? error;
      if (running > 0) return;
      settled = true;
      clock.clearTimeout(timer);
      reject(lastError);
    };
    let primaryDone = false;
    runChain({ ...ctx, signal: primary.signal }, attempt).then(
      win(() => hedge),
      (error: unknown) => {
        primaryDone = true;
        lose(error);
      },
    );
    const timer = clock.setTimeout(() => {
      // The primary chain already ended (it failed over on its own) or answered: nothing to hedge.
      if (settled || primaryDone) return;
      hedge = childSignal(ctx.signal);
      running++;
      runChain({ ...ctx, signal: hedge.signal }, attempt).then(
        win(() => primary),
        lose,
      );
    }, delayMs);
  });
}
