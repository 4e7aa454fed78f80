import type { Api } from '@steadfast/simulator';
import type { ErrorKind } from '../../../errors/kinds.ts';
import type { FinishReason } from '../../../neutral/response.ts';
import { type Clock, systemClock } from '../../../policies/clock.ts';
import type { ProviderAdapter } from '../../adapter.ts';
import { createAnthropic } from '../../anthropic/adapter.ts';
import { createGemini } from '../../gemini/adapter.ts';
import { createAzureOpenAi, createOpenAi, createOpenAiCompatible } from '../../openai/adapter.ts';

/**
 * One adapter as the conformance suite drives it: how to point it at a simulator, and the few places
 * where its provider's wire says something different, each with the reason.
 */
export interface AdapterUnderTest {
  /** Shown in test names. */
  name: string;
  /** The simulator API its requests arrive at. */
  api: Api;
  create(simulatorUrl: string, clock?: Clock): ProviderAdapter;
  /**
   * The provider names its request in a response header (`x-request-id`, `request-id`). Gemini sends
   * none, so its answers carry no request id.
   */
  sendsRequestId: boolean;
  /**
   * How a native refusal arrives. OpenAI has a `refusal` field (streamed as `delta.refusal`); Anthropic
   * ends with `stop_reason: "refusal"` after ordinary text; Gemini stops with `SAFETY` and no text at all.
   */
  refusal: {
    finishReason: FinishReason;
    /** Whether the refusal's words reach the caller as `refusal` (chat) and stream deltas. */
    hasText: boolean;
    /** The stream event that carries the refusal's words. */
    streamedAs: 'refusal-delta' | 'text-delta' | undefined;
  };
  /**
   * The kind of the provider's answer to overload. Gemini says `503 UNAVAILABLE` for an overloaded model
   * and for an outage alike (only the prose differs), so the taxonomy reads it as `unavailable`.
   */
  overloadedKind: ErrorKind;
  /**
   * How a streamed tool call's arguments arrive: OpenAI and Anthropic stream the JSON text in pieces;
   * Gemini sends a function call whole, in one chunk.
   */
  toolArguments: 'in pieces' | 'whole';
  /** The kind of the error event each provider sends inside a 200 stream (the simulator sends its usual one). */
  streamErrorKind: ErrorKind;
  /**
   * What a stream missing its last frame ends with. OpenAI's `[DONE]` and Anthropic's `message_stop` come
   * after the finish reason, so the answer is complete without them; Gemini's last chunk is the one that
   * carries `finishReason`, so without it the answer was cut.
   */
  missingLastFrame: 'finish' | 'stream_interrupted';
}

const openAiFamily = {
  sendsRequestId: true,
  refusal: { finishReason: 'refusal', hasText: true, streamedAs: 'refusal-delta' },
  overloadedKind: 'overloaded',
  toolArguments: 'in pieces',
  streamErrorKind: 'server',
  missingLastFrame: 'finish',
} as const satisfies Partial<AdapterUnderTest>;

/** Every adapter, each configured the way a user would point it at the provider. */
export const adapters: readonly AdapterUnderTest[] = [
  {
    name: 'OpenAI',
    api: 'openai',
    create: (url, clock = systemClock) => createOpenAi({ baseURL: `${url}/v1`, clock }),
    ...openAiFamily,
  },
  {
    name: 'Azure OpenAI (deployment API 2024-10-21)',
    api: 'azure',
    // The model of each request is the deployment name, which goes into the URL.
    create: (url, clock = systemClock) =>
      createAzureOpenAi({ endpoint: url, apiVersion: '2024-10-21', clock }),
    ...openAiFamily,
  },
  {
    name: 'Azure OpenAI (v1 API)',
    api: 'azure',
    create: (url, clock = systemClock) => createAzureOpenAi({ endpoint: url, clock }),
    ...openAiFamily,
  },
  {
    name: 'OpenAI-compatible (vLLM)',
    api: 'openai',
    create: (url, clock = systemClock) =>
      createOpenAiCompatible({ baseURL: `${url}/v1`, flavour: 'vllm', clock }),
    ...openAiFamily,
  },
  {
    name: 'Anthropic',
    api: 'anthropic',
    create: (url, clock = systemClock) => createAnthropic({ baseURL: url, clock }),
    sendsRequestId: true,
    refusal: { finishReason: 'refusal', hasText: true, streamedAs: 'text-delta' },
    overloadedKind: 'overloaded',
    toolArguments: 'in pieces',
    // Anthropic's usual mid-stream error is `overloaded_error`.
    streamErrorKind: 'overloaded',
    missingLastFrame: 'finish',
  },
  {
    name: 'Gemini',
    api: 'gemini',
    create: (url, clock = systemClock) => createGemini({ baseURL: `${url}/v1beta`, clock }),
    sendsRequestId: false,
    refusal: { finishReason: 'content_filter', hasText: false, streamedAs: undefined },
    overloadedKind: 'unavailable',
    toolArguments: 'whole',
    streamErrorKind: 'server',
    missingLastFrame: 'stream_interrupted',
  },
];
