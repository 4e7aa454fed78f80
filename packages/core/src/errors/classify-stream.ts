import { type ClassifyContext, classifyHttp } from './classify-http.ts';
import type { SteadfastError } from './steadfast-error.ts';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Recognises an error sent inside a stream after HTTP 200: Anthropic `event: error`
 * (`{type:"error", error:{…}}`), an OpenAI Responses `error` event, an OpenAI-style or Gemini
 * `{error:{…}}` data payload, or an OpenRouter chunk with `finish_reason: "error"`. Returns undefined
 * for an ordinary chunk.
 */
export function classifyStreamEvent(
  data: unknown,
  context: ClassifyContext = {},
): SteadfastError | undefined {
  if (!isObject(data)) return undefined;
  if (data.error !== undefined && data.error !== null) {
    return classifyHttp({ status: 0, body: data }, context);
  }
  if (data.type === 'error') {
    // OpenAI Responses API: `{type:"error", code, message, param, sequence_number}`, with no `error` key.
    const code = typeof data.code === 'string' ? data.code : undefined;
    const message = typeof data.message === 'string' ? data.message : 'Stream error event';
    const error = code === undefined ? { type: 'api_error', message } : { code, message };
    return classifyHttp({ status: 0, body: { error } }, context);
  }
  const choices = data.choices;
  if (Array.isArray(choices) && choices.some((c) => isObject(c) && c.finish_reason === 'error')) {
    return classifyHttp(
      {
        status: 0,
        body: { error: { type: 'server_error', message: 'The stream ended with finish_reason "error"' } },
      },
      context,
    );
  }
  return undefined;
}

/** True for a value that looks like an error event of a stream (see `classifyStreamEvent`). */
export function isStreamErrorEvent(data: unknown): boolean {
  if (!isObject(data)) return false;
  if ('status' in data && typeof data.status === 'number') return false;
  if (data.type === 'error') return true;
  if (isObject(data.error) || typeof data.error === 'string') return true;
  const choices = data.choices;
  return Array.isArray(choices) && choices.some((c) => isObject(c) && c.finish_reason === 'error');
}
