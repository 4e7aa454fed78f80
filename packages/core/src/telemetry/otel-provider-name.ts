import type { Attributes } from '@opentelemetry/api';
import type { ProviderAdapter, ProviderType } from '../providers/adapter.ts';

/** The client's providers, as given to `createClient`: by name, or adapters carrying their names. */
export type ProviderTypes =
  | Readonly<Record<string, Pick<ProviderAdapter, 'type'>>>
  | ReadonlyArray<Pick<ProviderAdapter, 'name' | 'type'>>;

/**
 * `gen_ai.provider.name` of each API with a well-known value in the GenAI conventions, and the older
 * `gen_ai.system` it replaced (which called Azure OpenAI `az.ai.openai`). An OpenAI-compatible server
 * has none: whoever runs it is named by its configured name, the best knowledge there is.
 */
const wellKnown: Partial<Record<ProviderType, { name: string; system: string }>> = {
  openai: { name: 'openai', system: 'openai' },
  azure: { name: 'azure.ai.openai', system: 'az.ai.openai' },
  anthropic: { name: 'anthropic', system: 'anthropic' },
  gemini: { name: 'gcp.gemini', system: 'gcp.gemini' },
};

function typesOf(providers: ProviderTypes | undefined): Map<string, ProviderType> {
  if (providers === undefined) return new Map();
  if (Array.isArray(providers)) {
    return new Map(
      (providers as ReadonlyArray<Pick<ProviderAdapter, 'name' | 'type'>>).map((p) => [p.name, p.type]),
    );
  }
  const byName = providers as Readonly<Record<string, Pick<ProviderAdapter, 'type'>>>;
  return new Map(Object.entries(byName).map(([name, p]) => [name, p.type]));
}

/**
 * The attributes naming a configured provider: `gen_ai.provider.name` and `gen_ai.system` after its
 * API, and `steadfast.provider` as configured. Without `providers`, a provider named after an API
 * (`openai`, `anthropic`, `gemini`, `azure`) is taken to be that API.
 */
export function providerNamer(providers: ProviderTypes | undefined): (configured: string) => Attributes {
  const types = typesOf(providers);
  const named = new Map<string, Attributes>();
  return (configured) => {
    let attributes = named.get(configured);
    if (attributes === undefined) {
      const type =
        types.get(configured) ??
        (Object.hasOwn(wellKnown, configured) ? (configured as ProviderType) : undefined);
      const known = type === undefined ? undefined : wellKnown[type];
      attributes = {
        'gen_ai.provider.name': known?.name ?? configured,
        'gen_ai.system': known?.system ?? configured,
        'steadfast.provider': configured,
      };
      named.set(configured, attributes);
    }
    return attributes;
  };
}
