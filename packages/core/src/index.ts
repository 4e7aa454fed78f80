/**
 * @steadfast/core: LLM calls that keep working when LLM APIs fail.
 * @module
 */
export * from './errors/index.ts';
