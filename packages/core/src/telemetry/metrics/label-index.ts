import type { Labels } from '../metric-family.ts';

/**
 * One entry per distinct set of label values, found by nested map lookups on the values in order: no
 * key string is built per event, and an entry (with its labels object) is made once, on first sight.
 * Up to four labels; the values of labels a metric does not have are ignored.
 */
export class LabelIndex<T> {
  readonly names: readonly string[];
  /** Every entry, in order of first sight. */
  readonly entries: T[] = [];
  readonly #root = new Map<string, unknown>();
  readonly #create: (labels: Labels, a: string, b: string, c: string, d: string) => T;

  /** `create` makes the entry of a new label set, from its labels object and its values in order. */
  constructor(
    names: readonly string[],
    create: (labels: Labels, a: string, b: string, c: string, d: string) => T,
  ) {
    if (names.length < 1 || names.length > 4) throw new RangeError('A label index takes 1 to 4 label names');
    this.names = names;
    this.#create = create;
  }

  get(a: string, b = '', c = '', d = ''): T {
    const depth = this.names.length;
    let level = this.#root;
    for (let i = 0; i < depth - 1; i++) {
      const value = i === 0 ? a : i === 1 ? b : c;
      let next = level.get(value) as Map<string, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(value, next);
      }
      level = next;
    }
    const last = depth === 1 ? a : depth === 2 ? b : depth === 3 ? c : d;
    let entry = level.get(last) as T | undefined;
    if (entry === undefined) {
      const labels: Record<string, string> = {};
      for (let i = 0; i < depth; i++) {
        labels[this.names[i] as string] = i === 0 ? a : i === 1 ? b : i === 2 ? c : d;
      }
      entry = this.#create(Object.freeze(labels), a, b, c, d);
      level.set(last, entry);
      this.entries.push(entry);
    }
    return entry;
  }
}
