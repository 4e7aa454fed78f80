import { type ErrorKind, kindTraits } from './kinds.ts';
import type { SteadfastError } from './steadfast-error.ts';
import { germanUserMessages } from './user-messages-de.ts';

/** Messages by kind; a kind left out falls back to the next source. */
export type UserMessages = Partial<Record<ErrorKind, string>>;

/** Options of `userMessageFor`. */
export interface UserMessageOptions {
  /** Your own messages; they win over every catalog. @default none */
  messages?: UserMessages;
  /**
   * The reader's language, a BCP 47 tag (`de`, `de-CH`, `fr-FR`). A tag with no catalog of its own
   * falls back to a shorter one (`de-CH` → `de`), then to English. @default English
   */
  locale?: string;
  /** Catalogs by locale tag; they win over the built-in ones (English, German `de`). @default none */
  catalogs?: Readonly<Record<string, UserMessages>>;
}

/** The catalogs Steadfast ships besides English, which lives with each kind in `kindTraits`. */
const builtInCatalogs: Readonly<Record<string, UserMessages>> = { de: germanUserMessages };

/** `de-CH-1996` → `de-ch-1996`, `de-ch`, `de`: the tag and each shorter prefix, most specific first. */
function fallbackTags(locale: string): string[] {
  const parts = locale.toLowerCase().replaceAll('_', '-').split('-');
  const tags: string[] = [];
  for (let length = parts.length; length > 0; length--) tags.push(parts.slice(0, length).join('-'));
  return tags;
}

function lookUp(catalogs: Readonly<Record<string, UserMessages>>, tag: string, kind: ErrorKind) {
  for (const [name, catalog] of Object.entries(catalogs)) {
    if (name.toLowerCase().replaceAll('_', '-') === tag) return catalog[kind];
  }
  return undefined;
}

/**
 * A short sentence a person can read about a failure: nothing internal (no provider, status or URL)
 * and nothing secret. Your `messages` first, then the `locale`'s catalog (yours, then the built-in
 * one), then English.
 */
export function userMessageFor(error: SteadfastError | ErrorKind, options: UserMessageOptions = {}): string {
  const kind = typeof error === 'string' ? error : error.kind;
  const own = options.messages?.[kind];
  if (own !== undefined) return own;
  if (options.locale !== undefined) {
    for (const tag of fallbackTags(options.locale)) {
      const message =
        (options.catalogs === undefined ? undefined : lookUp(options.catalogs, tag, kind)) ??
        lookUp(builtInCatalogs, tag, kind);
      if (message !== undefined) return message;
    }
  }
  return kindTraits[kind].userMessage;
}
