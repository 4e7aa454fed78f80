import type { SteadfastError } from '../errors/steadfast-error.ts';
import { createRedactor } from '../telemetry/redact.ts';

/** Request headers whose value is a credential, lowercased; an `Authorization` value after its scheme. */
const credentialHeaders: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
]);

/** `Bearer sk-…` → `sk-…`: the token after an auth scheme. */
const authScheme = /^(?:Bearer|Basic|Token)\s+/i;

/** The credentials among a request's headers: API keys and tokens, whatever their shape. */
export function credentialsIn(headers: Readonly<Record<string, string>>): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!credentialHeaders.has(name.toLowerCase())) continue;
    const credential = value.replace(authScheme, '').trim();
    if (credential !== '') found.push(credential);
  }
  return found;
}

/**
 * What an adapter does to each error before it leaves: removes the credentials it sends, whole or from
 * their first 8 characters on. Providers quote the key they were given (OpenAI "Incorrect API key
 * provided: sk-…", masked after its start; proxies and compatible servers quote it whole), and the
 * built-in patterns know only `sk-…` and `AIza…` keys: an Azure key is 32 hexadecimal characters, a
 * Groq key starts `gsk_`. Without credentials it is the identity.
 */
export function credentialScrubber(
  headers: Readonly<Record<string, string>>,
): (error: SteadfastError) => SteadfastError {
  const secrets = credentialsIn(headers);
  if (secrets.length === 0) return (error) => error;
  const redactor = createRedactor({ secrets });
  const redact = (text: string): string => redactor.text(text);
  return (error) => error.redacted(redact);
}
