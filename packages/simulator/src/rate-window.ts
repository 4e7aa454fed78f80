import type { ModelBehaviour } from './scenario.ts';
import type { RateLimitState } from './wire/types.ts';

const windowMs = 60_000;

/** Fixed one-minute windows per model, enforcing `rateLimit` the way providers report it. */
export class RateWindows {
  #windows = new Map<string, { startMs: number; requests: number; tokens: number }>();

  /**
   * Counts a request of `tokens` tokens against the model's limits at `nowMs` and returns the state to
   * report, with `exceeded` set when the request is over a limit (it is then not counted).
   */
  take(
    model: string,
    limits: NonNullable<ModelBehaviour['rateLimit']>,
    tokens: number,
    nowMs: number,
  ): RateLimitState & { exceeded: boolean } {
    let window = this.#windows.get(model);
    if (window === undefined || nowMs - window.startMs >= windowMs) {
      window = { startMs: nowMs, requests: 0, tokens: 0 };
      this.#windows.set(model, window);
    }
    const overRequests =
      limits.requestsPerMinute !== undefined && window.requests + 1 > limits.requestsPerMinute;
    const overTokens =
      limits.tokensPerMinute !== undefined && window.tokens + tokens > limits.tokensPerMinute;
    const exceeded = overRequests || overTokens;
    if (!exceeded) {
      window.requests++;
      window.tokens += tokens;
    }
    const resetAt = window.startMs + windowMs;
    return {
      exceeded,
      requestsLimit: limits.requestsPerMinute,
      requestsRemaining: Math.max(0, (limits.requestsPerMinute ?? 0) - window.requests),
      tokensLimit: limits.tokensPerMinute,
      tokensRemaining: Math.max(0, (limits.tokensPerMinute ?? 0) - window.tokens),
      resetMs: resetAt - nowMs,
      resetAt,
    };
  }

  reset(): void {
    this.#windows.clear();
  }
}
