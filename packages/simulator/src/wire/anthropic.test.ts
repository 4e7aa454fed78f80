import Anthropic, {
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioInput, type Simulator, startSimulator } from '../index.ts';
import { parseSse, postJson, readAll } from '../test-support/sse.ts';

/** What the simulator sends on an Anthropic stream: the SDK's event union plus the `ping` it skips. */
type WireEvent = Anthropic.RawMessageStreamEvent | { type: 'ping' };

const model = 'claude-sonnet-4-5';
const question: Anthropic.MessageParam = { role: 'user', content: 'What does Steadfast do?' };
const params: Anthropic.MessageCreateParamsNonStreaming = { model, max_tokens: 1024, messages: [question] };
const anthropicHeaders = { 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01' };

async function rejectionOf<E>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error('expected the call to fail');
}

function textOf(message: Anthropic.Message): string {
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

describe('Anthropic Messages through @anthropic-ai/sdk', () => {
  let sim: Simulator;
  let client: Anthropic;

  function use(scenario: ScenarioInput): void {
    sim.setScenario(scenario);
    sim.reset();
  }

  /** Posts a streaming request with fetch: the SDK hides `ping` and the SSE event names. */
  async function rawStream(
    body: unknown,
  ): Promise<{ response: Response; events: WireEvent[]; names: string[] }> {
    const response = await postJson(`${sim.url}/v1/messages`, body, anthropicHeaders);
    const frames = parseSse((await readAll(response)).text);
    // Every frame names its event twice, in `event:` and in the data's `type`; they must agree.
    for (const frame of frames) expect(JSON.parse(frame.data)).toMatchObject({ type: frame.event });
    return {
      response,
      events: frames.map((frame) => JSON.parse(frame.data) as WireEvent),
      names: frames.map((frame) => frame.event ?? ''),
    };
  }

  beforeAll(async () => {
    sim = await startSimulator();
    client = new Anthropic({ baseURL: sim.url, apiKey: 'sk-ant-test', maxRetries: 0 });
  });

  afterAll(() => sim.close());

  describe('a normal answer', () => {
    it('is a msg_ message with one text block, stop_reason end_turn and token usage', async () => {
      use({});
      const message = await client.messages.create(params);

      expect(message.id).toMatch(/^msg_/);
      expect(message).toMatchObject({ type: 'message', role: 'assistant', model, stop_reason: 'end_turn' });
      expect(message.stop_sequence).toBeNull();
      expect(message.content).toHaveLength(1);
      expect(message.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/\w/) });
      expect(message.usage.input_tokens).toBeGreaterThan(0);
      expect(message.usage.output_tokens).toBeGreaterThan(0);
    });

    it('carries a request-id header that the SDK exposes as _request_id', async () => {
      use({});
      const call = client.messages.create(params);
      const message = await call;
      const { response, request_id } = await call.withResponse();

      expect(response.headers.get('request-id')).toMatch(/^req_/);
      expect(request_id).toBe(response.headers.get('request-id'));
      expect(message._request_id).toBe(response.headers.get('request-id'));
      expect(sim.log()).toHaveLength(1);
      expect(sim.log()[0]?.requestId).toBe(message._request_id);
    });

    it('streams message_start, ping, one text block of deltas, message_delta and message_stop', async () => {
      use({});
      const { response, events, names } = await rawStream({ ...params, stream: true });

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const deltas = names.filter((name) => name === 'content_block_delta').length;
      expect(deltas).toBeGreaterThan(1);
      expect(names).toEqual([
        'message_start',
        'ping',
        'content_block_start',
        ...Array<string>(deltas).fill('content_block_delta'),
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
      const start = events[0] as Anthropic.RawMessageStartEvent;
      expect(start.message).toMatchObject({ role: 'assistant', content: [], stop_reason: null });
      expect(start.message.id).toMatch(/^msg_/);
      expect(events[2]).toEqual({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      });
    });

    it('reports cumulative usage in message_delta: the whole answer, not an increment', async () => {
      use({});
      const { events } = await rawStream({ ...params, stream: true });
      const nonStreaming = await client.messages.create(params);

      const start = events.find((event) => event.type === 'message_start');
      const delta = events.find((event) => event.type === 'message_delta');
      const deltas = events.filter((event) => event.type === 'content_block_delta');
      expect(delta?.delta.stop_reason).toBe('end_turn');
      expect(delta?.usage.output_tokens).toBe(nonStreaming.usage.output_tokens);
      expect(delta?.usage.output_tokens).toBe(deltas.length);
      expect(delta?.usage.input_tokens).toBe(start?.message.usage.input_tokens);
    });

    it('gives messages.stream() a final message whose text equals the non-streaming text', async () => {
      use({});
      const nonStreaming = await client.messages.create(params);
      const stream = client.messages.stream(params);
      const texts: string[] = [];
      stream.on('text', (text) => texts.push(text));
      const final = await stream.finalMessage();

      expect(textOf(final)).toBe(textOf(nonStreaming));
      expect(texts.join('')).toBe(textOf(nonStreaming));
      expect(final.stop_reason).toBe('end_turn');
      expect(final.usage.output_tokens).toBe(nonStreaming.usage.output_tokens);
      expect(stream.request_id).toBe(sim.log().at(-1)?.requestId);
    });

    it('yields text_delta events to create({stream: true}) that add up to the non-streaming text', async () => {
      use({});
      const nonStreaming = await client.messages.create(params);
      const stream = await client.messages.create({ ...params, stream: true });
      let text = '';
      const types: string[] = [];
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
          text += event.delta.text;
      }

      expect(text).toBe(textOf(nonStreaming));
      expect(types.at(-1)).toBe('message_stop');
    });
  });

  describe('requests the real API rejects', () => {
    it('answers a request without the anthropic-version header with a 400 invalid_request_error', async () => {
      use({});
      const response = await postJson(`${sim.url}/v1/messages`, params, { 'x-api-key': 'sk-ant-test' });

      expect(response.status).toBe(400);
      expect(response.headers.get('request-id')).toMatch(/^req_/);
      expect(await response.json()).toEqual({
        type: 'error',
        error: { type: 'invalid_request_error', message: expect.stringContaining('anthropic-version') },
        request_id: response.headers.get('request-id'),
      });
    });

    it('answers a request without max_tokens with a BadRequestError naming the field', async () => {
      use({});
      const { max_tokens: _dropped, ...withoutMaxTokens } = params;
      const error = await rejectionOf(
        client.messages.create(withoutMaxTokens as Anthropic.MessageCreateParamsNonStreaming),
        BadRequestError,
      );

      expect(error.status).toBe(400);
      expect(error.type).toBe('invalid_request_error');
      expect(error.apiMessage).toContain('max_tokens');
    });

    it('answers a model the scenario does not name with NotFoundError', async () => {
      use({ models: { [model]: {} } });
      const error = await rejectionOf(
        client.messages.create({ ...params, model: 'claude-unknown' }),
        NotFoundError,
      );

      expect(error.type).toBe('not_found_error');
      expect(error.apiMessage).toContain('claude-unknown');
    });

    it('answers a key other than the scenario apiKey with AuthenticationError, and the right key normally', async () => {
      use({ apiKey: 'sk-ant-right' });
      const error = await rejectionOf(client.messages.create(params), AuthenticationError);
      const right = new Anthropic({ baseURL: sim.url, apiKey: 'sk-ant-right', maxRetries: 0 });

      expect(error.status).toBe(401);
      expect(error.type).toBe('authentication_error');
      expect(error.apiMessage).toBe('invalid x-api-key');
      expect(error.requestID).toBe(sim.log()[0]?.requestId);
      expect((await right.messages.create(params)).stop_reason).toBe('end_turn');
    });

    it('answers a request without x-api-key with a 401 saying the header is required', async () => {
      use({ apiKey: 'sk-ant-right' });
      const response = await postJson(`${sim.url}/v1/messages`, params, {
        'anthropic-version': '2023-06-01',
      });

      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        error: { type: 'authentication_error', message: 'x-api-key header is required' },
      });
    });
  });

  describe('continuation and length', () => {
    it('continues an assistant prefill that starts the answer with exactly the rest of it', async () => {
      use({});
      const full = textOf(await client.messages.create(params));
      const prefix = full.slice(0, full.indexOf(' ', 20));
      const continued = await client.messages.create({
        ...params,
        messages: [question, { role: 'assistant', content: prefix }],
      });
      const streamed = await client.messages
        .stream({ ...params, messages: [question, { role: 'assistant', content: prefix }] })
        .finalText();

      expect(prefix.length).toBeGreaterThan(0);
      expect(textOf(continued)).toBe(full.slice(prefix.length));
      expect(streamed).toBe(full.slice(prefix.length));
    });

    it('rejects a prefill that ends in whitespace, as the real API does', async () => {
      use({});
      const error = await rejectionOf(
        client.messages.create({
          ...params,
          messages: [question, { role: 'assistant', content: 'Steadfast ' }],
        }),
        BadRequestError,
      );

      expect(error.type).toBe('invalid_request_error');
      expect(error.apiMessage).toMatch(/trailing whitespace/);
    });

    it('answers a prefill with a 400 when the model rejects prefill', async () => {
      use({ models: { '*': { rejectsPrefill: true } } });
      const error = await rejectionOf(
        client.messages.create({
          ...params,
          messages: [question, { role: 'assistant', content: 'Steadfast' }],
        }),
        BadRequestError,
      );

      expect(error.type).toBe('invalid_request_error');
      expect(error.apiMessage).toMatch(/prefill/);
      expect((await client.messages.create(params)).stop_reason).toBe('end_turn');
    });

    it('stops at a small max_tokens with stop_reason max_tokens', async () => {
      use({});
      const full = textOf(await client.messages.create(params));
      const short = await client.messages.create({ ...params, max_tokens: 3 });
      const streamed = await client.messages.stream({ ...params, max_tokens: 3 }).finalMessage();

      expect(short.stop_reason).toBe('max_tokens');
      expect(short.usage.output_tokens).toBe(3);
      expect(full.startsWith(textOf(short))).toBe(true);
      expect(textOf(short).length).toBeLessThan(full.length);
      expect(streamed.stop_reason).toBe('max_tokens');
      expect(textOf(streamed)).toBe(textOf(short));
    });

    it('answers a prompt longer than the model contextWindow with "prompt is too long"', async () => {
      use({ models: { '*': { contextWindow: 50 } } });
      const long: Anthropic.MessageParam = { role: 'user', content: 'tell me more '.repeat(40) };
      const error = await rejectionOf(
        client.messages.create({ ...params, messages: [long] }),
        BadRequestError,
      );

      expect(error.type).toBe('invalid_request_error');
      expect(error.apiMessage).toMatch(/^prompt is too long: \d+ tokens > 50 maximum$/);
      expect(sim.log()[0]?.outcome).toBe('context_length');
      expect((await client.messages.create(params)).stop_reason).toBe('end_turn');
    });
  });

  describe('enforced rate limits', () => {
    const reset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

    it('counts requests down in anthropic-ratelimit-* headers and answers the third with a 429', async () => {
      use({ models: { '*': { rateLimit: { requestsPerMinute: 2, tokensPerMinute: 100_000 } } } });
      const first = await client.messages.create(params).withResponse();
      const second = await client.messages.create(params).withResponse();
      const third = await rejectionOf(client.messages.create(params), RateLimitError);

      const remaining = (headers: Headers): number =>
        Number(headers.get('anthropic-ratelimit-requests-remaining'));
      expect(first.response.headers.get('anthropic-ratelimit-requests-limit')).toBe('2');
      expect(remaining(first.response.headers)).toBe(1);
      expect(remaining(second.response.headers)).toBe(0);
      expect(Number(second.response.headers.get('anthropic-ratelimit-tokens-remaining'))).toBeLessThan(
        Number(first.response.headers.get('anthropic-ratelimit-tokens-remaining')),
      );
      for (const name of ['requests', 'tokens', 'input-tokens']) {
        const value = first.response.headers.get(`anthropic-ratelimit-${name}-reset`);
        expect(value).toMatch(reset);
        expect(Number.isNaN(Date.parse(value ?? ''))).toBe(false);
      }
      expect(third.status).toBe(429);
      expect(third.type).toBe('rate_limit_error');
      expect(third.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(third.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
      expect(sim.log().map((attempt) => attempt.outcome)).toEqual(['ok', 'ok', 'rate_limited']);
    });
  });
});
