import { loadScenarioFile, startSimulator } from '@steadfast/simulator';
import type { LoadedConfig } from './load.ts';

/** The simulator a config file asked for, running. */
export interface ConfiguredSimulator {
  /** Its base URL (`http://127.0.0.1:PORT`): pass it to `buildGateway` as `simulatorUrl`. */
  url: string;
  /** Stops it and drops its open connections. */
  close(): Promise<void>;
}

/**
 * Starts the fault simulator of the file's `simulator` section, on loopback, with its scenario.
 * @throws TypeError when the file has no `simulator` section; ScenarioError when the scenario is invalid
 */
export async function startConfiguredSimulator(config: LoadedConfig): Promise<ConfiguredSimulator> {
  const settings = config.simulator;
  if (settings === undefined) throw new TypeError(`${config.source} has no simulator section`);
  const scenario = settings.scenario === undefined ? {} : await loadScenarioFile(settings.scenario);
  const simulator = await startSimulator({ scenario, port: settings.port, host: '127.0.0.1' });
  return { url: simulator.url, close: () => simulator.close() };
}
