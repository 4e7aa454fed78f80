import {
  ApiError,
  BlockedReason,
  FinishReason,
  type GenerateContentParameters,
  type GenerateContentResponse,
  GoogleGenAI,
} from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioInput, type Simulator, startSimulator } from '../index.ts';
import { parseSse, postJson, readAll } from '../test-support/sse.ts';

const model = 'gemini-2.5-flash';
const request: GenerateContentParameters = { model, contents: 'What does Steadfast do?' };
const rawBody = { contents: [{ role: 'user', parts: [{ text: 'What does Steadfast do?' }] }] };

function failOnce(fault: NonNullable<ScenarioInput['defaults']>['sequence']): ScenarioInput {
  return { models: { '*': { sequence: fault } } };
}

/** Text of the first candidate, read from its parts (the `text` getter warns on function calls). */
function textOf(response: GenerateContentResponse): string {
  const parts = response.candidates?.[0]?.content?.parts ?? [];
  return parts.map((part) => part.text ?? '').join('');
}

describe('Gemini generateContent through @google/genai', () => {
  let sim: Simulator;
  let ai: GoogleGenAI;

  function use(scenario: ScenarioInput): void {
    sim.setScenario(scenario);
    sim.reset();
  }

  async function streamChunks(
    params: GenerateContentParameters = request,
  ): Promise<GenerateContentResponse[]> {
    const chunks: GenerateContentResponse[] = [];
    for await (const chunk of await ai.models.generateContentStream(params)) chunks.push(chunk);
    return chunks;
  }

  /** The answer of the streaming call when its chunks are put together, as a client would. */
  async function streamed(params: GenerateContentParameters = request) {
    const chunks = await streamChunks(params);
    return {
      chunks,
      text: chunks.map(textOf).join(''),
      finishReason: chunks.at(-1)?.candidates?.[0]?.finishReason,
      usage: chunks.at(-1)?.usageMetadata,
    };
  }

  function generateUrl(method: 'generateContent' | 'streamGenerateContent', query = ''): string {
    return `${sim.url}/v1beta/models/${model}:${method}${query}`;
  }

  beforeAll(async () => {
    sim = await startSimulator();
    ai = new GoogleGenAI({ apiKey: 'AIza-test', httpOptions: { baseUrl: sim.url } });
  });

  afterAll(() => sim.close());

  describe('a normal answer', () => {
    it('has one candidate with text, finishReason STOP, a responseId and usage that adds up', async () => {
      use({});
      const response = await ai.models.generateContent(request);

      expect(response.text).toMatch(/\w/);
      expect(response.candidates).toHaveLength(1);
      expect(response.candidates?.[0]).toMatchObject({
        finishReason: FinishReason.STOP,
        content: { role: 'model' },
      });
      expect(response.responseId).toMatch(/\w/);
      expect(response.modelVersion).toBe(model);
      const usage = response.usageMetadata;
      expect(usage?.promptTokenCount).toBeGreaterThan(0);
      expect(usage?.candidatesTokenCount).toBeGreaterThan(0);
      expect(usage?.totalTokenCount).toBe(
        (usage?.promptTokenCount ?? 0) + (usage?.candidatesTokenCount ?? 0),
      );
    });

    it('streams text deltas that add up to the non-streaming text, with the same final usage', async () => {
      use({});
      const whole = await ai.models.generateContent(request);
      const { chunks, text, finishReason, usage } = await streamed();

      expect(chunks.length).toBeGreaterThan(2);
      expect(text).toBe(whole.text);
      expect(finishReason).toBe(FinishReason.STOP);
      expect(usage?.totalTokenCount).toBe(whole.usageMetadata?.totalTokenCount);
      expect(usage?.candidatesTokenCount).toBe(whole.usageMetadata?.candidatesTokenCount);
    });

    it('repeats responseId, modelVersion and running usage in every chunk; only the last has a finishReason', async () => {
      use({});
      const chunks = await streamChunks();
      const ids = new Set(chunks.map((chunk) => chunk.responseId));

      expect(ids.size).toBe(1);
      expect([...ids][0]).toMatch(/\w/);
      for (const chunk of chunks) expect(chunk.modelVersion).toBe(model);
      const counts = chunks.map((chunk) => chunk.usageMetadata?.candidatesTokenCount ?? -1);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect(chunks.slice(0, -1).every((chunk) => chunk.candidates?.[0]?.finishReason === undefined)).toBe(
        true,
      );
    });

    it('frames the raw stream as data-only SSE events ended by CRLF CRLF, with no terminator', async () => {
      use({});
      const response = await postJson(generateUrl('streamGenerateContent', '?alt=sse'), rawBody);
      const { text } = await readAll(response);
      const events = parseSse(text);

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(text.endsWith('\r\n\r\n')).toBe(true);
      expect(text.split('\r\n\r\n')).toHaveLength(events.length + 1);
      expect(events.every((event) => event.event === undefined)).toBe(true);
      expect(text).not.toContain('[DONE]');
      const last = JSON.parse(events.at(-1)?.data ?? '') as GenerateContentResponse;
      expect(last.candidates?.[0]?.finishReason).toBe('STOP');
    });

    it('rejects :streamGenerateContent without alt=sse with a 400 INVALID_ARGUMENT', async () => {
      use({});
      const response = await postJson(generateUrl('streamGenerateContent'), rawBody);

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
    });
  });

  describe('API keys', () => {
    it('accepts the scenario apiKey in the x-goog-api-key header and in ?key=', async () => {
      use({ apiKey: 'AIza-right' });
      const header = await postJson(generateUrl('generateContent'), rawBody, {
        'x-goog-api-key': 'AIza-right',
      });
      const query = await postJson(generateUrl('generateContent', '?key=AIza-right'), rawBody);
      const none = await postJson(generateUrl('generateContent'), rawBody);

      expect(header.status).toBe(200);
      expect(query.status).toBe(200);
      expect(none.status).toBe(400);
    });

    it('answers a wrong key with a 400 (not 401) INVALID_ARGUMENT whose ErrorInfo reason is API_KEY_INVALID', async () => {
      use({ apiKey: 'AIza-right' });
      const response = await postJson(generateUrl('generateContent', '?key=AIza-wrong'), rawBody);
      const error = await ai.models.generateContent(request).catch((thrown: unknown) => thrown);
      const right = new GoogleGenAI({ apiKey: 'AIza-right', httpOptions: { baseUrl: sim.url } });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: {
          code: 400,
          status: 'INVALID_ARGUMENT',
          message: 'API key not valid. Please pass a valid API key.',
          details: expect.arrayContaining([
            expect.objectContaining({
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'API_KEY_INVALID',
            }),
          ]),
        },
      });
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(400);
      expect((error as ApiError).message).toContain('API_KEY_INVALID');
      expect((await right.models.generateContent(request)).text).toMatch(/\w/);
    });
  });

  describe('continuation and length', () => {
    it('continues a trailing model turn that starts the answer with exactly the rest of it', async () => {
      use({});
      const full = (await ai.models.generateContent(request)).text ?? '';
      const prefix = full.slice(0, full.indexOf(' ', 20));
      const contents = [
        { role: 'user', parts: [{ text: 'What does Steadfast do?' }] },
        { role: 'model', parts: [{ text: prefix }] },
      ];

      expect((await ai.models.generateContent({ model, contents })).text).toBe(full.slice(prefix.length));
    });

    it('answers a trailing model turn with a 400 when the model rejects prefill', async () => {
      use({ models: { '*': { rejectsPrefill: true } } });
      const contents = [
        { role: 'user', parts: [{ text: 'What does Steadfast do?' }] },
        { role: 'model', parts: [{ text: 'Steadfast' }] },
      ];

      await expect(ai.models.generateContent({ model, contents })).rejects.toMatchObject({ status: 400 });
    });

    it('stops at maxOutputTokens with finishReason MAX_TOKENS, streaming and not', async () => {
      use({});
      const full = (await ai.models.generateContent(request)).text ?? '';
      const params = { ...request, config: { maxOutputTokens: 3 } };
      const short = await ai.models.generateContent(params);
      const stream = await streamed(params);

      expect(short.candidates?.[0]?.finishReason).toBe(FinishReason.MAX_TOKENS);
      expect(short.usageMetadata?.candidatesTokenCount).toBe(3);
      expect(full.startsWith(short.text ?? '-')).toBe(true);
      expect(stream.finishReason).toBe(FinishReason.MAX_TOKENS);
      expect(stream.text).toBe(short.text);
    });
  });

  describe('answer faults', () => {
    it.each([false, true])(
      'blocks the prompt on content_filter: HTTP 200, promptFeedback.blockReason and no candidates (stream: %s)',
      async (stream) => {
        use(failOnce(['content_filter']));
        const response = stream ? (await streamChunks()).at(-1) : await ai.models.generateContent(request);

        expect(sim.log()[0]).toMatchObject({ outcome: 'content_filter', status: 200 });
        expect(response?.promptFeedback?.blockReason).toBe(BlockedReason.PROHIBITED_CONTENT);
        expect(response?.candidates).toBeUndefined();
        expect(response?.text).toBeUndefined();
        expect(response?.usageMetadata?.promptTokenCount).toBeGreaterThan(0);
      },
    );

    it.each([false, true])(
      'refuses natively with finishReason SAFETY, blocked safety ratings and no text (stream: %s)',
      async (stream) => {
        use(failOnce(['refusal']));
        const response = stream ? (await streamChunks()).at(-1) : await ai.models.generateContent(request);
        const candidate = response?.candidates?.[0];

        expect(candidate?.finishReason).toBe(FinishReason.SAFETY);
        expect(candidate?.safetyRatings?.some((rating) => rating.blocked === true)).toBe(true);
        expect(candidate?.content).toBeUndefined();
      },
    );

    it.each([false, true])('refuses by phrase as an ordinary STOP answer (stream: %s)', async (stream) => {
      use(failOnce([{ kind: 'refusal', mode: 'phrase' }]));
      const answer = stream ? await streamed() : await ai.models.generateContent(request);
      const finish = 'finishReason' in answer ? answer.finishReason : answer.candidates?.[0]?.finishReason;

      expect(answer.text).toMatch(/^I'm sorry, but I can't help/);
      expect(finish).toBe(FinishReason.STOP);
    });

    it.each([false, true])('cuts the answer with MAX_TOKENS on truncated (stream: %s)', async (stream) => {
      use({});
      const full = (await ai.models.generateContent(request)).text ?? '';
      use(failOnce([{ kind: 'truncated', atTokens: 4 }]));
      const answer = stream ? await streamed() : await ai.models.generateContent(request);
      const finish = 'finishReason' in answer ? answer.finishReason : answer.candidates?.[0]?.finishReason;

      expect(finish).toBe(FinishReason.MAX_TOKENS);
      expect(answer.text?.length).toBeGreaterThan(0);
      expect(answer.text?.length).toBeLessThan(full.length);
      expect(full.startsWith(answer.text ?? '-')).toBe(true);
    });

    it.each([false, true])(
      'answers empty with no text and finishReason STOP (stream: %s)',
      async (stream) => {
        use(failOnce(['empty']));
        const answer = stream ? await streamed() : await ai.models.generateContent(request);
        const finish = 'finishReason' in answer ? answer.finishReason : answer.candidates?.[0]?.finishReason;

        expect(answer.text ?? '').toBe('');
        expect(finish).toBe(FinishReason.STOP);
      },
    );

    it.each([false, true])(
      'answers malformed_json with JSON text that does not parse (stream: %s)',
      async (stream) => {
        use(failOnce(['malformed_json']));
        const params = {
          ...request,
          config: {
            responseMimeType: 'application/json',
            responseJsonSchema: {
              type: 'object',
              properties: { a: { type: 'string' }, b: { type: 'string' } },
            },
          },
        };
        const answer = stream ? await streamed(params) : await ai.models.generateContent(params);

        expect(answer.text).toContain('{"a":');
        expect(() => JSON.parse(answer.text ?? '')).toThrow(SyntaxError);
      },
    );
  });
});
