import type { ChatResponse } from '../neutral/response.ts';

/** Options of refusal detection. */
export interface RefusalOptions {
  /**
   * Phrases that open a refusal. Replaces the built-in list. Case, curly apostrophes and the long forms
   * "cannot", "I am", "will not" do not matter: phrases and answers are compared after folding them.
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
 * so that "I can't believe…" or "I'm not able to browse, but here is…" do not match; the few that do
 * not ("sorry, but i can't") open with an apology, which an answer that goes on to help rarely does.
 * Written in the folded form: "I cannot", "I am unable" and "I will not" match them too.
 */
export const refusalPhrases: readonly string[] = [
  "i can't help with",
  "i can't help you with",
  "i can't assist with",
  "i can't provide",
  "i can't comply",
  "i can't fulfill",
  "i can't fulfil",
  "i can't do that",
  "i won't be able to help",
  "i won't be able to assist",
  "i won't be able to provide",
  "i won't help",
  "i won't provide",
  "i'm not able to help",
  "i'm not able to assist",
  "i'm not able to provide",
  "i'm unable to help",
  "i'm unable to assist",
  "i'm unable to provide",
  "i'm unable to comply",
  "i'm unable to fulfill",
  'i must decline',
  'i have to decline',
  'i need to decline',
  "i'm going to decline",
  "sorry, i can't",
  "sorry, but i can't",
  "i'm sorry, but i can't",
  "i'm sorry, i can't",
  "as an ai, i can't",
  "as an ai language model, i can't",
  "that's not something i can help with",
  'this is not something i can help with',
];

/** What refusal detection found. */
export type RefusalVerdict =
  | { refused: false }
  | { refused: true; source: 'native'; text: string | undefined }
  | { refused: true; source: 'phrase'; phrase: string };

/**
 * Lower case, straight quotes, one space for a run of spaces and one line break for a run with a line
 * break in it (a line break ends a sentence, as a heading or a one-line apology does), and the long
 * forms folded into the contractions the phrases are written with.
 */
function normalise(text: string): string {
  return text
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, (space) => (space.includes('\n') ? '\n' : ' '))
    .trimStart()
    .toLowerCase()
    .replace(/\bcan ?not\b/g, "can't")
    .replace(/\bi am\b/g, "i'm")
    .replace(/\bwill not\b/g, "won't")
    .replace(/\bthat is\b/g, "that's");
}

const builtIn: ReadonlyArray<readonly [normalised: string, phrase: string]> = refusalPhrases.map(
  (phrase) => [normalise(phrase), phrase] as const,
);

/**
 * Every built-in phrase holds one of these words. An answer without any of them cannot match, so it
 * skips normalising and the phrase scan: the common case costs one regex test.
 */
const builtInTrigger = /can(?:['’ʼ]t| ?not)|won['’ʼ]t|will not|unable|not able|decline|not something/i;

/** What ends a sentence, so that the next one may open with a refusal. */
const sentenceEnd = /[.!?:\n]/;
/**
 * What may stand between a sentence's start and the refusal phrase: an apology or a regret ("I
 * apologise, but", "Unfortunately,", "I'm afraid", "I'm sorry —"), or markdown emphasis.
 */
const leadIn =
  /^[*_>#\s]*(?:(?:i'm (?:really |very |so |truly )?sorry|sorry|i (?:do )?apologi[sz]e|(?:my )?apologies|unfortunately|regrettably|i'm afraid)(?:[,!.]|\s*[\u2014\u2013-])?(?: but)?)?[*_\s]*$/;

/** Whether the phrase at `at` opens a sentence, after at most an apology. */
function opensSentence(text: string, at: number): boolean {
  let start = at;
  while (start > 0 && !sentenceEnd.test(text[start - 1] as string)) start--;
  return leadIn.test(text.slice(start, at));
}

const wordChar = /[\p{L}\p{N}]/u;

/** Whether the phrase ending at `end` ends a word there ("i refuse" is not "i refused"). */
function endsWord(text: string, end: number): boolean {
  const next = text[end];
  return next === undefined || !wordChar.test(next);
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
  const custom = options.phrases !== undefined || options.extraPhrases !== undefined;
  if (!custom && !builtInTrigger.test(response.text)) return { refused: false };
  const text = normalise(response.text);
  const window = options.windowChars ?? 120;
  const phrases = custom
    ? [
        ...(options.phrases === undefined ? builtIn : options.phrases.map((p) => [normalise(p), p] as const)),
        ...(options.extraPhrases ?? []).map((p) => [normalise(p), p] as const),
      ]
    : builtIn;
  for (const [normalised, phrase] of phrases) {
    if (normalised === '') continue;
    let at = text.indexOf(normalised);
    while (at >= 0 && at <= window) {
      if (opensSentence(text, at) && endsWord(text, at + normalised.length)) {
        return { refused: true, source: 'phrase', phrase };
      }
      at = text.indexOf(normalised, at + 1);
    }
  }
  return { refused: false };
}
