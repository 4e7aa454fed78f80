import type { Api } from './scenario.ts';

/** What happened to one request the simulator received. */
export interface AttemptRecord {
  /** 1-based order of arrival since the last reset. */
  seq: number;
  api: Api | 'control' | 'unknown';
  model: string;
  stream: boolean;
  /** 1-based attempt number of this model since the last reset (0 when no model was named). */
  attempt: number;
  /** `ok`, a fault kind, or a natural outcome: `rate_limited`, `context_length`, `prefill_rejected`, `auth`, `model_not_found`, `invalid`. */
  outcome: string;
  /** HTTP status sent, or 0 when none was (no response, reset). */
  status: number;
  requestId: string;
  /** Milliseconds since start or reset when the request arrived. */
  atMs: number;
  /** Wall-clock time of arrival, ISO 8601. */
  time: string;
  /** Milliseconds since start or reset when the response ended or the connection closed. */
  endedAtMs: number | undefined;
  /** The client closed the connection before the simulator finished answering. */
  clientClosed: boolean;
}

/** Attempts and outcomes per model since the last reset. */
export interface ModelCounters {
  attempts: number;
  outcomes: Record<string, number>;
}

/**
 * Counts every attempt and keeps the most recent ones (bounded, so long benchmarks do not grow memory).
 * The records sit in a ring: adding one is O(1) however many are kept. Shifting an array of 10,000 on
 * every request took a quarter of the simulator's CPU time under load (bench/RESULTS.md).
 */
export class AttemptLog {
  readonly #limit: number;
  /** The ring; it grows to `#limit`, then `#next` wraps around and overwrites the oldest. */
  #records: AttemptRecord[] = [];
  #next = 0;
  #counters = new Map<string, ModelCounters>();
  #seq = 0;

  constructor(limit: number) {
    this.#limit = Math.max(0, Math.floor(limit));
  }

  /** The next arrival number. */
  nextSeq(): number {
    return ++this.#seq;
  }

  /** Counts an attempt of `model` and returns its 1-based number. */
  countAttempt(model: string): number {
    let counters = this.#counters.get(model);
    if (counters === undefined) {
      counters = { attempts: 0, outcomes: {} };
      this.#counters.set(model, counters);
    }
    return ++counters.attempts;
  }

  add(record: AttemptRecord): void {
    const counters = this.#counters.get(record.model);
    if (counters !== undefined)
      counters.outcomes[record.outcome] = (counters.outcomes[record.outcome] ?? 0) + 1;
    if (this.#limit === 0) return;
    this.#records[this.#next] = record;
    this.#next = this.#next + 1 === this.#limit ? 0 : this.#next + 1;
  }

  /** The kept records, oldest first. */
  records(): AttemptRecord[] {
    if (this.#records.length < this.#limit) return this.#records.slice();
    return [...this.#records.slice(this.#next), ...this.#records.slice(0, this.#next)];
  }

  counters(): Record<string, ModelCounters> {
    const out: Record<string, ModelCounters> = {};
    for (const [model, counters] of this.#counters)
      out[model] = { attempts: counters.attempts, outcomes: { ...counters.outcomes } };
    return out;
  }

  reset(): void {
    this.#records = [];
    this.#next = 0;
    this.#counters.clear();
    this.#seq = 0;
  }
}
