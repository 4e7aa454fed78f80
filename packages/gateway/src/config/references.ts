import { builtInModels } from '@steadfast/core';
import type { GatewayConfigFile } from './schema.ts';
import type { FieldIssue } from './zod-issues.ts';

const builtInIds: ReadonlySet<string> = new Set(builtInModels.map((model) => model.id));
// What a new catalog model must give (`createCatalog` refuses it otherwise, naming no line).
const newModelFields = ['provider', 'contextWindow', 'maxOutputTokens', 'tokenizer', 'capabilities'] as const;
const capabilityFields = ['tools', 'jsonSchema', 'vision', 'streaming', 'prefill'] as const;
// Headers that carry a credential: a provider given one of these needs no `apiKey`.
const authHeaders: ReadonlySet<string> = new Set(['authorization', 'x-api-key', 'api-key', 'x-goog-api-key']);

type Report = (path: readonly PropertyKey[], message: string) => void;

/**
 * What the schema cannot see field by field: names that must refer to one another (candidates to
 * providers, keys to routes), names that must be unique, and fields required only together.
 */
export function checkReferences(config: GatewayConfigFile): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const report: Report = (path, message) => issues.push({ path, message, at: 'value' });
  checkProviders(config, report);
  checkCandidates(config, report);
  checkKeys(config, report);
  checkAlertRules(config, report);
  checkCatalog(config, report);
  return issues;
}

function checkProviders(config: GatewayConfigFile, report: Report): void {
  for (const [name, provider] of Object.entries(config.providers)) {
    const path = ['providers', name];
    const headers = Object.keys(provider.headers ?? {});
    const hasAuthHeader = headers.some((header) => authHeaders.has(header.toLowerCase()));
    // The vendor's own API (no baseURL) always needs a key; a local server or the simulator may not.
    if (
      (provider.type === 'openai' || provider.type === 'anthropic' || provider.type === 'gemini') &&
      provider.baseURL === undefined &&
      provider.apiKey === undefined &&
      !hasAuthHeader
    ) {
      const variable = `${provider.type.toUpperCase()}_API_KEY`;
      report(
        [...path, 'apiKey'],
        `missing: the ${provider.type} API needs a key (e.g. apiKey: \${${variable}})`,
      );
    }
    if (provider.type === 'azure' && provider.apiKey !== undefined && provider.bearerToken !== undefined) {
      report([...path, 'bearerToken'], 'give apiKey or bearerToken, not both');
    }
  }
}

function checkCandidates(config: GatewayConfigFile, report: Report): void {
  const known = Object.keys(config.providers).join(', ');
  for (const [name, route] of Object.entries(config.routes)) {
    for (const [index, candidate] of route.candidates.entries()) {
      const provider = candidate.slice(0, candidate.indexOf('/'));
      if (!Object.hasOwn(config.providers, provider)) {
        report(
          ['routes', name, 'candidates', index],
          `provider "${provider}" is not configured (known: ${known})`,
        );
      }
    }
  }
}

function checkKeys(config: GatewayConfigFile, report: Report): void {
  const routes = Object.keys(config.routes);
  const names = new Map<string, number>();
  const hashes = new Map<string, number>();
  for (const [index, key] of (config.keys ?? []).entries()) {
    const path = ['keys', index];
    const sameName = names.get(key.name);
    if (sameName === undefined) names.set(key.name, index);
    else report([...path, 'name'], `"${key.name}" is already the name of keys.${sameName}`);
    const hash = key.sha256.toLowerCase();
    const sameHash = hashes.get(hash);
    if (sameHash === undefined) hashes.set(hash, index);
    else report([...path, 'sha256'], `the same key as keys.${sameHash}`);
    for (const [routeIndex, route] of (key.routes ?? []).entries()) {
      if (!routes.includes(route)) {
        report(
          [...path, 'routes', routeIndex],
          `route "${route}" is not configured (known: ${routes.join(', ')})`,
        );
      }
    }
  }
}

function checkAlertRules(config: GatewayConfigFile, report: Report): void {
  const names = new Map<string, number>();
  for (const [index, rule] of (config.alerts?.rules ?? []).entries()) {
    // `createAlerts` refuses two rules of one name; a rule without a name is named after its type.
    const name = rule.name ?? rule.type;
    const same = names.get(name);
    if (same === undefined) names.set(name, index);
    else {
      report(
        ['alerts', 'rules', index, rule.name === undefined ? 'type' : 'name'],
        `alerts.rules.${same} is already named "${name}"; give this rule its own name`,
      );
    }
  }
}

function checkCatalog(config: GatewayConfigFile, report: Report): void {
  const ids = new Map<string, number>();
  for (const [index, entry] of (config.catalog ?? []).entries()) {
    const path = ['catalog', index];
    const same = ids.get(entry.id);
    if (same === undefined) ids.set(entry.id, index);
    else report([...path, 'id'], `catalog.${same} is already "${entry.id}"`);
    if (builtInIds.has(entry.id)) continue;
    const missing: string[] = newModelFields.filter((field) => entry[field] === undefined);
    for (const field of capabilityFields) {
      if (entry.capabilities !== undefined && entry.capabilities[field] === undefined) {
        missing.push(`capabilities.${field}`);
      }
    }
    if (missing.length > 0) {
      report(
        path,
        `"${entry.id}" is not a built-in model, so it needs every field; missing: ${missing.join(', ')}`,
      );
    }
  }
}
