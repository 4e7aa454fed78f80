#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ScenarioError } from '@steadfast/simulator';
import { chaos } from './cli/chaos.ts';
import { check } from './cli/check.ts';
import { hashKeyCommand, UsageError } from './cli/hash-key.ts';
import { serve } from './cli/serve.ts';
import { ConfigError } from './config/config-error.ts';

const usage = `steadfast: LLM calls that keep working when LLM APIs fail

Usage:
  steadfast serve --config <file> [--port <n>] [--host <addr>]   run the gateway
  steadfast check --config <file>                                validate a config file
  steadfast chaos --config <file> [--route <name>] [--requests <n>] [--concurrency <n>]
                                                                 put a route through failures on the simulator
  steadfast sim [--port <n>] [--scenario <file>]                 run the fault simulator
  steadfast hash-key [<key>]                                     the sha256 to store for a gateway key
  steadfast --help`;

function integer(name: string, value: string | undefined, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  return Number(value);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      config: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      route: { type: 'string' },
      requests: { type: 'string' },
      concurrency: { type: 'string' },
      scenario: { type: 'string', short: 's' },
    },
    allowPositionals: command === 'hash-key',
    strict: true,
  });
  const needConfig = (): string => {
    if (values.config === undefined) throw new UsageError(`${command} needs --config <file>`);
    return values.config;
  };
  switch (command) {
    case 'serve': {
      const port = integer('port', values.port);
      return serve({
        config: needConfig(),
        ...(port === undefined ? {} : { port }),
        ...(values.host === undefined ? {} : { host: values.host }),
      });
    }
    case 'check':
      return check({ config: needConfig() });
    case 'chaos':
      return chaos({
        config: needConfig(),
        ...(values.route === undefined ? {} : { route: values.route }),
        requests: integer('requests', values.requests, 100) ?? 100,
        concurrency: integer('concurrency', values.concurrency, 10) ?? 10,
      });
    case 'sim': {
      const { startSimulator, loadScenarioFile } = await import('@steadfast/simulator');
      const scenario = values.scenario === undefined ? {} : await loadScenarioFile(values.scenario);
      const sim = await startSimulator({ scenario, port: integer('port', values.port, 9000) ?? 9000 });
      process.stderr.write(`steadfast simulator listening on ${sim.url}\n`);
      const stop = (): void => {
        sim.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return;
    }
    case 'hash-key':
      return hashKeyCommand(positionals[0]);
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${usage}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ScenarioError || error instanceof UsageError) {
    process.stderr.write(`${error.message}\n`);
  } else if (
    error instanceof TypeError &&
    'code' in error &&
    String(error.code).startsWith('ERR_PARSE_ARGS')
  ) {
    process.stderr.write(`${error.message}\n\n${usage}\n`);
  } else if (
    error instanceof Error &&
    'code' in error &&
    (error.code === 'ENOENT' || error.code === 'EADDRINUSE')
  ) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
