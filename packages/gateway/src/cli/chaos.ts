import { createClient, type ProviderAdapter } from '@steadfast/core';
import { type ScenarioInput, startSimulator } from '@steadfast/simulator';
import { buildGateway } from '../config/build.ts';
import { type LoadedConfig, loadConfig } from '../config/load.ts';
import type { ProviderConfig } from '../config/providers-schema.ts';
import { UsageError } from './hash-key.ts';

/** One failure the scorecard puts the route's first candidate through; the others stay healthy. */
interface ChaosScenario {
  name: string;
  stream: boolean;
  primary: ScenarioInput['models'] extends Record<string, infer M> | undefined ? M : never;
  /** The fallbacks fail too. */
  allDown?: boolean;
}

const scenarios: ChaosScenario[] = [
  { name: 'healthy', stream: false, primary: {} },
  {
    name: '30 % rate limited',
    stream: false,
    primary: { faults: [{ fault: { kind: 'rate_limit', retryAfterMs: 200 }, probability: 0.3 }] },
  },
  { name: 'primary down (503)', stream: false, primary: { faults: [{ fault: 'unavailable' }] } },
  {
    name: '30 % streams cut',
    stream: true,
    primary: { faults: [{ fault: { kind: 'stream_cut', afterChunks: 5 }, probability: 0.3 }] },
  },
  { name: 'everything down', stream: false, primary: { faults: [{ fault: 'server_error' }] }, allDown: true },
];

/** The provider as configured, but pointed at the simulator in its own wire format, with no key. */
function atSimulator(provider: ProviderConfig, url: string): ProviderConfig {
  switch (provider.type) {
    case 'openai':
    case 'openai-compatible':
      return { ...provider, baseURL: `${url}/v1` } as ProviderConfig;
    case 'azure':
      return { ...provider, endpoint: url } as ProviderConfig;
    case 'anthropic':
      return { ...provider, baseURL: url } as ProviderConfig;
    case 'gemini':
      return { ...provider, baseURL: `${url}/v1beta` } as ProviderConfig;
  }
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

function progress(label: string, done: number, total: number): void {
  if (!process.stderr.isTTY) return;
  const width = 24;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r  ${label.padEnd(22)} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`,
  );
  if (done === total) process.stderr.write('\n');
}

/**
 * `steadfast chaos`: the chaos scorecard against a config. Every provider of the config is replaced by
 * the simulator (speaking its wire format); the route's first candidate is put through each failure
 * while the others stay healthy; the route's own policies decide what happens. Prints one row per
 * failure: success rate, latency, upstream attempts per request, share answered by a fallback.
 */
export async function chaos(options: {
  config: string;
  route?: string;
  requests: number;
  concurrency: number;
}): Promise<void> {
  const loaded: LoadedConfig = await loadConfig(options.config);
  const routeName = options.route ?? Object.keys(loaded.routes)[0];
  const route = routeName === undefined ? undefined : loaded.routes[routeName];
  if (routeName === undefined || route === undefined) {
    throw new UsageError(
      `No route "${options.route}" in ${options.config} (routes: ${Object.keys(loaded.routes).join(', ')})`,
    );
  }
  const candidates = route.candidates.map((c) => ({
    provider: c.slice(0, c.indexOf('/')),
    model: c.slice(c.indexOf('/') + 1),
  }));
  const primary = candidates[0];
  if (primary === undefined) throw new UsageError(`Route "${routeName}" has no candidates`);
  const sim = await startSimulator({});
  const providers = Object.fromEntries(
    Object.entries(loaded.providers).map(([name, p]) => [name, atSimulator(p, sim.url)]),
  );
  const config = { ...loaded, providers, simulator: undefined } as unknown as LoadedConfig;
  const rows: string[] = [];
  process.stderr.write(
    `chaos scorecard: route "${routeName}" (${route.candidates.join(' → ')}), ${options.requests} requests at ${options.concurrency} at a time\n`,
  );
  try {
    for (const scenario of scenarios) {
      const models: Record<string, ChaosScenario['primary']> = {};
      for (const candidate of candidates) models[candidate.model] = scenario.allDown ? scenario.primary : {};
      models[primary.model] = scenario.primary;
      sim.setScenario({
        seed: 7,
        defaults: { latencyMs: 20, firstTokenMs: 40, tokensPerSecond: 400 },
        models,
      });
      sim.reset();
      const built = buildGateway(config);
      const client = createClient({
        ...built.client,
        providers: built.client.providers as Record<string, ProviderAdapter>,
      });
      const latencies: number[] = [];
      let ok = 0;
      let byFallback = 0;
      let next = 0;
      let done = 0;
      const worker = async (): Promise<void> => {
        while (next < options.requests) {
          next++;
          const started = performance.now();
          const request = { model: routeName, messages: [{ role: 'user' as const, content: 'chaos' }] };
          try {
            if (scenario.stream) {
              let finished = false;
              const stream = client.stream(request);
              for await (const event of stream) if (event.type === 'finish') finished = true;
              const report = await stream.report;
              if (finished) ok++;
              if (report.fallbackUsed) byFallback++;
            } else {
              const result = await client.chat(request);
              ok++;
              if (result.resilience.fallbackUsed) byFallback++;
            }
          } catch {
            // counted as a failure
          }
          latencies.push(performance.now() - started);
          progress(scenario.name, ++done, options.requests);
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, worker));
      const attempts = Object.values(sim.counters()).reduce((sum, c) => sum + c.attempts, 0);
      latencies.sort((a, b) => a - b);
      rows.push(
        `| ${scenario.name} | ${((ok / options.requests) * 100).toFixed(1)} % | ${quantile(latencies, 0.5).toFixed(0)} | ${quantile(latencies, 0.99).toFixed(0)} | ${(attempts / options.requests).toFixed(2)} | ${((byFallback / options.requests) * 100).toFixed(0)} % |`,
      );
    }
  } finally {
    await sim.close();
  }
  process.stdout.write(
    `\n| failure | success | p50 ms | p99 ms | attempts / request | by a fallback |\n|---|---:|---:|---:|---:|---:|\n${rows.join('\n')}\n`,
  );
}
