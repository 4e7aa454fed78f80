import { createHash } from 'node:crypto';
import { z } from 'zod';
import { strictObject } from './strict-object.ts';

/** A gateway API key as the config holds it: hashed, with what it may do. */
export interface GatewayKey {
  /** Who holds it; shown in logs and metrics instead of the key. */
  name: string;
  /** SHA-256 of the key, lowercase hex. */
  sha256: string;
  /** Routes it may call; all when absent. */
  routes?: readonly string[] | undefined;
  /** Requests per minute; unlimited when absent. */
  requestsPerMinute?: number | undefined;
  /** Cache scope (tenant): answers cached for one scope are never served to another. @default the key's name */
  cacheScope: string;
}

/** SHA-256 hex of a key, as the config stores it (what `steadfast hash-key` prints). */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** How to store a key, for the message that refuses one written in clear. */
export const hashKeyAdvice =
  'the config never holds a gateway key in clear text. Store its SHA-256 as `sha256:` instead: ' +
  'run `steadfast hash-key`, or `printf %s "$KEY" | sha256sum`, and remove the `key:` line';

/** One entry of `keys`. */
export const keySchema = strictObject(
  {
    name: z.string().min(1).describe('Who holds the key; shown in logs and metrics.'),
    sha256: z
      .string()
      .regex(
        /^[0-9a-fA-F]{64}$/,
        'must be 64 hexadecimal characters: the SHA-256 of the key, not the key (`steadfast hash-key`)',
      )
      .describe('SHA-256 of the key, hex. `steadfast hash-key` prints it.'),
    routes: z.array(z.string().min(1)).exactOptional().describe('Routes it may call. Default all.'),
    requestsPerMinute: z.number().int().positive().exactOptional().describe('Default unlimited.'),
    cacheScope: z.string().min(1).exactOptional().describe('Cache tenant. Default the key name.'),
  },
  { key: hashKeyAdvice, apiKey: hashKeyAdvice, secret: hashKeyAdvice },
);

export type KeyConfig = z.output<typeof keySchema>;
