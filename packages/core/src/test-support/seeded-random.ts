/**
 * A repeatable stand-in for `Math.random`: uniform in [0, 1), the same sequence for the same seed
 * (mulberry32, a 32-bit generator that is plenty for spreading test draws).
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The largest number `Math.random` can return: the top of every jitter range, as near as it gets. */
export const justBelowOne: number = 1 - 2 ** -53;
