/** A small deterministic generator for sampling: the same traffic keeps the same sample, run to run. */
export class Xorshift32 {
  #state: number;

  constructor(seed = 0x9e3779b9) {
    this.#state = seed >>> 0 || 1;
  }

  /** A number in [0, 1). */
  next(): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state / 4_294_967_296;
  }
}

/** Room for the first observations of a bucket; it doubles as needed, up to the capacity. */
const initialSize = 256;

/**
 * The raw observations of one time bucket of a measured series, each with the id of its label set. Up
 * to `capacity` are kept as they came; past that, a uniform sample of all offered (reservoir sampling),
 * so that memory is bounded whatever the traffic.
 */
export class Samples {
  values: Float64Array;
  ids: Uint32Array;
  /** Observations held. */
  size = 0;
  /** Observations offered, held or not. */
  seen = 0;
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
    const size = Math.min(initialSize, capacity);
    this.values = new Float64Array(size);
    this.ids = new Uint32Array(size);
  }

  /** Some observations were dropped: what is held is a sample, each standing for `seen / size`. */
  get sampled(): boolean {
    return this.seen > this.size;
  }

  offer(id: number, value: number, random: Xorshift32): void {
    this.seen++;
    if (this.size < this.#capacity) {
      if (this.size === this.values.length) this.#grow();
      this.values[this.size] = value;
      this.ids[this.size] = id;
      this.size++;
      return;
    }
    // Algorithm R: the n-th observation replaces a held one with probability capacity / n.
    const slot = Math.floor(random.next() * this.seen);
    if (slot < this.size) {
      this.values[slot] = value;
      this.ids[slot] = id;
    }
  }

  #grow(): void {
    const size = Math.min(this.values.length * 2, this.#capacity);
    const values = new Float64Array(size);
    values.set(this.values);
    const ids = new Uint32Array(size);
    ids.set(this.ids);
    this.values = values;
    this.ids = ids;
  }
}
