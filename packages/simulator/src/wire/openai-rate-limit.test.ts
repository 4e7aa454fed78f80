import type OpenAI from 'openai';
import { RateLimitError } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../index.ts';
import { drain, openAiClient, rejectionOf } from '../test-support/openai-client.ts';

const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Hello' }];

describe('OpenAI rate-limit headers for a model with requestsPerMinute 2', () => {
  // The rate window runs on the simulator's clock; a fake one makes the reset values exact.
  let nowMs = 1_800_000_000_000;
  let sim: Simulator;
  let client: OpenAI;

  beforeAll(async () => {
    sim = await startSimulator({
      now: () => nowMs,
      scenario: { models: { limited: { rateLimit: { requestsPerMinute: 2 } } } },
    });
    client = openAiClient(sim.url);
  });
  beforeEach(() => sim.reset());
  afterAll(() => sim.close());

  it('counts remaining requests down, with the reset as a Go duration', async () => {
    const first = await client.chat.completions.create({ model: 'limited', messages }).asResponse();
    nowMs += 10;
    const second = await client.chat.completions.create({ model: 'limited', messages }).asResponse();

    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(first.headers.get('x-ratelimit-reset-requests')).toBe('1m0s');
    expect(second.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(second.headers.get('x-ratelimit-reset-requests')).toBe('59.99s');
  });

  it('sends no token headers when only requests are limited', async () => {
    const response = await client.chat.completions.create({ model: 'limited', messages }).asResponse();

    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(response.headers.get('x-ratelimit-limit-tokens')).toBeNull();
  });

  it('answers the third request in the window with a RateLimitError carrying retry-after', async () => {
    await client.chat.completions.create({ model: 'limited', messages });
    await client.chat.completions.create({ model: 'limited', messages });
    nowMs += 20_500;

    const error = await rejectionOf(client.chat.completions.create({ model: 'limited', messages }));

    if (!(error instanceof RateLimitError)) throw error;
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.message).toContain('Limit 2');
    expect(error.headers.get('retry-after')).toBe('40');
    expect(error.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(error.headers.get('x-ratelimit-reset-requests')).toBe('39.5s');
    expect(sim.log().at(-1)).toMatchObject({ outcome: 'rate_limited', status: 429 });
  });

  it('rate-limits a streaming request the same way, before any chunk', async () => {
    await client.chat.completions.create({ model: 'limited', messages });
    await client.chat.completions.create({ model: 'limited', messages });

    const error = await rejectionOf(
      client.chat.completions.create({ model: 'limited', messages, stream: true }).then(drain),
    );

    expect(error).toBeInstanceOf(RateLimitError);
  });

  it('admits requests again once the minute has passed', async () => {
    await client.chat.completions.create({ model: 'limited', messages });
    await client.chat.completions.create({ model: 'limited', messages });
    nowMs += 60_000;

    const response = await client.chat.completions.create({ model: 'limited', messages }).asResponse();

    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
  });
});

describe('OpenAI rate-limit headers for a model with tokensPerMinute', () => {
  let sim: Simulator;
  let client: OpenAI;

  beforeAll(async () => {
    sim = await startSimulator({
      now: () => 1_800_000_000_000,
      scenario: { models: { metered: { rateLimit: { tokensPerMinute: 1000 } } } },
    });
    client = openAiClient(sim.url);
  });
  afterAll(() => sim.close());

  it('counts the prompt and max_completion_tokens against the remaining tokens', async () => {
    const response = await client.chat.completions
      .create({ model: 'metered', messages, max_completion_tokens: 100 })
      .asResponse();

    expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('1000');
    const remaining = Number(response.headers.get('x-ratelimit-remaining-tokens'));
    expect(remaining).toBeLessThan(900);
    expect(remaining).toBeGreaterThan(800);
    expect(response.headers.get('x-ratelimit-reset-tokens')).toBe('1m0s');
  });

  it('rejects a request larger than what remains with a RateLimitError', async () => {
    const error = await rejectionOf(
      client.chat.completions.create({ model: 'metered', messages, max_completion_tokens: 5000 }),
    );

    expect(error).toBeInstanceOf(RateLimitError);
  });
});
