import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { SteadfastError } from '../errors/steadfast-error.ts';

/** One server-sent event, or a stray line that was not SSE at all (`stray: true`). */
export interface SseMessage {
  event: string | undefined;
  data: string;
  /**
   * A line outside the SSE grammar, e.g. Ollama's raw `{"error":…}` JSON in the middle of a stream.
   * Adapters may recognise it; everything else ignores it.
   */
  stray?: true;
}

/** Options of `readSse`. */
export interface ReadSseOptions {
  /**
   * Most characters buffered for one unfinished line or event; past it the stream is rejected.
   * @default 8_388_608 (8 MiB: far above any real chunk, small enough to bound memory)
   */
  maxBufferSize?: number | undefined;
  /** Called whenever bytes arrive, before they are parsed (feeds idle timeouts). */
  onBytes?: (() => void) | undefined;
  provider?: string | undefined;
  model?: string | undefined;
}

export const defaultMaxSseBufferSize: number = 8 * 1024 * 1024;

/** Where the first line longer than `maxLength` starts in `text` (CR, LF or CRLF line ends), or -1. */
function longLineStart(text: string, maxLength: number): number {
  let start = 0;
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  for (;;) {
    if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
    if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
    const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
    if (end === -1) return text.length - start > maxLength ? start : -1;
    if (end - start > maxLength) return start;
    start = end + 1;
  }
}

/**
 * Reads a `text/event-stream` body as events: split chunks, CRLF / CR / LF line ends, multi-line data
 * and comments handled by `eventsource-parser`. An event or line larger than `maxBufferSize` ends
 * the stream with a `bad_gateway` error instead of growing memory without bound; the events before it
 * are still delivered, and the rest of the body is not read.
 */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  options: ReadSseOptions = {},
): AsyncGenerator<SseMessage, void, undefined> {
  const queue: SseMessage[] = [];
  let failure: SteadfastError | undefined;
  const maxBufferSize = options.maxBufferSize ?? defaultMaxSseBufferSize;
  const overflow = (): SteadfastError =>
    new SteadfastError(
      'bad_gateway',
      `A stream event from ${options.provider ?? 'the provider'} exceeded ${maxBufferSize} characters`,
      { provider: options.provider, model: options.model, code: 'sse_buffer_exceeded' },
    );
  const parser = createParser({
    maxBufferSize,
    onEvent(message: EventSourceMessage) {
      queue.push({ event: message.event, data: message.data });
    },
    onError(error) {
      if (error.type === 'max-buffer-size-exceeded') {
        failure ??= overflow();
      } else if (error.type === 'unknown-field' && error.line !== undefined && error.line.trim() !== '') {
        queue.push({ event: undefined, data: error.line, stray: true });
      }
    },
  });
  // The parser only ever gets whole lines: it drops a partial line that cannot be an SSE field, so a
  // stray JSON line (Ollama's error) cut by a chunk boundary would be lost. The tail after the last line
  // end waits here. No line may pass `maxBufferSize`, however the bytes were chunked: the parser alone
  // checks only what it buffers, and lets a long line through when it arrives whole.
  let partialLine = '';
  function feed(text: string): void {
    const lf = text.lastIndexOf('\n');
    // A CR after the last LF is rare (CR-only streams, a CRLF cut in two): look for it in the tail only.
    const lineEnd = text.indexOf('\r', lf + 1) === -1 ? lf : text.lastIndexOf('\r');
    if (lineEnd === -1) {
      partialLine += text;
      if (partialLine.length > maxBufferSize) failure ??= overflow();
      return;
    }
    const complete = lineEnd === text.length - 1;
    let lines = complete ? text : text.slice(0, lineEnd + 1);
    if (partialLine !== '') lines = partialLine + lines;
    partialLine = complete ? '' : text.slice(lineEnd + 1);
    const longLine = lines.length > maxBufferSize ? longLineStart(lines, maxBufferSize) : -1;
    if (longLine !== -1) {
      lines = lines.slice(0, longLine);
      failure ??= overflow();
    }
    parser.feed(lines);
    if (partialLine.length > maxBufferSize) failure ??= overflow();
  }
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let released = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        // A last line with no line end after it still counts: a final event, or a stray JSON line.
        feed(`${decoder.decode()}\n\n`);
      } else {
        options.onBytes?.();
        feed(decoder.decode(value, { stream: true }));
      }
      while (queue.length > 0) yield queue.shift() as SseMessage;
      if (failure !== undefined) throw failure;
      if (done) {
        released = true;
        return;
      }
    }
  } finally {
    if (!released) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
