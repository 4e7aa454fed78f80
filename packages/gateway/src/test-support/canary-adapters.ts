import {
  createAnthropic,
  createAzureOpenAi,
  createGemini,
  createOpenAi,
  createOpenAiCompatible,
  type ProviderAdapter,
} from '@steadfast/core';
import type { FakeClock } from '../../../core/src/test-support/fake-clock.ts';
import { type CanaryKeyName, canaryKeys } from './canary-keys.ts';

/** One adapter under test: how it is configured, and how its provider words an error. */
export interface CanaryAdapter {
  name: string;
  /** Its name in the client's configuration, and in routes. */
  provider: string;
  /** The simulator model it calls. */
  model: string;
  key: CanaryKeyName;
  /** The header that carries the key, lowercased, and its value. */
  credential: { header: string; value: string };
  create(simulatorUrl: string, clock: FakeClock, fetch: typeof globalThis.fetch): ProviderAdapter;
  /** An error answer in its provider's envelope whose message quotes `echo`, as providers quote a key back. */
  errorAnswer(echo: string): { status: number; body: Record<string, unknown> };
}

function openAiStyleError(echo: string): { status: number; body: Record<string, unknown> } {
  return {
    status: 401,
    body: {
      error: {
        message: `Incorrect API key provided: ${echo}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    },
  };
}

export const canaryAdapters: readonly CanaryAdapter[] = [
  {
    name: 'OpenAI',
    provider: 'openai',
    model: 'openai-model',
    key: 'openai',
    credential: { header: 'authorization', value: `Bearer ${canaryKeys.openai}` },
    create: (url, clock, fetch) =>
      createOpenAi({ baseURL: `${url}/v1`, apiKey: canaryKeys.openai, clock, fetch }),
    errorAnswer: openAiStyleError,
  },
  {
    name: 'Anthropic',
    provider: 'anthropic',
    model: 'anthropic-model',
    key: 'anthropic',
    credential: { header: 'x-api-key', value: canaryKeys.anthropic },
    create: (url, clock, fetch) =>
      createAnthropic({ baseURL: url, apiKey: canaryKeys.anthropic, clock, fetch }),
    errorAnswer: (echo) => ({
      status: 401,
      body: {
        type: 'error',
        error: { type: 'authentication_error', message: `invalid x-api-key: ${echo}` },
        request_id: 'req_canary',
      },
    }),
  },
  {
    name: 'Gemini',
    provider: 'gemini',
    model: 'gemini-model',
    key: 'gemini',
    credential: { header: 'x-goog-api-key', value: canaryKeys.gemini },
    create: (url, clock, fetch) =>
      createGemini({ baseURL: `${url}/v1beta`, apiKey: canaryKeys.gemini, clock, fetch }),
    errorAnswer: (echo) => ({
      status: 400,
      body: {
        error: {
          code: 400,
          message: `API key not valid: ${echo}. Called https://generativelanguage.googleapis.com/v1beta/models/gemini-model:generateContent?key=${echo}`,
          status: 'INVALID_ARGUMENT',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'API_KEY_INVALID',
              domain: 'googleapis.com',
            },
          ],
        },
      },
    }),
  },
  {
    name: 'Azure OpenAI',
    provider: 'azure',
    model: 'azure-model',
    key: 'azure',
    credential: { header: 'api-key', value: canaryKeys.azure },
    create: (url, clock, fetch) =>
      createAzureOpenAi({ endpoint: url, apiVersion: '2024-10-21', apiKey: canaryKeys.azure, clock, fetch }),
    errorAnswer: openAiStyleError,
  },
  {
    name: 'Groq (OpenAI-compatible)',
    provider: 'groq',
    model: 'groq-model',
    key: 'groq',
    credential: { header: 'authorization', value: `Bearer ${canaryKeys.groq}` },
    create: (url, clock, fetch) =>
      createOpenAiCompatible({
        name: 'groq',
        baseURL: `${url}/v1`,
        flavour: 'groq',
        apiKey: canaryKeys.groq,
        clock,
        fetch,
      }),
    errorAnswer: openAiStyleError,
  },
];

/** A healthy candidate on another provider than `failing`, as a route falls back in production. */
export function fallbackFor(failing: CanaryAdapter): CanaryAdapter {
  return (failing.provider === 'openai' ? canaryAdapters[1] : canaryAdapters[0]) as CanaryAdapter;
}
