const brand = Symbol.for('steadfast.config-error');

/** One problem of a config file, where it is. */
export interface ConfigIssue {
  /** The field, dotted (`routes.chat.candidates.1`); empty for the file as a whole. */
  path: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  message: string;
}

/**
 * A config file that cannot be used. The message has one line per issue, each as
 * `file:line:column field: problem`, the form editors and terminals turn into links.
 */
export class ConfigError extends Error {
  /** The file (or the name given to `parseConfig`). */
  readonly source: string;
  /** Every problem found, in the order of the file. */
  readonly issues: readonly ConfigIssue[];

  constructor(source: string, issues: readonly ConfigIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    const lines = issues.map((issue) => `  ${formatIssue(source, issue)}`);
    super(`Invalid config ${source} (${count}):\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.source = source;
    this.issues = issues;
  }

  /** True for a `ConfigError`, even one made by another copy of this package. */
  static isInstance(value: unknown): value is ConfigError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}

Object.defineProperty(ConfigError.prototype, brand, { value: true });

/** `examples/bad.yaml:12:7 routes.chat.candidates.1: provider "opnai" is not configured`. */
export function formatIssue(source: string, issue: ConfigIssue): string {
  return `${source}:${issue.line}:${issue.column} ${issue.path === '' ? '(file)' : issue.path}: ${issue.message}`;
}
