import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { type GatewayKey, hashKey } from '../config/keys.ts';

/** The key a request presented: `Authorization: Bearer …` (OpenAI clients) or `x-api-key` (Anthropic clients). */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && /^bearer\s+/i.test(authorization)) {
    return authorization.replace(/^bearer\s+/i, '').trim();
  }
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined;
}

/**
 * The configured key a request authenticates as, compared in constant time. Undefined when it
 * presented none or an unknown one.
 */
export function authenticate(
  headers: IncomingHttpHeaders,
  keys: readonly GatewayKey[],
): GatewayKey | undefined {
  const presented = presentedKey(headers);
  if (presented === undefined) return undefined;
  const digest = Buffer.from(hashKey(presented), 'hex');
  let match: GatewayKey | undefined;
  for (const key of keys) {
    const stored = Buffer.from(key.sha256, 'hex');
    // Every key is compared, so the time taken does not say which one matched.
    if (stored.length === digest.length && timingSafeEqual(stored, digest)) match = key;
  }
  return match;
}
