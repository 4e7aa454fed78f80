/**
 * Simulator throughput: `npm run bench:simulator`.
 *
 * Starts the simulator in a child process (bench/simulator-server.ts) and loads it from this process over
 * 50 keep-alive connections (an undici Pool) on 127.0.0.1, 50 requests in flight at all times:
 *   1. non-streaming OpenAI chat completions: answers per second;
 *   2. streaming chat completions of 64 tokens: SSE `data:` frames per second across all streams.
 * Each test warms up, then counts what completes inside a fixed window, and reports how busy each process
 * was in that window (on a 2-core machine, a process near 100% is the limit).
 * Options: --warmup-ms, --duration-ms, --concurrency, and --only <text> to run only the tests whose name
 * contains it (for profiling one). Results and how to read them: bench/RESULTS.md.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const { values } = parseArgs({
  options: {
    'warmup-ms': { type: 'string', default: '2000' },
    'duration-ms': { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '50' },
    only: { type: 'string' },
  },
});
const warmupMs = Number(values['warmup-ms']);
const durationMs = Number(values['duration-ms']);
const concurrency = Number(values.concurrency);

/** The non-streaming target of the project, on a 2-core machine. */
const targetAnswersPerSecond = 5000;

interface LoadTest {
  name: string;
  body: string;
}

const tests: readonly LoadTest[] = [
  {
    name: 'chat, non-streaming',
    body: JSON.stringify({ model: 'bench-plain', messages: [{ role: 'user', content: 'Hello' }] }),
  },
  {
    name: 'chat, streaming 64 tokens',
    body: JSON.stringify({
      model: 'bench-stream',
      stream: true,
      messages: [{ role: 'user', content: 'Hello' }],
    }),
  },
];

/** CPU time both processes have used so far, in ms. */
interface CpuSample {
  atMs: number;
  clientMs: number;
  serverMs: number;
}

interface Measured {
  name: string;
  /** Requests answered with 200 inside the window. */
  answers: number;
  /** SSE `data:` frames received inside the window (0 for non-streaming answers). */
  frames: number;
  /** Non-200 answers and failed requests inside the window. */
  errors: number;
  /** Latency of each answer inside the window, request sent to body read, in ms. */
  latenciesMs: number[];
  /** Share of one core each process used over the window (1 = a whole core). */
  clientCpu: number;
  serverCpu: number;
}

/** SSE frames in a stream body: `data:` at the start of the body or of a line. */
function countFrames(text: string): number {
  let count = text.startsWith('data:') ? 1 : 0;
  for (let at = text.indexOf('\ndata:'); at >= 0; at = text.indexOf('\ndata:', at + 6)) count++;
  return count;
}

/** Keeps `concurrency` requests in flight until the window closes; counts what completes inside it. */
async function load(pool: Pool, test: LoadTest, sampleCpu: () => Promise<CpuSample>): Promise<Measured> {
  const measured: Measured = {
    name: test.name,
    answers: 0,
    frames: 0,
    errors: 0,
    latenciesMs: [],
    clientCpu: Number.NaN,
    serverCpu: Number.NaN,
  };
  const windowStart = performance.now() + warmupMs;
  const windowEnd = windowStart + durationMs;
  const options = {
    path: '/v1/chat/completions',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: test.body,
  } as const;

  async function client(): Promise<void> {
    while (performance.now() < windowEnd) {
      const sentAt = performance.now();
      let ok = false;
      let frames = 0;
      try {
        const response = await pool.request(options);
        const text = await response.body.text();
        ok = response.statusCode === 200;
        frames = countFrames(text);
      } catch {
        ok = false;
      }
      const doneAt = performance.now();
      if (doneAt < windowStart || doneAt > windowEnd) continue;
      if (!ok) {
        measured.errors++;
        continue;
      }
      measured.answers++;
      measured.frames += frames;
      measured.latenciesMs.push(doneAt - sentAt);
    }
  }

  const atWindowStart = new Promise<CpuSample>((resolve) => {
    setTimeout(() => resolve(sampleCpu()), warmupMs);
  });
  await Promise.all(Array.from({ length: concurrency }, client));
  const first = await atWindowStart;
  const last = await sampleCpu();
  const wallMs = last.atMs - first.atMs;
  measured.clientCpu = (last.clientMs - first.clientMs) / wallMs;
  measured.serverCpu = (last.serverMs - first.serverMs) / wallMs;
  return measured;
}

function percentile(sortedMs: readonly number[], fraction: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil(fraction * sortedMs.length) - 1)] as number;
}

/** A Markdown table row: the first column (names) left-aligned, figures right-aligned. */
function formatRow(cells: readonly string[], widths: readonly number[]): string {
  const padded = cells.map((cell, i) =>
    i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0),
  );
  return `| ${padded.join(' | ')} |`;
}

function report(results: readonly Measured[]): string {
  const seconds = durationMs / 1000;
  const header = [
    'test',
    'answers',
    'answers/s',
    'frames/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'simulator CPU',
    'client CPU',
  ];
  const rows = results.map((result) => {
    const sorted = result.latenciesMs.toSorted((a, b) => a - b);
    return [
      result.name,
      String(result.answers),
      (result.answers / seconds).toFixed(0),
      result.frames === 0 ? '-' : (result.frames / seconds).toFixed(0),
      percentile(sorted, 0.5).toFixed(2),
      percentile(sorted, 0.99).toFixed(2),
      String(result.errors),
      `${(result.serverCpu * 100).toFixed(0)}%`,
      `${(result.clientCpu * 100).toFixed(0)}%`,
    ];
  });
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]?.length ?? 0)));
  return [
    formatRow(header, widths),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map((row) => formatRow(row, widths)),
  ].join('\n');
}

interface SimulatorProcess {
  url: string;
  /** CPU time the simulator process has used so far, in ms. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the simulator process and resolves once it listens. */
async function startServer(): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./simulator-server.ts', import.meta.url))], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, 'exit');
  /** The next line of the child's output that matches `pattern`. */
  const nextLine = (pattern: RegExp): Promise<string> =>
    new Promise((resolve, reject) => {
      const onLine = (line: string): void => {
        const match = pattern.exec(line);
        if (match?.[1] === undefined) return;
        lines.off('line', onLine);
        resolve(match[1]);
      };
      lines.on('line', onLine);
      exited.then(([code]) => reject(new Error(`the simulator process exited (${String(code)})`)));
    });

  const url = await nextLine(/^listening (\S+)$/);
  return {
    url,
    async cpuMs() {
      const reply = nextLine(/^cpu-us (\d+)$/);
      child.kill('SIGUSR2');
      return Number(await reply) / 1000;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const server = await startServer();
const pool = new Pool(server.url, { connections: concurrency, pipelining: 1 });
async function sampleCpu(): Promise<CpuSample> {
  const serverMs = await server.cpuMs();
  const { user, system } = process.cpuUsage();
  return { atMs: performance.now(), clientMs: (user + system) / 1000, serverMs };
}

try {
  console.log(
    `node ${process.version}; simulator at ${server.url}; ${concurrency} connections, ${warmupMs} ms warm-up, ${durationMs} ms measured per test\n`,
  );
  const results: Measured[] = [];
  for (const test of tests) {
    if (values.only === undefined || test.name.includes(values.only)) {
      results.push(await load(pool, test, sampleCpu));
    }
  }
  console.log(report(results));
  const plain = results.find((result) => result.name === tests[0]?.name);
  if (plain !== undefined) {
    const perSecond = plain.answers / (durationMs / 1000);
    const verdict = perSecond >= targetAnswersPerSecond ? 'met' : 'MISSED';
    console.log(`\ntarget ≥ ${targetAnswersPerSecond} non-streaming answers/s: ${verdict}`);
  }
} finally {
  await pool.close();
  await server.stop();
}
