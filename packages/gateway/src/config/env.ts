// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${NAME}` is the config file's variable syntax, not a template.
import { type Document, isMap, isScalar, isSeq, type Node, parse as parseYaml, Scalar } from 'yaml';

/** Where the in-process simulator's URL goes; kept as written until `buildGateway` knows the URL. */
export const simulatorReference = '${simulator}';

/** The environment interpolation reads: `process.env`, or a fixed one in tests. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** A reference that could not be resolved, at the node that holds it. */
export interface EnvIssue {
  path: readonly (string | number)[];
  /** Offset of the scalar in the text. */
  offset: number;
  message: string;
}

// `$${` is a literal `${`; `${…}` a reference; a `${` never closed is an error.
const reference = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const referenceBody = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string value of the document, in place (the
 * default applies when the variable is unset or empty, as in a shell). `$${` writes a literal `${`.
 * `${simulator}` is left for `buildGateway`; it may only start a provider's `baseURL` or `endpoint`,
 * and only when the file has a `simulator` section. A plain (unquoted) value that is one reference
 * alone takes the type its text has: `port: ${PORT:-8787}` is a number, `"${PORT}"` stays a string.
 * Values of variables never appear in the issues: they are often keys.
 */
export function interpolateEnv(document: Document, env: Environment): EnvIssue[] {
  const issues: EnvIssue[] = [];
  const hasSimulator = isMap(document.contents) && document.contents.has('simulator');

  function substitute(node: Scalar, text: string, path: readonly (string | number)[]): void {
    const offset = node.range?.[0] ?? 0;
    const problems: string[] = [];
    let whole = false;
    const result = text.replace(reference, (match, body: string | undefined, at: number) => {
      if (match === '$${') return '${';
      if (body === undefined) {
        problems.push('"${" is never closed; write "$${" for a literal "${"');
        return match;
      }
      if (match === simulatorReference) {
        if (!hasSimulator) problems.push('${simulator} is used, but the file has no simulator section');
        else if (at !== 0 || !isProviderUrl(path)) {
          problems.push("${simulator} may only start a provider's baseURL or endpoint");
        }
        return match;
      }
      const parsed = referenceBody.exec(body);
      if (parsed === null) {
        problems.push(`"${match}" is not a variable reference: write \${NAME} or \${NAME:-default}`);
        return match;
      }
      const [, name = '', fallback] = parsed;
      const value = env[name];
      whole = match === text;
      if (fallback !== undefined) return value === undefined || value === '' ? fallback : value;
      if (value === undefined) {
        problems.push(
          `environment variable ${name} is not set (write \${${name}:-default} to give a default)`,
        );
        return match;
      }
      return value;
    });
    for (const message of problems) issues.push({ path, offset, message });
    if (problems.length > 0 || result === text) return;
    node.value = whole && node.type === Scalar.PLAIN ? typedPlain(result) : result;
  }

  function walk(node: unknown, path: readonly (string | number)[]): void {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        walk(pair.value, [...path, typeof key === 'number' ? key : String(key)]);
      }
    } else if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) walk(item, [...path, index]);
    } else if (isScalar(node) && typeof node.value === 'string') {
      substitute(node, node.value, path);
    }
  }

  walk(document.contents as Node | null, []);
  return issues;
}

function isProviderUrl(path: readonly (string | number)[]): boolean {
  return path.length === 3 && path[0] === 'providers' && (path[2] === 'baseURL' || path[2] === 'endpoint');
}

/** What a plain YAML value with this text would be: a number or boolean, else the text itself. */
function typedPlain(text: string): string | number | boolean {
  try {
    const value: unknown = parseYaml(text);
    return typeof value === 'number' || typeof value === 'boolean' ? value : text;
  } catch {
    return text;
  }
}
