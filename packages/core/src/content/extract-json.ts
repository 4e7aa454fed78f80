import { jsonrepair } from 'jsonrepair';

const fence = /```(?:json|JSON|jsonc)?[ \t]*\r?\n?([\s\S]*?)```/g;

/** Balanced `{…}` or `[…]` spans of `text`, outermost first, strings respected. */
function balancedSpans(text: string): string[] {
  const spans: string[] = [];
  for (let start = 0; start < text.length; start++) {
    const open = text[start];
    if (open !== '{' && open !== '[') continue;
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
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) {
          spans.push(text.slice(start, i + 1));
          start = i;
          break;
        }
      }
    }
  }
  return spans;
}

/** One way of reading JSON out of an answer. */
export interface JsonCandidate {
  value: unknown;
  /** How it was found: the whole text, a code fence, a span in prose; `repaired` when jsonrepair fixed it. */
  source: 'whole' | 'fence' | 'span';
  repaired: boolean;
}

function parse(text: string): { value: unknown; repaired: boolean } | undefined {
  try {
    return { value: JSON.parse(text), repaired: false };
  } catch {
    // near misses: trailing commas, single quotes, comments, unquoted keys, a missing closing brace
  }
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
  const add = (raw: string, source: JsonCandidate['source']): void => {
    const trimmed = raw.trim();
    if (trimmed === '' || seen.has(trimmed)) return;
    seen.add(trimmed);
    const parsed = parse(trimmed);
    if (parsed === undefined) return;
    if (parsed.repaired && (typeof parsed.value !== 'object' || parsed.value === null)) return;
    out.push({ value: parsed.value, source, repaired: parsed.repaired });
  };
  add(text, 'whole');
  for (const match of text.matchAll(fence)) add(match[1] ?? '', 'fence');
  for (const span of balancedSpans(text)) add(span, 'span');
  // A fence or object cut off at the end (a truncated answer): repair may still close it.
  const lastOpen = text.search(/[{[][\s\S]*$/);
  if (lastOpen >= 0) add(text.slice(lastOpen).replace(/```\s*$/, ''), 'span');
  return out;
}
