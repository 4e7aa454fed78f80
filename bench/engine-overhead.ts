/**
 * Engine overhead: `npm run bench:engine`.
 *
 * What the resilience engine adds to one successful call when nothing fails and the transport is
 * instant, in µs per call, measured on a stub provider adapter whose `chat` resolves a prebuilt
 * `ChatResponse` at once (no network, no parsing):
 *   1. bare: `await adapter.chat(request, options)`, the floor;
 *   2. steadfast: `await client.chat(request)` through `createClient` with one route of one candidate
 *      and the default policies (deadline, retry, retry budget, circuit breaker, rate-limit awareness,
 *      in-memory store, catalog lookups for context window and cost), no event listener;
 *   3. cockatiel: `await policy.execute(() => adapter.chat(request, options))` with cockatiel's retry +
 *      circuit breaker + timeout wrapped together, the composition a careful team writes by hand.
 * Calls run one after another. Each case runs in a fresh process, warms up for one round, then runs in
 * rounds; it reports the mean (each round's wall time over its calls, so the timer's own cost is left
 * out), p50 and p99 (of every call, timed alone), and the spread of the round means.
 * Options: --rounds, --calls (per round), --case <name> (run one case here and print its stats as JSON;
 * with `node --cpu-prof` to profile it). Results and how to read them: bench/RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleAll,
  retry,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import {
  type CallOptions,
  type ChatRequest,
  type ChatResponse,
  createClient,
  type ProviderAdapter,
} from '../packages/core/src/index.ts';
import { CallGuard } from '../packages/core/src/policies/timeout.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    calls: { type: 'string', default: '50000' },
    case: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const callsPerRound = Number(values.calls);

const model = 'gpt-4o-mini';
const request: ChatRequest = {
  model: 'chat',
  messages: [{ role: 'user', content: 'What is a circuit breaker, and why does it matter for LLM APIs?' }],
};
const response: ChatResponse = {
  id: 'chatcmpl-bench',
  provider: 'stub',
  model,
  requestId: 'req_bench',
  content: [{ type: 'text', text: 'A circuit breaker stops calls to a provider that keeps failing.' }],
  text: 'A circuit breaker stops calls to a provider that keeps failing.',
  toolCalls: [],
  finishReason: 'stop',
  rawFinishReason: 'stop',
  usage: { inputTokens: 24, outputTokens: 14, cachedInputTokens: 0, totalTokens: 38 },
  rateLimit: undefined,
  timings: { startedAt: 0, headersMs: 0, totalMs: 0 },
};

/** A provider that answers at once with the same prebuilt response. */
const stub: ProviderAdapter = {
  name: 'stub',
  type: 'openai',
  chat: () => Promise.resolve(response),
  stream: () => {
    throw new Error('the overhead benchmark does not stream');
  },
};
const callOptions: CallOptions = { model, timeoutMs: 60_000 };

/**
 * The stub with the attempt timeout Steadfast's HTTP adapters arm on every call (a `CallGuard`: an
 * AbortController and a timer), for a like-for-like comparison with cockatiel's timeout policy.
 */
const guardedStub: ProviderAdapter = {
  ...stub,
  name: 'guarded-stub',
  chat(_request, options) {
    const guard = new CallGuard({ timeoutMs: options?.timeoutMs }, { signal: options?.signal });
    try {
      return Promise.resolve(response);
    } finally {
      guard.dispose();
    }
  },
};

/** One call of a case; resolves to something derived from the answer, so that nothing is optimised away. */
type Call = () => Promise<number>;

const cases: Record<string, { label: string; build(): Call }> = {
  bare: {
    label: 'bare adapter call (the floor)',
    build: () => async () => (await stub.chat(request, callOptions)).text.length,
  },
  steadfast: {
    label: 'Steadfast `client.chat()`, default policies',
    build() {
      const client = createClient({
        providers: [stub],
        routes: { chat: { candidates: [{ provider: 'stub', model }] } },
      });
      return async () => (await client.chat(request)).text.length;
    },
  },
  'steadfast-guarded': {
    label: 'Steadfast `client.chat()`, stub arming a `CallGuard`',
    build() {
      const client = createClient({
        providers: [guardedStub],
        routes: { chat: { candidates: [{ provider: 'guarded-stub', model }] } },
      });
      return async () => (await client.chat(request)).text.length;
    },
  },
  cockatiel: {
    label: 'cockatiel retry + breaker + timeout',
    build() {
      const policy = wrap(
        retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() }),
        circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) }),
        timeout(60_000, TimeoutStrategy.Cooperative),
      );
      return async () => (await policy.execute(() => stub.chat(request, callOptions))).text.length;
    },
  },
  // Steadfast leaves the attempt timeout to the adapter (its `CallGuard`), which the plain stub does
  // not arm, while cockatiel's timeout policy arms a timer and an AbortController per call. This row
  // and `steadfast-guarded` show what that part costs, so that the comparison can be read both ways.
  'cockatiel-no-timeout': {
    label: 'cockatiel retry + breaker, no timeout',
    build() {
      const policy = wrap(
        retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() }),
        circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) }),
      );
      return async () => (await policy.execute(() => stub.chat(request, callOptions))).text.length;
    },
  },
};

interface Stats {
  calls: number;
  /** Mean of the round means (wall time of a round over its calls), in µs. */
  meanUs: number;
  p50Us: number;
  p99Us: number;
  /** Lowest and highest round mean, in µs. */
  roundMeansUs: [number, number];
}

let checksum = 0;

async function measure(call: Call): Promise<Stats> {
  for (let i = 0; i < callsPerRound; i++) checksum += await call();
  // Each call timed alone, for the quantiles; every round timed whole, for the mean without the
  // cost of reading the timer twice per call (about 0.1 µs, comparable to the bare call).
  const samplesMs = new Float64Array(rounds * callsPerRound);
  const roundMeansMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const roundStart = performance.now();
    for (let i = 0; i < callsPerRound; i++) {
      const start = performance.now();
      checksum += await call();
      samplesMs[round * callsPerRound + i] = performance.now() - start;
    }
    roundMeansMs.push((performance.now() - roundStart) / callsPerRound);
  }
  const sorted = samplesMs.sort();
  const at = (q: number): number =>
    (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0) * 1000;
  return {
    calls: sorted.length,
    meanUs: (roundMeansMs.reduce((sum, mean) => sum + mean, 0) / roundMeansMs.length) * 1000,
    p50Us: at(0.5),
    p99Us: at(0.99),
    roundMeansUs: [Math.min(...roundMeansMs) * 1000, Math.max(...roundMeansMs) * 1000],
  };
}

const us = (value: number): string => value.toFixed(value < 10 ? 2 : 1);

if (values.case !== undefined) {
  const chosen = cases[values.case];
  if (chosen === undefined)
    throw new Error(`unknown case ${values.case}; known: ${Object.keys(cases).join(', ')}`);
  const stats = await measure(chosen.build());
  console.log(JSON.stringify({ ...stats, checksum }));
} else {
  // Each case in a fresh process, so that one case's JIT and heap state do not colour the next.
  console.log(
    `Node ${process.version}; each case in its own process; ${rounds} rounds of ${callsPerRound.toLocaleString('en')} sequential calls after a warm-up round.\n`,
  );
  console.log('| case | calls measured | mean µs | p50 µs | p99 µs | round means µs |');
  console.log('|---|---:|---:|---:|---:|---:|');
  const results: Record<string, Stats> = {};
  for (const [name, c] of Object.entries(cases)) {
    const output = execFileSync(process.execPath, [
      fileURLToPath(import.meta.url),
      '--case',
      name,
      '--rounds',
      String(rounds),
      '--calls',
      String(callsPerRound),
    ]);
    const s = JSON.parse(output.toString()) as Stats;
    results[name] = s;
    console.log(
      `| ${c.label} | ${s.calls.toLocaleString('en')} | ${us(s.meanUs)} | ${us(s.p50Us)} | ${us(s.p99Us)} | ${us(s.roundMeansUs[0])}–${us(s.roundMeansUs[1])} |`,
    );
  }
  const { bare, steadfast, cockatiel } = results;
  const guarded = results['steadfast-guarded'];
  const untimed = results['cockatiel-no-timeout'];
  if (bare !== undefined && steadfast !== undefined && cockatiel !== undefined) {
    const overhead = (s: Stats): number => s.meanUs - bare.meanUs;
    const ratio = (a: Stats, b: Stats): string =>
      `${(a.meanUs / b.meanUs).toFixed(2)}× (mean), ${(a.p99Us / b.p99Us).toFixed(2)}× (p99)`;
    console.log(
      `\nOverhead over the bare call (mean): Steadfast ${us(overhead(steadfast))} µs, cockatiel ${us(overhead(cockatiel))} µs.`,
    );
    console.log(`Steadfast / cockatiel, as specified: ${ratio(steadfast, cockatiel)}.`);
    if (guarded !== undefined) console.log(`Both arming a timeout per call: ${ratio(guarded, cockatiel)}.`);
    if (untimed !== undefined) console.log(`Neither arming one: ${ratio(steadfast, untimed)}.`);
  }
}
