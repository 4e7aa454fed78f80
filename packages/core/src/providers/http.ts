import { classify, classifyResponse } from '../errors/classify.ts';
import type { ClassifyContext } from '../errors/classify-http.ts';
import { SteadfastError } from '../errors/steadfast-error.ts';
import type { CallGuard } from '../policies/timeout.ts';

/** Turns whatever a call threw into a `SteadfastError`, preferring the guard's own timeout or abort. */
export function callError(error: unknown, guard: CallGuard, context: ClassifyContext): SteadfastError {
  const aborted = guard.abortError;
  if (aborted !== undefined) return aborted;
  return classify(error, context);
}

const maxErrorBodyBytes = 64 * 1024;

/**
 * Sends a JSON POST and returns the response once its headers arrived with a 2xx status. A non-2xx
 * answer is read (bounded) and thrown as a classified error; network failures, timeouts and aborts are
 * thrown classified too.
 */
export async function postJson(
  fetchFn: typeof fetch,
  url: string,
  body: string,
  headers: Record<string, string>,
  guard: CallGuard,
  context: ClassifyContext,
): Promise<Response> {
  let response: Response;
  try {
    // Redirects are never followed: a provider call, key included, must not be sent where a 3xx points.
    response = await fetchFn(url, {
      method: 'POST',
      headers,
      body,
      signal: guard.signal,
      redirect: 'manual',
    });
  } catch (error) {
    throw callError(error, guard, { ...context, phase: 'connect' });
  }
  if (response.ok) return response;
  // The body is read only up to a bound: an error page is never worth unbounded memory.
  const error = await classifyResponse(response, context, maxErrorBodyBytes);
  throw guard.abortError ?? error;
}

/** Reads a whole 2xx JSON body; a cut body or invalid JSON becomes a classified error. */
export async function readJsonBody(
  response: Response,
  guard: CallGuard,
  context: ClassifyContext,
): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw callError(error, guard, { ...context, phase: 'body' });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // fall through: the provider answered 200 with something that is not a JSON object
  }
  throw new SteadfastError(
    'bad_gateway',
    `${context.provider ?? 'The provider'} answered 200 with a body that is not a JSON object`,
    { provider: context.provider, model: context.model, code: 'invalid_json' },
  );
}

/**
 * `error` with the request id of the response it came from. Errors classified from a 2xx body (an
 * error event mid-stream, a cut body, a refusal to parse) do not see the headers that named the request,
 * yet that id is what the provider's support asks for.
 */
export function withRequestId(error: SteadfastError, requestId: string | undefined): SteadfastError {
  return error.withContext({ requestId });
}

/** The provider's request id from the headers providers use: OpenAI, Anthropic, Azure, OpenRouter. */
export function requestIdOf(headers: Headers): string | undefined {
  return (
    headers.get('x-request-id') ??
    headers.get('request-id') ??
    headers.get('apim-request-id') ??
    headers.get('x-generation-id') ??
    undefined
  );
}
