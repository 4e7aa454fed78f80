import type { AdapterBaseOptions, ProviderAdapter } from '../adapter.ts';
import { createHttpAdapter } from '../http-adapter.ts';
import { fromGeminiBody } from './parse-response.ts';
import { geminiStreamDecoder } from './stream-decoder.ts';
import { toGeminiBody } from './translate-request.ts';

/** Options of `createGemini`. */
export interface GeminiOptions extends AdapterBaseOptions {
  /** Sent as `x-goog-api-key` (never in the URL, where logs would keep it). */
  apiKey?: string;
  /** @default 'https://generativelanguage.googleapis.com/v1beta' */
  baseURL?: string;
}

/** An adapter for Google Gemini's `generateContent` / `streamGenerateContent` API. */
export function createGemini(options: GeminiOptions = {}): ProviderAdapter {
  const base = (options.baseURL ?? 'https://generativelanguage.googleapis.com/v1beta').replace(/\/$/, '');
  const headers: Record<string, string> = {};
  if (options.apiKey !== undefined) headers['x-goog-api-key'] = options.apiKey;
  return createHttpAdapter(
    options.name ?? 'gemini',
    {
      type: 'gemini',
      url: (model, stream) =>
        `${base}/models/${encodeURIComponent(model)}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
      headers: () => headers,
      body: (request) => toGeminiBody(request),
      parse: fromGeminiBody,
      decoder: geminiStreamDecoder,
    },
    options,
  );
}
