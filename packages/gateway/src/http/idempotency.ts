/** A finished answer, as an idempotent repeat gets it back. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * `Idempotency-Key` support: the first request with a key runs; a repeat within the window gets the
 * first one's answer (waiting for it while it still runs) instead of calling a provider again. Only
 * answers that succeeded are kept: a failure is not worth replaying, the repeat runs afresh. Callers
 * scope keys by gateway key, so one client can never replay another's answer.
 */
export class IdempotencyCache {
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #maxEntries: number;
  #entries = new Map<string, { at: number; answer: Promise<StoredAnswer> }>();

  constructor(windowMs: number, now: () => number, maxEntries = 10_000) {
    this.#windowMs = windowMs;
    this.#now = now;
    this.#maxEntries = maxEntries;
  }

  /** The first run's answer for `key` when there is one to replay; otherwise runs `run` and keeps its answer. */
  async once(
    key: string,
    run: () => Promise<StoredAnswer>,
  ): Promise<{ replayed: boolean; answer: StoredAnswer }> {
    this.#evict();
    const found = this.#entries.get(key);
    if (found !== undefined) {
      try {
        return { replayed: true, answer: await found.answer };
      } catch {
        // The first run failed; this one runs afresh.
      }
    }
    const answer = run();
    this.#entries.set(key, { at: this.#now(), answer });
    try {
      const settled = await answer;
      if (settled.status < 200 || settled.status >= 300) this.#entries.delete(key);
      return { replayed: false, answer: settled };
    } catch (error) {
      this.#entries.delete(key);
      throw error;
    }
  }

  #evict(): void {
    const cutoff = this.#now() - this.#windowMs;
    // Insertion order is age order: stop at the first entry that is young enough and within the bound.
    for (const [key, entry] of this.#entries) {
      if (entry.at > cutoff && this.#entries.size <= this.#maxEntries) break;
      this.#entries.delete(key);
    }
  }
}
