import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioInput, type Simulator, startSimulator } from '../index.ts';

const model = 'claude-sonnet-4-5';
const question: Anthropic.MessageParam = { role: 'user', content: 'What is the weather in Oslo?' };
const params: Anthropic.MessageCreateParamsNonStreaming = { model, max_tokens: 1024, messages: [question] };
const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Current weather in a city',
  input_schema: {
    type: 'object',
    properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1 } },
    required: ['city', 'days'],
  },
};

function textOf(message: Anthropic.Message): string {
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

describe('Anthropic tools and structured output through @anthropic-ai/sdk', () => {
  let sim: Simulator;
  let client: Anthropic;

  function use(scenario: ScenarioInput): void {
    sim.setScenario(scenario);
    sim.reset();
  }

  beforeAll(async () => {
    sim = await startSimulator();
    client = new Anthropic({ baseURL: sim.url, apiKey: 'sk-ant-test', maxRetries: 0 });
  });

  afterAll(() => sim.close());

  describe('tools', () => {
    it('answers tool_choice any with a tool_use block whose input has the schema properties', async () => {
      use({});
      const message = await client.messages.create({
        ...params,
        tools: [weatherTool],
        tool_choice: { type: 'any' },
      });

      expect(message.stop_reason).toBe('tool_use');
      expect(message.content).toEqual([
        {
          type: 'tool_use',
          id: expect.stringMatching(/^toolu_/),
          name: 'get_weather',
          input: { city: expect.any(String), days: expect.any(Number) },
        },
      ]);
    });

    it('calls the tool that tool_choice names', async () => {
      use({});
      const other: Anthropic.Tool = { name: 'get_time', input_schema: { type: 'object', properties: {} } };
      const message = await client.messages.create({
        ...params,
        tools: [other, weatherTool],
        tool_choice: { type: 'tool', name: 'get_weather' },
      });

      expect(message.content[0]).toMatchObject({ type: 'tool_use', name: 'get_weather' });
    });

    it('streams the tool input as input_json_delta fragments that concatenate to the same JSON', async () => {
      use({});
      const request = { ...params, tools: [weatherTool], tool_choice: { type: 'any' } as const };
      const nonStreaming = await client.messages.create(request);
      const stream = await client.messages.create({ ...request, stream: true });
      let json = '';
      let fragments = 0;
      let start: Anthropic.RawContentBlockStartEvent | undefined;
      for await (const event of stream) {
        if (event.type === 'content_block_start') start = event;
        if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') {
          json += event.delta.partial_json;
          fragments++;
        }
      }

      expect(start?.content_block).toMatchObject({ type: 'tool_use', name: 'get_weather', input: {} });
      expect(fragments).toBeGreaterThan(1);
      expect(JSON.parse(json)).toEqual((nonStreaming.content[0] as Anthropic.ToolUseBlock).input);
    });

    it('builds the tool input in messages.stream() and stops with tool_use', async () => {
      use({});
      const final = await client.messages
        .stream({ ...params, tools: [weatherTool], tool_choice: { type: 'any' } })
        .finalMessage();

      expect(final.stop_reason).toBe('tool_use');
      expect(final.content[0]).toMatchObject({ type: 'tool_use', input: { city: expect.any(String) } });
    });

    it('never calls a tool under tool_choice none, even for a model that calls tools unasked', async () => {
      use({ models: { '*': { callTools: true } } });
      const auto = await client.messages.create({ ...params, tools: [weatherTool] });
      const none = await client.messages.create({
        ...params,
        tools: [weatherTool],
        tool_choice: { type: 'none' },
      });

      expect(auto.stop_reason).toBe('tool_use');
      expect(none.stop_reason).toBe('end_turn');
      expect(none.content).toEqual([{ type: 'text', text: expect.stringMatching(/\w/) }]);
    });

    it('answers in text after a tool_result, even when the tool choice is still any', async () => {
      use({});
      const call = await client.messages.create({
        ...params,
        tools: [weatherTool],
        tool_choice: { type: 'any' },
      });
      const toolUse = call.content[0] as Anthropic.ToolUseBlock;
      const answer = await client.messages.create({
        ...params,
        tools: [weatherTool],
        tool_choice: { type: 'any' },
        messages: [
          question,
          { role: 'assistant', content: call.content },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'Sunny, 21 °C' }],
          },
        ],
      });

      expect(answer.stop_reason).toBe('end_turn');
      expect(answer.content).toEqual([{ type: 'text', text: expect.stringMatching(/\w/) }]);
    });
  });

  describe('structured output', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer' },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['name', 'age', 'tags'],
      additionalProperties: false,
    };

    it('answers output_config json_schema with a text block that parses to the schema shape', async () => {
      use({});
      const message = await client.messages.create({
        ...params,
        output_config: { format: { type: 'json_schema', schema } },
      });

      expect(message.stop_reason).toBe('end_turn');
      expect(message.content).toHaveLength(1);
      expect(JSON.parse(textOf(message))).toEqual({
        name: expect.any(String),
        age: expect.any(Number),
        tags: [expect.any(String)],
      });
    });

    it('streams the same JSON text', async () => {
      use({});
      const request = { ...params, output_config: { format: { type: 'json_schema' as const, schema } } };
      const nonStreaming = await client.messages.create(request);
      const final = await client.messages.stream(request).finalMessage();

      expect(textOf(final)).toBe(textOf(nonStreaming));
    });
  });
});
