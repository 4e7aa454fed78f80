import {
  FinishReason,
  FunctionCallingConfigMode,
  type GenerateContentParameters,
  type GenerateContentResponse,
  GoogleGenAI,
  Type,
} from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScenarioInput, type Simulator, startSimulator } from '../index.ts';

const model = 'gemini-2.5-flash';
const request: GenerateContentParameters = { model, contents: 'What is the weather in Oslo?' };
const weather = {
  name: 'get_weather',
  description: 'Current weather in a city',
  parametersJsonSchema: {
    type: 'object',
    properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1 } },
    required: ['city', 'days'],
  },
};

/** Text of the first candidate, read from its parts (the `text` getter warns on function calls). */
function textOf(response: GenerateContentResponse): string {
  const parts = response.candidates?.[0]?.content?.parts ?? [];
  return parts.map((part) => part.text ?? '').join('');
}

describe('Gemini function calling and JSON output through @google/genai', () => {
  let sim: Simulator;
  let ai: GoogleGenAI;

  function use(scenario: ScenarioInput): void {
    sim.setScenario(scenario);
    sim.reset();
  }

  async function streamed(params: GenerateContentParameters) {
    const chunks: GenerateContentResponse[] = [];
    for await (const chunk of await ai.models.generateContentStream(params)) chunks.push(chunk);
    return {
      chunks,
      text: chunks.map(textOf).join(''),
      finishReason: chunks.at(-1)?.candidates?.[0]?.finishReason,
    };
  }

  beforeAll(async () => {
    sim = await startSimulator();
    ai = new GoogleGenAI({ apiKey: 'AIza-test', httpOptions: { baseUrl: sim.url } });
  });

  afterAll(() => sim.close());

  describe('tools', () => {
    const forced = {
      ...request,
      config: {
        tools: [{ functionDeclarations: [weather] }],
        toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } },
      },
    };

    it('answers mode ANY with a functionCall whose args have the schema properties, and finishReason STOP', async () => {
      use({});
      const response = await ai.models.generateContent(forced);

      expect(response.functionCalls).toEqual([
        { name: 'get_weather', args: { city: expect.any(String), days: expect.any(Number) } },
      ]);
      expect(response.candidates?.[0]?.finishReason).toBe(FinishReason.STOP);
    });

    it('calls the function that allowedFunctionNames names', async () => {
      use({});
      const response = await ai.models.generateContent({
        ...request,
        config: {
          tools: [{ functionDeclarations: [{ name: 'get_time' }, weather] }],
          toolConfig: {
            functionCallingConfig: {
              mode: FunctionCallingConfigMode.ANY,
              allowedFunctionNames: ['get_weather'],
            },
          },
        },
      });

      expect(response.functionCalls?.[0]?.name).toBe('get_weather');
    });

    it('streams the function call whole, in one chunk', async () => {
      use({});
      const { chunks, finishReason } = await streamed(forced);
      const calls = chunks.flatMap((chunk) => chunk.functionCalls ?? []);

      expect(calls).toEqual([
        { name: 'get_weather', args: { city: expect.any(String), days: expect.any(Number) } },
      ]);
      expect(finishReason).toBe(FinishReason.STOP);
    });

    it('answers in text after a functionResponse', async () => {
      use({});
      const call = await ai.models.generateContent(forced);
      const response = await ai.models.generateContent({
        ...forced,
        contents: [
          { role: 'user', parts: [{ text: 'Weather in Oslo?' }] },
          { role: 'model', parts: [{ functionCall: call.functionCalls?.[0] ?? {} }] },
          {
            role: 'user',
            parts: [{ functionResponse: { name: 'get_weather', response: { sky: 'clear' } } }],
          },
        ],
      });

      expect(response.functionCalls).toBeUndefined();
      expect(response.text).toMatch(/\w/);
    });

    it('never calls a function under mode NONE, even for a model that calls tools unasked', async () => {
      use({ models: { '*': { callTools: true } } });
      const auto = await ai.models.generateContent({ ...forced, config: { tools: forced.config.tools } });
      const none = await ai.models.generateContent({
        ...forced,
        config: {
          tools: forced.config.tools,
          toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.NONE } },
        },
      });

      expect(auto.functionCalls).toHaveLength(1);
      expect(none.functionCalls).toBeUndefined();
      expect(none.text).toMatch(/\w/);
    });
  });

  describe('JSON output', () => {
    it('answers responseMimeType application/json with responseSchema in JSON of that shape', async () => {
      use({});
      const response = await ai.models.generateContent({
        ...request,
        config: {
          responseMimeType: 'application/json',
          responseSchema: {
            type: Type.OBJECT,
            properties: {
              title: { type: Type.STRING },
              year: { type: Type.INTEGER },
              genre: { type: Type.STRING, enum: ['drama', 'comedy'] },
            },
            required: ['title', 'year', 'genre'],
          },
        },
      });

      expect(JSON.parse(response.text ?? '')).toEqual({
        title: expect.any(String),
        year: expect.any(Number),
        genre: 'drama',
      });
    });

    it('answers responseJsonSchema the same way, streaming and not', async () => {
      use({});
      const params = {
        ...request,
        config: {
          responseMimeType: 'application/json',
          responseJsonSchema: {
            type: 'object',
            properties: { ok: { type: 'boolean' }, items: { type: 'array', items: { type: 'number' } } },
          },
        },
      };
      const whole = await ai.models.generateContent(params);
      const { text } = await streamed(params);

      expect(JSON.parse(whole.text ?? '')).toEqual({ ok: true, items: [expect.any(Number)] });
      expect(text).toBe(whole.text);
    });
  });
});
