/**
 * Adapter cost: `npm run bench:adapters`.
 *
 * What one call costs in the adapters alone (translation and parsing, no network), for OpenAI, Anthropic
 * and Gemini, in µs per call:
 *   1. non-streaming: the neutral request → wire body → JSON.stringify, then JSON.parse of a recorded
 *      response body with a ~1 KB answer (the `*-text.json` fixtures) → neutral response;
 *   2. streaming: a recorded-shape SSE body of 500 chunks, delivered as a ReadableStream in 4 KB pieces
 *      like a socket would, through `readSse` and the format's stream decoder to the last event.
 * Each case runs in a fresh process, warms up for one round, then runs in rounds; it reports the mean,
 * p50 and p99 over every call of every round, and the spread of the round means as a check that the
 * figures are stable.
 * Options: --rounds, --calls (non-streaming calls per round), --streams (streams per round).
 * Results and how to read them: bench/RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ChatRequest } from '../packages/core/src/neutral/request.ts';
import type { StreamEvent } from '../packages/core/src/neutral/stream-event.ts';
import { fromAnthropicBody } from '../packages/core/src/providers/anthropic/parse-response.ts';
import { anthropicStreamDecoder } from '../packages/core/src/providers/anthropic/stream-decoder.ts';
import { toAnthropicBody } from '../packages/core/src/providers/anthropic/translate-request.ts';
import { fromGeminiBody } from '../packages/core/src/providers/gemini/parse-response.ts';
import { geminiStreamDecoder } from '../packages/core/src/providers/gemini/stream-decoder.ts';
import { toGeminiBody } from '../packages/core/src/providers/gemini/translate-request.ts';
import type { ExchangeFacts } from '../packages/core/src/providers/http-adapter.ts';
import { fromOpenAiBody } from '../packages/core/src/providers/openai/parse-response.ts';
import { type OpenAiQuirks, openAiFlavours } from '../packages/core/src/providers/openai/quirks.ts';
import { openAiStreamDecoder } from '../packages/core/src/providers/openai/stream-decoder.ts';
import { toOpenAiBody } from '../packages/core/src/providers/openai/translate-request.ts';
import { readSse } from '../packages/core/src/providers/sse.ts';
import type { StreamDecoder } from '../packages/core/src/providers/stream-call.ts';
import { byteStream } from '../packages/core/src/providers/test-support/recorded.ts';
import { type Stats, stats } from './support/stats.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    calls: { type: 'string', default: '20000' },
    streams: { type: 'string', default: '200' },
    /** Internal: run one case (`OpenAI:call`, `Gemini:stream`, …) and print its stats as JSON. */
    case: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const callsPerRound = Number(values.calls);
const streamsPerRound = Number(values.streams);
const streamChunks = 500;
const networkChunkBytes = 4096;

type Json = Record<string, unknown>;

function fixture(path: string): string {
  return readFileSync(new URL(`../packages/core/src/providers/${path}`, import.meta.url), 'utf8');
}

function parseObject(text: string): Json {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError('not an object');
  return value as Json;
}

const openAi = openAiFlavours.openai as OpenAiQuirks;
const facts = (provider: string, model: string): ExchangeFacts => ({
  provider,
  model,
  requestId: 'req_bench',
  rateLimit: undefined,
  timings: { startedAt: 0, headersMs: 0, totalMs: 0 },
});

/** A typical request: system prompt, a short conversation with a tool round trip, one tool. */
const request: ChatRequest = {
  model: 'bench',
  system: 'You are a concise assistant for an operations team. Answer in plain English.',
  messages: [
    { role: 'user', content: 'What is a circuit breaker, and why does it matter for LLM APIs?' },
    {
      role: 'assistant',
      content: [
        { type: 'tool-call', id: 'call_1', name: 'search_docs', arguments: '{"query":"circuit breaker"}' },
      ],
    },
    {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: 'call_1',
          toolName: 'search_docs',
          content: '{"hits":["breaker.md","retry.md"]}',
        },
      ],
    },
    { role: 'user', content: 'Keep it under 200 words.' },
  ],
  tools: [
    {
      name: 'search_docs',
      description: 'Search the runbooks',
      parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
    },
  ],
  maxOutputTokens: 1024,
  temperature: 0.2,
};

// ---- Recorded bodies: the non-streaming fixtures, and 500-chunk streams in the recorded chunk shapes. ----

// The stream deltas are the words of the recorded ~1 KB answer, over and over.
const recordedChoices = parseObject(fixture('openai/fixtures/chat-text.json')).choices as Array<{
  message: { content: string };
}>;
const tokens = (recordedChoices[0]?.message.content ?? '').split(/(?= )/);
const token = (i: number): string => tokens[i % tokens.length] ?? ' x';

function openAiStream(): string {
  const chunk = (delta: Json, finish: string | null): string =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-B0bQ3xT7mYkP1vN5sR8wL2cZ9dFhJ',
      object: 'chat.completion.chunk',
      created: 1739366700,
      model: 'gpt-4o-2024-08-06',
      service_tier: 'default',
      system_fingerprint: 'fp_50cad350e4',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      usage: null,
      obfuscation: 'yhjoJb',
    })}\n\n`;
  const frames = [chunk({ role: 'assistant', content: '', refusal: null }, null)];
  for (let i = 0; i < streamChunks - 3; i++) frames.push(chunk({ content: token(i) }, null));
  frames.push(chunk({}, 'stop'));
  frames.push(
    `data: ${JSON.stringify({
      id: 'chatcmpl-B0bQ3xT7mYkP1vN5sR8wL2cZ9dFhJ',
      object: 'chat.completion.chunk',
      created: 1739366700,
      model: 'gpt-4o-2024-08-06',
      choices: [],
      usage: { prompt_tokens: 24, completion_tokens: 497, total_tokens: 521 },
    })}\n\n`,
  );
  return `${frames.join('')}data: [DONE]\n\n`;
}

function anthropicStream(): string {
  const event = (name: string, data: Json): string =>
    `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
  const frames = [
    event('message_start', {
      message: {
        model: 'claude-sonnet-4-5-20250929',
        id: 'msg_01QC4g3HwBThD4BaNtBckFDJ',
        type: 'message',
        role: 'assistant',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: 12,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 1,
        },
      },
    }),
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  ];
  for (let i = 0; i < streamChunks - 5; i++) {
    frames.push(event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: token(i) } }));
  }
  frames.push(event('content_block_stop', { index: 0 }));
  frames.push(
    event('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 495 },
    }),
  );
  frames.push(event('message_stop', {}));
  return frames.join('');
}

function geminiStream(): string {
  const frames: string[] = [];
  for (let i = 0; i < streamChunks; i++) {
    const candidate: Json = { content: { parts: [{ text: token(i) }], role: 'model' }, index: 0 };
    if (i === streamChunks - 1) candidate.finishReason = 'STOP';
    frames.push(
      `data: ${JSON.stringify({
        candidates: [candidate],
        usageMetadata: {
          promptTokenCount: 9,
          candidatesTokenCount: i + 1,
          totalTokenCount: i + 10,
          promptTokensDetails: [{ modality: 'TEXT', tokenCount: 9 }],
        },
        modelVersion: 'gemini-2.5-flash',
        responseId: 'bH6LaZW8Fp_3nsEPqtaSwQ4',
      })}\r\n\r\n`,
    );
  }
  return frames.join('');
}

// ---- The cases. ----

interface Case {
  adapter: string;
  /** One non-streaming call's adapter work; returns something derived from the result. */
  call(): number;
  /** The recorded stream and a fresh decoder for it. */
  streamBytes: Uint8Array;
  decoder(): StreamDecoder;
}

const openAiBody = fixture('openai/fixtures/chat-text.json');
const anthropicBody = fixture('anthropic/fixtures/message-text.json');
const geminiBody = fixture('gemini/fixtures/generate-text.json');
const encoder = new TextEncoder();
const cases: Case[] = [
  {
    adapter: 'OpenAI',
    call() {
      const wire = JSON.stringify(toOpenAiBody(request, 'gpt-4o', false, openAi));
      const response = fromOpenAiBody(parseObject(openAiBody), openAi, facts('openai', 'gpt-4o'));
      return wire.length + response.text.length;
    },
    streamBytes: encoder.encode(openAiStream()),
    decoder: () =>
      openAiStreamDecoder(
        openAi,
        { provider: 'openai', model: 'gpt-4o' },
        { requestId: undefined, rateLimit: undefined },
      ),
  },
  {
    adapter: 'Anthropic',
    call() {
      const wire = JSON.stringify(toAnthropicBody(request, 'claude-sonnet-4-5', false, 4096));
      const response = fromAnthropicBody(parseObject(anthropicBody), facts('anthropic', 'claude-sonnet-4-5'));
      return wire.length + response.text.length;
    },
    streamBytes: encoder.encode(anthropicStream()),
    decoder: () =>
      anthropicStreamDecoder(
        { provider: 'anthropic', model: 'claude-sonnet-4-5' },
        { requestId: undefined, rateLimit: undefined },
      ),
  },
  {
    adapter: 'Gemini',
    call() {
      const wire = JSON.stringify(toGeminiBody(request));
      const response = fromGeminiBody(parseObject(geminiBody), facts('gemini', 'gemini-2.5-flash'));
      return wire.length + response.text.length;
    },
    streamBytes: encoder.encode(geminiStream()),
    decoder: () =>
      geminiStreamDecoder(
        { provider: 'gemini', model: 'gemini-2.5-flash' },
        { requestId: undefined, rateLimit: undefined },
      ),
  },
];
/** Decodes one whole stream; returns its events' count, and checks that it ended with a finish. */
async function decodeStream(c: Case): Promise<number> {
  const decoder = c.decoder();
  let count = 0;
  let last: StreamEvent | undefined;
  for await (const message of readSse(byteStream(c.streamBytes, networkChunkBytes))) {
    for (const event of decoder.decode(message)) {
      count++;
      last = event;
    }
    if (last?.type === 'finish' || last?.type === 'error') break;
  }
  if (last?.type !== 'finish') {
    for (const event of decoder.end()) {
      count++;
      last = event;
    }
  }
  if (last?.type !== 'finish') throw new Error(`${c.adapter} stream did not finish: ${JSON.stringify(last)}`);
  return count;
}

// ---- Measuring. ----

let checksum = 0;

function measureCalls(c: Case): Stats {
  for (let i = 0; i < callsPerRound; i++) checksum += c.call();
  const samples = new Float64Array(rounds * callsPerRound);
  const roundMeans: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const roundStart = performance.now();
    for (let i = 0; i < callsPerRound; i++) {
      const start = performance.now();
      checksum += c.call();
      samples[round * callsPerRound + i] = performance.now() - start;
    }
    roundMeans.push((performance.now() - roundStart) / callsPerRound);
  }
  return stats(samples, roundMeans);
}

async function measureStreams(c: Case): Promise<Stats> {
  for (let i = 0; i < streamsPerRound; i++) checksum += await decodeStream(c);
  const samples = new Float64Array(rounds * streamsPerRound);
  const roundMeans: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const roundStart = performance.now();
    for (let i = 0; i < streamsPerRound; i++) {
      const start = performance.now();
      checksum += await decodeStream(c);
      samples[round * streamsPerRound + i] = performance.now() - start;
    }
    roundMeans.push((performance.now() - roundStart) / streamsPerRound);
  }
  return stats(samples, roundMeans);
}

const us = (value: number): string => value.toFixed(value < 100 ? 1 : 0);

/** Runs one measurement in this process and prints its stats as JSON (the child side of `--case`). */
async function runCase(id: string): Promise<void> {
  const [adapter, kind] = id.split(':');
  const c = cases.find((candidate) => candidate.adapter === adapter);
  if (c === undefined || (kind !== 'call' && kind !== 'stream')) throw new Error(`unknown case ${id}`);
  const s = kind === 'call' ? measureCalls(c) : await measureStreams(c);
  console.log(JSON.stringify({ ...s, checksum, streamKiB: c.streamBytes.length / 1024 }));
}

if (values.case !== undefined) {
  await runCase(values.case);
} else {
  // Each case runs in a fresh process, so that one adapter's JIT and heap state do not colour the next.
  console.log(
    `Node ${process.version}; each case in its own process; ${rounds} rounds after a warm-up of the same size.\n`,
  );
  console.log('| case | calls measured | mean µs | p50 µs | p99 µs | round means µs | notes |');
  console.log('|---|---:|---:|---:|---:|---:|---|');
  for (const kind of ['call', 'stream'] as const) {
    for (const c of cases) {
      const output = execFileSync(process.execPath, [
        fileURLToPath(import.meta.url),
        '--case',
        `${c.adapter}:${kind}`,
        '--rounds',
        String(rounds),
        '--calls',
        String(callsPerRound),
        '--streams',
        String(streamsPerRound),
      ]);
      const s = JSON.parse(output.toString()) as Stats & { streamKiB: number };
      const name =
        kind === 'call'
          ? `${c.adapter}, non-streaming (~1 KB answer)`
          : `${c.adapter}, stream of ${streamChunks} chunks`;
      const notes =
        kind === 'call'
          ? 'translate + stringify + parse + read'
          : `${(s.meanUs / streamChunks).toFixed(2)} µs per chunk; ${s.streamKiB.toFixed(0)} KiB body in 4 KiB reads`;
      const range = `${us(s.roundMeansUs[0])}–${us(s.roundMeansUs[1])}`;
      console.log(
        `| ${name} | ${s.iterations.toLocaleString('en')} | ${us(s.meanUs)} | ${us(s.p50Us)} | ${us(s.p99Us)} | ${range} | ${notes} |`,
      );
    }
  }
}
