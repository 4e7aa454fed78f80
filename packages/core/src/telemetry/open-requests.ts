/**
 * Requests in flight, by request id, for listeners that pair a request's start with its end. At most
 * `max` are kept: a stream that is created and never read never ends, and must not grow the map
 * forever. Past the limit the oldest is dropped and handed to `onEvict` (to close what it holds).
 */
export class OpenRequests<T> {
  readonly #entries = new Map<string, T>();
  readonly #max: number;
  readonly #onEvict: (entry: T) => void;

  constructor(max: number, onEvict: (entry: T) => void) {
    this.#max = Math.max(1, max);
    this.#onEvict = onEvict;
  }

  get size(): number {
    return this.#entries.size;
  }

  add(requestId: string, entry: T): void {
    if (this.#entries.size >= this.#max) {
      // A Map iterates in insertion order: the first key is the oldest request.
      const [oldestId, oldest] = this.#entries.entries().next().value as [string, T];
      this.#entries.delete(oldestId);
      this.#onEvict(oldest);
    }
    this.#entries.set(requestId, entry);
  }

  get(requestId: string): T | undefined {
    return this.#entries.get(requestId);
  }

  /** The entry, removed. */
  take(requestId: string): T | undefined {
    const entry = this.#entries.get(requestId);
    this.#entries.delete(requestId);
    return entry;
  }

  /** Every entry, oldest first, removed. */
  drain(): T[] {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    return entries;
  }
}
