import type { Clock, StateStore } from '@steadfast/core';

const shape = { bucketMs: 10_000, buckets: 6 };

/**
 * Requests per minute per gateway key, over a sliding minute in the state store (shared by replicas
 * when the store is). Returns whether this request may go ahead; a refused one is not counted.
 */
export function createKeyLimiter(
  store: StateStore,
  clock: Clock,
): (keyName: string, perMinute: number) => Promise<boolean> {
  return async (keyName, perMinute) => {
    const key = `gateway:rpm:${keyName}`;
    const now = clock.now();
    const count = await store.addToWindow(key, 1, now, shape);
    if (count <= perMinute) return true;
    await store.addToWindow(key, -1, now, shape);
    return false;
  };
}
