#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadScenarioFile, ScenarioError } from './scenario.ts';
import { startSimulator } from './server.ts';

const usage = `steadfast-sim: a fault-injecting fake LLM provider

Usage: steadfast-sim [--port 9000] [--host 127.0.0.1] [--scenario file.yaml]

  --port, -p       port to listen on (0 picks a free one)          default 9000
  --host           interface to listen on                           default 127.0.0.1
  --scenario, -s   scenario file (YAML or JSON); without one every model answers normally
  --help, -h       this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', short: 'p', default: '9000' },
      host: { type: 'string', default: '127.0.0.1' },
      scenario: { type: 'string', short: 's' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  // Digits only: Number() would read '' as 0 and '1e3' as 1000.
  const port = /^\d{1,5}$/.test(values.port) ? Number(values.port) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, got "${values.port}"`);
  }
  const scenario = values.scenario === undefined ? {} : await loadScenarioFile(values.scenario);
  const sim = await startSimulator({ scenario, port, host: values.host });
  const models = Object.keys('models' in scenario && scenario.models ? scenario.models : { '*': {} });
  console.log(`steadfast simulator listening on ${sim.url}
  scenario: ${values.scenario ?? '(none: every model answers normally)'}
  models:   ${models.join(', ')}

Try it:
  curl ${sim.url}/v1/chat/completions -H 'content-type: application/json' \\
    -d '{"model":"${models.find((m) => m !== '*') ?? 'gpt-4o-mini'}","messages":[{"role":"user","content":"Hello"}]}'

OpenAI clients: baseURL ${sim.url}/v1   Anthropic clients: baseURL ${sim.url}
Gemini: ${sim.url}/v1beta/models/{model}:generateContent
Control: GET ${sim.url}/_sim/counters, GET /_sim/log, POST /_sim/reset, PUT /_sim/scenario`);
  const stop = (): void => {
    sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  if (error instanceof ScenarioError || error instanceof UsageError) {
    console.error(error.message);
  } else if (
    error instanceof Error &&
    'code' in error &&
    (error.code === 'ENOENT' || error.code === 'EADDRINUSE')
  ) {
    console.error(error.message);
  } else if (
    error instanceof TypeError &&
    'code' in error &&
    String(error.code).startsWith('ERR_PARSE_ARGS')
  ) {
    console.error(`${error.message}\n\n${usage}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
