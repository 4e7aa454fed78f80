import type { ChatResponse } from '../neutral/response.ts';

/** Options of refusal detection. */
export interface RefusalOptions {
  /**
   * Phrases that open a refusal, lower-case, straight apostrophes. Replaces the built-in list.
   * @default refusalPhrases
   */
  phrases?: readonly string[];
  /** Extra phrases added to the built-in list. */
  extraPhrases?: readonly string[];
  /** How far into the answer a phrase may start, in characters. @default 120 */
  windowChars?: number;
  /**
   * Answers longer than this are never refusals by phrase: a model that goes on to answer at length
   * has not refused, whatever its first sentence says. @default 600
   */
  maxRefusalChars?: number;
}

/**
 * How models open a refusal. Each names what is declined ("help", "assist", "provide", "comply"),
 * so that "I can't believe…" or "I'm not able to browse, but here is…" do not match.
 */
export const refusalPhrases: readonly string[] = [
  "i can't help with",
  'i cannot help with',
  "i can't assist with",
  'i cannot assist with',
  "i can't help you with",
  'i cannot help you with',
  "i can't provide",
  'i cannot provide',
  "i can't comply",
  'i cannot comply',
  "i can't do that",
  'i cannot do that',
  "i won't be able to help",
  "i won't help with",
  "i'm not able to help",
  'i am not able to help',
  "i'm not able to assist",
  "i'm not able to provide",
  "i'm unable to help",
  'i am unable to help',
  "i'm unable to assist",
  "i'm unable to provide",
  "i'm unable to comply",
  'i must decline',
  'i have to decline',
  'i need to decline',
  "i'm going to decline",
  'i will not help',
  'i will not provide',
  "sorry, i can't",
  'sorry, but i cannot',
  "sorry, but i can't",
  "i'm sorry, but i can't",
  "i'm sorry, but i cannot",
  "i'm sorry, i can't",
  "i'm sorry, i cannot",
  'as an ai, i cannot',
  "as an ai, i can't",
  'as an ai language model, i cannot',
  "as an ai language model, i can't",
  "that's not something i can help with",
  'this is not something i can help with',
];

/** What refusal detection found. */
export type RefusalVerdict =
  | { refused: false }
  | { refused: true; source: 'native'; text: string | undefined }
  | { refused: true; source: 'phrase'; phrase: string };

function normalise(text: string): string {
  return text
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trimStart()
    .toLowerCase();
}

/**
 * Whether an answer is a refusal: from the provider's native signal (OpenAI `refusal`, Anthropic
 * `stop_reason: refusal`), or from a refusal phrase that opens one of the answer's first sentences.
 * A phrase later in the text, or in a long answer, is an ordinary answer mentioning a limit.
 */
export function detectRefusal(
  response: Pick<ChatResponse, 'text' | 'finishReason' | 'refusal' | 'toolCalls'>,
  options: RefusalOptions = {},
): RefusalVerdict {
  if (response.finishReason === 'refusal' || response.refusal !== undefined) {
    return { refused: true, source: 'native', text: response.refusal };
  }
  if (response.toolCalls.length > 0) return { refused: false };
  const maxChars = options.maxRefusalChars ?? 600;
  if (response.text.length > maxChars) return { refused: false };
  const text = normalise(response.text);
  const window = options.windowChars ?? 120;
  const phrases = [...(options.phrases ?? refusalPhrases), ...(options.extraPhrases ?? [])];
  for (const phrase of phrases) {
    let at = text.indexOf(phrase);
    while (at >= 0 && at <= window) {
      // Only at the start of a sentence: the answer's start, or after . ! ? or a line break.
      const before = text.slice(0, at).trimEnd();
      if (before === '' || /[.!?:]$/.test(before) || /^(sorry|unfortunately|apologies)[,!.]?$/.test(before)) {
        return { refused: true, source: 'phrase', phrase };
      }
      at = text.indexOf(phrase, at + 1);
    }
  }
  return { refused: false };
}
