/**
 * `npm run config:schema`: writes `packages/gateway/config.schema.json` from the zod schema. Commit
 * the result; a test fails when the two differ.
 */
import { writeFile } from 'node:fs/promises';
import { configJsonSchemaPath, renderConfigJsonSchema } from './json-schema.ts';

await writeFile(configJsonSchemaPath, renderConfigJsonSchema());
process.stdout.write(`wrote ${configJsonSchemaPath}\n`);
