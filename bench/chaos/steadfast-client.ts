import { costOf } from '../../packages/core/src/engine/cost.ts';
import {
  type Catalog,
  type ChatRequest,
  createAnthropic,
  createClient,
  createOpenAi,
  SteadfastError,
} from '../../packages/core/src/index.ts';
import { type ClientUnderTest, judged, limits, type Outcome } from './client-under-test.ts';
import { type ChaosScenario, fallbackModel, fullAnswer, primaryModel } from './scenarios.ts';

/** Steadfast as a scorecard client, and when the primary's breaker first opened. */
export interface SteadfastUnderTest extends ClientUnderTest {
  /** Ms since the run started when the primary's breaker first opened; undefined if it never did. */
  primaryOpenedAtMs(): number | undefined;
}

function failureOf(error: unknown): string {
  if (SteadfastError.isInstance(error)) return error.kind;
  return error instanceof Error ? error.name : 'unknown';
}

/**
 * Steadfast: one route, the primary (OpenAI wire) then the fallback (Anthropic wire), with the default
 * policies (retry, retry budget, breaker, rate-limit awareness, stream continuation) and the shared
 * time limits. A fresh client per run, so that no breaker or budget state carries over.
 */
export function steadfastClient(
  simulatorUrl: string,
  catalog: Catalog,
  runStart: number,
): SteadfastUnderTest {
  const client = createClient({
    providers: {
      openai: createOpenAi({ baseURL: `${simulatorUrl}/v1`, apiKey: 'sk-bench' }),
      anthropic: createAnthropic({ baseURL: simulatorUrl, apiKey: 'sk-ant-bench' }),
    },
    routes: {
      chat: { candidates: [`openai/${primaryModel}`, `anthropic/${fallbackModel}`] },
    },
    defaults: {
      attemptTimeoutMs: limits.attemptTimeoutMs,
      firstTokenTimeoutMs: limits.firstTokenTimeoutMs,
      idleTimeoutMs: limits.idleTimeoutMs,
    },
    catalog,
  });
  let openedAtMs: number | undefined;
  client.on((event) => {
    if (event.type === 'breaker' && event.to === 'open' && event.key === `openai/${primaryModel}`) {
      openedAtMs ??= performance.now() - runStart;
    }
  });

  return {
    primaryOpenedAtMs: () => openedAtMs,
    async send(scenario: ChaosScenario, startedAtMs: number): Promise<Outcome> {
      const sentAt = performance.now();
      const request: ChatRequest = { model: 'chat', messages: [{ role: 'user', content: scenario.prompt }] };
      const refusedOrFailed = (error: unknown, costUsd: number): Outcome => {
        const filtered = SteadfastError.isInstance(error) && error.kind === 'content_filter';
        return {
          startedAtMs,
          latencyMs: performance.now() - sentAt,
          result: filtered && scenario.expect === 'refusal' ? 'refused' : 'failed',
          failure: filtered ? 'content filter' : failureOf(error),
          costUsd,
          fallback: false,
        };
      };

      if (!scenario.stream) {
        try {
          const result = await client.chat(request);
          return {
            startedAtMs,
            latencyMs: performance.now() - sentAt,
            ...judged(scenario, result.text, result.finishReason === 'stop', fullAnswer),
            costUsd: result.resilience.costUsd,
            fallback: result.resilience.fallbackUsed,
          };
        } catch (error) {
          // A request fails only when no attempt answered, and only answers carry usage: its cost is 0.
          return refusedOrFailed(error, 0);
        }
      }

      const stream = client.stream(request);
      let text = '';
      let finished = false;
      let failure: unknown;
      try {
        for await (const event of stream) {
          if (event.type === 'text-delta') text += event.text;
          if (event.type === 'finish') finished = event.finishReason === 'stop';
          if (event.type === 'error') failure = event.error;
        }
      } catch (thrown) {
        // A stream promises to end with an `error` event and never to throw; count it if it does.
        return refusedOrFailed(Object.assign(new Error(String(thrown)), { name: 'stream threw' }), 0);
      }
      const report = await stream.report;
      if (failure !== undefined) return refusedOrFailed(failure, report.costUsd);
      return {
        startedAtMs,
        latencyMs: performance.now() - sentAt,
        ...judged(scenario, text, finished, fullAnswer),
        costUsd: report.costUsd,
        fallback: report.fallbackUsed,
      };
    },
  };
}

/**
 * The fallback model on its own: the bare Anthropic adapter Steadfast uses, no engine, the same attempt
 * limit. Its latency is the yardstick for Steadfast's once the primary's breaker is open.
 */
export function fallbackAloneClient(simulatorUrl: string, catalog: Catalog): ClientUnderTest {
  const adapter = createAnthropic({ baseURL: simulatorUrl, apiKey: 'sk-ant-bench' });
  return {
    async send(scenario: ChaosScenario, startedAtMs: number): Promise<Outcome> {
      const sentAt = performance.now();
      const request: ChatRequest = {
        model: fallbackModel,
        messages: [{ role: 'user', content: scenario.prompt }],
      };
      try {
        const response = await adapter.chat(request, { timeoutMs: limits.attemptTimeoutMs });
        return {
          startedAtMs,
          latencyMs: performance.now() - sentAt,
          ...judged(scenario, response.text, response.finishReason === 'stop', fullAnswer),
          costUsd: costOf(catalog, fallbackModel, response.usage),
          fallback: true,
        };
      } catch (error) {
        return {
          startedAtMs,
          latencyMs: performance.now() - sentAt,
          result: 'failed',
          failure: failureOf(error),
          costUsd: 0,
          fallback: true,
        };
      }
    },
  };
}
