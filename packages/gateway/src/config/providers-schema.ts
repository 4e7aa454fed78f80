// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${NAME}` is the config file's variable syntax, not a template.
import { type OpenAiFlavour, openAiFlavours } from '@steadfast/core';
import { z } from 'zod';
import { simulatorReference } from './env.ts';
import { strictObject } from './strict-object.ts';

/**
 * An http(s) URL, or one starting with `${simulator}` (the in-process simulator's URL, known only once
 * it listens; `buildGateway` puts it in).
 */
const url = z
  .string()
  .refine(
    (text) => {
      const resolved = text.startsWith(simulatorReference)
        ? `http://127.0.0.1${text.slice(simulatorReference.length)}`
        : text;
      return URL.canParse(resolved) && /^https?:$/.test(new URL(resolved).protocol);
    },
    { message: 'must be an http or https URL (or start with ${simulator})' },
  )
  .describe('An http(s) URL; `${simulator}` stands for the configured simulator.');

const secret = z.string().min(1);
const headers = z
  .record(z.string().min(1), z.string())
  .exactOptional()
  .describe('Headers sent with every call.');

const flavours = Object.keys(openAiFlavours) as [OpenAiFlavour, ...OpenAiFlavour[]];
const finishReason = z.enum(['stop', 'length', 'tool_calls', 'content_filter', 'other', 'error']);

/** One provider, by `type`: the options of the core factory of that type, in YAML. */
export const providerSchema = z.discriminatedUnion('type', [
  strictObject({
    type: z.literal('openai'),
    apiKey: secret.exactOptional().describe('Sent as Authorization: Bearer. Use ${OPENAI_API_KEY}.'),
    baseURL: url.exactOptional().describe('Default https://api.openai.com/v1.'),
    organization: z.string().exactOptional(),
    project: z.string().exactOptional(),
    headers,
  }),
  strictObject({
    type: z.literal('azure'),
    endpoint: url.describe('The resource endpoint, e.g. https://my-resource.openai.azure.com.'),
    apiKey: secret.exactOptional().describe('Sent as api-key.'),
    bearerToken: secret.exactOptional().describe('Entra ID token, instead of a key.'),
    apiVersion: z
      .string()
      .min(1)
      .exactOptional()
      .describe('The deployment API version (2024-10-21): the model is the deployment. Absent: the v1 API.'),
    headers,
  }),
  strictObject({
    type: z.literal('openai-compatible'),
    baseURL: url.describe('The server base URL, with /v1 where it has one.'),
    apiKey: secret.exactOptional(),
    flavour: z
      .enum(flavours)
      .exactOptional()
      .describe('Which server it is, for its quirks. Default generic.'),
    quirks: strictObject({
      maxTokensField: z.enum(['max_completion_tokens', 'max_tokens']).exactOptional(),
      streamUsage: z.boolean().exactOptional(),
      metadata: z.boolean().exactOptional(),
      finishReasons: z.record(z.string().min(1), finishReason).exactOptional(),
    })
      .exactOptional()
      .describe("Overrides of the flavour's quirks."),
    headers,
  }),
  strictObject({
    type: z.literal('anthropic'),
    apiKey: secret.exactOptional().describe('Sent as x-api-key. Use ${ANTHROPIC_API_KEY}.'),
    baseURL: url.exactOptional().describe('Default https://api.anthropic.com (no /v1).'),
    version: z.string().min(1).exactOptional().describe('anthropic-version. Default 2023-06-01.'),
    beta: z.array(z.string().min(1)).exactOptional().describe('anthropic-beta flags.'),
    defaultMaxTokens: z.number().int().positive().exactOptional().describe('Default 4096.'),
    headers,
  }),
  strictObject({
    type: z.literal('gemini'),
    apiKey: secret.exactOptional().describe('Sent as x-goog-api-key. Use ${GEMINI_API_KEY}.'),
    baseURL: url.exactOptional().describe('Default https://generativelanguage.googleapis.com/v1beta.'),
    headers,
  }),
]);

/** One provider as written in the file. */
export type ProviderConfig = z.output<typeof providerSchema>;

/** A provider name: what candidates put before the slash. */
export const providerNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a provider name is letters, digits, ".", "_" and "-" (no "/")');
