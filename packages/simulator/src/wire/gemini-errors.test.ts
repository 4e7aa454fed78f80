import {
  ApiError,
  type GenerateContentParameters,
  type GenerateContentResponse,
  GoogleGenAI,
} from '@google/genai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ScenarioInput, type Simulator, startSimulator } from '../index.ts';
import { parseSse, postJson, readAll } from '../test-support/sse.ts';

const model = 'gemini-2.5-flash';
const request: GenerateContentParameters = { model, contents: 'What does Steadfast do?' };
const rawBody = { contents: [{ role: 'user', parts: [{ text: 'What does Steadfast do?' }] }] };
const retryInfo = 'type.googleapis.com/google.rpc.RetryInfo';
const quotaFailure = 'type.googleapis.com/google.rpc.QuotaFailure';

/** The Google RPC error body, `{error: {code, message, status, details}}`. */
interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    status: string;
    details?: { '@type': string; [key: string]: unknown }[];
  };
}

function failOnce(fault: NonNullable<ScenarioInput['defaults']>['sequence']): ScenarioInput {
  return { models: { '*': { sequence: fault } } };
}

function textOf(response: GenerateContentResponse): string {
  const parts = response.candidates?.[0]?.content?.parts ?? [];
  return parts.map((part) => part.text ?? '').join('');
}

function finishReasons(data: string[]): unknown[] {
  return data.map((item) => (JSON.parse(item) as GenerateContentResponse).candidates?.[0]?.finishReason);
}

describe('Gemini errors and stream faults through @google/genai', () => {
  let sim: Simulator;
  let ai: GoogleGenAI;
  /** The answer every test compares with: what the model says when nothing goes wrong. */
  let fullText: string;

  function use(scenario: ScenarioInput): void {
    sim.setScenario(scenario);
    sim.reset();
  }

  /** The call, non-streaming or streaming; a streaming HTTP error rejects before any chunk. */
  function call(stream: boolean, params: GenerateContentParameters = request): Promise<unknown> {
    return stream ? ai.models.generateContentStream(params) : ai.models.generateContent(params);
  }

  async function apiErrorOf(promise: Promise<unknown>): Promise<{ status: number; body: GoogleErrorBody }> {
    try {
      await promise;
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      const apiError = error as ApiError;
      // The client puts the whole error body, as JSON, in the message.
      return { status: apiError.status, body: JSON.parse(apiError.message) as GoogleErrorBody };
    }
    throw new Error('expected the call to fail');
  }

  /** Reads a client stream to its end or its error, keeping the chunks that arrived. */
  async function drain(): Promise<{ chunks: GenerateContentResponse[]; error: unknown }> {
    const chunks: GenerateContentResponse[] = [];
    try {
      for await (const chunk of await ai.models.generateContentStream(request)) chunks.push(chunk);
      return { chunks, error: undefined };
    } catch (error) {
      return { chunks, error };
    }
  }

  /** Posts to `:streamGenerateContent?alt=sse` and reads the raw events, and the error if the body was cut. */
  async function rawStream(): Promise<{ status: number; data: string[]; cut: boolean }> {
    const response = await postJson(
      `${sim.url}/v1beta/models/${model}:streamGenerateContent?alt=sse`,
      rawBody,
    );
    const { text, error } = await readAll(response);
    return {
      status: response.status,
      data: parseSse(text).map((event) => event.data),
      cut: error !== undefined,
    };
  }

  async function rawError(): Promise<{ response: Response; body: GoogleErrorBody }> {
    const response = await postJson(`${sim.url}/v1beta/models/${model}:generateContent`, rawBody);
    return { response, body: (await response.json()) as GoogleErrorBody };
  }

  beforeAll(async () => {
    sim = await startSimulator();
    ai = new GoogleGenAI({ apiKey: 'AIza-test', httpOptions: { baseUrl: sim.url } });
    fullText = (await ai.models.generateContent(request)).text ?? '';
  });

  afterAll(() => sim.close());

  describe('HTTP error faults', () => {
    const cases = [
      { fault: 'rate_limit', status: 429, rpc: 'RESOURCE_EXHAUSTED' },
      { fault: 'quota', status: 429, rpc: 'RESOURCE_EXHAUSTED' },
      { fault: 'server_error', status: 500, rpc: 'INTERNAL' },
      { fault: 'unavailable', status: 503, rpc: 'UNAVAILABLE' },
      { fault: 'overloaded', status: 503, rpc: 'UNAVAILABLE' },
      { fault: 'gateway_timeout', status: 504, rpc: 'DEADLINE_EXCEEDED' },
      { fault: 'context_length', status: 400, rpc: 'INVALID_ARGUMENT' },
      { fault: 'auth', status: 400, rpc: 'INVALID_ARGUMENT' },
    ];

    describe.each([false, true])('with stream: %s', (stream) => {
      it.each(cases)('answers $fault with ApiError $status $rpc', async ({ fault, status, rpc }) => {
        use(failOnce([fault]));
        const error = await apiErrorOf(call(stream));

        expect(error.status).toBe(status);
        expect(error.body.error).toMatchObject({ code: status, status: rpc, message: expect.any(String) });
        expect(sim.log()[0]).toMatchObject({ outcome: fault, status, stream });
      });
    });

    it('puts RetryInfo.retryDelay in the 429 body, not in headers, when rate_limit sets a wait', async () => {
      use(
        failOnce([
          { kind: 'rate_limit', retryAfterSeconds: 7 },
          { kind: 'rate_limit', retryAfterMs: 1500 },
        ]),
      );
      const seconds = await rawError();
      const millis = await rawError();

      expect(seconds.response.status).toBe(429);
      expect(seconds.response.headers.has('retry-after')).toBe(false);
      expect(seconds.body.error.details).toContainEqual({ '@type': retryInfo, retryDelay: '7s' });
      expect(millis.body.error.details).toContainEqual({ '@type': retryInfo, retryDelay: '1.5s' });
      const violations = seconds.body.error.details?.find(
        (detail) => detail['@type'] === quotaFailure,
      )?.violations;
      expect(violations).toContainEqual(
        expect.objectContaining({ quotaId: expect.stringContaining('PerMinute') }),
      );
    });

    it('sends no RetryInfo when rate_limit sets no wait', async () => {
      use(failOnce(['rate_limit']));
      const { body } = await rawError();

      expect(body.error.details?.some((detail) => detail['@type'] === retryInfo)).toBe(false);
    });

    it('answers quota with a daily quotaId (PerDay) and no RetryInfo', async () => {
      use(failOnce(['quota']));
      const { body } = await apiErrorOf(call(false));

      const violations = body.error.details?.find((detail) => detail['@type'] === quotaFailure)?.violations;
      expect(violations).toContainEqual(
        expect.objectContaining({ quotaId: expect.stringContaining('PerDay') }),
      );
      expect(body.error.details?.some((detail) => detail['@type'] === retryInfo)).toBe(false);
    });

    it('answers an enforced rateLimit with a 429 and RetryInfo, and sends no rate-limit headers', async () => {
      use({ models: { '*': { rateLimit: { requestsPerMinute: 1 } } } });
      const first = await postJson(`${sim.url}/v1beta/models/${model}:generateContent`, rawBody);
      const { response, body } = await rawError();

      expect(first.status).toBe(200);
      expect([...first.headers.keys()].some((name) => name.includes('ratelimit'))).toBe(false);
      expect(response.status).toBe(429);
      expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
      expect(body.error.details).toContainEqual({
        '@type': retryInfo,
        retryDelay: expect.stringMatching(/^\d+s$/),
      });
    });

    it('answers bad_gateway with a proxy HTML page, which the client raises as ApiError 502', async () => {
      use(failOnce(['bad_gateway']));
      const error = await apiErrorOf(call(false));

      expect(error.status).toBe(502);
      expect(error.body.error.message).toContain('502 Bad Gateway');
    });

    it('words context_length with the input token count and the limit', async () => {
      use({ models: { '*': { contextWindow: 1_048_576, sequence: ['context_length'] } } });
      const { body } = await apiErrorOf(call(false));

      expect(body.error.message).toMatch(
        /^The input token count \(\d+\) exceeds the maximum number of tokens allowed \(1048576\)\.$/,
      );
    });

    it('answers a prompt longer than the model contextWindow with the same 400', async () => {
      use({ models: { '*': { contextWindow: 50 } } });
      const long = { model, contents: 'tell me more '.repeat(40) };
      const { status, body } = await apiErrorOf(call(false, long));

      expect(status).toBe(400);
      expect(body.error.message).toMatch(/exceeds the maximum number of tokens allowed \(50\)/);
      expect(sim.log()[0]?.outcome).toBe('context_length');
    });

    it('answers a model the scenario does not name with ApiError 404 NOT_FOUND', async () => {
      use({ models: { [model]: {} } });
      const { status, body } = await apiErrorOf(call(false, { ...request, model: 'gemini-unknown' }));

      expect(status).toBe(404);
      expect(body.error).toMatchObject({
        status: 'NOT_FOUND',
        message: expect.stringContaining('gemini-unknown'),
      });
    });

    it('answers an http fault with exactly the status, body and headers it names', async () => {
      const body = { error: { code: 403, message: 'Permission denied.', status: 'PERMISSION_DENIED' } };
      use(failOnce([{ kind: 'http', status: 403, body, headers: { 'x-fault': 'yes' } }]));
      const response = await postJson(`${sim.url}/v1beta/models/${model}:generateContent`, rawBody);

      expect(response.status).toBe(403);
      expect(response.headers.get('x-fault')).toBe('yes');
      expect(await response.json()).toEqual(body);
    });
  });

  describe('connection faults', () => {
    it.each([false, true])(
      'sends nothing on no_response, so a client timeout aborts (stream: %s) and the simulator sees it leave',
      async (stream) => {
        use(failOnce(['no_response']));
        const params = { ...request, config: { httpOptions: { timeout: 300 } } };

        await expect(call(stream, params)).rejects.toMatchObject({ name: 'AbortError' });
        expect(sim.log()[0]).toMatchObject({ outcome: 'no_response', status: 0 });
        // The client's close reaches the server a moment after the client gives up: wait for it, no sleep.
        await vi.waitFor(() => expect(sim.log()[0]?.clientClosed).toBe(true));
      },
    );

    it.each([false, true])('drops the connection on reset: the fetch fails (stream: %s)', async (stream) => {
      use(failOnce(['reset']));

      await expect(call(stream)).rejects.toThrow(TypeError);
      expect(sim.log()[0]).toMatchObject({ outcome: 'reset', status: 0 });
    });
  });

  describe('stream faults', () => {
    it('still delivers the whole answer on slow_first_token, streaming and not', async () => {
      use(
        failOnce([
          { kind: 'slow_first_token', delayMs: 20 },
          { kind: 'slow_first_token', delayMs: 20 },
        ]),
      );
      const whole = await ai.models.generateContent(request);
      const { chunks, error } = await drain();

      expect(whole.text).toBe(fullText);
      expect(error).toBeUndefined();
      expect(chunks.map(textOf).join('')).toBe(fullText);
    });

    it('cuts the raw stream after afterChunks events on stream_cut, with no finishReason', async () => {
      use(failOnce([{ kind: 'stream_cut', afterChunks: 2 }]));
      const { status, data, cut } = await rawStream();

      expect(status).toBe(200);
      expect(data).toHaveLength(2);
      expect(cut).toBe(true);
      expect(finishReasons(data)).toEqual([undefined, undefined]);
    });

    it('makes the client stream throw a network error, not an ApiError, after afterChunks chunks on stream_cut', async () => {
      use(failOnce([{ kind: 'stream_cut', afterChunks: 3 }]));
      const { chunks, error } = await drain();

      expect(chunks).toHaveLength(3);
      expect(fullText.startsWith(chunks.map(textOf).join(''))).toBe(true);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(ApiError);
    });

    it('cuts a non-streaming body half-way on stream_cut, so generateContent rejects', async () => {
      use(failOnce([{ kind: 'stream_cut', afterChunks: 3 }]));

      await expect(call(false)).rejects.toThrow(TypeError);
    });

    it('stalls after afterChunks chunks on stream_stall, then the simulator drops the connection', async () => {
      use(failOnce([{ kind: 'stream_stall', afterChunks: 2, stallMs: 20 }]));
      const { chunks, error } = await drain();

      expect(chunks).toHaveLength(2);
      expect(error).toBeInstanceOf(Error);
      expect(sim.log()[0]).toMatchObject({ outcome: 'stream_stall', clientClosed: false });
    });

    it('sends an error object as a data event after HTTP 200 and afterChunks chunks on stream_error', async () => {
      use(failOnce([{ kind: 'stream_error', afterChunks: 2 }]));
      const { status, data, cut } = await rawStream();

      expect(status).toBe(200);
      expect(cut).toBe(false);
      expect(data).toHaveLength(3);
      expect(JSON.parse(data[2] ?? '')).toEqual({
        error: { code: 500, message: expect.any(String), status: 'INTERNAL' },
      });
    });

    it('makes the client stream throw ApiError 500 after afterChunks chunks on stream_error', async () => {
      use(failOnce([{ kind: 'stream_error', afterChunks: 2 }]));
      const { chunks, error } = await drain();

      expect(chunks).toHaveLength(2);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(500);
    });

    it('drops the final finishReason chunk on missing_done; the text is all there', async () => {
      use(failOnce(['missing_done', 'missing_done']));
      const raw = await rawStream();
      const { chunks, error } = await drain();

      expect(raw.cut).toBe(false);
      expect(finishReasons(raw.data).every((reason) => reason === undefined)).toBe(true);
      expect(error).toBeUndefined();
      expect(chunks.map(textOf).join('')).toBe(fullText);
      expect(chunks.some((chunk) => chunk.candidates?.[0]?.finishReason !== undefined)).toBe(false);
    });

    it('sends an unparsable event after afterChunks events on malformed_chunk: the client throws a SyntaxError', async () => {
      use(
        failOnce([
          { kind: 'malformed_chunk', afterChunks: 2 },
          { kind: 'malformed_chunk', afterChunks: 2 },
        ]),
      );
      const raw = await rawStream();
      const { chunks, error } = await drain();

      expect(() => JSON.parse(raw.data[2] ?? '')).toThrow(SyntaxError);
      expect(chunks).toHaveLength(2);
      expect(error).toBeInstanceOf(SyntaxError);
    });

    it('sends an unparsable non-streaming body on malformed_chunk', async () => {
      use(failOnce([{ kind: 'malformed_chunk', afterChunks: 2 }]));

      await expect(call(false)).rejects.toThrow(SyntaxError);
    });

    it.each(['stream_error', 'missing_done'])(
      'leaves a non-streaming answer whole on %s, a stream-only fault',
      async (fault) => {
        use(failOnce([fault]));
        const response = await ai.models.generateContent(request);

        expect(response.text).toBe(fullText);
        expect(response.candidates?.[0]?.finishReason).toBe('STOP');
        expect(sim.log()[0]?.outcome).toBe(fault);
      },
    );
  });
});
