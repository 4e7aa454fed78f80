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
 * `{…}` / `[…]` spans inside prose; each parsed as it is or, failing that, after `jsonrepair`. The caller
 * takes the first that validates. Plain prose that only repairs into a bare string is not a candidate.
 */
export function extractJson(text: string): JsonCandidate[] {
  const out: JsonCandidate[] = [];
  const seen = new Set<string>();
  const add = (raw: string, source: JsonCandidate['source'], repairable = true): void => {
    const trimmed = raw.trim();
    if (trimmed === '' || seen.has(trimmed)) return;
    seen.add(trimmed);
    const parsed = parse(trimmed, repairable);
    if (parsed === undefined) return;
    if (parsed.repaired && (typeof parsed.value !== 'object' || parsed.value === null)) return;
    out.push({ value: parsed.value, source, repaired: parsed.repaired });
  };
  // The whole text is repaired only when it is one value, maybe cut off: jsonrepair reads prose and JSON
  // side by side as a list of both ("Here it is:\n{…}" becomes ["Here it is:", {…}]), which a lenient
  // schema would take over the object itself.
  const whole = text.trim();
  const end = /^[{[]/.test(whole) ? closingIndex(whole, 0) : undefined;
  add(whole, 'whole', end === -1 || end === whole.length - 1);
  for (const match of text.matchAll(fence)) add(match[1] ?? '', 'fence');
  const { spans, unclosed } = balancedSpans(text);
  for (const span of spans) add(span, 'span');
  // A value cut off at the end (a truncated answer): repair may still close it. Not simply from the first
  // bracket: prose before the JSON may hold one ("[Ada's notes](…)") that repairs into nonsense.
  for (const start of unclosed) add(text.slice(start).replace(/```\s*$/, ''), 'span');
  return out;
}
