/**
 * Telemetry overhead: `npm run bench:telemetry`.
 *
 * What each telemetry consumer adds to one successful `client.chat()`, in µs per request, over a stub
 * provider adapter that answers at once (as in `engine-overhead.ts`: no network, no parsing):
 *   1. none: no listener, the floor (the engine builds no events when nobody listens);
 *   2. listener: one empty `client.on()` listener, what building and emitting the events costs;
 *   3. metrics: `createMetrics(client)`;
 *   4. metrics + alerts: and `createAlerts` with the built-in rules, its log sink to a no-op logger;
 *   5. OpenTelemetry: `instrumentOpenTelemetry` with a real SDK `TracerProvider`, a `BatchSpanProcessor`
 *      (the production choice) and an exporter that drops each batch;
 *   6. request log: `logRequests` into a no-op logger (the line is built and redacted, not written);
 *   7. all: metrics, alerts, spans and the request log together.
 * And one scrape: `prometheusText()` (the gateway's `GET /metrics`) over the metrics of a client that
 * served a realistic mix (8 routes over 6 models on 3 providers, failures, retries, fallbacks, streams),
 * and `collect()` alone, per scrape.
 * Each case runs in a fresh process, warms up for one round, then runs in rounds, every call timed
 * alone; it reports the mean and p99 of every call, and the spread of the round means.
 * Options: --rounds, --calls (per round), --scrapes (per round), --case <name> (run one case here and
 * print its stats as JSON; with `node --cpu-prof` to profile it). Results: bench/RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BatchSpanProcessor, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  type ChatRequest,
  type ChatResponse,
  createAlerts,
  createClient,
  createMetrics,
  instrumentOpenTelemetry,
  type Logger,
  logRequests,
  logSink,
  type Metrics,
  type ProviderAdapter,
  type Route,
  type SteadfastClient,
  SteadfastError,
  type StreamEvent,
} from '../packages/core/src/index.ts';
import { prometheusText } from '../packages/gateway/src/metrics/prometheus.ts';
import { measureAsync, type Stats, stats } from './support/stats.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    calls: { type: 'string', default: '20000' },
    scrapes: { type: 'string', default: '50' },
    case: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const callsPerRound = Number(values.calls);
const scrapesPerRound = Number(values.scrapes);

// ---- The request path: one route, one instant candidate, and what listens to the client. ----

const model = 'gpt-4o-mini';
const request: ChatRequest = {
  model: 'chat',
  messages: [{ role: 'user', content: 'What is a circuit breaker, and why does it matter for LLM APIs?' }],
};

function answer(provider: string, answeringModel: string): ChatResponse {
  const text = 'A circuit breaker stops calls to a provider that keeps failing.';
  return {
    id: 'chatcmpl-bench',
    provider,
    model: answeringModel,
    requestId: 'req_bench',
    content: [{ type: 'text', text }],
    text,
    toolCalls: [],
    finishReason: 'stop',
    rawFinishReason: 'stop',
    usage: { inputTokens: 24, outputTokens: 14, cachedInputTokens: 0, totalTokens: 38 },
    rateLimit: undefined,
    timings: { startedAt: 0, headersMs: 0, totalMs: 0 },
  };
}

const response = answer('stub', model);

/** A provider that answers at once with the same prebuilt response. */
const stub: ProviderAdapter = {
  name: 'stub',
  type: 'openai',
  chat: () => Promise.resolve(response),
  stream: () => {
    throw new Error('the request-path cases do not stream');
  },
};

const noopLogger: Logger = { info() {}, warn() {}, error() {} };

/** An exporter that takes each batch and drops it: the SDK's work without the network's. */
const droppingExporter: SpanExporter = {
  // ExportResultCode.SUCCESS
  export: (_spans, done) => done({ code: 0 }),
  shutdown: () => Promise.resolve(),
};

type Telemetry = 'listener' | 'metrics' | 'alerts' | 'otel' | 'logs';

function instrumented(client: SteadfastClient, parts: readonly Telemetry[]): void {
  if (parts.includes('listener')) client.on(() => undefined);
  let metrics: Metrics | undefined;
  if (parts.includes('metrics') || parts.includes('alerts')) metrics = createMetrics(client);
  if (parts.includes('alerts') && metrics !== undefined) {
    createAlerts({ source: client, metrics, sinks: [logSink(noopLogger)] });
  }
  if (parts.includes('otel')) {
    const provider = new TracerProvider({
      spanProcessors: [new BatchSpanProcessor({ exporter: droppingExporter })],
    });
    instrumentOpenTelemetry(client, { tracer: provider.getTracer('bench') });
  }
  if (parts.includes('logs')) logRequests(client, noopLogger);
}

/** One call of a case; resolves to something derived from the answer, so that nothing is optimised away. */
type Call = () => Promise<number>;

function requestCase(label: string, parts: readonly Telemetry[]): { label: string; build(): Call } {
  return {
    label,
    build() {
      const client = createClient({
        providers: [stub],
        routes: { chat: { candidates: [{ provider: 'stub', model }] } },
      });
      instrumented(client, parts);
      return async () => (await client.chat(request)).text.length;
    },
  };
}

const requestCases: Record<string, { label: string; build(): Call }> = {
  none: requestCase('no listener (the floor)', []),
  listener: requestCase('an empty `client.on()` listener', ['listener']),
  metrics: requestCase('`createMetrics`', ['metrics']),
  alerts: requestCase('`createMetrics` + `createAlerts` (built-in rules, log sink)', ['metrics', 'alerts']),
  otel: requestCase('`instrumentOpenTelemetry` (SDK, batch processor, dropping exporter)', ['otel']),
  logs: requestCase('`logRequests` (no-op logger)', ['logs']),
  all: requestCase('all four: metrics, alerts, spans, request log', ['metrics', 'alerts', 'otel', 'logs']),
};

const checksum = { value: 0 };

function measureCalls(call: Call): Promise<Stats> {
  return measureAsync(call, rounds, callsPerRound, checksum);
}

// ---- The scrape: metrics of a client that served a realistic mix of requests. ----

const fleet = [
  ['openai', 'gpt-4o'],
  ['openai', 'gpt-4o-mini'],
  ['anthropic', 'claude-sonnet-4-5'],
  ['anthropic', 'claude-haiku-4-5'],
  ['gemini', 'gemini-2.5-pro'],
  ['gemini', 'gemini-2.5-flash'],
] as const;
const failureKinds = ['rate_limited', 'server', 'overloaded', 'timeout'] as const;

/** A provider that answers at once, and fails one call in four, its kinds in turn. */
function flakyProvider(name: string): ProviderAdapter {
  let calls = 0;
  const failure = (): SteadfastError | undefined => {
    calls++;
    if (calls % 4 !== 0) return undefined;
    const kind = failureKinds[(calls / 4) % failureKinds.length] ?? 'server';
    return new SteadfastError(kind, `${name} failed (${kind})`, { provider: name });
  };
  return {
    name,
    type: name === 'gemini' ? 'gemini' : name === 'anthropic' ? 'anthropic' : 'openai',
    chat(chatRequest, options) {
      const error = failure();
      return error === undefined
        ? Promise.resolve(answer(name, options?.model ?? chatRequest.model))
        : Promise.reject(error);
    },
    async *stream(chatRequest, options): AsyncGenerator<StreamEvent> {
      const error = failure();
      if (error !== undefined) {
        yield { type: 'error', error };
        return;
      }
      const answering = options?.model ?? chatRequest.model;
      yield {
        type: 'start',
        id: 'bench',
        provider: name,
        model: answering,
        requestId: undefined,
        rateLimit: undefined,
      };
      yield { type: 'text-delta', text: 'A circuit breaker stops calls to a provider that keeps failing.' };
      yield {
        type: 'usage',
        usage: { inputTokens: 24, outputTokens: 14, cachedInputTokens: 0, totalTokens: 38 },
      };
      yield { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' };
    },
  };
}

/** Metrics after 4,000 requests (a quarter streamed) over 8 routes of 3 candidates each. */
async function servedMetrics(): Promise<Metrics> {
  const routes: Record<string, Route> = {};
  for (let i = 0; i < 8; i++) {
    routes[`route-${i}`] = {
      candidates: [0, 1, 3].map((offset) => {
        const [provider, name] = fleet[(i + offset) % fleet.length] ?? fleet[0];
        return { provider, model: name };
      }),
      retry: { maxRetries: 1, baseDelayMs: 0 },
      breaker: false,
    };
  }
  const client = createClient({
    providers: ['openai', 'anthropic', 'gemini'].map(flakyProvider),
    routes,
  });
  const metrics = createMetrics(client);
  const ask = async (i: number): Promise<void> => {
    const routed: ChatRequest = { ...request, model: `route-${i % 8}` };
    try {
      if (i % 4 === 3) {
        for await (const _event of client.stream(routed)) checksum.value++;
      } else {
        checksum.value += (await client.chat(routed)).text.length;
      }
    } catch {
      checksum.value++;
    }
  };
  for (let batch = 0; batch < 80; batch++) {
    await Promise.all(Array.from({ length: 50 }, (_, i) => ask(batch * 50 + i)));
  }
  return metrics;
}

interface ScrapeStats {
  series: number;
  sampleLines: number;
  bytes: number;
  text: Stats;
  collect: Stats;
}

async function measureScrapes(): Promise<ScrapeStats> {
  const metrics = await servedMetrics();
  const time = async (scrape: () => unknown): Promise<Stats> => {
    for (let i = 0; i < scrapesPerRound; i++) await scrape();
    const samplesMs = new Float64Array(rounds * scrapesPerRound);
    const roundMeansMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const roundStart = performance.now();
      for (let i = 0; i < scrapesPerRound; i++) {
        const start = performance.now();
        await scrape();
        samplesMs[round * scrapesPerRound + i] = performance.now() - start;
      }
      roundMeansMs.push((performance.now() - roundStart) / scrapesPerRound);
    }
    return stats(samplesMs, roundMeansMs);
  };
  const text = await prometheusText(metrics);
  return {
    series: metrics.collect().reduce((sum, family) => sum + family.series.length, 0),
    sampleLines: text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length,
    bytes: Buffer.byteLength(text),
    text: await time(async () => (checksum.value += (await prometheusText(metrics)).length)),
    collect: await time(() => (checksum.value += metrics.collect().length)),
  };
}

// ---- Running it. ----

const us = (value: number): string => value.toFixed(value < 10 ? 2 : 1);

function run(name: string): unknown {
  const output = execFileSync(process.execPath, [
    fileURLToPath(import.meta.url),
    '--case',
    name,
    '--rounds',
    String(rounds),
    '--calls',
    String(callsPerRound),
    '--scrapes',
    String(scrapesPerRound),
  ]);
  return JSON.parse(output.toString()) as unknown;
}

if (values.case === 'scrape') {
  console.log(JSON.stringify({ ...(await measureScrapes()), checksum: checksum.value }));
  process.exit(0);
} else if (values.case !== undefined) {
  const chosen = requestCases[values.case];
  if (chosen === undefined) {
    throw new Error(`unknown case ${values.case}; known: scrape, ${Object.keys(requestCases).join(', ')}`);
  }
  console.log(JSON.stringify({ ...(await measureCalls(chosen.build())), checksum: checksum.value }));
  // The alert evaluator's and the span processor's timers would keep the process alive.
  process.exit(0);
} else {
  console.log(
    `Node ${process.version}; each case in its own process; ${rounds} rounds of ${callsPerRound.toLocaleString('en')} sequential \`client.chat()\` calls after a warm-up round.\n`,
  );
  console.log(
    '| telemetry | calls measured | mean µs | p50 µs | p99 µs | round means µs | overhead (mean) µs |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  let floor: Stats | undefined;
  for (const [name, c] of Object.entries(requestCases)) {
    const s = run(name) as Stats;
    floor ??= s;
    console.log(
      `| ${c.label} | ${s.iterations.toLocaleString('en')} | ${us(s.meanUs)} | ${us(s.p50Us)} | ${us(s.p99Us)} | ${us(s.roundMeansUs[0])}–${us(s.roundMeansUs[1])} | ${name === 'none' ? '—' : us(s.meanUs - floor.meanUs)} |`,
    );
  }
  const scrape = run('scrape') as ScrapeStats;
  console.log(
    `\nScrape of a client after 4,000 requests: ${scrape.series} series, ${scrape.sampleLines} sample lines, ${scrape.bytes.toLocaleString('en')} bytes; ${rounds} rounds of ${scrapesPerRound} scrapes.\n`,
  );
  console.log('| per scrape | mean µs | p50 µs | p99 µs | round means µs |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [label, s] of [
    ['`prometheusText(metrics)`', scrape.text],
    ['`metrics.collect()` alone', scrape.collect],
  ] as const) {
    console.log(
      `| ${label} | ${us(s.meanUs)} | ${us(s.p50Us)} | ${us(s.p99Us)} | ${us(s.roundMeansUs[0])}–${us(s.roundMeansUs[1])} |`,
    );
  }
}
