import { ConfigError, formatIssue } from '../config-error.ts';
import { type ParseConfigOptions, parseConfig } from '../load.ts';

/** YAML text from lines: argument N is line N, so that a test's expected line numbers can be counted. */
export function yamlLines(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** Lines 1 to 7 of most test configs: two providers with literal keys. */
export const twoProviders: readonly string[] = [
  'providers:',
  '  openai:',
  '    type: openai',
  '    apiKey: sk-test-openai',
  '  anthropic:',
  '    type: anthropic',
  '    apiKey: sk-ant-test',
];

/** Lines 8 to 10: one route over both providers. */
export const chatRoute: readonly string[] = [
  'routes:',
  '  chat:',
  '    candidates: [openai/gpt-4o-mini, anthropic/claude-haiku-4-5]',
];

/** The `ConfigError` that `run` throws; fails the test when it throws nothing or something else. */
export function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (ConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

/**
 * The problems `parseConfig` finds in `text` (read as `test.yaml`, with an empty environment unless
 * one is given), one `file:line:column field: message` line each.
 */
export function problemsOf(text: string, options: ParseConfigOptions = {}): string[] {
  const error = configError(() =>
    parseConfig(text, 'test.yaml', { env: {}, baseDir: '/configs', ...options }),
  );
  return error.issues.map((issue) => formatIssue('test.yaml', issue));
}
