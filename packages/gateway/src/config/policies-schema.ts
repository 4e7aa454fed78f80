import { breakerDefaults, type ErrorKind, errorKinds } from '@steadfast/core';
import { z } from 'zod';
import { strictObject, unknownKeysMessage } from './strict-object.ts';

const ms = z.number().int().nonnegative();
const positiveMs = z.number().int().positive();
const count = z.number().int().nonnegative();
const atLeastOne = z.number().int().positive();

/** An error kind of the engine (`rate_limited`, `server`, `timeout`…). */
export const errorKindSchema = z.enum(errorKinds as readonly [ErrorKind, ...ErrorKind[]]);

/** `false` turns a policy off; otherwise its options. */
function orOff<T extends z.ZodType>(options: T) {
  return z.union([z.literal(false), options]);
}

const retrySchema = strictObject({
  maxRetries: count.exactOptional().describe('Retries of one candidate after its first attempt. Default 3.'),
  baseDelayMs: ms.exactOptional().describe('Backoff base, in ms. Default 1000.'),
  maxDelayMs: ms
    .exactOptional()
    .describe('Longest wait before a retry, in ms; a provider asking for longer sends us on. Default 60000.'),
  jitter: z.enum(['full', 'equal', 'decorrelated', 'none']).exactOptional().describe('Default full.'),
  retryOn: z
    .partialRecord(errorKindSchema, z.boolean(), {
      // A key outside the enum is reported as unrecognized, which the record's issue type leaves out.
      error: (issue) => {
        const raw = issue as z.core.$ZodRawIssue;
        return raw.code === 'unrecognized_keys' ? unknownKeysMessage(raw.keys, errorKinds) : undefined;
      },
    })
    .exactOptional()
    .describe('Per-kind overrides of whether a kind is retried.'),
  retryTimeouts: z
    .boolean()
    .exactOptional()
    .describe('Retry a candidate that timed out before answering. Default false.'),
});

const retryBudgetSchema = strictObject({
  ratio: z.number().nonnegative().exactOptional().describe('Retries per request in the window. Default 0.2.'),
  minRetries: count.exactOptional().describe('Retries allowed however few requests. Default 10.'),
  windowMs: positiveMs.exactOptional().describe('Default 10000.'),
});

const breakerSchema = strictObject({
  consecutiveFailures: atLeastOne.exactOptional().describe('Consecutive failures that open it. Default 5.'),
  failureRateThreshold: z
    .number()
    .gt(0)
    .max(1)
    .exactOptional()
    .describe('Failure share over the window that opens it. Default 0.5.'),
  windowMs: positiveMs.exactOptional().describe('Window of the failure rate, in ms. Default 30000.'),
  minimumCalls: atLeastOne
    .exactOptional()
    .describe('Calls in the window before the rate counts. Default 10.'),
  openMs: positiveMs.exactOptional().describe('First open period, in ms. Default 30000.'),
  maxOpenMs: positiveMs.exactOptional().describe('Longest open period, in ms. Default 300000.'),
  openBackoffFactor: z.number().min(1).exactOptional().describe('Default 2.'),
  halfOpenProbes: atLeastOne.exactOptional().describe('Default 1.'),
  probeTimeoutMs: positiveMs.exactOptional().describe('Default 90000.'),
  slowCallMs: positiveMs.exactOptional().describe('A success slower than this counts as a failure.'),
  countKinds: z.array(errorKindSchema).exactOptional().describe('Kinds that count as provider failures.'),
}).refine(
  // The core checks this too, but only when the client is made, without a line to point at.
  (breaker) => (breaker.maxOpenMs ?? breakerDefaults.maxOpenMs) >= (breaker.openMs ?? breakerDefaults.openMs),
  { message: 'maxOpenMs must be at least openMs (maxOpenMs defaults to 300000)', path: ['maxOpenMs'] },
);

const refusalDetectionSchema = strictObject({
  phrases: z.array(z.string().min(1)).exactOptional().describe('Replaces the built-in refusal phrases.'),
  extraPhrases: z.array(z.string().min(1)).exactOptional().describe('Added to the built-in phrases.'),
  windowChars: count.exactOptional().describe('How far into the answer a phrase may start. Default 120.'),
  maxRefusalChars: count.exactOptional().describe('Longer answers are never refusals. Default 600.'),
});

const contentSchema = strictObject({
  refusal: z.enum(['fail', 'next', 'return']).exactOptional().describe('Default return.'),
  refusalDetection: refusalDetectionSchema.exactOptional(),
  truncation: z.enum(['fail', 'continue', 'accept']).exactOptional().describe('Default accept.'),
  maxContinuations: count.exactOptional().describe('Default 2.'),
  validateJson: z.boolean().exactOptional().describe('Enforce a json / json_schema response format.'),
  maxRepairs: count.exactOptional().describe('Default 2.'),
});

/** The policies of a route (or `defaults`, which every route starts from), as the config file writes them. */
export const policiesSchema = strictObject({
  deadlineMs: positiveMs
    .exactOptional()
    .describe('The whole request, every attempt included, in ms. Default 120000.'),
  attemptTimeoutMs: positiveMs.exactOptional().describe('One attempt, in ms. Default 60000.'),
  firstTokenTimeoutMs: positiveMs
    .exactOptional()
    .describe('Streams: until the first token, in ms. Default 30000.'),
  idleTimeoutMs: positiveMs.exactOptional().describe('Streams: longest silence, in ms. Default 30000.'),
  retry: orOff(retrySchema).exactOptional().describe('Retries of the same candidate; false turns them off.'),
  retryBudget: orOff(retryBudgetSchema).exactOptional().describe('Retries as a share of recent requests.'),
  breaker: orOff(breakerSchema).exactOptional().describe('A circuit breaker per provider/model.'),
  cache: orOff(
    strictObject({
      freshTtlMs: ms
        .exactOptional()
        .describe('Serve fresh hits this long, in ms. Default 0 (stale-if-error only).'),
      maxStaleMs: ms
        .exactOptional()
        .describe('Serve a stale answer when every candidate failed. Default 86400000.'),
    }),
  )
    .exactOptional()
    .describe('Stale-if-error cache; off unless set.'),
  rateLimitAware: z
    .boolean()
    .exactOptional()
    .describe('Skip or defer a candidate whose rate limit is spent. Default true.'),
  contentFilter: z.enum(['propagate', 'fallback']).exactOptional().describe('Default propagate.'),
  streamRecovery: z.enum(['continue', 'buffer', 'fail']).exactOptional().describe('Default continue.'),
  maxContinuations: count.exactOptional().describe('Continuations of one stream. Default 2.'),
  hedge: orOff(strictObject({ delayMs: ms.describe('Start the next candidate after this, in ms.') }))
    .exactOptional()
    .describe('Race the next candidate when the current one is slow.'),
  content: contentSchema.exactOptional().describe('Checks of the answer: refusals, truncation, JSON.'),
  degrade: strictObject({ text: z.string().min(1).describe('The answer, marked degraded.') })
    .exactOptional()
    .describe('The last resort when nothing could answer.'),
});

/** Route policies as written in the file. */
export type PoliciesConfig = z.output<typeof policiesSchema>;

/** The policy names, for the hint when one is written where it does not belong. */
export const policyNames: readonly string[] = Object.keys(policiesSchema.shape);
