export { type Catalog, createCatalog, type ModelOverride } from './catalog.ts';
export { estimateTokens, fitsContext } from './estimate-tokens.ts';
export type { ModelCapabilities, ModelInfo, ModelPricing } from './model-info.ts';
export { builtInModels } from './models.ts';
