import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ModelCounters, ScenarioInput } from '../../packages/simulator/src/index.ts';

/** The simulator in a child process (bench/simulator-server.ts), driven over its control API. */
export interface SimulatorProcess {
  /** Base URL on 127.0.0.1. */
  url: string;
  /** Replaces the scenario, then resets counters, the log and the clock of time windows. */
  load(scenario: ScenarioInput): Promise<void>;
  /** Attempts per model since the last `load`. */
  counters(): Promise<Record<string, ModelCounters>>;
  stop(): Promise<void>;
}

async function control(url: string, method: string, path: string, body?: string): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/** Starts the simulator process and resolves once it listens. */
export async function startSimulatorProcess(): Promise<SimulatorProcess> {
  const script = fileURLToPath(new URL('../simulator-server.ts', import.meta.url));
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const match = /^listening (\S+)$/.exec(line);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    exited.then(([code]) => reject(new Error(`the simulator process exited (${String(code)})`)));
  });
  return {
    url,
    async load(scenario) {
      await control(url, 'PUT', '/_sim/scenario', JSON.stringify(scenario));
      await control(url, 'POST', '/_sim/reset');
    },
    async counters() {
      return (await control(url, 'GET', '/_sim/counters')) as Record<string, ModelCounters>;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
