export { extractJson, type JsonCandidate, jsonCandidates } from './extract-json.ts';
export { detectRefusal, type RefusalOptions, type RefusalVerdict, refusalPhrases } from './refusal.ts';
export {
  jsonSchema,
  type ObjectSchema,
  type SchemaOutput,
  type StandardSchema,
  type TypedJsonSchema,
  toJsonSchema,
  type Validation,
  validate,
} from './schema.ts';
