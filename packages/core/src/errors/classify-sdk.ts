import { type ClassifyContext, classifyHttp } from './classify-http.ts';
import { classifyNetwork } from './classify-network.ts';
import type { HeadersLike } from './headers.ts';
import { SteadfastError } from './steadfast-error.ts';

/** The fields the official `openai`, `@anthropic-ai/sdk` and `@google/genai` errors share. */
interface SdkErrorShape {
  status?: unknown;
  headers?: unknown;
  error?: unknown;
  message?: unknown;
}

/**
 * Class names along an error's prototype chain. Steadfast does not depend on the providers' SDKs, so
 * their error classes cannot be compared with `instanceof`; their class names are stable public API.
 */
function classNames(error: object): string[] {
  const names: string[] = [];
  let proto: unknown = Object.getPrototypeOf(error);
  while (proto && proto !== Error.prototype && proto !== Object.prototype && names.length < 8) {
    const ctor = (proto as { constructor?: { name?: unknown; _errorName?: unknown } }).constructor;
    const name = typeof ctor?._errorName === 'string' ? ctor._errorName : ctor?.name;
    if (typeof name === 'string') names.push(name);
    proto = Object.getPrototypeOf(proto);
  }
  return names;
}

// js-genai's message for an error inside a stream: `got status: RESOURCE_EXHAUSTED. {"error":…}`.
const genaiStreamPrefix = /^got status: [^.]*\. (?=[[{])/;

/**
 * The error body an SDK left in `message`: js-genai's JSON text, after its stream prefix if any; or what
 * openai-node's and the Anthropic SDK's `makeMessage` made of a body that is not JSON (`"502 <html>…"`,
 * `"500 status code (no body)"`).
 */
function bodyFromMessage(message: string, status: number): string {
  const genai = genaiStreamPrefix.exec(message);
  if (genai) return message.slice(genai[0].length);
  const prefix = `${status} `;
  if (status === 0 || !message.startsWith(prefix)) return message;
  const rest = message.slice(prefix.length);
  return rest === 'status code (no body)' ? '' : rest;
}

function isHeaders(value: unknown): value is HeadersLike {
  return typeof value === 'object' && value !== null;
}

/**
 * Classifies an error thrown by an official provider SDK; undefined when the value is not one.
 * openai-node keeps the inner `{message,type,code}` in `.error`; the Anthropic SDK keeps the whole
 * body; js-genai puts the JSON body in `.message`.
 */
export function classifySdkError(error: unknown, context: ClassifyContext = {}): SteadfastError | undefined {
  if (!(error instanceof Error)) return undefined;
  const names = classNames(error);
  const shape = error as SdkErrorShape;
  const details = { provider: context.provider, model: context.model, cause: error };
  if (names.includes('APIUserAbortError')) {
    return new SteadfastError('cancelled', 'The request was aborted by its caller', details);
  }
  if (names.includes('APIConnectionTimeoutError')) {
    return new SteadfastError(
      'timeout',
      `The request to ${context.provider ?? 'the provider'} timed out`,
      details,
    );
  }
  if (names.includes('APIConnectionError')) {
    const underlying = shape.error ?? (error as { cause?: unknown }).cause;
    const network = underlying === undefined ? undefined : classifyNetwork(underlying, context);
    return network === undefined
      ? new SteadfastError(
          'connection',
          `The connection to ${context.provider ?? 'the provider'} failed`,
          details,
        )
      : new SteadfastError(network.kind, network.message, { ...details, code: network.code });
  }
  if (names.includes('LengthFinishReasonError')) {
    return new SteadfastError('truncated', 'The answer stopped at the output token limit', details);
  }
  if (names.includes('ContentFilterFinishReasonError')) {
    return new SteadfastError('content_filter', 'The answer was stopped by the content filter', details);
  }
  const isApiError = names.includes('APIError') || names.includes('ApiError');
  if (!isApiError || !('status' in shape)) return undefined;
  const status = typeof shape.status === 'number' ? shape.status : 0;
  let body: unknown = shape.error;
  if (body === undefined && typeof shape.message === 'string') {
    body = bodyFromMessage(shape.message, status);
  } else if (typeof body === 'object' && body !== null && !('error' in body)) {
    body = { error: body };
  }
  const classified = classifyHttp(
    { status, headers: isHeaders(shape.headers) ? shape.headers : undefined, body },
    context,
  );
  return new SteadfastError(classified.kind, classified.message, {
    status: classified.status,
    provider: classified.provider,
    model: classified.model,
    requestId: classified.requestId,
    retryAfterMs: classified.retryAfterMs,
    rateLimit: classified.rateLimit,
    code: classified.code,
    retryable: classified.retryable,
    fallbackable: classified.fallbackable,
    cause: error,
  });
}
