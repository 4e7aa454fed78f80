import type OpenAI from 'openai';
// The root entry point does not re-export this one; core/error is where the SDK defines it.
import { LengthFinishReasonError } from 'openai/core/error';
import type { ChatCompletionMessageParam, ResponseFormatJSONSchema } from 'openai/resources';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../index.ts';
import { drain, openAiClient, rejectionOf } from '../test-support/openai-client.ts';

const reply = 'Steadfast answers this request one token at a time, the same way every run.';
const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Hello' }];
const answerFormat: ResponseFormatJSONSchema = {
  type: 'json_schema',
  json_schema: {
    name: 'answer',
    strict: true,
    schema: {
      type: 'object',
      properties: { summary: { type: 'string' }, score: { type: 'number' } },
      required: ['summary', 'score'],
      additionalProperties: false,
    },
  },
};

describe('OpenAI answer faults through the official client', () => {
  let sim: Simulator;
  let client: OpenAI;

  beforeAll(async () => {
    sim = await startSimulator({
      scenario: {
        defaults: { reply },
        models: {
          healthy: {},
          empty: { faults: [{ fault: 'empty' }] },
          refusal: { faults: [{ fault: 'refusal' }] },
          'refusal-phrase': { faults: [{ fault: { kind: 'refusal', mode: 'phrase' } }] },
          truncated: { faults: [{ fault: 'truncated' }] },
          'truncated-at-3': { faults: [{ fault: { kind: 'truncated', atTokens: 3 } }] },
          'malformed-json': { faults: [{ fault: 'malformed_json' }] },
        },
      },
    });
    client = openAiClient(sim.url);
  });
  afterAll(() => sim.close());

  /** Streams a request to its end; fails the test if the stream errors. */
  async function streamed(model: string, extra: Partial<OpenAI.ChatCompletionCreateParamsStreaming> = {}) {
    const drained = await drain(
      await client.chat.completions.create({ model, messages, ...extra, stream: true }),
    );
    expect(drained.error).toBeUndefined();
    return drained;
  }

  describe('empty', () => {
    it('answers with empty content, finish_reason stop and no completion tokens', async () => {
      const completion = await client.chat.completions.create({ model: 'empty', messages });

      expect(completion.choices[0]?.message.content).toBe('');
      expect(completion.choices[0]?.finish_reason).toBe('stop');
      expect(completion.usage?.completion_tokens).toBe(0);
    });

    it('streams no text, then finish_reason stop', async () => {
      const drained = await streamed('empty');

      expect(drained.text).toBe('');
      expect(drained.contentChunks).toBe(0);
      expect(drained.finishReason).toBe('stop');
    });
  });

  describe('refusal (native)', () => {
    it('answers with message.refusal set and content null', async () => {
      const { message } = (await client.chat.completions.create({ model: 'refusal', messages })).choices[0]!;

      expect(message.content).toBeNull();
      expect(message.refusal).toMatch(/^I'm sorry/);
    });

    it('streams the refusal in delta.refusal, never in delta.content', async () => {
      const whole = await client.chat.completions.create({ model: 'refusal', messages });
      const drained = await streamed('refusal');

      expect(drained.refusal).toBe(whole.choices[0]?.message.refusal);
      expect(drained.text).toBe('');
    });

    it('leaves message.parsed null in chat.completions.parse', async () => {
      const completion = await client.chat.completions.parse({
        model: 'refusal',
        messages,
        response_format: answerFormat,
      });

      expect(completion.choices[0]?.message.parsed).toBeNull();
      expect(completion.choices[0]?.message.refusal).toMatch(/^I'm sorry/);
    });
  });

  describe('refusal (phrase)', () => {
    it('answers with content that starts with an apology and no refusal field', async () => {
      const { message } = (await client.chat.completions.create({ model: 'refusal-phrase', messages }))
        .choices[0]!;

      expect(message.content).toMatch(/^I'm sorry/);
      expect(message.refusal).toBeNull();
    });

    it('streams the apology as content', async () => {
      expect((await streamed('refusal-phrase')).text).toMatch(/^I'm sorry/);
    });
  });

  describe('truncated', () => {
    it('answers with the first part of the text and finish_reason length', async () => {
      const completion = await client.chat.completions.create({ model: 'truncated', messages });

      const content = completion.choices[0]?.message.content ?? '';
      expect(completion.choices[0]?.finish_reason).toBe('length');
      expect(content.length).toBeGreaterThan(0);
      expect(content.length).toBeLessThan(reply.length);
      expect(reply.startsWith(content)).toBe(true);
    });

    it('streams the first part of the text, then finish_reason length', async () => {
      const drained = await streamed('truncated');

      expect(drained.finishReason).toBe('length');
      expect(drained.text.length).toBeLessThan(reply.length);
      expect(reply.startsWith(drained.text)).toBe(true);
    });

    it('stops at atTokens completion tokens', async () => {
      const completion = await client.chat.completions.create({ model: 'truncated-at-3', messages });

      expect(completion.usage?.completion_tokens).toBe(3);
      expect(completion.choices[0]?.finish_reason).toBe('length');
    });

    it('makes chat.completions.parse throw LengthFinishReasonError', async () => {
      const error = await rejectionOf(
        client.chat.completions.parse({ model: 'truncated', messages, response_format: answerFormat }),
      );

      expect(error).toBeInstanceOf(LengthFinishReasonError);
    });
  });

  describe('natural truncation by max_completion_tokens', () => {
    it('cuts an answer longer than the limit at the limit, with finish_reason length', async () => {
      const completion = await client.chat.completions.create({
        model: 'healthy',
        messages,
        max_completion_tokens: 4,
      });

      const content = completion.choices[0]?.message.content ?? '';
      expect(completion.choices[0]?.finish_reason).toBe('length');
      expect(completion.usage?.completion_tokens).toBe(4);
      expect(reply.startsWith(content)).toBe(true);
      expect(content.length).toBeLessThan(reply.length);
    });

    it('cuts a stream at the limit too', async () => {
      const drained = await streamed('healthy', { max_completion_tokens: 4 });

      expect(drained.finishReason).toBe('length');
      expect(drained.contentChunks).toBe(4);
    });

    it('reads the deprecated max_tokens as the same limit', async () => {
      const completion = await client.chat.completions.create({ model: 'healthy', messages, max_tokens: 4 });

      expect(completion.choices[0]?.finish_reason).toBe('length');
      expect(completion.usage?.completion_tokens).toBe(4);
    });

    it('leaves an answer within the limit whole, with finish_reason stop', async () => {
      const completion = await client.chat.completions.create({
        model: 'healthy',
        messages,
        max_completion_tokens: 1000,
      });

      expect(completion.choices[0]?.message.content).toBe(reply);
      expect(completion.choices[0]?.finish_reason).toBe('stop');
    });
  });

  describe('malformed_json', () => {
    it('answers a json_object request with content that does not parse', async () => {
      const completion = await client.chat.completions.create({
        model: 'malformed-json',
        messages,
        response_format: { type: 'json_object' },
      });

      const content = completion.choices[0]?.message.content ?? '';
      expect(content).toContain('{');
      expect(() => JSON.parse(content)).toThrow(SyntaxError);
    });

    it('streams json_schema content that does not parse', async () => {
      const drained = await streamed('malformed-json', { response_format: answerFormat });

      expect(drained.text).toContain('{');
      expect(() => JSON.parse(drained.text)).toThrow(SyntaxError);
    });

    it('makes chat.completions.parse throw a SyntaxError', async () => {
      const error = await rejectionOf(
        client.chat.completions.parse({ model: 'malformed-json', messages, response_format: answerFormat }),
      );

      expect(error).toBeInstanceOf(SyntaxError);
    });
  });

  describe('continuation from a trailing assistant message', () => {
    const prefix = reply.slice(0, 23);
    const prefilled: ChatCompletionMessageParam[] = [...messages, { role: 'assistant', content: prefix }];

    it('answers exactly the rest, so that prefix and rest make the full answer', async () => {
      const completion = await client.chat.completions.create({ model: 'healthy', messages: prefilled });

      const rest = completion.choices[0]?.message.content ?? '';
      expect(rest).toBe(reply.slice(prefix.length));
      expect(prefix + rest).toBe(reply);
    });

    it('streams exactly the rest', async () => {
      const drained = await streamed('healthy', { messages: prefilled });

      expect(prefix + drained.text).toBe(reply);
    });

    it('continues a prefix given as text content parts', async () => {
      const completion = await client.chat.completions.create({
        model: 'healthy',
        messages: [...messages, { role: 'assistant', content: [{ type: 'text', text: prefix }] }],
      });

      expect(prefix + (completion.choices[0]?.message.content ?? '')).toBe(reply);
    });
  });
});
