import Anthropic, { AnthropicError, APIError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioInput, Simulator } from '../index.ts';
import { startSimulator } from '../index.ts';
import { parseSse, postJson, readAll } from '../test-support/sse.ts';

const model = 'claude-sonnet-4-5';
const params: Anthropic.MessageCreateParamsNonStreaming = {
  model,
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'What does Steadfast do?' }],
};
const jsonSchema = {
  type: 'object',
  properties: { city: { type: 'string' }, population: { type: 'integer' } },
  required: ['city', 'population'],
  additionalProperties: false,
};
const anthropicHeaders = { 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01' };

function failOnce(fault: NonNullable<ScenarioInput['defaults']>['sequence']): ScenarioInput {
  return { models: { '*': { sequence: fault } } };
}

function textOf(message: Anthropic.Message): string {
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

describe('Anthropic stream and answer faults through @anthropic-ai/sdk', () => {
  let sim: Simulator;
  let client: Anthropic;
  /** The answer every test compares with: what the model says when nothing goes wrong. */
  let fullText: string;

  function use(scenario: ScenarioInput): void {
    sim.setScenario(scenario);
    sim.reset();
  }

  /** Reads a `create({stream: true})` stream to its end or its error, keeping what arrived. */
  async function drain(request: Anthropic.MessageCreateParamsNonStreaming = params): Promise<{
    events: Anthropic.RawMessageStreamEvent[];
    text: string;
    textDeltas: number;
    error: unknown;
  }> {
    const stream = await client.messages.create({ ...request, stream: true });
    const events: Anthropic.RawMessageStreamEvent[] = [];
    let text = '';
    let textDeltas = 0;
    try {
      for await (const event of stream) {
        events.push(event);
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
          text += event.delta.text;
          textDeltas++;
        }
      }
      return { events, text, textDeltas, error: undefined };
    } catch (error) {
      return { events, text, textDeltas, error };
    }
  }

  async function rawStream(): Promise<{ status: number; names: string[]; data: unknown[] }> {
    const response = await postJson(`${sim.url}/v1/messages`, { ...params, stream: true }, anthropicHeaders);
    const frames = parseSse((await readAll(response)).text);
    return {
      status: response.status,
      names: frames.map((frame) => frame.event ?? ''),
      data: frames.map((frame) => JSON.parse(frame.data) as unknown),
    };
  }

  beforeAll(async () => {
    sim = await startSimulator();
    // logLevel off: the SDK logs the unparsable frame of malformed_chunk before it throws.
    client = new Anthropic({ baseURL: sim.url, apiKey: 'sk-ant-test', maxRetries: 0, logLevel: 'off' });
    fullText = textOf(await client.messages.create(params));
  });

  afterAll(() => sim.close());

  describe('stream faults', () => {
    it('still delivers the whole answer on slow_first_token, streaming and not', async () => {
      use(
        failOnce([
          { kind: 'slow_first_token', delayMs: 20 },
          { kind: 'slow_first_token', delayMs: 20 },
        ]),
      );
      const message = await client.messages.create(params);
      const streamed = await drain();

      expect(textOf(message)).toBe(fullText);
      expect(streamed.text).toBe(fullText);
      expect(streamed.events.at(-1)?.type).toBe('message_stop');
      expect(sim.log().map((attempt) => attempt.outcome)).toEqual(['slow_first_token', 'slow_first_token']);
    });

    it('cuts the stream after afterChunks text deltas on stream_cut: iteration throws a network error', async () => {
      use(failOnce([{ kind: 'stream_cut', afterChunks: 3 }]));
      const { events, text, textDeltas, error } = await drain();

      expect(textDeltas).toBe(3);
      expect(fullText.startsWith(text)).toBe(true);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(APIError);
      expect(events.some((event) => event.type === 'message_stop')).toBe(false);
      expect(sim.log()[0]).toMatchObject({ outcome: 'stream_cut', status: 200, clientClosed: false });
    });

    it('fails messages.stream().finalMessage() on stream_cut after the deltas it got', async () => {
      use(failOnce([{ kind: 'stream_cut', afterChunks: 2 }]));
      const stream = client.messages.stream(params);
      const texts: string[] = [];
      stream.on('text', (text) => texts.push(text));

      await expect(stream.finalMessage()).rejects.toBeInstanceOf(AnthropicError);
      expect(texts).toHaveLength(2);
    });

    it('cuts a non-streaming body half-way on stream_cut, so the call rejects', async () => {
      use(failOnce([{ kind: 'stream_cut', afterChunks: 3 }]));

      await expect(client.messages.create(params)).rejects.toBeInstanceOf(Error);
      expect(sim.log()[0]).toMatchObject({ outcome: 'stream_cut', status: 200, stream: false });
    });

    it('stalls after afterChunks deltas on stream_stall, then the simulator drops the connection', async () => {
      use(failOnce([{ kind: 'stream_stall', afterChunks: 2, stallMs: 20 }]));
      const { events, textDeltas, error } = await drain();

      expect(textDeltas).toBe(2);
      expect(error).toBeInstanceOf(Error);
      expect(events.some((event) => event.type === 'message_stop')).toBe(false);
      expect(sim.log()[0]).toMatchObject({ outcome: 'stream_stall', clientClosed: false });
    });

    it('stalls a non-streaming body half-way on stream_stall, so the call rejects', async () => {
      use(failOnce([{ kind: 'stream_stall', afterChunks: 2, stallMs: 20 }]));

      await expect(client.messages.create(params)).rejects.toBeInstanceOf(Error);
    });

    it('sends an unparsable frame after afterChunks deltas on malformed_chunk: the SDK throws a SyntaxError', async () => {
      use(failOnce([{ kind: 'malformed_chunk', afterChunks: 2 }]));
      const { textDeltas, error } = await drain();

      expect(textDeltas).toBe(2);
      expect(error).toBeInstanceOf(SyntaxError);
    });

    it('sends an unparsable non-streaming body on malformed_chunk', async () => {
      use(failOnce([{ kind: 'malformed_chunk', afterChunks: 2 }]));

      await expect(client.messages.create(params)).rejects.toBeInstanceOf(SyntaxError);
    });

    it('ends the stream after message_delta without message_stop on missing_done', async () => {
      use(failOnce(['missing_done']));
      const { status, names } = await rawStream();

      expect(status).toBe(200);
      expect(names.at(-1)).toBe('message_delta');
      expect(names).not.toContain('message_stop');
    });

    it('leaves messages.stream() without a final message on missing_done, though every delta arrived', async () => {
      use(failOnce(['missing_done']));
      const stream = client.messages.stream(params);
      const texts: string[] = [];
      stream.on('text', (text) => texts.push(text));

      await expect(stream.finalMessage()).rejects.toThrow(/stream ended without producing a Message/);
      expect(texts.join('')).toBe(fullText);
    });

    it('sends an error event with overloaded_error after HTTP 200 and afterChunks deltas on stream_error', async () => {
      use(failOnce([{ kind: 'stream_error', afterChunks: 3 }]));
      const { status, names, data } = await rawStream();

      expect(status).toBe(200);
      expect(names.filter((name) => name === 'content_block_delta')).toHaveLength(3);
      expect(names.at(-1)).toBe('error');
      expect(data.at(-1)).toEqual({
        type: 'error',
        error: { type: 'overloaded_error', message: 'Overloaded' },
      });
      expect(names).not.toContain('message_stop');
    });

    it('makes the SDK throw an APIError without status during iteration on stream_error', async () => {
      use(failOnce([{ kind: 'stream_error', afterChunks: 3 }]));
      const { textDeltas, error } = await drain();

      expect(textDeltas).toBe(3);
      expect(error).toBeInstanceOf(APIError);
      const apiError = error as APIError;
      expect(apiError.status).toBeUndefined();
      expect(apiError.type).toBe('overloaded_error');
      expect(apiError.requestID).toBe(sim.log()[0]?.requestId);
    });

    it('rejects messages.stream().finalMessage() with that APIError on stream_error', async () => {
      use(failOnce([{ kind: 'stream_error', afterChunks: 1 }]));
      const stream = client.messages.stream(params);

      await expect(stream.finalMessage()).rejects.toMatchObject({
        type: 'overloaded_error',
        status: undefined,
      });
    });

    it.each(['stream_error', 'missing_done'])(
      'leaves a non-streaming answer whole on %s, a stream-only fault',
      async (fault) => {
        use(failOnce([fault]));
        const message = await client.messages.create(params);

        expect(textOf(message)).toBe(fullText);
        expect(message.stop_reason).toBe('end_turn');
        expect(sim.log()[0]?.outcome).toBe(fault);
      },
    );
  });

  describe('answer faults', () => {
    it.each([false, true])('answers empty with no content blocks (stream: %s)', async (stream) => {
      use(failOnce(['empty']));
      const message = stream
        ? await client.messages.stream(params).finalMessage()
        : await client.messages.create(params);

      expect(message.content).toEqual([]);
      expect(message.stop_reason).toBe('end_turn');
      expect(message.usage.output_tokens).toBe(0);
    });

    it.each([false, true])(
      'answers a native refusal with stop_reason refusal and stop_details of type refusal (stream: %s)',
      async (stream) => {
        use(failOnce(['refusal']));
        const message = stream
          ? await client.messages.stream(params).finalMessage()
          : await client.messages.create(params);

        expect(message.stop_reason).toBe('refusal');
        expect(message.stop_details).toMatchObject({ type: 'refusal' });
      },
    );

    it.each([false, true])(
      'answers a phrase refusal as an ordinary end_turn answer that apologises (stream: %s)',
      async (stream) => {
        use(failOnce([{ kind: 'refusal', mode: 'phrase' }]));
        const message = stream
          ? await client.messages.stream(params).finalMessage()
          : await client.messages.create(params);

        expect(message.stop_reason).toBe('end_turn');
        expect(message.stop_details).toBeNull();
        expect(textOf(message)).toMatch(/^I'm sorry, but I can't help/);
      },
    );

    it.each([false, true])(
      'answers truncated with the start of the answer and stop_reason max_tokens (stream: %s)',
      async (stream) => {
        use(failOnce([{ kind: 'truncated', atTokens: 4 }]));
        const message = stream
          ? await client.messages.stream(params).finalMessage()
          : await client.messages.create(params);

        expect(message.stop_reason).toBe('max_tokens');
        expect(message.usage.output_tokens).toBe(4);
        expect(textOf(message).length).toBeGreaterThan(0);
        expect(textOf(message).length).toBeLessThan(fullText.length);
        expect(fullText.startsWith(textOf(message))).toBe(true);
      },
    );

    it.each([false, true])(
      'answers malformed_json with JSON-looking text that does not parse (stream: %s)',
      async (stream) => {
        use(failOnce(['malformed_json']));
        const request = {
          ...params,
          output_config: { format: { type: 'json_schema' as const, schema: jsonSchema } },
        };
        const message = stream
          ? await client.messages.stream(request).finalMessage()
          : await client.messages.create(request);

        expect(textOf(message)).toContain('{"city":');
        expect(() => JSON.parse(textOf(message))).toThrow(SyntaxError);
      },
    );
  });
});
