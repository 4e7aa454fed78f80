import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  BadRequestError,
  ContentTooLargeError,
  GatewayTimeoutError,
  InternalServerError,
  OverloadedError,
  RateLimitError,
  ServiceUnavailableError,
} from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ScenarioInput, Simulator } from '../index.ts';
import { startSimulator } from '../index.ts';

type ErrorClass = abstract new (...args: never[]) => APIError;

const model = 'claude-sonnet-4-5';
const params: Anthropic.MessageCreateParamsNonStreaming = {
  model,
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'What does Steadfast do?' }],
};

/** Every model fails its first attempt with `fault`. */
function failOnce(fault: NonNullable<ScenarioInput['defaults']>['sequence']): ScenarioInput {
  return { models: { '*': { sequence: fault } } };
}

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

describe('Anthropic errors through @anthropic-ai/sdk', () => {
  let sim: Simulator;
  let client: Anthropic;

  function use(scenario: ScenarioInput): void {
    sim.setScenario(scenario);
    sim.reset();
  }

  /** The call, non-streaming or streaming: a streaming HTTP error rejects `create` before any event. */
  function call(stream: boolean, options: Anthropic.RequestOptions = {}): Promise<unknown> {
    return stream
      ? client.messages.create({ ...params, stream: true }, options)
      : client.messages.create(params, options);
  }

  beforeAll(async () => {
    sim = await startSimulator();
    client = new Anthropic({ baseURL: sim.url, apiKey: 'sk-ant-test', maxRetries: 0 });
  });

  afterAll(() => sim.close());

  describe('HTTP error faults', () => {
    const cases: { fault: string; status: number; type: string; errorClass: ErrorClass }[] = [
      { fault: 'rate_limit', status: 429, type: 'rate_limit_error', errorClass: RateLimitError },
      {
        fault: 'quota',
        status: 429,
        type: 'rate_limit_error',
        errorClass: Anthropic.EnforcedSpendLimitReachedError,
      },
      { fault: 'server_error', status: 500, type: 'api_error', errorClass: InternalServerError },
      { fault: 'unavailable', status: 503, type: 'api_error', errorClass: ServiceUnavailableError },
      { fault: 'overloaded', status: 529, type: 'overloaded_error', errorClass: OverloadedError },
      { fault: 'gateway_timeout', status: 504, type: 'timeout_error', errorClass: GatewayTimeoutError },
      { fault: 'context_length', status: 400, type: 'invalid_request_error', errorClass: BadRequestError },
      { fault: 'content_filter', status: 400, type: 'invalid_request_error', errorClass: BadRequestError },
      { fault: 'auth', status: 401, type: 'authentication_error', errorClass: AuthenticationError },
    ];

    describe.each([false, true])('with stream: %s', (stream) => {
      it.each(cases)(
        'answers $fault with $status $type, which the SDK raises as $errorClass.name',
        async ({ fault, status, type, errorClass }) => {
          use(failOnce([fault]));
          const error = await rejectionOf(call(stream), errorClass);
          const attempt = sim.log()[0];

          expect(error.status).toBe(status);
          expect(error.type).toBe(type);
          expect(error.requestID).toMatch(/^req_/);
          expect(error.requestID).toBe(attempt?.requestId);
          expect(error.error).toMatchObject({ type: 'error', request_id: error.requestID });
          expect(attempt).toMatchObject({ outcome: fault, status, stream });
        },
      );
    });

    it('sends retry-after in whole seconds when rate_limit sets retryAfterSeconds', async () => {
      use(failOnce([{ kind: 'rate_limit', retryAfterSeconds: 7 }]));
      const error = await rejectionOf(call(false), RateLimitError);

      expect(error.headers.get('retry-after')).toBe('7');
      expect(error.apiMessage).toMatch(/exceed the rate limit/);
      expect(error.errorCode).toBeNull();
    });

    it('sends no retry-after when rate_limit sets none', async () => {
      use(failOnce(['rate_limit']));
      const error = await rejectionOf(call(false), RateLimitError);

      expect(error.headers.has('retry-after')).toBe(false);
    });

    it('answers quota as the spend-limit 429: error_code enforced_spend_limit_reached and no retry-after', async () => {
      use(failOnce(['quota']));
      const error = await rejectionOf(call(false), RateLimitError);

      expect(error.error).toMatchObject({
        error: { details: { error_code: 'enforced_spend_limit_reached' } },
      });
      expect(error.errorCode).toBe('enforced_spend_limit_reached');
      expect(error.headers.has('retry-after')).toBe(false);
    });

    it('sends retry-after with a 503 when unavailable sets retryAfterSeconds', async () => {
      use(failOnce([{ kind: 'unavailable', retryAfterSeconds: 3 }]));
      const error = await rejectionOf(call(false), ServiceUnavailableError);

      expect(error.headers.get('retry-after')).toBe('3');
    });

    it('answers bad_gateway with a proxy HTML page, which the SDK raises as InternalServerError 502', async () => {
      use(failOnce(['bad_gateway', 'bad_gateway']));
      const error = await rejectionOf(call(false), InternalServerError);
      const streaming = await rejectionOf(call(true), InternalServerError);

      expect(error.status).toBe(502);
      expect(error.headers.get('content-type')).toMatch(/^text\/html/);
      expect(error.message).toContain('502 Bad Gateway');
      expect(error.type).toBeNull();
      expect(streaming.status).toBe(502);
    });

    it('words context_length as "prompt is too long" with the token counts', async () => {
      use({ models: { '*': { contextWindow: 200_000, sequence: ['context_length'] } } });
      const error = await rejectionOf(call(false), BadRequestError);

      expect(error.apiMessage).toMatch(/^prompt is too long: \d+ tokens > 200000 maximum$/);
    });

    it('words content_filter as "Output blocked by content filtering policy"', async () => {
      use(failOnce(['content_filter']));
      const error = await rejectionOf(call(false), BadRequestError);

      expect(error.apiMessage).toBe('Output blocked by content filtering policy');
    });

    it('answers an http fault with exactly the status, JSON body and headers it names', async () => {
      const body = {
        type: 'error',
        error: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
      };
      use(failOnce([{ kind: 'http', status: 413, body, headers: { 'x-should-retry': 'false' } }]));
      const error = await rejectionOf(call(false), ContentTooLargeError);

      expect(error.status).toBe(413);
      expect(error.error).toEqual(body);
      expect(error.headers.get('x-should-retry')).toBe('false');
      expect(error.headers.get('content-type')).toBe('application/json');
      expect(error.requestID).toBe(sim.log()[0]?.requestId);
    });

    it('answers an http fault with a text body as plain text', async () => {
      use(failOnce([{ kind: 'http', status: 418, body: 'short and stout' }]));
      const error = await rejectionOf<APIError>(call(true), APIError);

      expect(error.status).toBe(418);
      expect(error.message).toContain('short and stout');
      expect(error.headers?.get('content-type')).toBe('text/plain');
    });
  });

  describe('connection faults', () => {
    it.each([false, true])(
      'sends nothing on no_response, so the SDK times out (stream: %s) and the simulator sees the client leave',
      async (stream) => {
        use(failOnce(['no_response']));
        await rejectionOf(call(stream, { timeout: 300 }), APIConnectionTimeoutError);

        expect(sim.log()[0]).toMatchObject({ outcome: 'no_response', status: 0, stream });
        // The client's close reaches the server a moment after the SDK gives up: wait for it, no sleep.
        await vi.waitFor(() => expect(sim.log()[0]?.clientClosed).toBe(true));
      },
    );

    it.each([false, true])(
      'drops the connection before any header on reset, which the SDK raises as APIConnectionError (stream: %s)',
      async (stream) => {
        use(failOnce(['reset']));
        const error = await rejectionOf(call(stream), APIConnectionError);

        expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
        expect(error.status).toBeUndefined();
        expect(sim.log()[0]).toMatchObject({ outcome: 'reset', status: 0 });
      },
    );

    it('lets the next attempt succeed after a fault, as the sequence says', async () => {
      use(failOnce(['reset', 'overloaded', 'ok']));
      await rejectionOf(call(false), APIConnectionError);
      await rejectionOf(call(false), OverloadedError);
      const message = await client.messages.create(params);

      expect(message.stop_reason).toBe('end_turn');
      expect(sim.log().map((attempt) => attempt.outcome)).toEqual(['reset', 'overloaded', 'ok']);
    });
  });
});
