import type { ScenarioInput } from '../../packages/simulator/src/index.ts';

/**
 * The two simulator models, named like real ones so that the catalog's list prices apply: the primary
 * speaks OpenAI Chat Completions, the fallback Anthropic Messages.
 */
export const primaryModel = 'gpt-4o-mini';
export const fallbackModel = 'claude-haiku-4-5';

/** The whole answer every model gives (63 tokens as the simulator cuts them); a stream must deliver all of it. */
export const fullAnswer =
  'A retry budget caps the extra load that retries add during an outage. Without one, every failed ' +
  'request retries three times, and a provider that is already struggling sees four times its normal ' +
  'traffic. With a budget of twenty percent, retries stop once they reach a fifth of recent requests, ' +
  'and the remaining failures move to the fallback at once.';

export const shortPrompt = 'Why does a client of an LLM API need a retry budget? Answer in one paragraph.';

// About 2,000 tokens by the simulator's estimate (4 characters a token): twice the primary's window in
// the context-length scenario, far inside the fallback's.
const longPrompt = `${'Here is the incident log of last night, line by line, for the review. '.repeat(110)}${shortPrompt}`;

type ModelInput = NonNullable<ScenarioInput['models']>[string];

/**
 * Latency of a healthy model: 20 ms to the headers, 50 ms to the first token, then 400 tokens a second,
 * so an answer takes about 225 ms (a fast hosted model; real ones are slower, which only stretches
 * every figure alike).
 */
const healthy: ModelInput = { latencyMs: 20, firstTokenMs: 50, tokensPerSecond: 400, reply: fullAnswer };

/** One failure scenario of the scorecard. */
export interface ChaosScenario {
  name: string;
  /** What is wrong, in a few words, for the tables. */
  description: string;
  /** Requests are streamed (and a success must deliver the whole answer and end cleanly). */
  stream: boolean;
  prompt: string;
  /** What the primary model does, on top of the healthy latencies. */
  primary: ModelInput;
  /** What the fallback model does, on top of the healthy latencies. */
  fallback?: ModelInput;
  /**
   * Some candidate can answer, so Steadfast's ≥ 99.9 % target applies. False when everything is down,
   * and for the content filter, where the right outcome is a refusal.
   */
  healthyCandidate: boolean;
  /** `refusal`: the request must be refused, not answered (by any model). */
  expect: 'answer' | 'refusal';
  /** Also send the same load straight to the fallback model (no engine), for its own latency. */
  measureFallbackAlone?: boolean;
}

/** The simulator scenario of one run. */
export function simulatorScenario(scenario: ChaosScenario): ScenarioInput {
  return {
    seed: 7,
    models: {
      [primaryModel]: { ...healthy, ...scenario.primary },
      [fallbackModel]: { ...healthy, ...scenario.fallback },
    },
  };
}

// Faults that hit some requests hit 30 % of the primary's attempts, drawn from the scenario's seed, so
// every client meets the same sequence of faulty attempts.
const someAttempts = 0.3;

export const scenarios: readonly ChaosScenario[] = [
  {
    name: 'healthy',
    description: 'no faults (control)',
    stream: false,
    prompt: shortPrompt,
    primary: {},
    healthyCandidate: true,
    expect: 'answer',
  },
  {
    name: 'rate-limit-30',
    description: '30 % of primary attempts: 429 with retry-after 0.2 s',
    stream: false,
    prompt: shortPrompt,
    primary: {
      faults: [{ fault: { kind: 'rate_limit', retryAfterSeconds: 0.2 }, probability: someAttempts }],
    },
    healthyCandidate: true,
    expect: 'answer',
  },
  {
    name: 'quota',
    description: 'primary: every attempt 429 insufficient_quota',
    stream: false,
    prompt: shortPrompt,
    primary: { faults: [{ fault: 'quota' }] },
    healthyCandidate: true,
    expect: 'answer',
  },
  {
    name: 'primary-down',
    description: 'primary: every attempt 503',
    stream: false,
    prompt: shortPrompt,
    primary: { faults: [{ fault: 'unavailable' }] },
    healthyCandidate: true,
    expect: 'answer',
    measureFallbackAlone: true,
  },
  {
    name: 'down-then-recovering',
    description: 'primary: 503 from 1.0 s to 2.0 s into the run, healthy before and after',
    stream: false,
    prompt: shortPrompt,
    primary: { faults: [{ fault: 'unavailable', window: { fromMs: 1000, toMs: 2000 } }] },
    healthyCandidate: true,
    expect: 'answer',
  },
  {
    name: 'no-response',
    description: 'primary: accepts the request, never answers',
    stream: false,
    prompt: shortPrompt,
    primary: { faults: [{ fault: 'no_response' }] },
    healthyCandidate: true,
    expect: 'answer',
  },
  {
    name: 'slow-first-token',
    description: '30 % of primary streams: first token 3 s late',
    stream: true,
    prompt: shortPrompt,
    primary: {
      faults: [{ fault: { kind: 'slow_first_token', delayMs: 3000 }, probability: someAttempts }],
    },
    healthyCandidate: true,
    expect: 'answer',
  },
  {
    name: 'stream-cut',
    description: '30 % of primary streams: connection cut after 20 of 63 tokens',
    stream: true,
    prompt: shortPrompt,
    primary: { faults: [{ fault: { kind: 'stream_cut', afterChunks: 20 }, probability: someAttempts }] },
    healthyCandidate: true,
    expect: 'answer',
  },
  {
    name: 'stream-stall',
    description: '30 % of primary streams: silent for 10 s after 20 tokens, then cut',
    stream: true,
    prompt: shortPrompt,
    primary: {
      faults: [
        { fault: { kind: 'stream_stall', afterChunks: 20, stallMs: 10_000 }, probability: someAttempts },
      ],
    },
    healthyCandidate: true,
    expect: 'answer',
  },
  {
    name: 'malformed-chunk',
    description: '30 % of primary streams: an unparseable chunk after 20 tokens, then the rest',
    stream: true,
    prompt: shortPrompt,
    primary: {
      faults: [{ fault: { kind: 'malformed_chunk', afterChunks: 20 }, probability: someAttempts }],
    },
    healthyCandidate: true,
    expect: 'answer',
  },
  {
    name: 'missing-done',
    description: '30 % of primary streams: end cleanly without data: [DONE]',
    stream: true,
    prompt: shortPrompt,
    primary: { faults: [{ fault: 'missing_done', probability: someAttempts }] },
    healthyCandidate: true,
    expect: 'answer',
  },
  {
    name: 'context-length',
    description: 'primary window 1,000 tokens, prompt ~2,000 (fallback window large)',
    stream: false,
    prompt: longPrompt,
    primary: { contextWindow: 1000 },
    healthyCandidate: true,
    expect: 'answer',
  },
  {
    name: 'content-filter',
    description: 'primary: every prompt blocked by the content filter (400); must be refused',
    stream: false,
    prompt: shortPrompt,
    primary: { faults: [{ fault: 'content_filter' }] },
    healthyCandidate: false,
    expect: 'refusal',
  },
  {
    name: 'all-down',
    description: 'primary and fallback: every attempt 503',
    stream: false,
    prompt: shortPrompt,
    primary: { faults: [{ fault: 'unavailable' }] },
    fallback: { faults: [{ fault: 'unavailable' }] },
    healthyCandidate: false,
    expect: 'answer',
  },
];
