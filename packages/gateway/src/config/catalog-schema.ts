import { z } from 'zod';
import { strictObject } from './strict-object.ts';

const perMillion = z.number().nonnegative();

/**
 * A catalog entry: changes to a built-in model (matched by `id`; only the fields given change), or a
 * whole new model, which must then give every field but `pricing`.
 */
export const modelOverrideSchema = strictObject({
  id: z.string().min(1).describe('The model name at its provider, without a date suffix.'),
  provider: z
    .enum(['openai', 'anthropic', 'gemini'])
    .exactOptional()
    .describe('The wire family that serves it.'),
  contextWindow: z.number().int().positive().exactOptional().describe('Input plus output tokens.'),
  maxOutputTokens: z.number().int().positive().exactOptional(),
  tokenizer: z.enum(['o200k', 'claude', 'gemini']).exactOptional(),
  capabilities: strictObject({
    tools: z.boolean().exactOptional(),
    jsonSchema: z.boolean().exactOptional(),
    vision: z.boolean().exactOptional(),
    streaming: z.boolean().exactOptional(),
    prefill: z.boolean().exactOptional(),
  }).exactOptional(),
  pricing: strictObject({
    inputPerMTok: perMillion.describe('USD per million input tokens.'),
    outputPerMTok: perMillion.describe('USD per million output tokens.'),
    cachedInputPerMTok: perMillion.exactOptional(),
    asOf: z.iso.date().describe('When the prices were read (YYYY-MM-DD).'),
    source: z.string().min(1).describe('Where they were read.'),
  }).exactOptional(),
});

export type ModelOverrideConfig = z.output<typeof modelOverrideSchema>;
