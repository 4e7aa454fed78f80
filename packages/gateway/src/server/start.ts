import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Clock,
  createAlerts,
  createClient,
  createMemoryStore,
  createMetrics,
  Emitter,
  type EngineEvent,
  type Logger,
  logRequests,
  type StateStore,
  SteadfastError,
  systemClock,
} from '@steadfast/core';
import { anthropicMessagesCodec, openAiChatCodec } from '../codecs/index.ts';
import { createAlertSinks } from '../config/alert-sinks.ts';
import { buildGateway } from '../config/build.ts';
import { type LoadedConfig, loadConfig, type ParseConfigOptions } from '../config/load.ts';
import { type ConfiguredSimulator, startConfiguredSimulator } from '../config/simulator.ts';
import { watchConfig } from '../config/watch.ts';
import { createGatewayLogger } from '../logging/logger.ts';
import { createGatewayHandler } from './gateway.ts';
import type { GatewayRuntime } from './runtime.ts';

/** Options of `startGateway`. */
export interface StartGatewayOptions {
  /** The YAML config file. */
  configPath: string;
  /** Overrides the file's `server.port` (0 picks a free port). */
  port?: number;
  /** Overrides the file's `server.host`. */
  host?: string;
  /** Environment for `${VAR}` in the file. @default process.env */
  env?: ParseConfigOptions['env'];
  /** @default a pino logger on standard output, every line redacted */
  logger?: Logger;
  /** @default the system clock */
  clock?: Clock;
  /** Where breakers, budgets, rate limits and the cache live. @default in memory */
  store?: StateStore;
  /** Reload on file change and SIGHUP. @default true */
  watch?: boolean;
}

/** A running gateway. */
export interface RunningGateway {
  url: string;
  port: number;
  /** The simulator the config started, if any. */
  simulatorUrl: string | undefined;
  /** Reloads the config now; a bad file keeps the old config and rejects with why. */
  reload(): Promise<void>;
  /**
   * Stops accepting requests, lets those in flight finish for up to `graceMs` (the config's
   * `shutdownGraceMs` by default), then ends the streams still open with an error event.
   */
  close(graceMs?: number): Promise<void>;
}

/** Every provider key in a config, so that logs can scrub them whatever their shape. */
function secretsOf(config: LoadedConfig): string[] {
  const secrets: string[] = [];
  for (const provider of Object.values(config.providers)) {
    if ('apiKey' in provider && typeof provider.apiKey === 'string') secrets.push(provider.apiKey);
    if ('bearerToken' in provider && typeof provider.bearerToken === 'string')
      secrets.push(provider.bearerToken);
  }
  return secrets;
}

/** Starts the gateway from a config file: the simulator it names, the engine, telemetry and the HTTP server. */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const clock = options.clock ?? systemClock;
  const parseOptions = options.env === undefined ? {} : { env: options.env };
  let config = await loadConfig(options.configPath, parseOptions);
  const simulator: ConfiguredSimulator | undefined =
    config.simulator === undefined ? undefined : await startConfiguredSimulator(config);
  const logger = options.logger ?? createGatewayLogger({ secrets: secretsOf(config) });
  const store = options.store ?? createMemoryStore({ now: () => clock.now() });

  // Telemetry listens to one relay, so that it follows the engine across reloads.
  const relay = new Emitter<EngineEvent>();
  const metrics = createMetrics(relay, { clock });
  logRequests(relay, logger);

  const build = (
    loaded: LoadedConfig,
  ): { runtime: GatewayRuntime; built: ReturnType<typeof buildGateway> } => {
    const built = buildGateway(loaded, simulator === undefined ? {} : { simulatorUrl: simulator.url });
    const client = createClient({ ...built.client, store, clock });
    client.on((event) => relay.emit(event));
    const routes = new Map(
      Object.entries(built.client.routes).map(([name, route]) => [
        name,
        {
          candidates: route.candidates.map((c) =>
            typeof c === 'string'
              ? { provider: c.slice(0, c.indexOf('/')), model: c.slice(c.indexOf('/') + 1) }
              : c,
          ),
        },
      ]),
    );
    return {
      built,
      runtime: {
        client,
        routes,
        catalog: built.client.catalog,
        keys: built.keys,
        bodyLimitBytes: built.server.bodyLimitBytes,
      },
    };
  };
  let { runtime, built } = build(config);
  const alerts =
    built.alerts === undefined
      ? undefined
      : createAlerts({
          source: relay,
          metrics,
          clock,
          rules: [...built.alerts.rules],
          sinks: createAlertSinks(built.alerts.sinks, { logger }),
          ...(built.alerts.evaluateEveryMs === undefined
            ? {}
            : { evaluateEveryMs: built.alerts.evaluateEveryMs }),
        });

  const streams = new Set<(error: SteadfastError) => void>();
  let shuttingDown = false;
  const handler = createGatewayHandler({
    runtime: () => runtime,
    apis: { openai: openAiChatCodec, anthropic: anthropicMessagesCodec },
    metrics,
    store,
    clock,
    idempotencyWindowMs: built.server.idempotencyWindowMs,
    streams,
    readiness: () => (shuttingDown ? ['shutting down'] : []),
  });
  const server: Server = createServer(handler);
  const host = options.host ?? built.server.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? built.server.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  const swap = (loaded: LoadedConfig): void => {
    const next = build(loaded);
    // New requests see the new config; those in flight finish on the client they started with.
    config = loaded;
    runtime = next.runtime;
    built = next.built;
    logger.info({ config: loaded.source }, 'config reloaded');
  };
  const watcher =
    options.watch === false
      ? undefined
      : watchConfig(
          options.configPath,
          {
            onChange: swap,
            onError: (error) =>
              logger.error(
                { error: String((error as Error).message ?? error) },
                'config reload refused; the old config stays',
              ),
          },
          parseOptions,
        );

  const hostName = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostName}:${address.port}`,
    port: address.port,
    simulatorUrl: simulator?.url,
    async reload() {
      swap(await loadConfig(options.configPath, parseOptions));
    },
    async close(graceMs = built.server.shutdownGraceMs) {
      shuttingDown = true;
      watcher?.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = new Promise<'deadline'>((resolve) => {
        const timer = setTimeout(() => resolve('deadline'), graceMs);
        timer.unref();
      });
      if ((await Promise.race([closed.then(() => 'closed' as const), deadline])) === 'deadline') {
        const error = new SteadfastError('unavailable', 'The gateway is shutting down', { code: 'shutdown' });
        for (const stop of [...streams]) stop(error);
        server.closeAllConnections();
        await closed;
      }
      alerts?.dispose();
      metrics.dispose();
      await simulator?.close();
    },
  };
}
