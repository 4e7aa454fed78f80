/**
 * @steadfast/core: LLM calls that keep working when LLM APIs fail.
 * @module
 */
export * from './catalog/index.ts';
export { type ClientOptions, createClient, type RequestOptions, type SteadfastClient } from './client.ts';
export * from './content/index.ts';
export * from './engine/index.ts';
export { ChainError, type ExhaustionReason, type FailedAttempt } from './errors/chain-error.ts';
export * from './errors/index.ts';
export * from './neutral/index.ts';
export { type Clock, systemClock } from './policies/clock.ts';
export * from './policies/index.ts';
export type { CallTimeouts } from './policies/timeout.ts';
export * from './providers/index.ts';
export { createMemoryStore, type MemoryStoreOptions } from './store/memory-store.ts';
export type { StateStore, Versioned, WindowShape } from './store/state-store.ts';
export * from './telemetry/index.ts';
