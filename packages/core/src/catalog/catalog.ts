import type { ModelCapabilities, ModelInfo } from './model-info.ts';
import { builtInModels } from './models.ts';

/** A model entry given by the user: a whole new model, or changes to a known one (matched by `id`). */
export type ModelOverride = Partial<Omit<ModelInfo, 'capabilities'>> & {
  id: string;
  capabilities?: Partial<ModelInfo['capabilities']>;
};

/** Looks models up by name. */
export interface Catalog {
  /** The entry for a model name, dated snapshots included (`gpt-4o-2024-08-06` → `gpt-4o`). */
  get(model: string): ModelInfo | undefined;
  /** Every entry. */
  list(): ModelInfo[];
}

// Provider snapshot suffixes: `-2024-08-06`, `-20250929`, `-latest`, `-001`, `-v1:0`.
const snapshotSuffix = /-(\d{4}-\d{2}-\d{2}|\d{8}|latest|\d{3}|v\d+(:\d+)?)$/;

const requiredFields = ['provider', 'contextWindow', 'maxOutputTokens', 'tokenizer'] as const;
// A record, so that a capability added to `ModelCapabilities` cannot be forgotten here.
const capabilityFields = Object.keys({
  tools: true,
  jsonSchema: true,
  vision: true,
  streaming: true,
  prefill: true,
} satisfies Record<keyof ModelCapabilities, true>) as Array<keyof ModelCapabilities>;

function merge(base: ModelInfo | undefined, override: ModelOverride): ModelInfo {
  if (base === undefined) {
    // A new model has nothing to inherit: every field, every capability included, must be given.
    const missing: string[] = requiredFields.filter((field) => override[field] === undefined);
    const capabilities = override.capabilities;
    if (capabilities === undefined) {
      missing.push('capabilities');
    } else {
      for (const field of capabilityFields) {
        if (capabilities[field] === undefined) missing.push(`capabilities.${field}`);
      }
    }
    if (missing.length > 0) {
      throw new TypeError(`Catalog entry "${override.id}" is a new model and needs ${missing.join(', ')}`);
    }
  }
  const capabilities = { ...base?.capabilities, ...override.capabilities } as ModelInfo['capabilities'];
  return { ...base, ...override, capabilities } as ModelInfo;
}

/**
 * A catalog of the built-in models with the user's entries applied: an entry with a known `id` changes
 * only the fields it gives; an entry with a new `id` adds a model and must be complete.
 */
export function createCatalog(overrides: readonly ModelOverride[] = []): Catalog {
  const byId = new Map<string, ModelInfo>();
  for (const model of builtInModels) byId.set(model.id, model);
  for (const override of overrides) byId.set(override.id, merge(byId.get(override.id), override));
  return {
    get(model) {
      let name = model.startsWith('models/') ? model.slice(7) : model;
      for (;;) {
        const found = byId.get(name);
        if (found !== undefined) return found;
        const shorter = name.replace(snapshotSuffix, '');
        if (shorter === name) return undefined;
        name = shorter;
      }
    },
    list: () => [...byId.values()],
  };
}
