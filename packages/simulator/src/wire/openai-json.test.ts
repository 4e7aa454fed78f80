import type OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletionMessageParam, ResponseFormatJSONSchema } from 'openai/resources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Simulator, startSimulator } from '../index.ts';
import { drain, openAiClient } from '../test-support/openai-client.ts';

const model = 'gpt-4o-mini';
const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Describe Lisbon as JSON.' }];

const cityFormat: ResponseFormatJSONSchema = {
  type: 'json_schema',
  json_schema: {
    name: 'city',
    strict: true,
    schema: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        population: { type: 'integer' },
        coastal: { type: 'boolean' },
        districts: { type: 'array', items: { type: 'string' } },
      },
      required: ['name', 'population', 'coastal', 'districts'],
      additionalProperties: false,
    },
  },
};

/** Asserts the value has exactly the city schema's properties, each of its type. */
function expectCity(value: unknown): void {
  expect(value).toEqual({
    name: expect.any(String),
    population: expect.any(Number),
    coastal: expect.any(Boolean),
    districts: expect.arrayContaining([expect.any(String)]),
  });
  expect(Number.isInteger((value as { population: number }).population)).toBe(true);
}

describe('OpenAI structured output through the official client', () => {
  let sim: Simulator;
  let client: OpenAI;

  beforeAll(async () => {
    // A configured reply is prose; JSON mode must still answer JSON.
    sim = await startSimulator({ scenario: { models: { [model]: { reply: 'Lisbon is lovely.' } } } });
    client = openAiClient(sim.url);
  });
  afterAll(() => sim.close());

  it('answers a strict json_schema request with content that parses and has the schema properties', async () => {
    const completion = await client.chat.completions.create({ model, messages, response_format: cityFormat });

    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expectCity(JSON.parse(completion.choices[0]?.message.content ?? ''));
  });

  it('streams json_schema content that concatenates to the same JSON', async () => {
    const whole = await client.chat.completions.create({ model, messages, response_format: cityFormat });
    const drained = await drain(
      await client.chat.completions.create({ model, messages, response_format: cityFormat, stream: true }),
    );

    expect(drained.error).toBeUndefined();
    expect(drained.contentChunks).toBeGreaterThan(1);
    expect(drained.text).toBe(whole.choices[0]?.message.content);
  });

  it('is parsed by chat.completions.parse into message.parsed for a raw json_schema format', async () => {
    const completion = await client.chat.completions.parse({ model, messages, response_format: cityFormat });

    expectCity(completion.choices[0]?.message.parsed);
  });

  it('is parsed and validated by chat.completions.parse with a zod response format', async () => {
    const City = z.object({
      name: z.string(),
      founded: z.number().int(),
      climate: z.enum(['mediterranean', 'oceanic']),
      landmarks: z.array(z.object({ name: z.string(), visited: z.boolean() })),
    });

    const completion = await client.chat.completions.parse({
      model,
      messages,
      response_format: zodResponseFormat(City, 'city'),
    });

    const parsed = completion.choices[0]?.message.parsed;
    expect(City.safeParse(parsed).success).toBe(true);
    expect(parsed?.climate).toBe('mediterranean');
    expect(parsed?.landmarks.length).toBeGreaterThan(0);
  });

  it('answers a json_object request with content that parses as a JSON object', async () => {
    const completion = await client.chat.completions.create({
      model,
      messages,
      response_format: { type: 'json_object' },
    });

    const parsed: unknown = JSON.parse(completion.choices[0]?.message.content ?? '');
    expect(parsed).toBeTypeOf('object');
    expect(parsed).not.toBeNull();
    expect(Array.isArray(parsed)).toBe(false);
  });

  it('answers in the configured prose when no JSON is asked for', async () => {
    const completion = await client.chat.completions.create({ model, messages });

    expect(completion.choices[0]?.message.content).toBe('Lisbon is lovely.');
  });
});
