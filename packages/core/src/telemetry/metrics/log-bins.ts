import { rankIndex } from './quantile.ts';

/** Binned values read back within 1 % of what was observed (the DDSketch construction). */
const relativeAccuracy = 0.01;
const gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
const logGamma = Math.log(gamma);

/** The bin of a positive value: the values in (γ^(i−1), γ^i] share bin i. */
export function binOf(value: number): number {
  return Math.ceil(Math.log(value) / logGamma);
}

/** What a bin reads back as: within `relativeAccuracy` of every value in it. */
export function valueOfBin(bin: number): number {
  return (2 * gamma ** bin) / (gamma + 1);
}

/**
 * Observations reduced to weighted log-spaced bins: a duration from 1 ms to 10 min spans about 660 bins
 * at 1 %, and real traffic fills a few dozen. A weight above 1 stands for observations a full bucket
 * sampled out.
 */
export interface BinnedValues {
  /** Weight of observations ≤ 0 (an attempt that cost nothing, a duration below the clock's tick). */
  readonly zeros: number;
  /** Bins, ascending. */
  readonly bins: Int32Array;
  readonly weights: Float64Array;
}

/** Weights per bin, added up: for compacting a bucket, or for answering a quantile over many buckets. */
export class BinTally {
  #zeros = 0;
  #total = 0;
  readonly #weights = new Map<number, number>();

  add(value: number, weight: number): void {
    this.#total += weight;
    if (value <= 0) {
      this.#zeros += weight;
      return;
    }
    const bin = binOf(value);
    this.#weights.set(bin, (this.#weights.get(bin) ?? 0) + weight);
  }

  addBinned(values: BinnedValues): void {
    this.#zeros += values.zeros;
    this.#total += values.zeros;
    for (let i = 0; i < values.bins.length; i++) {
      const bin = values.bins[i] as number;
      const weight = values.weights[i] as number;
      this.#total += weight;
      this.#weights.set(bin, (this.#weights.get(bin) ?? 0) + weight);
    }
  }

  toBinned(): BinnedValues {
    const bins = Int32Array.from(this.#weights.keys()).sort();
    const weights = Float64Array.from(bins, (bin) => this.#weights.get(bin) ?? 0);
    return { zeros: this.#zeros, bins, weights };
  }

  /** The q-quantile by nearest rank over the weights, to within 1 %; undefined when empty. */
  quantile(q: number): number | undefined {
    if (this.#total <= 0) return undefined;
    const { zeros, bins, weights } = this.toBinned();
    // The rank of the wanted value among the (weighted) observations, counted from 1.
    const rank = rankIndex(q, this.#total) + 1;
    let seen = zeros;
    if (zeros > 0 && seen >= rank) return 0;
    for (let i = 0; i < bins.length; i++) {
      seen += weights[i] as number;
      if (seen >= rank) return valueOfBin(bins[i] as number);
    }
    // Rounding of fractional weights can leave the running total a hair short of the last rank.
    return bins.length > 0 ? valueOfBin(bins[bins.length - 1] as number) : 0;
  }
}
