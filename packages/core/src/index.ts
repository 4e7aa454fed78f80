/**
 * @steadfast/core: LLM calls that keep working when LLM APIs fail.
 * @module
 */
export * from './catalog/index.ts';
export * from './errors/index.ts';
export * from './neutral/index.ts';
export { type Clock, systemClock } from './policies/clock.ts';
export type { CallTimeouts } from './policies/timeout.ts';
export * from './providers/index.ts';
