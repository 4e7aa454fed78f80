import { jsonrepair } from 'jsonrepair';

const fence = /```(?:json|JSON|jsonc)?[ \t]*\r?\n?([\s\S]*?)```/g;

/** Starts of values cut off at the end that are worth a repair: the outermost ones, a few at most. */
const maxUnclosed = 3;

/** Where the `{…}` or `[…]` value opening at `start` closes, strings respected; -1 when it never does. */
function closingIndex(text: string, start: number): number {
  let depth = 0;
  let inString: string | undefined;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString !== undefined) {
      if (ch === '\\') i++;
      else if (ch === inString) inString = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") inString = ch;
    else if (ch === '{' || ch === '[') depth++;
    else if ((ch === '}' || ch === ']') && --depth === 0) return i;
  }
  return -1;
}

/**
 * Balanced `{…}` or `[…]` spans of `text`, outermost first; and where values start that never close
 * (a truncated answer), in order.
 */
function balancedSpans(text: string): { spans: string[]; unclosed: number[] } {
  const spans: string[] = [];
  const unclosed: number[] = [];
  for (let start = 0; start < text.length; start++) {
    const open = text[start];
    if (open !== '{' && open !== '[') continue;
    const end = closingIndex(text, start);
    if (end >= 0) {
      spans.push(text.slice(start, end + 1));
      start = end;
    } else if (unclosed.length < maxUnclosed) {
      unclosed.push(start);
    }
  }
  return { spans, unclosed };
}

/** One way of reading JSON out of an answer. */
export interface JsonCandidate {
  value: unknown;
  /** How it was found: the whole text, a code fence, a span in prose; `repaired` when jsonrepair fixed it. */
  source: 'whole' | 'fence' | 'span';
  repaired: boolean;
}

function parse(text: string, repairable: boolean): { value: unknown; repaired: boolean } | undefined {
  try {
    return { value: JSON.parse(text), repaired: false };
  } catch {
    // near misses: trailing commas, single quotes, comments, unquoted keys, a missing closing brace
  }
  if (!repairable) return undefined;
  try {
    return { value: JSON.parse(jsonrepair(text)), repaired: true };
  } catch {
    return undefined;
  }
}

/**
 * Every JSON value an answer may contain, most likely first: the whole text, code fences, then balanced
 * `{…}` / `[…]` spans inside prose; each parsed as it is or, failing that, after `jsonrepair`. Lazy: a
 * caller that stops at the first value that validates pays for no more parsing than that.
 * Plain prose that only repairs into a bare string is not a candidate.
 */
export function* jsonCandidates(text: string): Generator<JsonCandidate, void, undefined> {
  const seen = new Set<string>();
  const read = (
    raw: string,
    source: JsonCandidate['source'],
    repairable = true,
  ): JsonCandidate | undefined => {
    const trimmed = raw.trim();
    if (trimmed === '' || seen.has(trimmed)) return undefined;
    seen.add(trimmed);
    const parsed = parse(trimmed, repairable);
    if (parsed === undefined) return undefined;
    if (parsed.repaired && (typeof parsed.value !== 'object' || parsed.value === null)) return undefined;
    return { value: parsed.value, source, repaired: parsed.repaired };
  };
  // The whole text is repaired only when it is one value, maybe cut off: jsonrepair reads prose and JSON
  // side by side as a list of both ("Here it is:\n{…}" becomes ["Here it is:", {…}]), which a lenient
  // schema would take over the object itself.
  const whole = text.trim();
  const end = /^[{[]/.test(whole) ? closingIndex(whole, 0) : undefined;
  const first = read(whole, 'whole', end === -1 || end === whole.length - 1);
  if (first !== undefined) yield first;
  for (const match of text.matchAll(fence)) {
    const found = read(match[1] ?? '', 'fence');
    if (found !== undefined) yield found;
  }
  const { spans, unclosed } = balancedSpans(text);
  for (const span of spans) {
    const found = read(span, 'span');
    if (found !== undefined) yield found;
  }
  // A value cut off at the end (a truncated answer): repair may still close it. Not simply from the first
  // bracket: prose before the JSON may hold one ("[Ada's notes](…)") that repairs into nonsense.
  for (const start of unclosed) {
    const found = read(text.slice(start).replace(/```\s*$/, ''), 'span');
    if (found !== undefined) yield found;
  }
}

/** Every JSON value an answer may contain, most likely first (see `jsonCandidates`). */
export function extractJson(text: string): JsonCandidate[] {
  return [...jsonCandidates(text)];
}
