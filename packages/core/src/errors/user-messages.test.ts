import { describe, expect, it } from 'vitest';
import { type ErrorKind, errorKinds, kindTraits } from './kinds.ts';
import { SteadfastError } from './steadfast-error.ts';
import { userMessageFor } from './user-messages.ts';

/** What a message shown to a person must never say: who the provider is, a status, an address, a key. */
const internal: ReadonlyArray<readonly [string, RegExp]> = [
  ['a provider or model family', /openai|anthropic|gemini|google|azure|bedrock|vertex|claude|gpt|mistral/i],
  ['a status code', /\b[1-5]\d\d\b/],
  ['a URL', /https?:|www\.|\.(com|ai|net|org)\b/i],
  ['the words "API key"', /api[\s-]?(key|schlüssel)/i],
  ['an error kind as written in code', /\b[a-z]+_[a-z_]+\b/],
];

describe('userMessageFor', () => {
  describe.each([
    ['English', undefined],
    ['German', 'de'],
  ])('in %s', (_, locale) => {
    it.each(errorKinds)('has a short message for %s with nothing internal in it', (kind) => {
      const message = userMessageFor(kind, locale === undefined ? {} : { locale });
      expect(message.length).toBeGreaterThan(10);
      expect(message.length).toBeLessThanOrEqual(120);
      for (const [what, pattern] of internal) expect(message, `names ${what}`).not.toMatch(pattern);
    });
  });

  it('speaks German from the built-in catalog, different from English for every kind', () => {
    for (const kind of errorKinds) {
      expect(userMessageFor(kind, { locale: 'de' })).not.toBe(kindTraits[kind].userMessage);
    }
    expect(userMessageFor('timeout', { locale: 'de' })).toBe(
      'Der KI-Dienst hat zu lange für die Antwort gebraucht. Bitte versuchen Sie es noch einmal.',
    );
  });

  it('takes the kind from an error, never its message', () => {
    const error = new SteadfastError('auth', 'Incorrect API key provided: canary-Zq8Rt2Lm9Xv4Pw7K', {
      status: 401,
      provider: 'openai',
    });
    expect(userMessageFor(error)).toBe('The AI service rejected the credentials it was given.');
  });

  it.each([
    ['a region tag', 'de-CH', 'de'],
    ['another casing and separator', 'DE_at', 'de'],
    ['a language with no catalog', 'ja-JP', 'en'],
  ])('falls back from %s (%s) to the closest catalog', (_, locale, expected) => {
    const message = userMessageFor('overloaded', { locale });
    expect(message).toBe(
      expected === 'de'
        ? 'Der KI-Dienst ist gerade überlastet. Bitte versuchen Sie es in Kürze noch einmal.'
        : kindTraits.overloaded.userMessage,
    );
  });

  describe('overrides', () => {
    const french = { fr: { rate_limited: 'Trop de demandes. Réessayez dans un instant.' } };

    it('uses a caller catalog for its locale, and English for the kinds it leaves out', () => {
      expect(userMessageFor('rate_limited', { locale: 'fr-CA', catalogs: french })).toBe(
        'Trop de demandes. Réessayez dans un instant.',
      );
      expect(userMessageFor('timeout', { locale: 'fr-CA', catalogs: french })).toBe(
        kindTraits.timeout.userMessage,
      );
    });

    it('lets a caller catalog replace a built-in message', () => {
      const catalogs = { de: { cancelled: 'Abgebrochen.' } };
      expect(userMessageFor('cancelled', { locale: 'de', catalogs })).toBe('Abgebrochen.');
      expect(userMessageFor('refusal', { locale: 'de', catalogs })).toBe(
        'Das KI-Modell hat es abgelehnt, diese Anfrage zu beantworten.',
      );
    });

    it('puts the caller messages above every catalog', () => {
      const messages: Partial<Record<ErrorKind, string>> = { rate_limited: 'Busy. One moment please.' };
      expect(userMessageFor('rate_limited', { messages, locale: 'fr', catalogs: french })).toBe(
        'Busy. One moment please.',
      );
      expect(userMessageFor('rate_limited', { messages, locale: 'de' })).toBe('Busy. One moment please.');
    });
  });
});
