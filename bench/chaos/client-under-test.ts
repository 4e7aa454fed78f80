import type { ChaosScenario } from './scenarios.ts';

/**
 * The time limits every client gets, the same for all three. Steadfast takes them as route policies;
 * the naive and openai clients get them from `guardedFetch`, per HTTP attempt, as Steadfast applies them.
 */
export const limits = {
  /** One attempt, from sending to the last byte, in ms. */
  attemptTimeoutMs: 2000,
  /** Streams: from sending to the first token, in ms (Steadfast only; the others see it as silence). */
  firstTokenTimeoutMs: 1000,
  /** Longest silence once the response headers arrived, in ms. */
  idleTimeoutMs: 1000,
} as const;

/** How one request ended, as its caller saw it. */
export interface Outcome {
  /** When the request was sent, in ms since the run started. */
  startedAtMs: number;
  /** From sending to the answer or the error (the whole stream, for streams), in ms. */
  latencyMs: number;
  /**
   * `answered`: the whole answer arrived, and a stream ended cleanly with its finish reason;
   * `refused`: the client surfaced the provider's content filter as such; `failed`: anything else.
   */
  result: 'answered' | 'refused' | 'failed';
  /** What went wrong, in a few words (`HTTP 503`, `timeout`, `incomplete`); undefined when answered. */
  failure: string | undefined;
  /** What the tokens the client was told of cost at catalog prices, every attempt included, in USD. */
  costUsd: number;
  /** The answer came from the fallback model. */
  fallback: boolean;
}

/** One client of the comparison, aimed at the simulator. */
export interface ClientUnderTest {
  /** Sends one request of the scenario and reports how it ended; never throws. */
  send(scenario: ChaosScenario, startedAtMs: number): Promise<Outcome>;
}

/** The outcome of a request that delivered `text` (with `finished` telling it ended cleanly). */
export function judged(
  scenario: ChaosScenario,
  text: string,
  finished: boolean,
  fullAnswer: string,
): Pick<Outcome, 'result' | 'failure'> {
  if (!finished) return { result: 'failed', failure: 'incomplete' };
  if (text !== fullAnswer) return { result: 'failed', failure: 'wrong text' };
  return scenario.expect === 'refusal'
    ? { result: 'failed', failure: 'answered a filtered prompt' }
    : { result: 'answered', failure: undefined };
}
