import type { Catalog } from '../catalog/catalog.ts';
import type { Usage } from '../neutral/response.ts';

/** What `usage` cost on `model` at the catalog's list prices, in USD; 0 when the price is unknown. */
export function costOf(catalog: Catalog, model: string, usage: Usage | undefined): number {
  if (usage === undefined) return 0;
  const pricing = catalog.get(model)?.pricing;
  if (pricing === undefined) return 0;
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const cachedPrice = pricing.cachedInputPerMTok ?? pricing.inputPerMTok;
  return (
    ((usage.inputTokens - cached) * pricing.inputPerMTok +
      cached * cachedPrice +
      usage.outputTokens * pricing.outputPerMTok) /
    1_000_000
  );
}
