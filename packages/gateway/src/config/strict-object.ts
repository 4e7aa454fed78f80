import { z } from 'zod';

/**
 * A zod object that refuses keys it does not know, saying which keys it does know and, for a likely
 * typo, which one was meant. `hints` replace that guess for keys that are known to be misplaced or
 * refused on purpose (a policy written beside `candidates`, a clear-text `key`).
 */
export function strictObject<Shape extends z.core.$ZodLooseShape>(
  shape: Shape,
  hints: Readonly<Record<string, string>> = {},
) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? unknownKeysMessage(issue.keys, known, hints) : undefined,
  });
}

/** `unknown key "retries" (did you mean "retry"?); expected one of: …`, or the key's hint. */
export function unknownKeysMessage(
  keys: readonly string[],
  known: readonly string[],
  hints: Readonly<Record<string, string>> = {},
): string {
  const expected = known.length === 0 ? 'no keys are allowed here' : `expected one of: ${known.join(', ')}`;
  if (keys.length !== 1) return `unknown keys ${keys.map((key) => `"${key}"`).join(', ')}; ${expected}`;
  const key = keys[0] as string;
  const hint = Object.hasOwn(hints, key) ? hints[key] : undefined;
  if (hint !== undefined) return `"${key}" is not allowed here: ${hint}`;
  const meant = closestKey(key, known);
  return `unknown key "${key}"${meant === undefined ? '' : ` (did you mean "${meant}"?)`}; ${expected}`;
}

/**
 * The known key a typo most likely meant: within a third of the typo's length in edits, or within
 * three edits of a key it starts like (`retries` for `retry`, `maxRetry` for `maxRetries`); case aside.
 */
function closestKey(key: string, known: readonly string[]): string | undefined {
  const typed = key.toLowerCase();
  const maxDistance = Math.max(1, Math.floor(typed.length / 3));
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const lower = candidate.toLowerCase();
    const distance = editDistance(typed, lower);
    const close = distance <= maxDistance || (commonPrefix(typed, lower) >= 4 && distance <= 3);
    if (close && (best?.distance ?? Infinity) > distance) best = { key: candidate, distance };
  }
  return best?.key;
}

function commonPrefix(a: string, b: string): number {
  let length = 0;
  while (length < a.length && a[length] === b[length]) length++;
  return length;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}
