import { describe, expect, it } from 'vitest';
import type { ChatRequest, ToolCallPart, ToolChoice, ToolDefinition } from '../../neutral/request.ts';
import { adapters } from './test-support/adapters.ts';
import { collect, count, finishOf, shape, textOf, toolCallsOf } from './test-support/events.ts';
import { ask, model, propertyNames, reply, timeTool, weatherTool } from './test-support/scenario.ts';
import { expectNothingInFlight, useConformance } from './test-support/simulator.ts';

const tools = [weatherTool, timeTool];

/** Each tool choice that forces a call, and the tool it must call (not always the first offered). */
const forcingChoices: Array<{ label: string; toolChoice: ToolChoice; expected: ToolDefinition }> = [
  { label: "'required'", toolChoice: 'required', expected: weatherTool },
  { label: '{ tool: get_time }', toolChoice: { tool: timeTool.name }, expected: timeTool },
];

/** The arguments of a call, which must be JSON text of an object. */
function parsedArguments(json: string): Record<string, unknown> {
  const value: unknown = JSON.parse(json);
  expect(value).toBeTypeOf('object');
  expect(Array.isArray(value)).toBe(false);
  return value as Record<string, unknown>;
}

/** The conversation after the model made `call`: the question, the call, then the tool's result. */
function afterToolResult(call: ToolCallPart): ChatRequest {
  const question = ask();
  return {
    ...question,
    tools,
    messages: [
      ...question.messages,
      { role: 'assistant', content: [call] },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: call.id,
            toolName: call.name,
            content: JSON.stringify({ temperature: 21, unit: 'celsius' }),
          },
        ],
      },
    ],
  };
}

const weatherCall: ToolCallPart = {
  type: 'tool-call',
  id: 'call_weather_1',
  name: weatherTool.name,
  arguments: JSON.stringify({ city: 'Lisbon', unit: 'celsius' }),
};

describe.each(adapters)('$name adapter: tool calls', (under) => {
  const conformance = useConformance(under);

  describe.each(forcingChoices)('with tool choice $label', ({ toolChoice, expected }) => {
    it("chat() returns one call to that tool, its arguments an object with the schema's properties", async () => {
      const response = await conformance.adapter.chat(ask(model, { tools, toolChoice }));

      expect(response.finishReason).toBe('tool_calls');
      expect(response.toolCalls).toHaveLength(1);
      const [call] = response.toolCalls;
      expect(call?.name).toBe(expected.name);
      expect(call?.id).not.toBe('');
      expect(Object.keys(parsedArguments(call?.arguments ?? '')).sort()).toEqual(
        propertyNames(expected.parameters),
      );
      expect(response.content).toEqual(response.toolCalls);
      expect(response.text).toBe('');
    });

    it('stream() sends tool-call deltas that join, per index, to the arguments chat() gives', async () => {
      const answer = await conformance.adapter.chat(ask(model, { tools, toolChoice }));
      const events = await collect(conformance.adapter.stream(ask(model, { tools, toolChoice })));

      expect(shape(events)).toEqual(['start', 'tool-call-delta', 'usage', 'finish']);
      expect(finishOf(events).finishReason).toBe('tool_calls');
      const calls = toolCallsOf(events);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.name).toBe(expected.name);
      expect(calls[0]?.id).toBeTypeOf('string');
      expect(calls[0]?.arguments).toBe(answer.toolCalls[0]?.arguments);
    });

    it(`names the call on its first delta, and sends its arguments ${under.toolArguments}`, async () => {
      const events = await collect(conformance.adapter.stream(ask(model, { tools, toolChoice })));
      const deltas = events.filter((event) => event.type === 'tool-call-delta');
      const withArguments = deltas.filter((delta) => delta.argumentsDelta !== '');

      expect(deltas[0]).toMatchObject({ index: 0, name: expected.name, id: expect.any(String) });
      expect(deltas.slice(1).every((delta) => delta.name === undefined && delta.id === undefined)).toBe(true);
      if (under.toolArguments === 'whole') expect(withArguments).toHaveLength(1);
      else expect(withArguments.length).toBeGreaterThan(1);
    });
  });

  describe('a conversation ending with a tool result', () => {
    it('chat() gets a text answer', async () => {
      const response = await conformance.adapter.chat(afterToolResult(weatherCall));

      expect(response.text).toBe(reply);
      expect(response.toolCalls).toEqual([]);
      expect(response.finishReason).toBe('stop');
    });

    it('stream() gets a text answer', async () => {
      const events = await collect(conformance.adapter.stream(afterToolResult(weatherCall)));

      expect(textOf(events)).toBe(reply);
      expect(count(events, 'tool-call-delta')).toBe(0);
      expect(finishOf(events).finishReason).toBe('stop');
    });

    it('continues from a call the model itself made (its id and arguments sent back as they came)', async () => {
      const { toolCalls } = await conformance.adapter.chat(ask(model, { tools, toolChoice: 'required' }));
      const [call] = toolCalls;
      expect(call).toBeDefined();
      if (call === undefined) return;

      const response = await conformance.adapter.chat(afterToolResult(call));

      expect(response.text).toBe(reply);
      expect(response.finishReason).toBe('stop');
    });
  });

  it('leaves no request in flight', () => expectNothingInFlight(conformance.sim));
});
