import OpenAI, { APIConnectionTimeoutError, APIError } from 'openai';
import type { Catalog } from '../../packages/core/src/catalog/catalog.ts';
import { type ClientUnderTest, judged, limits, type Outcome } from './client-under-test.ts';
import { AttemptTimeout, guardedFetch } from './guarded-fetch.ts';
import { type OpenAiUsage, primaryCostUsd } from './openai-usage-cost.ts';
import { type ChaosScenario, fullAnswer, primaryModel } from './scenarios.ts';

function failureOf(error: unknown): string {
  if (error instanceof APIConnectionTimeoutError || error instanceof AttemptTimeout) return 'timeout';
  if (error instanceof APIError && error.status !== undefined) return `HTTP ${error.status}`;
  if (error instanceof APIError) return error.constructor.name;
  if (error instanceof SyntaxError) return 'unparseable chunk';
  if (error instanceof TypeError && error.message === 'terminated') return 'connection cut';
  return error instanceof Error ? error.name : 'unknown';
}

/**
 * The official `openai` client with its defaults (2 retries, its own backoff, `retry-after` honoured),
 * aimed at the primary; it has no fallback. Its `timeout` and `fetch` carry the shared time limits.
 */
export function openAiClient(simulatorUrl: string, catalog: Catalog): ClientUnderTest {
  const openai = new OpenAI({
    apiKey: 'sk-bench',
    baseURL: `${simulatorUrl}/v1`,
    timeout: limits.attemptTimeoutMs,
    fetch: guardedFetch,
    // It logs every unparseable chunk at `error` level; the scorecard counts them instead.
    logLevel: 'off',
  });
  return {
    async send(scenario: ChaosScenario, startedAtMs: number): Promise<Outcome> {
      const sentAt = performance.now();
      const outcome = (fields: Omit<Outcome, 'startedAtMs' | 'latencyMs' | 'fallback'>): Outcome => ({
        startedAtMs,
        latencyMs: performance.now() - sentAt,
        fallback: false,
        ...fields,
      });
      const messages = [{ role: 'user' as const, content: scenario.prompt }];
      let text = '';
      let finished = false;
      let usage: OpenAiUsage | null | undefined;
      try {
        if (scenario.stream) {
          const stream = await openai.chat.completions.create({
            model: primaryModel,
            messages,
            stream: true,
            stream_options: { include_usage: true },
          });
          for await (const chunk of stream) {
            const choice = chunk.choices[0];
            text += choice?.delta.content ?? '';
            if (choice?.finish_reason === 'stop') finished = true;
            if (chunk.usage) usage = chunk.usage;
          }
        } else {
          const completion = await openai.chat.completions.create({ model: primaryModel, messages });
          const choice = completion.choices[0];
          text = choice?.message.content ?? '';
          finished = choice?.finish_reason === 'stop';
          usage = completion.usage;
        }
      } catch (error) {
        const filtered = error instanceof APIError && error.status === 400 && error.code === 'content_filter';
        return outcome({
          result: filtered && scenario.expect === 'refusal' ? 'refused' : 'failed',
          failure: filtered ? 'content filter' : failureOf(error),
          costUsd: primaryCostUsd(catalog, usage),
        });
      }
      return outcome({
        ...judged(scenario, text, finished, fullAnswer),
        costUsd: primaryCostUsd(catalog, usage),
      });
    },
  };
}
