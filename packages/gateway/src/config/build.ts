import {
  type AlertRule,
  builtInAlertRules,
  type Catalog,
  createAnthropic,
  createAzureOpenAi,
  createCatalog,
  createGemini,
  createOpenAi,
  createOpenAiCompatible,
  type ProviderAdapter,
  type Route,
  type RoutePolicies,
} from '@steadfast/core';
import type { AlertRuleConfig, AlertSinkConfig } from './alerts-schema.ts';
import { simulatorReference } from './env.ts';
import type { GatewayKey } from './keys.ts';
import type { LoadedConfig } from './load.ts';
import type { PoliciesConfig } from './policies-schema.ts';
import type { ProviderConfig } from './providers-schema.ts';
import type { ServerSettings } from './schema.ts';

/** Options of `buildGateway`. */
export interface BuildGatewayOptions {
  /** The running simulator's URL (`startConfiguredSimulator`), put where the file says `${simulator}`. */
  simulatorUrl?: string;
  /** The `fetch` every adapter uses. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** The parts of `createClient`'s options a config file gives; the server adds the store and clock. */
export interface ClientParts {
  /** Adapters by their configured name. */
  providers: Record<string, ProviderAdapter>;
  routes: Record<string, Route>;
  defaults?: RoutePolicies;
  /** The built-in models with the file's `catalog` entries applied. */
  catalog: Catalog;
}

/** The `alerts` section, ready for `createAlerts` (the sinks through `createAlertSinks`). */
export interface AlertSettings {
  /** The file's rules, or the built-in ones when it lists none. */
  rules: readonly AlertRule[];
  sinks: readonly AlertSinkConfig[];
  evaluateEveryMs?: number;
}

/** Everything the server needs from a config file. */
export interface BuiltGateway {
  client: ClientParts;
  /** Gateway API keys, hashes lowercased, each with its cache scope. */
  keys: readonly GatewayKey[];
  server: ServerSettings;
  /** Absent when the file has no `alerts` section. */
  alerts: AlertSettings | undefined;
}

/**
 * Turns a validated config into what the server runs: provider adapters (made with the core
 * factories; making them does no I/O), routes and defaults with `degrade` texts as functions, the
 * catalog, keys, server settings and alert settings. A file with a `simulator` section needs the
 * running simulator's URL: start it with `startConfiguredSimulator` first.
 * @throws TypeError when the file uses `${simulator}` and no `simulatorUrl` is given
 */
export function buildGateway(config: LoadedConfig, options: BuildGatewayOptions = {}): BuiltGateway {
  const providers: Record<string, ProviderAdapter> = {};
  for (const [name, provider] of Object.entries(config.providers)) {
    providers[name] = createAdapter(name, provider, options);
  }
  const routes: Record<string, Route> = {};
  for (const [name, route] of Object.entries(config.routes)) {
    routes[name] = { candidates: route.candidates, ...routePolicies(route.policies ?? {}) };
  }
  return {
    client: {
      providers,
      routes,
      ...(config.defaults === undefined ? {} : { defaults: routePolicies(config.defaults) }),
      catalog: createCatalog(config.catalog ?? []),
    },
    keys: (config.keys ?? []).map(({ sha256, cacheScope, ...key }) => ({
      ...key,
      sha256: sha256.toLowerCase(),
      cacheScope: cacheScope ?? key.name,
    })),
    server: config.server,
    alerts:
      config.alerts === undefined
        ? undefined
        : {
            rules: config.alerts.rules?.map(alertRule) ?? builtInAlertRules,
            sinks: config.alerts.sinks,
            ...(config.alerts.evaluateEveryMs === undefined
              ? {}
              : { evaluateEveryMs: config.alerts.evaluateEveryMs }),
          },
  };
}

/** The file's policies as the engine takes them: `degrade: { text }` becomes a function answering it. */
function routePolicies(policies: PoliciesConfig): RoutePolicies {
  const { degrade, ...rest } = policies;
  if (degrade === undefined) return rest;
  const { text } = degrade;
  return { ...rest, degrade: () => text };
}

function alertRule(rule: AlertRuleConfig): AlertRule {
  if (rule.type !== 'threshold') return rule;
  const { stat, denominator, ...rest } = rule;
  // The schema requires a denominator exactly when the stat is a ratio.
  return stat === 'ratio' ? { ...rest, stat, denominator: denominator! } : { ...rest, stat };
}

function createAdapter(
  name: string,
  provider: ProviderConfig,
  options: BuildGatewayOptions,
): ProviderAdapter {
  const base = { name, ...(options.fetch === undefined ? {} : { fetch: options.fetch }) };
  const resolveUrl = (url: string): string => withSimulator(url, name, options.simulatorUrl);
  // Absent, the factory's default (the vendor's own API) applies.
  const baseUrl = (url: string | undefined) => (url === undefined ? {} : { baseURL: resolveUrl(url) });
  switch (provider.type) {
    case 'openai': {
      const { type: _, baseURL, ...rest } = provider;
      return createOpenAi({ ...base, ...rest, ...baseUrl(baseURL) });
    }
    case 'azure': {
      const { type: _, endpoint, ...rest } = provider;
      return createAzureOpenAi({ ...base, ...rest, endpoint: resolveUrl(endpoint) });
    }
    case 'openai-compatible': {
      const { type: _, baseURL, ...rest } = provider;
      return createOpenAiCompatible({ ...base, ...rest, baseURL: resolveUrl(baseURL) });
    }
    case 'anthropic': {
      const { type: _, baseURL, ...rest } = provider;
      return createAnthropic({ ...base, ...rest, ...baseUrl(baseURL) });
    }
    case 'gemini': {
      const { type: _, baseURL, ...rest } = provider;
      return createGemini({ ...base, ...rest, ...baseUrl(baseURL) });
    }
    default:
      return provider satisfies never;
  }
}

function withSimulator(value: string, provider: string, simulatorUrl: string | undefined): string {
  if (!value.startsWith(simulatorReference)) return value;
  if (simulatorUrl === undefined) {
    throw new TypeError(
      `Provider "${provider}" uses \${simulator}: start the simulator (startConfiguredSimulator) and pass its url as simulatorUrl`,
    );
  }
  return `${simulatorUrl.replace(/\/$/, '')}${value.slice(simulatorReference.length)}`;
}
