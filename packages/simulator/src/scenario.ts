import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const nonNegative = z.number().finite().nonnegative();
const afterChunks = z
  .number()
  .int()
  .nonnegative()
  .default(2)
  .describe('content chunks sent before the fault');

/** Every fault the simulator can inject, with its parameters. */
const faultSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('rate_limit'),
      /** `retry-after` header in seconds; absent means no header. */
      retryAfterSeconds: nonNegative.optional(),
      /** `retry-after-ms` header; absent means no header. */
      retryAfterMs: nonNegative.optional(),
    })
    .strict(),
  z.object({ kind: z.literal('quota') }).strict(),
  z.object({ kind: z.literal('server_error') }).strict(),
  z.object({ kind: z.literal('bad_gateway') }).strict(),
  z.object({ kind: z.literal('unavailable'), retryAfterSeconds: nonNegative.optional() }).strict(),
  z.object({ kind: z.literal('overloaded') }).strict(),
  z.object({ kind: z.literal('gateway_timeout') }).strict(),
  z.object({ kind: z.literal('context_length') }).strict(),
  z.object({ kind: z.literal('content_filter') }).strict(),
  z.object({ kind: z.literal('auth') }).strict(),
  z
    .object({
      kind: z.literal('http'),
      status: z.number().int().min(400).max(599),
      body: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
      headers: z.record(z.string(), z.string()).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('no_response') }).strict(),
  z.object({ kind: z.literal('reset') }).strict(),
  z.object({ kind: z.literal('slow_first_token'), delayMs: nonNegative.default(5000) }).strict(),
  z.object({ kind: z.literal('stream_cut'), afterChunks }).strict(),
  z.object({ kind: z.literal('stream_stall'), afterChunks, stallMs: nonNegative.default(30_000) }).strict(),
  z.object({ kind: z.literal('malformed_chunk'), afterChunks }).strict(),
  z.object({ kind: z.literal('missing_done') }).strict(),
  z.object({ kind: z.literal('stream_error'), afterChunks }).strict(),
  z.object({ kind: z.literal('empty') }).strict(),
  z.object({ kind: z.literal('refusal'), mode: z.enum(['native', 'phrase']).default('native') }).strict(),
  z.object({ kind: z.literal('truncated'), atTokens: z.number().int().positive().optional() }).strict(),
  z.object({ kind: z.literal('malformed_json') }).strict(),
]);

/** The `kind` a fault was written with: the name itself, or the object's `kind`. */
function writtenKind(input: unknown): unknown {
  return typeof input === 'object' && input !== null && 'kind' in input ? input.kind : input;
}

/** The message for a fault that names no known kind; zod's own ("Invalid input") names none. */
function unknownFaultMessage(input: unknown, allowOk: boolean): string {
  const known = `known faults: ${allowOk ? 'ok, ' : ''}${faultKinds.join(', ')}`;
  const kind = writtenKind(input);
  if (typeof kind === 'string') return `unknown fault "${kind}"; ${known}`;
  return `expected a fault name or an object with a \`kind\`; ${known}`;
}

/** The fault a bare name stands for; an unknown name is an issue naming every known one. */
function faultByName(name: string, ctx: z.RefinementCtx, allowOk: boolean): Fault {
  const parsed = faultSchema.safeParse({ kind: name });
  if (parsed.success) return parsed.data;
  ctx.addIssue({ code: 'custom', message: unknownFaultMessage(name, allowOk) });
  return z.NEVER;
}

/**
 * The message when neither union branch (name, object) accepts a fault. For a known kind the object's
 * own issues say what is wrong (a bad parameter); otherwise the kind is unknown.
 */
function faultUnionError(allowOk: boolean): z.core.$ZodErrorMap {
  return (issue) => {
    if (issue.code !== 'invalid_union') return undefined;
    const kind = writtenKind(issue.input);
    const objectIssues = issue.errors[1];
    if (faultKinds.some((known) => known === kind) && objectIssues !== undefined) {
      return objectIssues.map((inner) => `${inner.path.map(String).join('.')}: ${inner.message}`).join('; ');
    }
    return unknownFaultMessage(issue.input, allowOk);
  };
}

/** A fault as written in a scenario: its kind alone (`server_error`) or an object with parameters. */
const faultInput = z.union(
  [z.string().transform((name, ctx) => faultByName(name, ctx, false)), faultSchema],
  { error: faultUnionError(false) },
);

/**
 * A `sequence` step: `ok` or a fault. `ok` is read by the name branch, not as a union member of its own,
 * so that a known fault with a bad parameter reports that parameter rather than "unknown fault".
 */
const stepInput = z.union(
  [
    z.string().transform((name, ctx) => (name === 'ok' ? ('ok' as const) : faultByName(name, ctx, true))),
    faultSchema,
  ],
  { error: faultUnionError(true) },
);

const apiSchema = z.enum(['openai', 'azure', 'anthropic', 'gemini']);

/** When a fault applies. All given conditions must hold; a rule with none applies to every attempt. */
const ruleSchema = z
  .object({
    fault: faultInput,
    /** 1-based attempt numbers of this model (counted across all APIs since the last reset). */
    attempts: z.array(z.number().int().positive()).optional(),
    /** Chance per attempt, drawn from the scenario's seed (reproducible). */
    probability: z.number().min(0).max(1).optional(),
    /** Active from `fromMs` (inclusive) to `toMs` (exclusive), measured from start or the last reset. */
    window: z
      .object({ fromMs: nonNegative, toMs: nonNegative })
      .strict()
      .refine((window) => window.fromMs < window.toMs, 'fromMs must be less than toMs (an empty window)')
      .optional(),
    /** Only for streaming (true) or non-streaming (false) requests. */
    stream: z.boolean().optional(),
    /** Only for requests in these wire formats. */
    apis: z.array(apiSchema).optional(),
  })
  .strict();

const modelSchema = z
  .object({
    /** Delay before the response headers, in ms. */
    latencyMs: nonNegative.optional(),
    /** Delay from the headers to the first token (streams; added to the latency otherwise), in ms. */
    firstTokenMs: nonNegative.optional(),
    /** Output pace after the first token; 0 means as fast as possible. */
    tokensPerSecond: nonNegative.optional(),
    /** The full answer text; generated from `replyTokens` when absent. */
    reply: z.string().optional(),
    /** The answer when JSON is asked for; a sample of the request's schema when absent. */
    jsonReply: z.string().optional(),
    /** Length of the generated answer, in tokens (words). */
    replyTokens: z.number().int().nonnegative().optional(),
    /** Prompt tokens beyond which the model answers with a context-length error. */
    contextWindow: z.number().int().positive().optional(),
    /** The model answers a conversation ending in an assistant message with a 400 instead of continuing. */
    rejectsPrefill: z.boolean().optional(),
    /** Call the first tool whenever tools are offered, even when the tool choice is `auto`. */
    callTools: z.boolean().optional(),
    /** Enforced per-minute limits; when set, rate-limit headers are sent and excess gets a 429. */
    rateLimit: z
      .object({
        requestsPerMinute: z.number().int().positive(),
        tokensPerMinute: z.number().int().positive(),
      })
      .partial()
      .strict()
      .optional(),
    /** Outcomes by attempt number: `ok` or a fault; attempts past the end are `ok`. */
    sequence: z.array(stepInput).optional(),
    /** Fault rules, checked in order after `sequence`; the first that applies wins. */
    faults: z.array(ruleSchema).optional(),
  })
  .strict();

/** The whole scenario: models by name (`*` matches any other), shared defaults, seed and key. */
export const scenarioSchema = z
  .object({
    /** Seed for probabilistic faults; the same seed gives the same outcomes. */
    seed: z.number().int().default(1),
    /** When set, requests must carry this key in their API's usual header. */
    apiKey: z.string().optional(),
    /** Settings every model starts from. */
    defaults: modelSchema.optional(),
    models: z.record(z.string().min(1), modelSchema).default({ '*': {} }),
  })
  .strict();

export type Fault = z.output<typeof faultSchema>;
export type FaultKind = Fault['kind'];
export type FaultRule = z.output<typeof ruleSchema>;
export type ModelBehaviour = z.output<typeof modelSchema>;
/** A scenario as written (YAML, JSON or a TypeScript object). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A scenario after validation, with defaults applied. */
export type Scenario = z.output<typeof scenarioSchema>;
export type Api = z.output<typeof apiSchema>;

/** Every fault kind, for messages and documentation. */
export const faultKinds: readonly FaultKind[] = faultSchema.options.map((option) => option.shape.kind.value);

/** A scenario that failed validation; the message names every wrong field by its path. */
export class ScenarioError extends Error {
  constructor(source: string, issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
    const lines = issues.map(
      (issue) => `  - ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
    );
    super(`Invalid scenario ${source}:\n${lines.join('\n')}`);
    this.name = 'ScenarioError';
  }
}

/** Validates a scenario object, applying defaults. Throws a `ScenarioError` naming each bad field. */
export function parseScenario(input: unknown, source = '(inline)'): Scenario {
  const result = scenarioSchema.safeParse(input ?? {});
  if (!result.success) throw new ScenarioError(source, result.error.issues);
  return result.data;
}

/** Parses scenario text, YAML or JSON (JSON is YAML). */
export function parseScenarioText(text: string, source = '(inline)'): Scenario {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new ScenarioError(source, [
      { path: [], message: `not valid YAML or JSON: ${(error as Error).message}` },
    ]);
  }
  return parseScenario(data, source);
}

/** Reads and validates a scenario file (YAML or JSON). */
export async function loadScenarioFile(path: string): Promise<Scenario> {
  return parseScenarioText(await readFile(path, 'utf8'), path);
}

/** The behaviour of one model: `defaults` overlaid with the model's own entry (or `*`). */
export function modelBehaviour(scenario: Scenario, model: string): ModelBehaviour | undefined {
  const own = scenario.models[model] ?? scenario.models['*'];
  if (own === undefined) return undefined;
  return { ...scenario.defaults, ...own };
}
