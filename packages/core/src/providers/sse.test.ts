import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SteadfastError } from '../errors/steadfast-error.ts';
import { type ReadSseOptions, readSse, type SseMessage } from './sse.ts';
import { byteStream, chunkStream } from './test-support/recorded.ts';

const encoder = new TextEncoder();

/** Everything `readSse` yields from `body`, and what it threw, if anything. */
async function outcome(
  body: ReadableStream<Uint8Array>,
  options: ReadSseOptions = {},
): Promise<{ messages: SseMessage[]; error: unknown }> {
  const messages: SseMessage[] = [];
  try {
    for await (const message of readSse(body, options)) messages.push(message);
  } catch (error) {
    return { messages, error };
  }
  return { messages, error: undefined };
}

async function messagesOf(text: string, chunkBytes?: number): Promise<SseMessage[]> {
  const { messages, error } = await outcome(byteStream(encoder.encode(text), chunkBytes));
  if (error !== undefined) throw error;
  return messages;
}

function splitAt(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const cuts = [...new Set(offsets.map((offset) => offset % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const cut of cuts) {
    chunks.push(bytes.subarray(from, cut));
    from = cut;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

// ---- A model of valid SSE text: blocks separated by blank lines, and the messages they stand for. ----

type Block =
  | { kind: 'event'; name: string | undefined; data: string[]; id: string | undefined }
  | { kind: 'comment'; text: string }
  | { kind: 'retry'; ms: number }
  /** A line outside the SSE grammar, like Ollama's raw `{"error":…}`. */
  | { kind: 'stray'; line: string };

// Multi-byte characters (2, 3 and 4 UTF-8 bytes) and the characters SSE gives meaning to.
const alphabet = fc.constantFrom(
  'a',
  'Z',
  '0',
  ' ',
  ':',
  '{',
  '}',
  '"',
  '\t',
  'é',
  '—',
  '中',
  '🙂',
  '\u00a0',
);
const value = fc.oneof(
  fc.string({ unit: alphabet, maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((text) => text.replace(/[\r\n]/g, '')),
);
const block: fc.Arbitrary<Block> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('event' as const),
      name: fc.option(fc.stringMatching(/^[a-z_.]{1,16}$/), { nil: undefined }),
      data: fc.array(value, { minLength: 1, maxLength: 4 }),
      id: fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), { nil: undefined }),
    }),
    weight: 6,
  },
  { arbitrary: fc.record({ kind: fc.constant('comment' as const), text: value }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('retry' as const), ms: fc.nat(60_000) }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('stray' as const),
      line: value.map((message) => JSON.stringify({ error: { message, type: 'api_error' } })),
    }),
    weight: 1,
  },
);
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');

function render(blocks: readonly Block[], eol: string): string {
  const lines: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'event') {
      if (b.name !== undefined) lines.push(`event: ${b.name}`);
      for (const data of b.data) lines.push(`data: ${data}`);
      if (b.id !== undefined) lines.push(`id: ${b.id}`);
    } else if (b.kind === 'comment') {
      lines.push(`: ${b.text}`);
    } else if (b.kind === 'retry') {
      lines.push(`retry: ${b.ms}`);
    } else {
      lines.push(b.line);
    }
    lines.push('');
  }
  return lines.map((line) => line + eol).join('');
}

function expected(blocks: readonly Block[]): SseMessage[] {
  return blocks.flatMap((b): SseMessage[] => {
    if (b.kind === 'event') return [{ event: b.name, data: b.data.join('\n') }];
    if (b.kind === 'stray') return [{ event: undefined, data: b.line, stray: true }];
    return [];
  });
}

/** Valid SSE text, its messages, and arbitrary byte offsets to cut it at. */
const sseText = fc
  .record({
    blocks: fc.array(block, { maxLength: 12 }),
    eol: lineEnd,
    // The last event may end without its blank line, or without any line end at all.
    ending: fc.constantFrom('whole', 'no blank line', 'no line end'),
  })
  .map(({ blocks, eol, ending }) => {
    let text = render(blocks, eol);
    if (ending !== 'whole' && blocks.length > 0) text = text.slice(0, -eol.length);
    if (ending === 'no line end' && blocks.length > 0) text = text.slice(0, -eol.length);
    return { text, messages: expected(blocks) };
  });

describe('readSse', () => {
  describe('properties', () => {
    it('yields the events the text stands for, however its bytes are split (inside UTF-8 characters and CRLF too)', async () => {
      await fc.assert(
        fc.asyncProperty(
          sseText,
          fc.array(fc.nat(), { maxLength: 24 }),
          async ({ text, messages }, offsets) => {
            const bytes = encoder.encode(text);
            const whole = await outcome(chunkStream([bytes]));
            const split = await outcome(chunkStream(splitAt(bytes, offsets)));
            expect(whole).toEqual({ messages, error: undefined });
            expect(split).toEqual(whole);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('yields the same events when every byte arrives on its own', async () => {
      await fc.assert(
        fc.asyncProperty(sseText, async ({ text, messages }) => {
          expect(await messagesOf(text, 1)).toEqual(messages);
        }),
        { numRuns: 100 },
      );
    });

    // Bytes that SSE and UTF-8 decoding give meaning to, so random input reaches the interesting paths.
    const interestingByte = fc.constantFrom(
      0x0a,
      0x0d,
      0x20,
      0x3a,
      0x64,
      0x61,
      0x74,
      0x65,
      0x76,
      0x6e,
      0x7b,
      0x7d,
      0xef,
      0xbb,
      0xbf,
      0xf0,
      0x9f,
      0x80,
      0xc3,
      0xff,
      0x00,
    );
    const randomChunk = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.array(interestingByte, { maxLength: 64 }).map((bytes) => Uint8Array.from(bytes)),
    );

    it('never crashes on random bytes: it yields messages, or throws a SteadfastError, and always ends', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(randomChunk, { maxLength: 16 }),
          fc.option(fc.integer({ min: 1, max: 96 }), { nil: undefined }),
          async (chunks, maxBufferSize) => {
            const { messages, error } = await outcome(chunkStream(chunks), { maxBufferSize });
            for (const message of messages) {
              expect(typeof message.data).toBe('string');
              expect(message.event === undefined || typeof message.event === 'string').toBe(true);
            }
            if (error !== undefined) {
              expect(SteadfastError.isInstance(error)).toBe(true);
              expect(error).toMatchObject({ kind: 'bad_gateway', code: 'sse_buffer_exceeded' });
            }
          },
        ),
        { numRuns: 500 },
      );
    });

    it('ends a line beyond maxBufferSize with a bad_gateway error, after the events before it, however it is split', async () => {
      const maxBufferSize = 4096;
      const small = fc.array(block, { maxLength: 6 });
      await fc.assert(
        fc.asyncProperty(
          small,
          small,
          fc.array(fc.nat(), { maxLength: 24 }),
          async (before, after, offsets) => {
            const text = `${render(before, '\n')}data: ${'x'.repeat(3 * maxBufferSize)}\n\n${render(after, '\n')}`;
            const result = await outcome(chunkStream(splitAt(encoder.encode(text), offsets)), {
              maxBufferSize,
              provider: 'openai',
              model: 'gpt-4o',
            });
            expect(result).toEqual({
              messages: expected(before),
              error: new SteadfastError(
                'bad_gateway',
                'A stream event from openai exceeded 4096 characters',
                {
                  provider: 'openai',
                  model: 'gpt-4o',
                  code: 'sse_buffer_exceeded',
                },
              ),
            });
          },
        ),
        { numRuns: 100 },
      );
    });
  });

  describe('examples', () => {
    it('reads CRLF line ends', async () => {
      expect(await messagesOf('event: ping\r\ndata: {"type": "ping"}\r\n\r\ndata: [DONE]\r\n\r\n')).toEqual([
        { event: 'ping', data: '{"type": "ping"}' },
        { event: undefined, data: '[DONE]' },
      ]);
    });

    it('reads CR line ends', async () => {
      expect(await messagesOf('event: ping\rdata: a\r\rdata: b\r\r')).toEqual([
        { event: 'ping', data: 'a' },
        { event: undefined, data: 'b' },
      ]);
    });

    it('treats a CRLF split between two chunks as one line end, not a blank line', async () => {
      const chunks = [encoder.encode('data: a\r'), encoder.encode('\ndata: b\r\n\r\n')];
      expect((await outcome(chunkStream(chunks))).messages).toEqual([{ event: undefined, data: 'a\nb' }]);
    });

    it('decodes a UTF-8 character split between two chunks', async () => {
      const bytes = encoder.encode('data: 🙂 ok\n\n');
      const chunks = [bytes.subarray(0, 8), bytes.subarray(8)];
      expect((await outcome(chunkStream(chunks))).messages).toEqual([{ event: undefined, data: '🙂 ok' }]);
    });

    it('joins multi-line data with line feeds, an empty data line included', async () => {
      expect(await messagesOf('data: {"a":\ndata: 1}\ndata:\n\n')).toEqual([
        { event: undefined, data: '{"a":\n1}\n' },
      ]);
    });

    it('strips one space after the colon, and only one', async () => {
      expect(await messagesOf('data:x\n\ndata:  y\n\n')).toEqual([
        { event: undefined, data: 'x' },
        { event: undefined, data: ' y' },
      ]);
    });

    it('skips comments: OpenRouter processing notices and DeepSeek keep-alives', async () => {
      expect(await messagesOf(': OPENROUTER PROCESSING\n\n: keep-alive\n\ndata: {"id":"gen-1"}\n\n')).toEqual(
        [{ event: undefined, data: '{"id":"gen-1"}' }],
      );
    });

    it('carries the event name, which an empty event field resets', async () => {
      expect(await messagesOf('event: message_start\ndata: {}\n\nevent:\ndata: {}\n\n')).toEqual([
        { event: 'message_start', data: '{}' },
        { event: undefined, data: '{}' },
      ]);
    });

    it('yields nothing for an event without data, and ignores id and retry fields', async () => {
      expect(await messagesOf('event: ping\n\nid: 7\nretry: 3000\ndata: z\n\n')).toEqual([
        { event: undefined, data: 'z' },
      ]);
    });

    it('still yields a final event without a trailing blank line, or without any line end', async () => {
      expect(await messagesOf('data: a\n\ndata: b\n')).toEqual([
        { event: undefined, data: 'a' },
        { event: undefined, data: 'b' },
      ]);
      expect(await messagesOf('data: a\n\ndata: b')).toEqual([
        { event: undefined, data: 'a' },
        { event: undefined, data: 'b' },
      ]);
    });

    it('yields a line outside the SSE grammar as a stray message, and ignores blank-looking ones', async () => {
      expect(await messagesOf('data: a\n\n{"error":{"message":"boom"}}\n   \n')).toEqual([
        { event: undefined, data: 'a' },
        { event: undefined, data: '{"error":{"message":"boom"}}', stray: true },
      ]);
    });

    it('drops a leading byte order mark', async () => {
      expect(await messagesOf('\uFEFFdata: x\n\n')).toEqual([{ event: undefined, data: 'x' }]);
    });

    it('reports every chunk through onBytes, before parsing it', async () => {
      let calls = 0;
      const chunks = ['data: a', '\n\nda', 'ta: b\n\n'].map((text) => encoder.encode(text));
      const messages: SseMessage[] = [];
      for await (const message of readSse(chunkStream(chunks), { onBytes: () => calls++ }))
        messages.push(message);
      expect({ calls, messages }).toEqual({
        calls: 3,
        messages: [
          { event: undefined, data: 'a' },
          { event: undefined, data: 'b' },
        ],
      });
    });

    it('stops reading a body whose line passes maxBufferSize, and cancels it', async () => {
      let pulls = 0;
      let cancels = 0;
      // An endless line: reading on would never finish.
      const endless = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            pulls++;
            controller.enqueue(encoder.encode(pulls === 1 ? 'data: ' : 'x'.repeat(1024)));
          },
          cancel() {
            cancels++;
          },
        },
        { highWaterMark: 0 },
      );
      const result = await outcome(endless, { maxBufferSize: 4096, provider: 'anthropic' });
      expect(result).toEqual({
        messages: [],
        error: new SteadfastError('bad_gateway', 'A stream event from anthropic exceeded 4096 characters', {
          provider: 'anthropic',
          code: 'sse_buffer_exceeded',
        }),
      });
      // 6 + 4 × 1024 characters pass 4096 on the fifth read.
      expect({ pulls, cancels }).toEqual({ pulls: 5, cancels: 1 });
    });

    it('cancels the body when the consumer stops early', async () => {
      let cancels = 0;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode('data: a\n\ndata: b\n\n'));
        },
        cancel() {
          cancels++;
        },
      });
      for await (const message of readSse(body)) {
        expect(message).toEqual({ event: undefined, data: 'a' });
        break;
      }
      expect(cancels).toBe(1);
    });
  });
});
