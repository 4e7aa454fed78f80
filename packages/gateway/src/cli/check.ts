import { buildGateway } from '../config/build.ts';
import { loadConfig } from '../config/load.ts';

/** `steadfast check`: validates a config file; prints what it defines, or every problem with its line. */
export async function check(options: { config: string }): Promise<void> {
  const config = await loadConfig(options.config);
  const built = buildGateway(
    config,
    config.simulator === undefined ? {} : { simulatorUrl: 'http://127.0.0.1:0' },
  );
  const routes = Object.entries(built.client.routes)
    .map(
      ([name, route]) =>
        `  ${name}: ${route.candidates.map((c) => (typeof c === 'string' ? c : `${c.provider}/${c.model}`)).join(' → ')}`,
    )
    .join('\n');
  process.stdout.write(
    `${options.config} is valid: ${Object.keys(built.client.providers).length} providers, ` +
      `${Object.keys(built.client.routes).length} routes, ${built.keys.length} gateway keys\n${routes}\n`,
  );
}
