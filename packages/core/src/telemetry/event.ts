/** Stops a subscription. */
export type Unsubscribe = () => void;

/**
 * A tiny typed event: subscribe with `on`, emit with `emit`. Emitting with no listener does no work,
 * so events cost nothing when nobody listens. A listener that throws never breaks the emitter.
 */
export class Emitter<T> {
  #listeners: Array<(event: T) => void> = [];

  /** True when at least one listener is subscribed (build event payloads only then). */
  get active(): boolean {
    return this.#listeners.length > 0;
  }

  /** Calls `listener` for every event until the returned function is called. */
  on(listener: (event: T) => void): Unsubscribe {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  emit(event: T): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener (a telemetry exporter, say) must never fail the request it observes.
      }
    }
  }
}
