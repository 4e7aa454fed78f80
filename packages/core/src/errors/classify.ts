import { type ClassifyContext, classifyHttp, type HttpFailure } from './classify-http.ts';
import { classifyNetwork } from './classify-network.ts';
import { classifySdkError } from './classify-sdk.ts';
import { classifyStreamEvent, isStreamErrorEvent } from './classify-stream.ts';
import { SteadfastError } from './steadfast-error.ts';

function isHttpFailure(value: unknown): value is HttpFailure {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Error) &&
    typeof (value as { status?: unknown }).status === 'number' &&
    ('body' in value || 'headers' in value)
  );
}

function describeUnknown(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'string') return value;
  return `A non-error value was thrown (${typeof value})`;
}

/**
 * Turns anything that went wrong in an LLM call into a `SteadfastError`:
 * - a `SteadfastError` (returned as it is, with missing provider and model filled in);
 * - an HTTP failure `{ status, headers, body }` from any provider (see `classifyHttp`);
 * - an error thrown by the official `openai`, `@anthropic-ai/sdk` or `@google/genai` clients;
 * - an abort, a timeout, or a network error thrown by `fetch` / undici;
 * - an error event read from a stream (Anthropic `event: error`, `{"error":…}` data, OpenRouter
 *   `finish_reason: "error"`).
 * Anything else becomes kind `unknown`, which is neither retried nor sent to a fallback.
 */
export function classify(value: unknown, context: ClassifyContext = {}): SteadfastError {
  if (SteadfastError.isInstance(value)) return value.withContext(context);
  if (isHttpFailure(value)) return classifyHttp(value, context);
  const sdk = classifySdkError(value, context);
  if (sdk !== undefined) return sdk;
  const network = classifyNetwork(value, context);
  if (network !== undefined) return network;
  if (isStreamErrorEvent(value)) {
    const streamed = classifyStreamEvent(value, context);
    if (streamed !== undefined) return streamed;
  }
  return new SteadfastError('unknown', describeUnknown(value), {
    provider: context.provider,
    model: context.model,
    cause: value,
  });
}

/**
 * Reads at most `maxBodyBytes` of a body, then cancels the rest: an error body can be a proxy's page
 * of any size, or a stream that never ends, and `response.text()` would wait for all of it.
 */
async function readBodyText(response: Response, maxBodyBytes: number): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  while (bytes < maxBodyBytes) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    const kept = value.subarray(0, maxBodyBytes - bytes);
    bytes += kept.byteLength;
    text += decoder.decode(kept, { stream: true });
  }
  // What we need is read; a source that fails to stop changes nothing about the classification.
  await reader.cancel().catch(() => undefined);
  return text + decoder.decode();
}

/**
 * Classifies a fetch `Response` that was not ok, reading its body (at most `maxBodyBytes`).
 * @param maxBodyBytes bound on the body read, in bytes. @default 65536
 */
export async function classifyResponse(
  response: Response,
  context: ClassifyContext = {},
  maxBodyBytes = 65_536,
): Promise<SteadfastError> {
  let body = '';
  try {
    body = await readBodyText(response, maxBodyBytes);
  } catch (error) {
    const cut = classifyNetwork(error, { ...context, phase: 'body' });
    if (cut !== undefined && cut.kind === 'cancelled') return cut;
  }
  return classifyHttp({ status: response.status, headers: response.headers, body }, context);
}
