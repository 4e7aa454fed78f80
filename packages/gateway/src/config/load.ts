// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${NAME}` is the config file's variable syntax, not a template.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError, type ConfigIssue } from './config-error.ts';
import { type Environment, interpolateEnv } from './env.ts';
import { checkReferences } from './references.ts';
import { configSchema, type GatewayConfigFile } from './schema.ts';
import { locate } from './yaml-positions.ts';
import { type FieldIssue, fieldIssues } from './zod-issues.ts';

/** A validated config: variables interpolated, defaults applied, the simulator scenario's path absolute. */
export type LoadedConfig = GatewayConfigFile & {
  /** The file it was read from (or the name given to `parseConfig`). */
  readonly source: string;
};

/** Options of `parseConfig` and `loadConfig`. */
export interface ParseConfigOptions {
  /** What `${NAME}` reads. @default process.env */
  env?: Environment;
  /** What relative paths in the file (the simulator scenario) are relative to. @default the file's folder */
  baseDir?: string;
}

/**
 * Parses and validates config text. A YAML syntax error is reported alone (the first one); otherwise
 * every problem is collected, unset variables, fields, then references between sections once the
 * fields are valid, and thrown together as one `ConfigError`, each at its line and column.
 * @throws ConfigError
 */
export function parseConfig(text: string, source: string, options: ParseConfigOptions = {}): LoadedConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  const [syntaxError] = document.errors;
  if (syntaxError !== undefined) {
    // Only the first: a document with a syntax error has no reliable structure after it, and the
    // parser's later complaints are mostly echoes of the first (an unclosed bracket, say).
    const position = at(syntaxError.pos[0]);
    const quoted = text.split('\n')[position.line - 1]?.includes('${') === true;
    const hint = quoted ? ' (a ${…} value inside { } or [ ] must be quoted: "${NAME}")' : '';
    throw new ConfigError(source, [
      { path: '', ...position, message: `not valid YAML: ${firstLine(syntaxError.message)}${hint}` },
    ]);
  }

  const issues: ConfigIssue[] = [];
  const envIssues = interpolateEnv(document, options.env ?? process.env);
  for (const issue of envIssues) {
    issues.push({ path: dotted(issue.path), ...at(issue.offset), message: issue.message });
  }

  const input: unknown = document.toJS();
  if (input === null || input === undefined) {
    throw new ConfigError(source, [{ path: '', line: 1, column: 1, message: 'the file is empty' }]);
  }
  const parsed = configSchema.safeParse(input);
  // A field whose variable is unset fails validation too; the variable is the problem to report.
  const unresolved = envIssues.map((issue) => dotted(issue.path));
  const explained = (issue: FieldIssue): boolean => {
    const path = dotted(issue.path);
    return unresolved.some((prefix) => path === prefix || path.startsWith(`${prefix}.`));
  };
  let fieldProblems: FieldIssue[] = [];
  if (!parsed.success) {
    fieldProblems = fieldIssues(parsed.error.issues, input).filter((issue) => !explained(issue));
  } else if (envIssues.length === 0) {
    // References are read from values; with a variable unset, a value is not yet what it will be.
    fieldProblems = checkReferences(parsed.data);
  }
  for (const issue of fieldProblems) {
    const { line, column } = locate(document, lineCounter, issue.position ?? issue.path, issue.at);
    issues.push({ path: dotted(issue.path), line, column, message: issue.message });
  }

  if (issues.length > 0 || !parsed.success) throw new ConfigError(source, sortedUnique(issues));
  const baseDir = options.baseDir ?? dirname(resolve(source));
  const config = parsed.data;
  const simulator =
    config.simulator?.scenario === undefined
      ? config.simulator
      : { ...config.simulator, scenario: resolve(baseDir, config.simulator.scenario) };
  return { ...config, ...(simulator === undefined ? {} : { simulator }), source };
}

/**
 * Reads and validates a config file.
 * @throws ConfigError when it is invalid; the error of `readFile` when it cannot be read
 */
export async function loadConfig(path: string, options: ParseConfigOptions = {}): Promise<LoadedConfig> {
  return parseConfig(await readFile(path, 'utf8'), path, options);
}

function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function sortedUnique(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return [...issues]
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .filter((issue) => {
      const key = `${issue.line}:${issue.column}:${issue.path}:${issue.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
