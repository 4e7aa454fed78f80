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

/** Counts every attempt and keeps the most recent ones (bounded, so long benchmarks do not grow memory). */
export class AttemptLog {
  readonly #limit: number;
  #records: AttemptRecord[] = [];
  #counters = new Map<string, ModelCounters>();
  #seq = 0;

  constructor(limit: number) {
    this.#limit = limit;
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
    this.#records.push(record);
    if (this.#records.length > this.#limit) this.#records.splice(0, this.#records.length - this.#limit);
  }

  records(): AttemptRecord[] {
    return this.#records.slice();
  }

  counters(): Record<string, ModelCounters> {
    const out: Record<string, ModelCounters> = {};
    for (const [model, counters] of this.#counters)
      out[model] = { attempts: counters.attempts, outcomes: { ...counters.outcomes } };
    return out;
  }

  reset(): void {
    this.#records = [];
    this.#counters.clear();
    this.#seq = 0;
  }
}
