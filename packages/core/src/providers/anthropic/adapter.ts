import type { AdapterBaseOptions, ProviderAdapter } from '../adapter.ts';
import { createHttpAdapter } from '../http-adapter.ts';
import { fromAnthropicBody } from './parse-response.ts';
import { anthropicStreamDecoder } from './stream-decoder.ts';
import { toAnthropicBody } from './translate-request.ts';

/** Options of `createAnthropic`. */
export interface AnthropicOptions extends AdapterBaseOptions {
  /** Sent as `x-api-key`. */
  apiKey?: string;
  /** @default 'https://api.anthropic.com' */
  baseURL?: string;
  /** @default '2023-06-01' */
  version?: string;
  /** Sent as `anthropic-beta` (comma-separated). */
  beta?: string[];
  /**
   * `max_tokens` when the request sets no output limit (Anthropic requires one).
   * @default 4096
   */
  defaultMaxTokens?: number;
}

/** An adapter for Anthropic's Messages API. */
export function createAnthropic(options: AnthropicOptions = {}): ProviderAdapter {
  const base = (options.baseURL ?? 'https://api.anthropic.com').replace(/\/$/, '');
  const url = `${base}/v1/messages`;
  const headers: Record<string, string> = { 'anthropic-version': options.version ?? '2023-06-01' };
  if (options.apiKey !== undefined) headers['x-api-key'] = options.apiKey;
  if (options.beta !== undefined && options.beta.length > 0)
    headers['anthropic-beta'] = options.beta.join(',');
  const defaultMaxTokens = options.defaultMaxTokens ?? 4096;
  return createHttpAdapter(
    options.name ?? 'anthropic',
    {
      type: 'anthropic',
      url: () => url,
      headers: () => headers,
      body: (request, model, stream) => toAnthropicBody(request, model, stream, defaultMaxTokens),
      parse: fromAnthropicBody,
      decoder: anthropicStreamDecoder,
    },
    options,
  );
}
