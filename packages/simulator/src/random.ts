/** FNV-1a over a string: a stable 32-bit hash for deriving seeds. */
function hash32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** mulberry32 finaliser: maps a 32-bit state to a uniform number in [0, 1). */
function unit(state: number): number {
  let t = (state + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * A uniform draw in [0, 1) that depends only on the seed and the key (model, attempt, rule), never on
 * the order in which concurrent requests arrive, so a seeded scenario replays the same way every run.
 */
export function seededDraw(seed: number, key: string): number {
  return unit(hash32(key, seed));
}
