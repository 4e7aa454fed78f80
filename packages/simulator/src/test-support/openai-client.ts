import OpenAI, { type ClientOptions } from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionMessage,
  ChatCompletionMessageFunctionToolCall,
} from 'openai/resources/chat/completions';
import { expect } from 'vitest';

/** The key test clients send unless a test says otherwise. */
export const testApiKey = 'sk-test-0123456789abcdef';

/**
 * The official OpenAI client pointed at a simulator. Retries are off so that every call is exactly one
 * attempt: a test sees the simulator's answer, not the SDK's recovery from it.
 */
export function openAiClient(simulatorUrl: string, options: ClientOptions = {}): OpenAI {
  return new OpenAI({ baseURL: `${simulatorUrl}/v1`, apiKey: testApiKey, maxRetries: 0, ...options });
}

/** What a consumer saw of a stream: every chunk, the text they carried, and what ended iteration. */
export interface DrainedStream {
  chunks: ChatCompletionChunk[];
  /** `delta.content` of every chunk, concatenated. */
  text: string;
  /** `delta.refusal` of every chunk, concatenated. */
  refusal: string;
  /** How many chunks carried non-empty `delta.content`. */
  contentChunks: number;
  /** The last non-null `finish_reason`, if any chunk carried one. */
  finishReason: string | undefined;
  /** What iteration threw, or undefined when the stream ended cleanly. */
  error: unknown;
}

/** Iterates a stream to its end (or its error) the way an application would, with `for await`. */
export async function drain(stream: AsyncIterable<ChatCompletionChunk>): Promise<DrainedStream> {
  const drained: DrainedStream = {
    chunks: [],
    text: '',
    refusal: '',
    contentChunks: 0,
    finishReason: undefined,
    error: undefined,
  };
  try {
    for await (const chunk of stream) {
      drained.chunks.push(chunk);
      for (const choice of chunk.choices) {
        const content = choice.delta.content ?? '';
        drained.text += content;
        if (content !== '') drained.contentChunks++;
        drained.refusal += choice.delta.refusal ?? '';
        if (choice.finish_reason !== null) drained.finishReason = choice.finish_reason;
      }
    }
  } catch (error) {
    drained.error = error;
  }
  return drained;
}

/** The error a call rejects with; fails the test when the call succeeds. */
export async function rejectionOf(call: PromiseLike<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** The only tool call of a message, asserted to be a function call. */
export function onlyFunctionCall(message: ChatCompletionMessage): ChatCompletionMessageFunctionToolCall {
  expect(message.tool_calls).toHaveLength(1);
  const call = message.tool_calls?.[0];
  if (call?.type !== 'function')
    throw new Error(`expected a function tool call, got ${JSON.stringify(call)}`);
  return call;
}

/** Tool-call argument fragments of a stream, concatenated by tool-call index as the API documents. */
export function streamedToolCalls(
  chunks: readonly ChatCompletionChunk[],
): { id: string | undefined; name: string | undefined; arguments: string }[] {
  const calls: { id: string | undefined; name: string | undefined; arguments: string }[] = [];
  for (const chunk of chunks) {
    for (const fragment of chunk.choices[0]?.delta.tool_calls ?? []) {
      calls[fragment.index] ??= { id: undefined, name: undefined, arguments: '' };
      const call = calls[fragment.index]!;
      call.id ??= fragment.id;
      call.name ??= fragment.function?.name;
      call.arguments += fragment.function?.arguments ?? '';
    }
  }
  return calls;
}
