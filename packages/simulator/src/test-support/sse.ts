/** One server-sent event as a test reads it. */
export interface SseEvent {
  event: string | undefined;
  data: string;
}

/** Splits SSE text into events (LF or CRLF line ends), skipping comments. */
export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.split(/\r\n\r\n|\n\n|\r\r/)) {
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r\n|\n|\r/)) {
      if (line.startsWith(':') || line === '') continue;
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length > 0 || event !== undefined) events.push({ event, data: data.join('\n') });
  }
  return events;
}

/** Posts JSON with fetch and returns the response. */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/**
 * Reads a response body to its end. Resolves with the text and, when the connection was cut before
 * the body ended, the error that reading raised.
 */
export async function readAll(response: Response): Promise<{ text: string; error: unknown }> {
  const reader = response.body?.getReader();
  if (reader === undefined) return { text: '', error: undefined };
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    return { text, error: undefined };
  } catch (error) {
    return { text, error };
  }
}
