/**
 * Chaos scorecard: `npm run bench:chaos`.
 *
 * Three clients send the same bounded load (300 requests, 20 at a time) to the simulator, which runs in
 * a child process on 127.0.0.1, once per failure scenario (bench/chaos/scenarios.ts):
 *   1. naive: `fetch` to the primary, no retries (streams: `fetch` and a hand-written SSE reader);
 *   2. openai: the official client with its defaults (2 retries), aimed at the primary; it has no fallback;
 *   3. Steadfast: `createClient` with one route, primary (OpenAI wire) → fallback (Anthropic wire), default
 *      policies.
 * Every client gets the same time limits (bench/chaos/client-under-test.ts). Before each client's run the
 * simulator gets the scenario afresh and is reset, so each run starts from attempt 1 and time 0.
 * For each client and scenario it prints the success rate (a stream succeeds only if it delivered the
 * whole known answer and ended with its finish reason), latency quantiles, upstream attempts per request
 * (the simulator's counters), cost per answered request (catalog prices, every attempt counted), and
 * checks Steadfast's targets. Options: --requests, --concurrency, --only <text> (scenarios whose name
 * contains it), --json <file> (every figure, for the record). Results: bench/RESULTS.md.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createCatalog } from '../packages/core/src/index.ts';
import type { ClientUnderTest } from './chaos/client-under-test.ts';
import { runLoad } from './chaos/load.ts';
import { naiveClient } from './chaos/naive-client.ts';
import { openAiClient } from './chaos/openai-client.ts';
import { figuresOf, latencies, type Run, scenarioTable } from './chaos/report.ts';
import {
  type ChaosScenario,
  fallbackModel,
  primaryModel,
  scenarios,
  simulatorScenario,
} from './chaos/scenarios.ts';
import { startSimulatorProcess } from './chaos/simulator-process.ts';
import { fallbackAloneClient, type SteadfastUnderTest, steadfastClient } from './chaos/steadfast-client.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '20' },
    only: { type: 'string' },
    json: { type: 'string' },
  },
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
const warmUpRequests = 100;

/** Steadfast's targets. */
const targets = {
  /** In every scenario where some candidate is healthy. */
  successRate: 0.999,
  /** Under a total primary outage. */
  attemptsPerRequest: 1.3,
  /** Under a total primary outage, once the breaker is open: p99 at most this times the fallback's own. */
  p99OverFallback: 1.5,
};

const catalog = createCatalog();
const sim = await startSimulatorProcess();

type ClientName = 'naive' | 'openai' | 'steadfast' | 'fallback alone';

interface RunResult extends Run {
  /** Steadfast only: ms into the run when the primary's breaker first opened. */
  openedAtMs: number | undefined;
}

function create(name: ClientName, runStart: number): ClientUnderTest | SteadfastUnderTest {
  switch (name) {
    case 'naive':
      return naiveClient(sim.url, catalog);
    case 'openai':
      return openAiClient(sim.url, catalog);
    case 'steadfast':
      return steadfastClient(sim.url, catalog, runStart);
    case 'fallback alone':
      return fallbackAloneClient(sim.url, catalog);
  }
}

/** One client's run of one scenario, on a freshly loaded and reset simulator. */
async function run(name: ClientName, scenario: ChaosScenario, count = requests): Promise<RunResult> {
  await sim.load(simulatorScenario(scenario));
  const runStart = performance.now();
  const client = create(name, runStart);
  const outcomes = await runLoad(client, scenario, count, concurrency, runStart);
  const wallMs = performance.now() - runStart;
  const counters = await sim.counters();
  return {
    client: name === 'fallback alone' ? `fallback alone (${fallbackModel}, no engine)` : name,
    outcomes,
    primaryAttempts: counters[primaryModel]?.attempts ?? 0,
    fallbackAttempts: counters[fallbackModel]?.attempts ?? 0,
    wallMs,
    openedAtMs: 'primaryOpenedAtMs' in client ? client.primaryOpenedAtMs() : undefined,
  };
}

const verdict = (met: boolean): string => (met ? 'met' : '**MISSED**');
const percent = (rate: number): string => `${(rate * 100).toFixed(1)} %`;

interface Check {
  scenario: string;
  target: string;
  measured: string;
  met: boolean;
}

/** Steadfast's targets that apply to one scenario, against its runs. */
function checks(scenario: ChaosScenario, runs: readonly RunResult[]): Check[] {
  const steadfast = runs.find((r) => r.client === 'steadfast');
  if (steadfast === undefined) return [];
  const figures = figuresOf(scenario, steadfast);
  const out: Check[] = [];
  if (scenario.healthyCandidate) {
    out.push({
      scenario: scenario.name,
      target: `success ≥ ${percent(targets.successRate)}`,
      measured: percent(figures.successRate),
      met: figures.successRate >= targets.successRate,
    });
  }
  if (scenario.measureFallbackAlone) {
    out.push({
      scenario: scenario.name,
      target: `attempts/request ≤ ${targets.attemptsPerRequest}`,
      measured: figures.attemptsPerRequest.toFixed(2),
      met: figures.attemptsPerRequest <= targets.attemptsPerRequest,
    });
    const alone = runs.find((r) => r.client.startsWith('fallback alone'));
    const openedAt = steadfast.openedAtMs;
    if (alone !== undefined && openedAt !== undefined) {
      const after = steadfast.outcomes.filter((o) => o.startedAtMs >= openedAt);
      const p99 = latencies(after).p99Ms;
      const yardstick = latencies(alone.outcomes).p99Ms;
      out.push({
        scenario: scenario.name,
        target: `p99 once the breaker is open ≤ ${targets.p99OverFallback} × fallback alone`,
        measured: `${p99.toFixed(0)} ms over ${after.length} requests sent after it opened at ${openedAt.toFixed(0)} ms; fallback alone p99 ${yardstick.toFixed(0)} ms (${(p99 / yardstick).toFixed(2)}×)`,
        met: p99 <= targets.p99OverFallback * yardstick,
      });
    } else {
      out.push({
        scenario: scenario.name,
        target: `p99 once the breaker is open ≤ ${targets.p99OverFallback} × fallback alone`,
        measured: 'the breaker never opened',
        met: false,
      });
    }
  }
  return out;
}

const cpu = cpus()[0];
const facts = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpu === undefined ? 'unknown' : cpu.speed > 0 ? `${cpu.model} at ${cpu.speed} MHz` : cpu.model,
  loadAverage1m: loadavg()[0],
  requests,
  concurrency,
};
const selected = scenarios.filter((s) => values.only === undefined || s.name.includes(values.only));
const allChecks: Check[] = [];
const record: unknown[] = [];

try {
  console.log(
    `node ${facts.node}; ${facts.cpus} × ${facts.cpuModel}; load ${facts.loadAverage1m?.toFixed(2)}; simulator at ${sim.url} (child process)`,
  );
  console.log(
    `${requests} requests per client and scenario, ${concurrency} at a time; primary ${primaryModel} (OpenAI wire), fallback ${fallbackModel} (Anthropic wire)\n`,
  );

  // JIT and keep-alive connections warm for every client, streamed and not, on a healthy simulator.
  const healthy = scenarios[0] as ChaosScenario;
  for (const name of ['naive', 'openai', 'steadfast', 'fallback alone'] as const) {
    await run(name, healthy, warmUpRequests);
    await run(name, { ...healthy, stream: true }, warmUpRequests);
  }

  for (const scenario of selected) {
    const names: ClientName[] = ['naive', 'openai', 'steadfast'];
    if (scenario.measureFallbackAlone) names.push('fallback alone');
    const runs: RunResult[] = [];
    for (const name of names) runs.push(await run(name, scenario));

    console.log(`### ${scenario.name}: ${scenario.description}${scenario.stream ? ' (streaming)' : ''}\n`);
    console.log(scenarioTable(scenario, runs));
    const wall = runs.map((r) => `${r.client.split(' ')[0]} ${(r.wallMs / 1000).toFixed(1)} s`).join(', ');
    const opened = runs.find((r) => r.client === 'steadfast')?.openedAtMs;
    console.log(
      `\nrun time: ${wall}; Steadfast's primary breaker ${opened === undefined ? 'stayed closed' : `opened at ${opened.toFixed(0)} ms`}`,
    );
    const scenarioChecks = checks(scenario, runs);
    for (const check of scenarioChecks)
      console.log(`target ${check.target}: ${verdict(check.met)} (${check.measured})`);
    console.log('');
    allChecks.push(...scenarioChecks);
    record.push({
      scenario: scenario.name,
      description: scenario.description,
      stream: scenario.stream,
      runs: runs.map((r) => ({
        client: r.client,
        wallMs: r.wallMs,
        openedAtMs: r.openedAtMs,
        primaryAttempts: r.primaryAttempts,
        fallbackAttempts: r.fallbackAttempts,
        ...figuresOf(scenario, r),
      })),
    });
  }

  console.log('## Steadfast against its targets\n');
  for (const check of allChecks) {
    console.log(`- ${check.scenario}: ${check.target}: ${verdict(check.met)} (${check.measured})`);
  }
  if (values.json !== undefined) {
    writeFileSync(
      values.json,
      `${JSON.stringify({ facts, scenarios: record, checks: allChecks }, null, 2)}\n`,
    );
  }
} finally {
  await sim.stop();
}
