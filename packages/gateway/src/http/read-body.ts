import type { IncomingMessage } from 'node:http';

/** Why a request body was refused before it reached a codec. */
export class BodyError extends Error {
  readonly status: 400 | 413 | 415;
  constructor(status: 400 | 413 | 415, message: string) {
    super(message);
    this.name = 'BodyError';
    this.status = status;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a JSON request body, refusing it as soon as it passes `limitBytes` (413 while it streams in,
 * never after buffering it whole), when its content type is not JSON (415), when it is not valid UTF-8
 * or not JSON (400).
 */
export async function readJsonBody(request: IncomingMessage, limitBytes: number): Promise<unknown> {
  const type = request.headers['content-type'];
  if (type !== undefined && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new BodyError(415, `Content-Type must be application/json, got "${type.slice(0, 100)}"`);
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    throw new BodyError(413, `The request body is ${declared} bytes; the limit is ${limitBytes}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      // Stop reading at once: the rest of a huge body is never buffered. The caller answers 413 with
      // `Connection: close`, so the socket goes away with the unread rest.
      request.pause();
      throw new BodyError(413, `The request body is over the limit of ${limitBytes} bytes`);
    }
    chunks.push(chunk);
  }
  let text: string;
  try {
    text = utf8.decode(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
  } catch {
    throw new BodyError(400, 'The request body is not valid UTF-8');
  }
  if (text.trim() === '') throw new BodyError(400, 'The request body is empty; a JSON object is required');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BodyError(400, `The request body is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
}
