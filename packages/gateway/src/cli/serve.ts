import { startGateway } from '../server/start.ts';

/** `steadfast serve`: runs the gateway until SIGTERM / SIGINT, then shuts down gracefully. */
export async function serve(options: { config: string; port?: number; host?: string }): Promise<void> {
  const gateway = await startGateway({
    configPath: options.config,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.host === undefined ? {} : { host: options.host }),
  });
  process.stderr.write(
    `steadfast gateway listening on ${gateway.url}\n` +
      `  config: ${options.config}${gateway.simulatorUrl === undefined ? '' : `\n  simulator: ${gateway.simulatorUrl}`}\n` +
      `  OpenAI clients: baseURL ${gateway.url}/v1   Anthropic clients: baseURL ${gateway.url}\n` +
      `  health: ${gateway.url}/health   metrics: ${gateway.url}/metrics\n`,
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stderr.write(`${signal}: finishing requests in flight, then stopping\n`);
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
