// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${NAME}` is the config file's variable syntax, not a template.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { configSchema } from './schema.ts';

/** Where the committed JSON Schema lives: `packages/gateway/config.schema.json` (from `src/` and `dist/`). */
export const configJsonSchemaPath: string = fileURLToPath(
  new URL('../../config.schema.json', import.meta.url),
);

/** `${NAME}` or `${NAME:-default}`: what a value may be before interpolation, whatever its type after. */
const variableReference = {
  type: 'string',
  pattern: '^\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}$',
  description: 'An environment variable: ${NAME}, or ${NAME:-default}.',
};

/**
 * The config file's JSON Schema, from the zod schema, for editor completion and checking. Draft 7,
 * the draft the YAML language server and most editors read. The editor sees the file before its
 * variables are interpolated, so a number, a boolean, a hash or a URL may also be a `${NAME}` there.
 * Cross-field checks (a candidate's provider is configured, a key's routes exist) are not in it: only
 * `parseConfig` makes them.
 */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, {
    io: 'input',
    target: 'draft-07',
    override({ jsonSchema, path }) {
      if (path.includes('propertyNames') || 'const' in jsonSchema || 'enum' in jsonSchema) return;
      const constrainedString =
        jsonSchema.type === 'string' && (jsonSchema.pattern ?? jsonSchema.format) !== undefined;
      const scalar =
        jsonSchema.type === 'number' || jsonSchema.type === 'integer' || jsonSchema.type === 'boolean';
      if (!scalar && !constrainedString) return;
      const { description, default: fallback, ...value } = jsonSchema;
      for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
      Object.assign(jsonSchema, {
        ...(description === undefined ? {} : { description }),
        ...(fallback === undefined ? {} : { default: fallback }),
        anyOf: [value, variableReference],
      });
    },
  });
}

/** The JSON Schema as the committed file holds it (before `biome format`, which only changes layout). */
export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
