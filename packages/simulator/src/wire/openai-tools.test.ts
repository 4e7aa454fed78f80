import type OpenAI from 'openai';
import { zodFunction } from 'openai/helpers/zod';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Simulator, startSimulator } from '../index.ts';
import { drain, onlyFunctionCall, openAiClient, streamedToolCalls } from '../test-support/openai-client.ts';

const weatherParameters = {
  type: 'object',
  properties: {
    city: { type: 'string', description: 'City name' },
    unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    days: { type: 'integer', minimum: 1 },
  },
  required: ['city', 'unit', 'days'],
  additionalProperties: false,
};

const weatherTool: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Forecast for a city',
    parameters: weatherParameters,
    strict: true,
  },
};

const timeTool: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_time',
    parameters: {
      type: 'object',
      properties: { timezone: { type: 'string' } },
      required: ['timezone'],
      additionalProperties: false,
    },
    strict: true,
  },
};

const question: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Lisbon for 3 days?' }];

/** Asserts that tool arguments have exactly the weather schema's properties, each of its type. */
function expectWeatherArguments(json: string): void {
  const parsed: unknown = JSON.parse(json);
  expect(Object.keys(parsed as object).sort()).toEqual(['city', 'days', 'unit']);
  expect(parsed).toEqual({
    city: expect.any(String),
    unit: expect.stringMatching(/^(celsius|fahrenheit)$/),
    days: expect.any(Number),
  });
  const { days } = parsed as { days: number };
  expect(Number.isInteger(days) && days >= 1).toBe(true);
}

describe('OpenAI tool calls through the official client', () => {
  let sim: Simulator;
  let client: OpenAI;

  beforeAll(async () => {
    sim = await startSimulator({
      scenario: { models: { 'gpt-4o-mini': {}, 'eager-caller': { callTools: true } } },
    });
    client = openAiClient(sim.url);
  });
  afterAll(() => sim.close());

  describe('when a call is required', () => {
    it('answers with a function call whose arguments are a JSON string matching the parameters schema', async () => {
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: question,
        tools: [weatherTool, timeTool],
        tool_choice: 'required',
      });

      const choice = completion.choices[0];
      expect(choice?.finish_reason).toBe('tool_calls');
      expect(choice?.message.content).toBeNull();
      const call = onlyFunctionCall(completion.choices[0]!.message);
      expect(call.id).toMatch(/^call_/);
      expect(call.function.name).toBe('get_weather');
      expect(typeof call.function.arguments).toBe('string');
      expectWeatherArguments(call.function.arguments);
    });

    it('calls the function named in tool_choice', async () => {
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: question,
        tools: [weatherTool, timeTool],
        tool_choice: { type: 'function', function: { name: 'get_time' } },
      });

      const call = onlyFunctionCall(completion.choices[0]!.message);
      expect(call.function.name).toBe('get_time');
      expect(JSON.parse(call.function.arguments)).toEqual({ timezone: expect.any(String) });
    });

    it('streams the call as an id-and-name fragment, then argument fragments that concatenate to the same arguments', async () => {
      const request: ChatCompletionCreateParamsNonStreaming = {
        model: 'gpt-4o-mini',
        messages: question,
        tools: [weatherTool],
        tool_choice: 'required',
      };
      const whole = onlyFunctionCall((await client.chat.completions.create(request)).choices[0]!.message);
      const drained = await drain(await client.chat.completions.create({ ...request, stream: true }));

      expect(drained.error).toBeUndefined();
      expect(drained.finishReason).toBe('tool_calls');
      expect(drained.text).toBe('');
      const fragments = drained.chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
      expect(fragments[0]).toMatchObject({
        index: 0,
        id: expect.stringMatching(/^call_/),
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      });
      expect(fragments.length).toBeGreaterThan(2);
      const [streamed] = streamedToolCalls(drained.chunks);
      expect(streamed?.name).toBe('get_weather');
      expect(streamed?.arguments).toBe(whole.function.arguments);
      expectWeatherArguments(streamed?.arguments ?? '');
    });
  });

  describe('when calling is optional', () => {
    it('answers in text with tool_choice auto', async () => {
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: question,
        tools: [weatherTool],
        tool_choice: 'auto',
      });

      expect(completion.choices[0]?.finish_reason).toBe('stop');
      expect(completion.choices[0]?.message.tool_calls).toBeUndefined();
      expect(completion.choices[0]?.message.content).not.toBe('');
    });

    it('calls the first tool for a model set to callTools', async () => {
      const completion = await client.chat.completions.create({
        model: 'eager-caller',
        messages: question,
        tools: [weatherTool, timeTool],
      });

      expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
      expect(onlyFunctionCall(completion.choices[0]!.message).function.name).toBe('get_weather');
    });

    it('never calls a tool with tool_choice none, even for a model set to callTools', async () => {
      const completion = await client.chat.completions.create({
        model: 'eager-caller',
        messages: question,
        tools: [weatherTool],
        tool_choice: 'none',
      });

      expect(completion.choices[0]?.finish_reason).toBe('stop');
      expect(completion.choices[0]?.message.tool_calls).toBeUndefined();
    });
  });

  describe('after a tool result', () => {
    it('answers the conversation in text', async () => {
      const first = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: question,
        tools: [weatherTool],
        tool_choice: 'required',
      });
      const assistant = first.choices[0]!.message;
      const call = onlyFunctionCall(assistant);

      const answer = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          ...question,
          { role: 'assistant', content: null, tool_calls: [call] },
          { role: 'tool', tool_call_id: call.id, content: '{"forecast":"sunny"}' },
        ],
        tools: [weatherTool],
        tool_choice: 'required',
      });

      expect(answer.choices[0]?.finish_reason).toBe('stop');
      expect(answer.choices[0]?.message.tool_calls).toBeUndefined();
      expect(answer.choices[0]?.message.content).toMatch(/\w+/);
    });
  });

  describe('chat.completions.parse with a zod function tool', () => {
    it('parses the call arguments with the tool schema', async () => {
      const completion = await client.chat.completions.parse({
        model: 'gpt-4o-mini',
        messages: question,
        tools: [
          zodFunction({
            name: 'get_weather',
            parameters: z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']) }),
          }),
        ],
        tool_choice: 'required',
      });

      const call = completion.choices[0]?.message.tool_calls?.[0];
      if (call?.type !== 'function') throw new Error('expected a function tool call');
      expect(call.function.parsed_arguments).toEqual({ city: expect.any(String), unit: 'celsius' });
    });
  });
});
