import type { ChatRequest } from '../neutral/request.ts';

/** The turn that asks a model without assistant prefill to go on from where an answer was cut. */
export const continuationPrompt =
  'Your previous message was cut off. Continue it exactly where it stopped: do not repeat what you already wrote, and add no preamble.';

/**
 * The request that continues a cut answer of `sentText`. With prefill, the text is a trailing assistant
 * message the model continues; without it, an extra user turn asks for the rest.
 */
export function continuationRequest(original: ChatRequest, sentText: string, prefill: boolean): ChatRequest {
  // Anthropic rejects a prefill that ends in whitespace with a 400 ("final assistant content cannot end
  // with trailing whitespace"), and a cut answer usually does; the Stitcher drops the whitespace again
  // when the continuation starts with it.
  const prefillText = sentText.trimEnd();
  const content = prefill && prefillText !== '' ? prefillText : sentText;
  const messages = [...original.messages, { role: 'assistant' as const, content }];
  if (!prefill) messages.push({ role: 'user', content: continuationPrompt });
  const request: ChatRequest = { ...original, messages };
  // The original wire body describes the original conversation; the continuation is a new one.
  delete request.original;
  return request;
}

// A model that ignores "do not repeat" usually restarts at the beginning or repeats a short tail.
const overlapWindowChars = 200;
const minOverlapChars = 8;

/**
 * Joins a continuation to the text already sent. It holds the first characters of the continuation
 * until it can tell whether the model restarted its answer or repeated its last words, then drops
 * the repeated part, so the consumer sees one unbroken answer.
 */
export class Stitcher {
  readonly #sent: string;
  #held = '';
  #decided = false;
  /** Characters still to drop after the model was found to restart from the beginning. */
  #skip = 0;

  constructor(sentText: string) {
    this.#sent = sentText;
  }

  /** The text to pass on for one delta of the continuation (empty while deciding). */
  push(text: string): string {
    if (this.#decided) return this.#dropSkipped(text);
    this.#held += text;
    return this.#undecided() ? '' : this.#release();
  }

  /** The continuation ended: whatever is held goes out, minus any repeat. */
  flush(): string {
    return this.#decided ? '' : this.#release();
  }

  #undecided(): boolean {
    const held = this.#held;
    if (held.length >= Math.min(this.#sent.length, overlapWindowChars)) return false;
    return this.#sent.startsWith(held) || this.#sent.slice(-overlapWindowChars).includes(held);
  }

  #release(): string {
    this.#decided = true;
    const held = this.#held;
    this.#held = '';
    const sent = this.#sent;
    if (held.startsWith(sent)) return held.slice(sent.length);
    if (held.length >= minOverlapChars && sent.startsWith(held)) {
      // A restart from the top: drop as much as was already sent.
      this.#skip = sent.length - held.length;
      return '';
    }
    const limit = Math.min(held.length, sent.length, overlapWindowChars);
    for (let k = limit; k >= minOverlapChars; k--) {
      if (sent.endsWith(held.slice(0, k))) return held.slice(k);
    }
    // The prefill went without the sent text's trailing whitespace, so the model may begin by writing it.
    const trailing = sent.slice(sent.trimEnd().length);
    let repeated = 0;
    while (repeated < trailing.length && held[repeated] === trailing[repeated]) repeated++;
    return held.slice(repeated);
  }

  #dropSkipped(text: string): string {
    if (this.#skip === 0) return text;
    const drop = Math.min(this.#skip, text.length);
    this.#skip -= drop;
    return text.slice(drop);
  }
}
