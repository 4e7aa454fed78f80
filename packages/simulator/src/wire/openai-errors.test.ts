import OpenAI, {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioInput, type Simulator, startSimulator } from '../index.ts';
import { drain, openAiClient, rejectionOf } from '../test-support/openai-client.ts';
import { postJson } from '../test-support/sse.ts';

type ModelInput = NonNullable<ScenarioInput['models']>[string];
type FaultInput = NonNullable<ModelInput['faults']>[number]['fault'];

/** One fault that the simulator answers with an HTTP error, and what the official client must make of it. */
interface ErrorCase {
  /** The behaviour, as the test name states it. */
  behaviour: string;
  fault: FaultInput;
  /** The exact class the client throws. */
  errorClass: abstract new (
    ...args: never[]
  ) => APIError;
  status: number;
  /** Expected `error.code`, `error.type`, `error.param` when given. */
  code?: string | null;
  type?: string | null;
  param?: string | null;
  /** Response headers by name; null means the header must be absent. */
  headers?: Record<string, string | null>;
  /** A fragment the error message contains. */
  message?: string;
}

const cases: ErrorCase[] = [
  {
    behaviour: 'rate_limit with retryAfterSeconds is a RateLimitError 429 with retry-after in seconds',
    fault: { kind: 'rate_limit', retryAfterSeconds: 7 },
    errorClass: RateLimitError,
    status: 429,
    code: 'rate_limit_exceeded',
    type: 'requests',
    headers: { 'retry-after': '7', 'retry-after-ms': null },
    message: 'Rate limit reached',
  },
  {
    behaviour: 'rate_limit with retryAfterMs is a RateLimitError 429 with retry-after-ms',
    fault: { kind: 'rate_limit', retryAfterMs: 1500 },
    errorClass: RateLimitError,
    status: 429,
    code: 'rate_limit_exceeded',
    headers: { 'retry-after-ms': '1500', 'retry-after': null },
  },
  {
    behaviour: 'rate_limit without a wait is a RateLimitError 429 with no retry-after header',
    fault: 'rate_limit',
    errorClass: RateLimitError,
    status: 429,
    code: 'rate_limit_exceeded',
    headers: { 'retry-after': null, 'retry-after-ms': null },
  },
  {
    behaviour: 'quota is a RateLimitError 429 with code insufficient_quota',
    fault: 'quota',
    errorClass: RateLimitError,
    status: 429,
    code: 'insufficient_quota',
    type: 'insufficient_quota',
    headers: { 'retry-after': null },
    message: 'You exceeded your current quota',
  },
  {
    behaviour: 'server_error is an InternalServerError 500 of type server_error',
    fault: 'server_error',
    errorClass: InternalServerError,
    status: 500,
    code: null,
    type: 'server_error',
    message: 'The server had an error while processing your request',
  },
  {
    behaviour: 'bad_gateway is an InternalServerError 502 from an HTML page',
    fault: 'bad_gateway',
    errorClass: InternalServerError,
    status: 502,
    headers: { 'content-type': 'text/html' },
    message: '<title>502 Bad Gateway</title>',
  },
  {
    behaviour: 'unavailable is an InternalServerError 503 with the given retry-after',
    fault: { kind: 'unavailable', retryAfterSeconds: 3 },
    errorClass: InternalServerError,
    status: 503,
    type: 'service_unavailable_error',
    headers: { 'retry-after': '3' },
  },
  {
    behaviour: 'unavailable without a wait is an InternalServerError 503 with no retry-after',
    fault: 'unavailable',
    errorClass: InternalServerError,
    status: 503,
    headers: { 'retry-after': null },
  },
  {
    behaviour: 'overloaded is an InternalServerError 503 with code server_is_overloaded',
    fault: 'overloaded',
    errorClass: InternalServerError,
    status: 503,
    code: 'server_is_overloaded',
    type: 'service_unavailable_error',
    message: 'overloaded',
  },
  {
    behaviour: 'gateway_timeout is an InternalServerError 504',
    fault: 'gateway_timeout',
    errorClass: InternalServerError,
    status: 504,
  },
  {
    behaviour: 'context_length is a BadRequestError 400 with code context_length_exceeded',
    fault: 'context_length',
    errorClass: BadRequestError,
    status: 400,
    code: 'context_length_exceeded',
    type: 'invalid_request_error',
    param: 'messages',
    message: "This model's maximum context length is 128000 tokens",
  },
  {
    behaviour: 'content_filter is a BadRequestError 400 with code content_filter',
    fault: 'content_filter',
    errorClass: BadRequestError,
    status: 400,
    code: 'content_filter',
    param: 'prompt',
  },
  {
    behaviour: 'auth is an AuthenticationError 401 with code invalid_api_key',
    fault: 'auth',
    errorClass: AuthenticationError,
    status: 401,
    code: 'invalid_api_key',
    type: 'invalid_request_error',
    message: 'Incorrect API key provided',
  },
  {
    behaviour: 'http with a JSON body is the error class of its status, with its body and headers',
    fault: {
      kind: 'http',
      status: 409,
      body: {
        error: { message: 'Another request is in progress', type: 'conflict', param: null, code: 'busy' },
      },
      headers: { 'x-should-retry': 'false' },
    },
    errorClass: ConflictError,
    status: 409,
    code: 'busy',
    type: 'conflict',
    headers: { 'x-should-retry': 'false', 'content-type': 'application/json' },
    message: 'Another request is in progress',
  },
  {
    behaviour: 'http with a text body is a plain APIError carrying that text',
    fault: { kind: 'http', status: 451, body: 'Unavailable For Legal Reasons' },
    errorClass: APIError,
    status: 451,
    headers: { 'content-type': 'text/plain' },
    message: '451 Unavailable For Legal Reasons',
  },
];

const modelOf = (index: number): string => `fault-${index}`;
const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Hello' }];
const modes = [
  { mode: 'a non-streaming request', stream: false },
  { mode: 'a streaming request', stream: true },
];

describe('OpenAI HTTP error faults through the official client', () => {
  let sim: Simulator;
  let client: OpenAI;

  beforeAll(async () => {
    const models: Record<string, ModelInput> = Object.fromEntries(
      cases.map((errorCase, index) => [modelOf(index), { faults: [{ fault: errorCase.fault }] }]),
    );
    models['small-window'] = { contextWindow: 60 };
    models['no-prefill'] = { rejectsPrefill: true };
    sim = await startSimulator({ scenario: { models } });
    client = openAiClient(sim.url);
  });
  afterAll(() => sim.close());

  /** Makes one call (draining it when streaming) and returns what it threw. */
  async function failure(model: string, stream: boolean, caller = client): Promise<unknown> {
    if (!stream) return rejectionOf(caller.chat.completions.create({ model, messages }));
    return rejectionOf(
      caller.chat.completions.create({ model, messages, stream: true }).then(async (chunks) => {
        const { error } = await drain(chunks);
        if (error !== undefined) throw error;
      }),
    );
  }

  describe.each(cases.map((errorCase, index) => ({ ...errorCase, index })))('$behaviour', (errorCase) => {
    it.each(modes)('for $mode', async ({ stream }) => {
      const error = await failure(modelOf(errorCase.index), stream);

      expect(Object.getPrototypeOf(error)).toBe(errorCase.errorClass.prototype);
      if (!(error instanceof APIError)) throw error;
      expect(error.status).toBe(errorCase.status);
      if (errorCase.code !== undefined) expect(error.code).toBe(errorCase.code);
      if (errorCase.type !== undefined) expect(error.type).toBe(errorCase.type);
      if (errorCase.param !== undefined) expect(error.param).toBe(errorCase.param);
      if (errorCase.message !== undefined) expect(error.message).toContain(errorCase.message);
      for (const [name, value] of Object.entries(errorCase.headers ?? {})) {
        if (value === null) expect(error.headers?.get(name), name).toBeNull();
        else expect(error.headers?.get(name), name).toBe(value);
      }
      expect(error.requestID).toMatch(/^req_/);
      expect(error.requestID).toBe(error.headers?.get('x-request-id'));
      const logged = sim.log().find((record) => record.requestId === error.requestID);
      const kind = typeof errorCase.fault === 'string' ? errorCase.fault : errorCase.fault.kind;
      expect(logged).toMatchObject({ outcome: kind, status: errorCase.status, stream });
    });
  });

  describe('an auth failure', () => {
    it('never echoes the full API key in the error message', async () => {
      const key = `sk-proj-${'Q7xK2mZp9LwR4tYv'.repeat(4)}Tail`;
      const error = await failure(
        modelOf(cases.findIndex((c) => c.fault === 'auth')),
        false,
        openAiClient(sim.url, { apiKey: key }),
      );

      if (!(error instanceof AuthenticationError)) throw error;
      expect(error.message).not.toContain(key);
      expect(error.message).not.toContain(key.slice(8, -4));
      expect(error.message).toContain('Tail');
    });
  });

  describe('a model with a contextWindow', () => {
    const longPrompt: ChatCompletionMessageParam[] = [{ role: 'user', content: 'word '.repeat(200) }];

    it('answers a prompt that fits', async () => {
      const completion = await client.chat.completions.create({ model: 'small-window', messages });

      expect(completion.choices[0]?.finish_reason).toBe('stop');
    });

    it.each(modes)(
      'rejects a longer prompt in $mode with BadRequestError context_length_exceeded',
      async ({ stream }) => {
        const error = await rejectionOf(
          client.chat.completions.create({ model: 'small-window', messages: longPrompt, stream }),
        );

        if (!(error instanceof BadRequestError)) throw error;
        expect(error.code).toBe('context_length_exceeded');
        expect(error.param).toBe('messages');
        expect(error.message).toContain('maximum context length is 60 tokens');
        const logged = sim.log().find((record) => record.requestId === error.requestID);
        expect(logged).toMatchObject({ outcome: 'context_length', status: 400 });
      },
    );
  });

  describe('a model that rejects prefill', () => {
    it.each(modes)(
      'rejects $mode ending with an assistant message with a BadRequestError on messages',
      async ({ stream }) => {
        const error = await rejectionOf(
          client.chat.completions.create({
            model: 'no-prefill',
            messages: [...messages, { role: 'assistant', content: 'Hello! I' }],
            stream,
          }),
        );

        if (!(error instanceof BadRequestError)) throw error;
        expect(error.param).toBe('messages');
        expect(sim.log().find((record) => record.requestId === error.requestID)?.outcome).toBe(
          'prefill_rejected',
        );
      },
    );

    it('answers a conversation ending with a user message', async () => {
      const completion = await client.chat.completions.create({ model: 'no-prefill', messages });

      expect(completion.choices[0]?.message.content).not.toBe('');
    });
  });

  describe('requests the API itself rejects', () => {
    it('answers a model absent from the scenario with NotFoundError model_not_found', async () => {
      const error = await rejectionOf(client.chat.completions.create({ model: 'gpt-9', messages }));

      if (!(error instanceof NotFoundError)) throw error;
      expect(error.code).toBe('model_not_found');
      expect(error.message).toContain('`gpt-9`');
    });

    it('answers a body without messages with a 400 naming the messages parameter', async () => {
      const response = await postJson(`${sim.url}/v1/chat/completions`, { model: 'small-window' });

      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: { message: expect.any(String), type: 'invalid_request_error', param: 'messages', code: null },
      });
    });
  });
});

describe('a scenario with an apiKey', () => {
  const apiKey = 'sk-scenario-key-00000000000000000001';
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: { apiKey, models: { 'gpt-4o-mini': {} } } });
  });
  afterAll(() => sim.close());

  it('answers a request that sends the key as a bearer token', async () => {
    const completion = await openAiClient(sim.url, { apiKey }).chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
    });

    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('rejects another key with an AuthenticationError that does not echo it', async () => {
    const wrongKey = 'sk-wrong-key-0123456789abcdefghijklmnop';
    const error = await rejectionOf(
      new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: wrongKey, maxRetries: 0 }).chat.completions.create({
        model: 'gpt-4o-mini',
        messages,
      }),
    );

    if (!(error instanceof AuthenticationError)) throw error;
    expect(error.status).toBe(401);
    expect(error.code).toBe('invalid_api_key');
    expect(error.message).not.toContain(wrongKey);
    expect(sim.log().at(-1)).toMatchObject({ outcome: 'auth', status: 401 });
  });
});
