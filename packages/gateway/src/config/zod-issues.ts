import type { z } from 'zod';

/** A problem at a field, before it is given a line. */
export interface FieldIssue {
  path: readonly PropertyKey[];
  message: string;
  /** Point at the field's key rather than its value (an unknown key). */
  at: 'key' | 'value';
  /** Where to point when it is not `path` itself (several unknown keys: the first of them). */
  position?: readonly PropertyKey[];
}

/**
 * Zod's issues as one issue per field, in words a config author reads: a union ("`false` or an
 * object") reports the branch the value was meant for; an unknown key is reported at that key; a
 * missing field says so. `input` is the validated value, to say what was found instead.
 */
export function fieldIssues(issues: readonly z.core.$ZodIssue[], input: unknown): FieldIssue[] {
  return issues.flatMap((issue) => fromIssue(issue, [], input));
}

function fromIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[], input: unknown): FieldIssue[] {
  const path = [...prefix, ...issue.path];
  switch (issue.code) {
    case 'invalid_union':
      return fromUnion(issue, path, input);
    case 'unrecognized_keys': {
      const [first] = issue.keys;
      if (first === undefined) return [{ path, message: issue.message, at: 'value' }];
      // One key: the issue is that key's. Several: it is the object's, shown at the first of them.
      const position = [...path, first];
      return [
        { path: issue.keys.length === 1 ? position : path, message: issue.message, at: 'key', position },
      ];
    }
    case 'invalid_key':
      // A record's key (a provider name): the key's own complaint, at the key.
      return issue.issues.map((inner) => ({ path, message: inner.message, at: 'key' as const }));
    case 'invalid_type': {
      const value = valueAt(input, path);
      const message =
        value === undefined
          ? `missing (expected ${expectedName(issue.expected)})`
          : `expected ${expectedName(issue.expected)}, got ${typeOf(value)}`;
      return [{ path, message, at: 'value' }];
    }
    default:
      return [{ path, message: issue.message, at: 'value' }];
  }
}

function fromUnion(
  issue: z.core.$ZodIssueInvalidUnion,
  path: readonly PropertyKey[],
  input: unknown,
): FieldIssue[] {
  if (issue.inclusive !== false && issue.discriminator !== undefined && issue.errors.length === 0) {
    // A discriminated union (`type:` of a provider, a rule, a sink): say which values it takes.
    const options = (issue.options ?? []).map(String).join(', ');
    const value = valueAt(input, path);
    const message =
      value === undefined
        ? `missing; expected one of: ${options}`
        : `unknown ${issue.discriminator} ${JSON.stringify(value)}; expected one of: ${options}`;
    return [{ path, message, at: 'value' }];
  }
  // Several branches accepted the value (an exclusive union); none of ours is one.
  if (issue.inclusive === false) return [{ path, message: issue.message, at: 'value' }];
  // A branch whose only complaint is the value's type at the root was not the one meant.
  const meant = issue.errors.filter(
    (branch) => !branch.every((inner) => inner.path.length === 0 && isTypeMismatch(inner)),
  );
  const chosen = deepest(meant);
  if (chosen !== undefined) return chosen.flatMap((inner) => fromIssue(inner, path, input));
  const expected = issue.errors.flatMap((branch) => branch.map(describeExpected));
  const value = valueAt(input, path);
  const got = value === undefined ? 'nothing' : typeOf(value);
  return [{ path, message: `expected ${[...new Set(expected)].join(' or ')}, got ${got}`, at: 'value' }];
}

function isTypeMismatch(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'invalid_type' || issue.code === 'invalid_value';
}

/** The branch whose issues reach deepest into the value: the one the author was writing. */
function deepest(
  branches: readonly (readonly z.core.$ZodIssue[])[],
): readonly z.core.$ZodIssue[] | undefined {
  let best: readonly z.core.$ZodIssue[] | undefined;
  let bestDepth = -1;
  for (const branch of branches) {
    const depth = Math.max(...branch.map((inner) => inner.path.length));
    if (depth > bestDepth) {
      best = branch;
      bestDepth = depth;
    }
  }
  return best;
}

function describeExpected(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') return issue.values.map((value) => JSON.stringify(value)).join(' or ');
  if (issue.code === 'invalid_type') return expectedName(issue.expected);
  return issue.message;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function expectedName(expected: string): string {
  if (expected === 'object') return 'a mapping';
  if (expected === 'array') return 'a list';
  return expected;
}

/**
 * A YAML author's name for the type of a value. A string's text is left out: it may have come from
 * an environment variable holding a key.
 */
function typeOf(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  return `${typeof value} ${String(value)}`;
}
