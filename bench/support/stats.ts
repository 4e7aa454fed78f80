/** What a micro-benchmark reports for one case. */
export interface Stats {
  iterations: number;
  meanUs: number;
  p50Us: number;
  p99Us: number;
  /** Lowest and highest mean of one round. */
  roundMeansUs: [number, number];
}

/** Summarises per-call samples (in ms) and round means (in ms) into µs figures. */
export function stats(samplesMs: Float64Array, roundMeansMs: number[]): Stats {
  const sorted = Float64Array.from(samplesMs).sort();
  const at = (q: number): number =>
    (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 1000;
  let sumMs = 0;
  for (const sample of samplesMs) sumMs += sample;
  return {
    iterations: samplesMs.length,
    meanUs: (sumMs / samplesMs.length) * 1000,
    p50Us: at(0.5),
    p99Us: at(0.99),
    roundMeansUs: [Math.min(...roundMeansMs) * 1000, Math.max(...roundMeansMs) * 1000],
  };
}

/**
 * Times an async call: one warm-up round, then `rounds` rounds of `callsPerRound` calls, each call timed
 * alone (for quantiles) and each round timed whole (for the round means). The call returns a number
 * that is summed into `sink`, so that no work can be optimised away.
 */
export async function measureAsync(
  call: () => Promise<number>,
  rounds: number,
  callsPerRound: number,
  sink: { value: number },
): Promise<Stats> {
  for (let i = 0; i < callsPerRound; i++) sink.value += await call();
  const samplesMs = new Float64Array(rounds * callsPerRound);
  const roundMeansMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const roundStart = performance.now();
    for (let i = 0; i < callsPerRound; i++) {
      const start = performance.now();
      sink.value += await call();
      samplesMs[round * callsPerRound + i] = performance.now() - start;
    }
    roundMeansMs.push((performance.now() - roundStart) / callsPerRound);
  }
  return stats(samplesMs, roundMeansMs);
}
