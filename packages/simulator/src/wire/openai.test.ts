import type OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../index.ts';
import { drain, openAiClient } from '../test-support/openai-client.ts';
import { parseSse } from '../test-support/sse.ts';

const model = 'gpt-4o-mini';
const reply = 'Steadfast answers this request one token at a time, the same way every run.';
const messages: ChatCompletionMessageParam[] = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Say something about yourself.' },
];

describe('OpenAI chat completions through the official client', () => {
  let sim: Simulator;
  let client: OpenAI;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: { models: { [model]: { reply }, 'gpt-4o': {} } } });
    client = openAiClient(sim.url);
  });
  afterAll(() => sim.close());

  describe('a non-streaming answer', () => {
    it('parses into a chat.completion with the model, the text and finish_reason stop', async () => {
      const completion = await client.chat.completions.create({ model, messages });

      expect(completion.id).toMatch(/^chatcmpl-/);
      expect(completion.object).toBe('chat.completion');
      expect(completion.model).toBe(model);
      expect(completion.choices).toHaveLength(1);
      expect(completion.choices[0]).toMatchObject({
        index: 0,
        message: { role: 'assistant', content: reply, refusal: null },
        finish_reason: 'stop',
      });
    });

    it('reports usage whose total is prompt plus completion tokens', async () => {
      const { usage } = await client.chat.completions.create({ model, messages });

      expect(usage?.prompt_tokens).toBeGreaterThan(0);
      expect(usage?.completion_tokens).toBeGreaterThan(0);
      expect(usage?.total_tokens).toBe((usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0));
    });

    it('counts more prompt tokens for a longer prompt', async () => {
      const short = await client.chat.completions.create({ model, messages });
      const long = await client.chat.completions.create({
        model,
        messages: [...messages, { role: 'user', content: 'And now say it again, more slowly. '.repeat(20) }],
      });

      expect(long.usage?.prompt_tokens).toBeGreaterThan(
        short.usage?.prompt_tokens ?? Number.POSITIVE_INFINITY,
      );
    });

    it('generates an answer for a model without a configured reply', async () => {
      const completion = await client.chat.completions.create({ model: 'gpt-4o', messages });

      expect(completion.choices[0]?.message.content).toMatch(/\w+ \w+/);
      expect(completion.model).toBe('gpt-4o');
    });
  });

  describe('a streamed answer', () => {
    it('yields chunks whose text concatenates to the non-streaming answer', async () => {
      const stream = await client.chat.completions.create({ model, messages, stream: true });
      const drained = await drain(stream);

      expect(drained.error).toBeUndefined();
      expect(drained.text).toBe(reply);
      expect(drained.contentChunks).toBeGreaterThan(1);
      expect(drained.finishReason).toBe('stop');
    });

    it('repeats one id, created time and model on every chunk', async () => {
      const { chunks } = await drain(await client.chat.completions.create({ model, messages, stream: true }));

      const first = chunks[0];
      expect(first?.id).toMatch(/^chatcmpl-/);
      for (const chunk of chunks) {
        expect(chunk).toMatchObject({
          id: first?.id,
          object: 'chat.completion.chunk',
          created: first?.created,
          model,
        });
      }
    });

    it('opens with an assistant role delta and sets finish_reason only on the last choice chunk', async () => {
      const { chunks } = await drain(await client.chat.completions.create({ model, messages, stream: true }));

      expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
      const finishReasons = chunks.map((chunk) => chunk.choices[0]?.finish_reason);
      expect(finishReasons.at(-1)).toBe('stop');
      expect(finishReasons.slice(0, -1).every((reason) => reason === null)).toBe(true);
    });

    it('with include_usage, ends with a choice-less usage chunk and sends usage null on every other', async () => {
      const nonStreaming = await client.chat.completions.create({ model, messages });
      const stream = await client.chat.completions.create({
        model,
        messages,
        stream: true,
        stream_options: { include_usage: true },
      });
      const { chunks, text } = await drain(stream);

      expect(text).toBe(reply);
      const last = chunks.at(-1);
      expect(last?.choices).toEqual([]);
      expect(last?.usage).toEqual(nonStreaming.usage);
      for (const chunk of chunks.slice(0, -1)) expect(chunk.usage).toBeNull();
    });

    it('without include_usage, sends no usage chunk and no usage field', async () => {
      const { chunks } = await drain(await client.chat.completions.create({ model, messages, stream: true }));

      for (const chunk of chunks) {
        expect(chunk.choices).toHaveLength(1);
        expect(chunk).not.toHaveProperty('usage');
      }
    });

    it('pads every delta chunk with an obfuscation string by default', async () => {
      const { chunks } = await drain(await client.chat.completions.create({ model, messages, stream: true }));

      for (const chunk of chunks) expect(chunk.obfuscation).toEqual(expect.any(String));
    });

    it('leaves obfuscation out when include_obfuscation is false', async () => {
      const stream = await client.chat.completions.create({
        model,
        messages,
        stream: true,
        stream_options: { include_obfuscation: false },
      });
      const { chunks, text } = await drain(stream);

      expect(text).toBe(reply);
      for (const chunk of chunks) expect(chunk).not.toHaveProperty('obfuscation');
    });

    it('is sent as data-only SSE frames ending with data: [DONE]', async () => {
      const response = await client.chat.completions
        .create({ model, messages, stream: true, stream_options: { include_usage: true } })
        .asResponse();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events = parseSse(await response.text());
      expect(events.every((event) => event.event === undefined)).toBe(true);
      expect(events.at(-1)?.data).toBe('[DONE]');
      expect(events.filter((event) => event.data === '[DONE]')).toHaveLength(1);
    });
  });

  describe('request ids', () => {
    it('sends x-request-id, which the client exposes as request_id and _request_id', async () => {
      const call = client.chat.completions.create({ model, messages });
      const { response, request_id } = await call.withResponse();
      const completion = await call;

      const header = response.headers.get('x-request-id');
      expect(header).toMatch(/^req_/);
      expect(request_id).toBe(header);
      expect(completion._request_id).toBe(header);
    });

    it('gives every request its own id, and logs the attempt under it', async () => {
      const first = await client.chat.completions.create({ model, messages });
      const second = await client.chat.completions.create({ model, messages, stream: true }).withResponse();

      expect(first._request_id).not.toBe(second.request_id);
      const logged = sim.log().find((record) => record.requestId === second.request_id);
      expect(logged).toMatchObject({ api: 'openai', model, stream: true, outcome: 'ok', status: 200 });
    });

    it('sends the OpenAI version and organization headers', async () => {
      const response = await client.chat.completions.create({ model, messages }).asResponse();

      expect(response.headers.get('openai-version')).toBe('2020-10-01');
      expect(response.headers.get('openai-organization')).toEqual(expect.any(String));
    });
  });

  describe('the model list', () => {
    it('lists the scenario models through client.models.list()', async () => {
      const ids: string[] = [];
      for await (const listed of client.models.list()) ids.push(listed.id);

      expect(ids.sort()).toEqual(['gpt-4o', model].sort());
    });
  });
});
