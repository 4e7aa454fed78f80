import { redactSecrets } from '../errors/redact.ts';

/** What stands in for anything redacted. */
const redacted = '[redacted]';

/**
 * Keys whose value is a credential whatever it looks like, compared lowercased with `_` read as `-`
 * (`Authorization`, `x_api_key` and `X-Api-Key` all match).
 */
const sensitiveKeys: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'apikey',
  'x-goog-api-key',
  'cookie',
  'set-cookie',
]);

/**
 * The shortest start of a configured secret that is redacted on its own. A key cut short in a message
 * or a log column still identifies it; eight characters is where a key prefix (`sk-proj-`, `AIzaSyD3`)
 * becomes specific to one key.
 */
const minPrefixChars = 8;

/** Removes credentials from text and from values on their way to logs, spans and alerts. */
export interface Redactor {
  /** `text` with every credential replaced by `[redacted]`. */
  text(text: string): string;
  /**
   * A deep copy of `value` with every string redacted as `text` does, every sensitive key's value
   * replaced whatever it is, `Error`s, `Headers` and `Map`s turned into plain objects, and a reference
   * back to an enclosing object replaced by `[circular]`. The input is never changed.
   */
  value(value: unknown): unknown;
}

/** Options of `createRedactor`. */
export interface RedactorOptions {
  /**
   * Credentials to redact verbatim (the configured API keys), and any run of their first 8 or more
   * characters. A secret shorter than 8 characters is redacted only whole. @default []
   */
  secrets?: readonly string[];
}

interface KnownSecret {
  secret: string;
  /** The start a match must have to be redacted: the first 8 characters, or the whole of a shorter secret. */
  head: string;
}

/** The secret, and its URL-encoded form where it differs (a key with `+` or `/` in a query string). */
function knownSecrets(secrets: readonly string[]): KnownSecret[] {
  const known: KnownSecret[] = [];
  for (const secret of new Set(secrets)) {
    if (secret === '') continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      known.push({ secret: form, head: form.slice(0, minPrefixChars) });
    }
  }
  // Longest first, so that a secret that starts another is not matched in its place.
  return known.sort((a, b) => b.secret.length - a.secret.length);
}

/** Replaces every occurrence of `known.head`, extended as far as it keeps matching the secret. */
function redactKnown(text: string, known: KnownSecret): string {
  let found = text.indexOf(known.head);
  if (found === -1) return text;
  let out = '';
  let copiedUpTo = 0;
  while (found !== -1) {
    let end = found + known.head.length;
    while (end - found < known.secret.length && text[end] === known.secret[end - found]) end++;
    out += text.slice(copiedUpTo, found) + redacted;
    copiedUpTo = end;
    found = text.indexOf(known.head, end);
  }
  return out + text.slice(copiedUpTo);
}

function isSensitiveKey(key: string): boolean {
  return sensitiveKeys.has(key.toLowerCase().replaceAll('_', '-'));
}

/**
 * A redactor over the patterns `redactSecrets` knows (provider key shapes, bearer tokens, `?key=` and
 * similar query parameters, key headers in dumps), the configured `secrets`, and sensitive keys.
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const secrets = knownSecrets(options.secrets ?? []);

  function text(input: string): string {
    let out = input;
    // Configured secrets first: they are exact, and a pattern could replace only part of one.
    for (const known of secrets) out = redactKnown(out, known);
    return redactSecrets(out);
  }

  function entriesToObject(entries: Iterable<[unknown, unknown]>, ancestors: Set<object>): object {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      const name = text(String(key));
      copy[name] = isSensitiveKey(String(key)) ? redacted : walk(item, ancestors);
    }
    return copy;
  }

  function walk(input: unknown, ancestors: Set<object>): unknown {
    if (typeof input === 'string') return text(input);
    if (typeof input !== 'object' || input === null) return input;
    if (ancestors.has(input)) return '[circular]';
    if (input instanceof Date) return new Date(input.getTime());
    if (input instanceof URL) return text(input.href);
    ancestors.add(input);
    try {
      if (Array.isArray(input)) return input.map((item) => walk(item, ancestors));
      if (input instanceof Map || (typeof Headers !== 'undefined' && input instanceof Headers)) {
        return entriesToObject(input.entries() as Iterable<[unknown, unknown]>, ancestors);
      }
      if (input instanceof Set) return [...input].map((item) => walk(item, ancestors));
      const entries: Array<[string, unknown]> = Object.entries(input);
      // An error's name and message are own but not enumerable; its stack repeats the message and is left out.
      if (input instanceof Error) entries.unshift(['name', input.name], ['message', input.message]);
      return entriesToObject(entries, ancestors);
    } finally {
      ancestors.delete(input);
    }
  }

  return {
    text,
    value: (input) => walk(input, new Set()),
  };
}
