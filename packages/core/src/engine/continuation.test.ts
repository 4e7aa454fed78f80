import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../neutral/request.ts';
import { continuationPrompt, continuationRequest, Stitcher } from './continuation.ts';

const fullAnswer = 'Rivers carry sediment to the sea, where it settles into wide deltas over centuries.';
const sent = 'Rivers carry sediment to the sea, where it settles';
const rest = ' into wide deltas over centuries.';

/** What the consumer sees of a continuation delivered in `chunks`. */
function stitch(sentText: string, chunks: readonly string[]): string {
  const stitcher = new Stitcher(sentText);
  let out = '';
  for (const chunk of chunks) out += stitcher.push(chunk);
  return out + stitcher.flush();
}

/** `text` cut at the given positions. */
function chunked(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const point of [...points, text.length]) {
    chunks.push(text.slice(from, point));
    from = point;
  }
  return chunks;
}

describe('continuation', () => {
  describe('Stitcher', () => {
    const cases = [
      { how: 'goes on where the text stopped', continuation: rest },
      { how: 'repeats the last words', continuation: `where it settles${rest}` },
      { how: 'restarts from the top', continuation: fullAnswer },
    ];

    it.each(cases)('joins a continuation that $how into the full answer', ({ continuation }) => {
      expect(sent + stitch(sent, [continuation])).toBe(fullAnswer);
    });

    it.each(cases)(
      'gives the same answer however a continuation that $how is chunked',
      ({ continuation }) => {
        fc.assert(
          fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
            expect(sent + stitch(sent, chunked(continuation, cuts))).toBe(fullAnswer);
          }),
        );
      },
    );

    it('drops the restart of a long answer as it arrives, beyond the first 200 characters', () => {
      const longSent = `${'Deltas grow as rivers slow down near the coast. '.repeat(6)}Then`;
      const longRest = ' the sediment settles.';
      const restart = longSent + longRest;

      const out = stitch(longSent, chunked(restart, [50, 120, 199, 230, 280]));

      expect(longSent.length).toBeGreaterThan(200);
      expect(out).toBe(longRest);
    });

    it('holds back what may be a repeat, and drops it when the continuation was nothing else', () => {
      const stitcher = new Stitcher(sent);

      expect(stitcher.push('where it ')).toBe('');
      expect(stitcher.push('settles')).toBe('');
      expect(stitcher.flush()).toBe('');
    });

    it('keeps a short coincidence that merely looks like a repeat', () => {
      expect(stitch('I think that', [' that is right'])).toBe(' that is right');
    });

    it('drops the trailing whitespace the prefill left out when the model writes it again', () => {
      expect(stitch('The sea, ', [' where it settles.'])).toBe('where it settles.');
    });

    it('passes text through once it has decided', () => {
      const stitcher = new Stitcher(sent);

      expect(stitcher.push(' into wide deltas')).toBe(' into wide deltas');
      expect(stitcher.push(' over centuries.')).toBe(' over centuries.');
      expect(stitcher.flush()).toBe('');
    });
  });

  describe('continuationRequest', () => {
    const original: ChatRequest = {
      model: 'chat',
      system: 'Answer briefly.',
      messages: [{ role: 'user', content: 'How do deltas form?' }],
      original: { format: 'openai-chat', body: { model: 'chat', messages: [] } },
    };

    it('prefills the text already sent as the last assistant message, without its trailing whitespace', () => {
      const request = continuationRequest(original, 'Rivers carry sediment ', true);

      expect(request.messages).toEqual([
        { role: 'user', content: 'How do deltas form?' },
        { role: 'assistant', content: 'Rivers carry sediment' },
      ]);
      expect(request.system).toBe('Answer briefly.');
    });

    it('asks for the rest in a user turn when the model cannot be prefilled', () => {
      const request = continuationRequest(original, sent, false);

      expect(request.messages.slice(-2)).toEqual([
        { role: 'assistant', content: sent },
        { role: 'user', content: continuationPrompt },
      ]);
    });

    it("drops the caller's original wire body and leaves the original request as it was", () => {
      const request = continuationRequest(original, sent, true);

      expect(request.original).toBeUndefined();
      expect(original.messages).toHaveLength(1);
      expect(original.original).toBeDefined();
    });
  });
});
