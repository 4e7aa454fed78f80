// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${NAME}` is the config file's variable syntax, not a template.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { configJsonSchema, configJsonSchemaPath } from './json-schema.ts';

const committed = JSON.parse(readFileSync(configJsonSchemaPath, 'utf8')) as Record<string, unknown>;
const example = (name: string): unknown =>
  parseYaml(readFileSync(fileURLToPath(new URL(`../../../../examples/${name}`, import.meta.url)), 'utf8'));

/** The errors of the committed schema for a config as an editor sees it: before interpolation. */
function editorErrors(config: unknown): Array<{ instancePath: string; message: string | undefined }> {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(committed);
  validate(config);
  return (validate.errors ?? []).map(({ instancePath, message }) => ({ instancePath, message }));
}

describe('config.schema.json', () => {
  it('is what the zod schema generates (run `npm run config:schema` after changing the schema)', () => {
    expect(committed).toEqual(configJsonSchema());
  });

  it('is a draft-07 schema with a title, which editors read', () => {
    expect(committed.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(committed.title).toBe('Steadfast gateway config');
  });

  it.each(['demo.yaml', 'production.yaml'])(
    'accepts examples/%s as written, ${…} values included',
    (name) => {
      expect(editorErrors(example(name))).toEqual([]);
    },
  );

  it('flags an unknown key deep in a route, as the loader does', () => {
    const config = {
      providers: { openai: { type: 'openai', apiKey: '${OPENAI_API_KEY}' } },
      routes: { chat: { candidates: ['openai/gpt-4o-mini'], policies: { retry: { maxRetry: 2 } } } },
    };
    expect(editorErrors(config)).toContainEqual({
      instancePath: '/routes/chat/policies/retry',
      message: 'must NOT have additional properties',
    });
  });

  it('lets a number be a ${NAME} reference, but not any other string', () => {
    const config = (port: unknown) => ({
      server: { port },
      providers: { openai: { type: 'openai', apiKey: 'k' } },
      routes: { chat: { candidates: ['openai/gpt-4o-mini'] } },
    });
    expect(editorErrors(config('${PORT:-8787}'))).toEqual([]);
    expect(editorErrors(config('eighty'))).not.toEqual([]);
  });
});
