import type { Catalog } from '../../packages/core/src/catalog/catalog.ts';
import { type ClientUnderTest, judged, type Outcome } from './client-under-test.ts';
import { AttemptTimeout, guardedFetch } from './guarded-fetch.ts';
import { type OpenAiUsage, primaryCostUsd } from './openai-usage-cost.ts';
import { type ChaosScenario, fullAnswer, primaryModel } from './scenarios.ts';

/** The parts of a Chat Completions answer or chunk the naive client reads. */
interface Completion {
  choices: Array<{
    message?: { content: string | null };
    delta?: { content?: string | null };
    finish_reason: string | null;
  }>;
  usage?: OpenAiUsage | null;
}

/** What the naive client got before it stopped. */
interface Received {
  text: string;
  finished: boolean;
  usage: OpenAiUsage | null | undefined;
}

/** Reads an SSE body the way hand-written client code does: `data:` lines, one JSON chunk each. */
async function readStream(body: ReadableStream<Uint8Array>): Promise<Received> {
  const received: Received = { text: '', finished: false, usage: undefined };
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const bytes of body) {
    buffered += decoder.decode(bytes, { stream: true });
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '[DONE]') return received;
      // A chunk that does not parse throws, and the caller gets an error: no recovery here.
      const chunk = JSON.parse(data) as Completion;
      const choice = chunk.choices[0];
      received.text += choice?.delta?.content ?? '';
      if (choice?.finish_reason === 'stop') received.finished = true;
      if (chunk.usage) received.usage = chunk.usage;
    }
  }
  return received;
}

function failureOf(error: unknown): string {
  if (error instanceof AttemptTimeout) return 'timeout';
  if (error instanceof SyntaxError) return 'unparseable chunk';
  // undici's word for a body whose connection closed before it ended.
  if (error instanceof TypeError && error.message === 'terminated') return 'connection cut';
  return 'connection';
}

/**
 * The naive client: one `fetch` to the primary, no retries, no fallback; the same time limits as the
 * others (`guardedFetch`).
 */
export function naiveClient(simulatorUrl: string, catalog: Catalog): ClientUnderTest {
  const url = `${simulatorUrl}/v1/chat/completions`;
  return {
    async send(scenario: ChaosScenario, startedAtMs: number): Promise<Outcome> {
      const sentAt = performance.now();
      const outcome = (fields: Omit<Outcome, 'startedAtMs' | 'latencyMs' | 'fallback'>): Outcome => ({
        startedAtMs,
        latencyMs: performance.now() - sentAt,
        fallback: false,
        ...fields,
      });
      let received: Received | undefined;
      try {
        const response = await guardedFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
          body: JSON.stringify({
            model: primaryModel,
            messages: [{ role: 'user', content: scenario.prompt }],
            ...(scenario.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
          }),
        });
        if (!response.ok) {
          const body = (await response.json().catch(() => undefined)) as { error?: { code?: unknown } };
          const filtered = response.status === 400 && body?.error?.code === 'content_filter';
          return outcome({
            result: filtered && scenario.expect === 'refusal' ? 'refused' : 'failed',
            failure: filtered ? 'content filter' : `HTTP ${response.status}`,
            costUsd: 0,
          });
        }
        if (scenario.stream && response.body !== null) {
          received = await readStream(response.body);
        } else {
          const completion = (await response.json()) as Completion;
          const choice = completion.choices[0];
          received = {
            text: choice?.message?.content ?? '',
            finished: choice?.finish_reason === 'stop',
            usage: completion.usage,
          };
        }
      } catch (error) {
        return outcome({
          result: 'failed',
          failure: failureOf(error),
          costUsd: primaryCostUsd(catalog, received?.usage),
        });
      }
      return outcome({
        ...judged(scenario, received.text, received.finished, fullAnswer),
        costUsd: primaryCostUsd(catalog, received.usage),
      });
    },
  };
}
