import type { Catalog, SteadfastClient } from '@steadfast/core';
import type { GatewayKey } from '../config/keys.ts';

/** What serving needs from one loaded configuration; swapped whole on reload. */
export interface GatewayRuntime {
  client: SteadfastClient;
  /** Route aliases, with the models behind them, for `GET /v1/models`. */
  routes: ReadonlyMap<string, { candidates: ReadonlyArray<{ provider: string; model: string }> }>;
  catalog: Catalog;
  /** Gateway API keys; none configured means no authentication (local use only). */
  keys: readonly GatewayKey[];
  bodyLimitBytes: number;
}
