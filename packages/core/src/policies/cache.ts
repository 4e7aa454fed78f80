import type { ChatRequest } from '../neutral/request.ts';
import type { ChatResponse } from '../neutral/response.ts';
import type { StateStore } from '../store/state-store.ts';
import type { Clock } from './clock.ts';
import { cacheDefaults } from './defaults.ts';

/** Who a cached answer may be served to: the route it was asked through, and the tenant that asked. */
export interface CacheScope {
  /** The route (or model alias) the request was made through. */
  route: string;
  /** The tenant; answers are never shared between tenants. Absent: one shared scope. */
  tenant?: string | undefined;
}

// Bump when the canonical form changes, so that old entries miss instead of colliding.
const keyFormat = 1;

/**
 * JSON with object keys sorted at every depth and undefined properties dropped, so that two requests
 * that mean the same thing serialise to the same text whatever order their keys were built in.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const member = record[key];
      if (member !== undefined) members.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
    }
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The cache key of a request in a scope: SHA-256 (hex) of the whole normalised request, every field
 * that can change the answer included (model, system, messages, tools, tool choice, response format,
 * sampling settings, stop, seed, user, provider options), with the route and tenant.
 * Left out: `original`, the raw body that repeats the normalised fields, and `metadata`, which is for
 * tracing and does not reach the model. Fields are left out by name, so a field added to `ChatRequest`
 * later is part of the key until someone decides otherwise: a missed hit costs a call, a false hit
 * serves the wrong answer.
 */
export async function cacheKey(request: ChatRequest, scope: CacheScope): Promise<string> {
  const { original: _original, metadata: _metadata, ...answerShaping } = request;
  const text = canonicalJson({
    format: keyFormat,
    route: scope.route,
    tenant: scope.tenant,
    request: answerShaping,
  });
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** Options of the response cache; every field has a default. */
export interface ResponseCacheOptions {
  /**
   * An answer younger than this is fresh and may be served instead of calling the provider, in ms.
   * @default 0: fresh hits are opt-in; the cache serves only when every live attempt failed
   */
  freshTtlMs?: number | undefined;
  /** An answer is kept, and may be served when live attempts fail, until this old, in ms. @default 86400000 (one day) */
  maxStaleMs?: number | undefined;
}

/** A cached answer and how old it is. */
export interface CachedResponse {
  response: ChatResponse;
  /** When it was stored, in epoch ms. */
  storedAt: number;
  /** Its age now, in ms. */
  ageMs: number;
  /** Younger than `freshTtlMs`: it may stand in for a live call. Otherwise only for a failed one. */
  fresh: boolean;
}

/** Stale-if-error response cache, its entries in a `StateStore`. */
export interface ResponseCache {
  /** The answer stored under `key`, unless it is older than the longer of `freshTtlMs` and `maxStaleMs`. */
  get(key: string): Promise<CachedResponse | undefined>;
  /** Stores an answer under `key`, stamped with the current time. */
  set(key: string, response: ChatResponse): Promise<void>;
}

/** Dependencies of a response cache. */
export interface ResponseCacheDeps {
  /** Where answers are kept; a shared store lets replicas serve each other's answers. */
  store: StateStore;
  clock: Clock;
}

interface Entry {
  response: ChatResponse;
  storedAt: number;
}

function checkDuration(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number of ms, 0 or more; got ${String(value)}`);
  }
  return value;
}

/** A response cache: answers kept by key, served fresh for `freshTtlMs` and stale until `maxStaleMs`. */
export function createResponseCache(options: ResponseCacheOptions, deps: ResponseCacheDeps): ResponseCache {
  const freshTtlMs = checkDuration('freshTtlMs', options.freshTtlMs ?? cacheDefaults.freshTtlMs);
  const maxStaleMs = checkDuration('maxStaleMs', options.maxStaleMs ?? cacheDefaults.maxStaleMs);
  const ttlMs = Math.max(freshTtlMs, maxStaleMs);
  const { store, clock } = deps;

  return {
    async get(key) {
      const now = clock.now();
      const entry = await store.cacheGet<Entry>(key, now);
      if (entry === undefined) return undefined;
      const ageMs = now - entry.storedAt;
      // A shared store may expire coarsely (Redis rounds to its own clock); the age decides.
      if (ageMs >= ttlMs) return undefined;
      // The memory store hands out the stored object itself: copy, so one caller's edits never reach the next.
      return {
        response: structuredClone(entry.response),
        storedAt: entry.storedAt,
        ageMs,
        fresh: ageMs < freshTtlMs,
      };
    },
    async set(key, response) {
      if (ttlMs === 0) return;
      const now = clock.now();
      await store.cacheSet<Entry>(key, { response: structuredClone(response), storedAt: now }, now, ttlMs);
    },
  };
}
