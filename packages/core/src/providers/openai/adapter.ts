import type { AdapterBaseOptions, ProviderAdapter } from '../adapter.ts';
import { createHttpAdapter, type WireSpec } from '../http-adapter.ts';
import { fromOpenAiBody } from './parse-response.ts';
import { type OpenAiFlavour, type OpenAiQuirks, openAiFlavours } from './quirks.ts';
import { openAiStreamDecoder } from './stream-decoder.ts';
import { toOpenAiBody } from './translate-request.ts';

/** Options of `createOpenAi`. */
export interface OpenAiOptions extends AdapterBaseOptions {
  /** Sent as `Authorization: Bearer …`. */
  apiKey?: string;
  /** @default 'https://api.openai.com/v1' */
  baseURL?: string;
  /** Sent as `OpenAI-Organization`. */
  organization?: string;
  /** Sent as `OpenAI-Project`. */
  project?: string;
}

/** Options of `createOpenAiCompatible`. */
export interface OpenAiCompatibleOptions extends AdapterBaseOptions {
  /** The server's base URL, including `/v1` where it has one (e.g. `http://localhost:11434/v1`). */
  baseURL: string;
  /** Sent as `Authorization: Bearer …` when present. */
  apiKey?: string;
  /** Which server it is, for its quirks. @default 'generic' */
  flavour?: OpenAiFlavour;
  /** Quirks that override the flavour's. */
  quirks?: Partial<OpenAiQuirks>;
}

/** Options of `createAzureOpenAi`. */
export interface AzureOpenAiOptions extends AdapterBaseOptions {
  /** The resource endpoint, e.g. `https://my-resource.openai.azure.com`. */
  endpoint: string;
  /** Sent as `api-key`. */
  apiKey?: string;
  /** Sent as `Authorization: Bearer …` instead of a key (Entra ID). */
  bearerToken?: string;
  /**
   * The classic deployment API's version (`2024-10-21`); the model is the deployment name. Absent, the
   * v1 API (`/openai/v1/chat/completions`, model in the body) is used.
   */
  apiVersion?: string;
}

function chatSpec(
  type: WireSpec['type'],
  quirks: OpenAiQuirks,
  url: (model: string) => string,
  headers: Record<string, string>,
): WireSpec {
  return {
    type,
    url,
    headers: () => headers,
    body: (request, model, stream) => toOpenAiBody(request, model, stream, quirks),
    parse: (body, facts) => fromOpenAiBody(body, quirks, facts),
    decoder: (context, facts) => openAiStreamDecoder(quirks, context, facts),
  };
}

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

/** An adapter for OpenAI's Chat Completions API. */
export function createOpenAi(options: OpenAiOptions = {}): ProviderAdapter {
  const base = trimSlash(options.baseURL ?? 'https://api.openai.com/v1');
  const headers: Record<string, string> = {};
  if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
  if (options.organization !== undefined) headers['openai-organization'] = options.organization;
  if (options.project !== undefined) headers['openai-project'] = options.project;
  const url = `${base}/chat/completions`;
  return createHttpAdapter(
    options.name ?? 'openai',
    chatSpec('openai', openAiFlavours.openai as OpenAiQuirks, () => url, headers),
    options,
  );
}

/** An adapter for an OpenAI-compatible server (vLLM, Ollama, Groq, Together, Mistral, DeepSeek, OpenRouter, …). */
export function createOpenAiCompatible(options: OpenAiCompatibleOptions): ProviderAdapter {
  const flavour = options.flavour ?? 'generic';
  const quirks: OpenAiQuirks = {
    ...(openAiFlavours[flavour] ?? openAiFlavours.generic),
    ...options.quirks,
  } as OpenAiQuirks;
  const headers: Record<string, string> = {};
  if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
  const url = `${trimSlash(options.baseURL)}/chat/completions`;
  return createHttpAdapter(
    options.name ?? flavour,
    chatSpec('openai-compatible', quirks, () => url, headers),
    options,
  );
}

/** An adapter for Azure OpenAI: deployment URLs with `api-version`, or the v1 API; `api-key` auth. */
export function createAzureOpenAi(options: AzureOpenAiOptions): ProviderAdapter {
  const endpoint = trimSlash(options.endpoint);
  const headers: Record<string, string> = {};
  if (options.apiKey !== undefined) headers['api-key'] = options.apiKey;
  if (options.bearerToken !== undefined) headers.authorization = `Bearer ${options.bearerToken}`;
  const version = options.apiVersion;
  const url =
    version === undefined
      ? () => `${endpoint}/openai/v1/chat/completions`
      : (deployment: string) =>
          `${endpoint}/openai/deployments/${encodeURIComponent(deployment)}/chat/completions?api-version=${encodeURIComponent(version)}`;
  return createHttpAdapter(
    options.name ?? 'azure',
    chatSpec('azure', openAiFlavours.azure as OpenAiQuirks, url, headers),
    options,
  );
}
