/**
 * The gateway's config file: a YAML format validated with zod (strict everywhere), `${NAME}`
 * interpolation, errors at their file, line and column, the build into `createClient` options, the
 * JSON Schema for editors, and reloading on change or SIGHUP.
 * @module
 */
export { type AlertSinkDeps, createAlertSinks } from './alert-sinks.ts';
export type { AlertRuleConfig, AlertSinkConfig, AlertsConfig } from './alerts-schema.ts';
export {
  type AlertSettings,
  type BuildGatewayOptions,
  type BuiltGateway,
  buildGateway,
  type ClientParts,
} from './build.ts';
export { ConfigError, type ConfigIssue, formatIssue } from './config-error.ts';
export type { Environment } from './env.ts';
export { configJsonSchema, configJsonSchemaPath } from './json-schema.ts';
export { type GatewayKey, hashKey } from './keys.ts';
export { type LoadedConfig, loadConfig, type ParseConfigOptions, parseConfig } from './load.ts';
export {
  configSchema,
  type GatewayConfigFile,
  type GatewayConfigInput,
  type ServerSettings,
} from './schema.ts';
export { type ConfiguredSimulator, startConfiguredSimulator } from './simulator.ts';
export {
  type ConfigWatcher,
  type ConfigWatchHandlers,
  type WatchConfigOptions,
  watchConfig,
} from './watch.ts';
