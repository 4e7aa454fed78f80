/**
 * The 0-based index of the q-quantile among `count` sorted values, by nearest rank: the smallest value
 * with at least q × count values at or below it (p95 of 1…100 is 95, p50 is 50, p0 the smallest).
 */
export function rankIndex(q: number, count: number): number {
  // q × count carries binary rounding (0.07 × 100 is 7.000000000000001): without the nudge, ceil would
  // pick the next value.
  return Math.max(1, Math.ceil(q * count - 1e-9)) - 1;
}

/**
 * The q-quantile of `values[0, count)` by nearest rank (see `rankIndex`), exact. Reorders the values in
 * place: quickselect, linear on average, with no copy and no sort.
 */
export function nearestRank(values: Float64Array, count: number, q: number): number {
  const k = rankIndex(q, count);
  let left = 0;
  let right = count - 1;
  while (right > left) {
    const pivot = values[(left + right) >>> 1] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const swap = values[i] as number;
        values[i] = values[j] as number;
        values[j] = swap;
        i++;
        j--;
      }
    }
    // [left, j] ≤ pivot ≤ [i, right], and anything strictly between equals the pivot.
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return values[k] as number;
  }
  return values[k] as number;
}
