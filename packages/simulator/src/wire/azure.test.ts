import OpenAI, {
  AuthenticationError,
  AzureOpenAI,
  BadRequestError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../index.ts';
import { drain, rejectionOf, testApiKey } from '../test-support/openai-client.ts';
import { postJson } from '../test-support/sse.ts';

const apiVersion = '2024-10-21';
const reply = 'Azure answers through a deployment, with content filter results on every choice.';
// The AzureOpenAI client puts the deployment in the path; the body's model is not what routes.
const model = 'gpt-4o';
const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Hello' }];

const safeFilterResults = {
  hate: { filtered: false, severity: 'safe' },
  self_harm: { filtered: false, severity: 'safe' },
  sexual: { filtered: false, severity: 'safe' },
  violence: { filtered: false, severity: 'safe' },
};

/** The official Azure client for one deployment of the simulator, retries off. */
function azureClient(sim: Simulator, deployment: string, apiKey = testApiKey): AzureOpenAI {
  return new AzureOpenAI({ endpoint: sim.url, apiKey, apiVersion, deployment, maxRetries: 0 });
}

const modes = [
  { mode: 'a non-streaming request', stream: false },
  { mode: 'a streaming request', stream: true },
];

describe('Azure OpenAI through the official AzureOpenAI client', () => {
  let sim: Simulator;
  let client: AzureOpenAI;

  beforeAll(async () => {
    sim = await startSimulator({
      scenario: {
        models: {
          'my-deployment': { reply },
          throttled: {
            faults: [{ fault: { kind: 'rate_limit', retryAfterSeconds: 8, retryAfterMs: 8000 } }],
          },
          'denied-deployment': { faults: [{ fault: 'auth' }] },
          filtered: { faults: [{ fault: 'content_filter' }] },
        },
      },
    });
    client = azureClient(sim, 'my-deployment');
  });
  afterAll(() => sim.close());

  /** Makes one call through the given deployment (draining it when streaming) and returns what it threw. */
  function failure(deployment: string, stream: boolean): Promise<unknown> {
    const create = azureClient(sim, deployment).chat.completions;
    if (!stream) return rejectionOf(create.create({ model, messages }));
    return rejectionOf(
      create.create({ model, messages, stream: true }).then(async (chunks) => {
        const { error } = await drain(chunks);
        if (error !== undefined) throw error;
      }),
    );
  }

  describe('a successful answer', () => {
    it('is routed by the deployment in the path and parsed like an OpenAI completion', async () => {
      const { data, request_id } = await client.chat.completions.create({ model, messages }).withResponse();

      expect(data.object).toBe('chat.completion');
      expect(data.choices[0]).toMatchObject({ message: { content: reply }, finish_reason: 'stop' });
      expect(data.usage?.total_tokens).toBe(
        (data.usage?.prompt_tokens ?? 0) + (data.usage?.completion_tokens ?? 0),
      );
      expect(sim.log().find((record) => record.requestId === request_id)).toMatchObject({
        api: 'azure',
        model: 'my-deployment',
        outcome: 'ok',
      });
    });

    it('carries prompt_filter_results and per-choice content_filter_results', async () => {
      const completion = await client.chat.completions.create({ model, messages });

      expect(completion).toMatchObject({
        prompt_filter_results: [{ prompt_index: 0, content_filter_results: safeFilterResults }],
        choices: [{ content_filter_results: safeFilterResults }],
      });
    });

    it('sends x-request-id, apim-request-id and x-ms-region', async () => {
      const response = await client.chat.completions.create({ model, messages }).asResponse();

      const requestId = response.headers.get('x-request-id');
      expect(requestId).toMatch(/^req_/);
      expect(response.headers.get('apim-request-id')).toEqual(expect.any(String));
      expect(response.headers.get('x-ms-region')).toEqual(expect.any(String));
    });
  });

  describe('a streamed answer', () => {
    it('opens with a filter-only chunk of empty id, which the client yields without error', async () => {
      const drained = await drain(
        await client.chat.completions.create({
          model,
          messages,
          stream: true,
          stream_options: { include_usage: true },
        }),
      );

      expect(drained.error).toBeUndefined();
      expect(drained.chunks[0]).toMatchObject({
        id: '',
        object: '',
        model: '',
        choices: [],
        prompt_filter_results: [{ prompt_index: 0, content_filter_results: safeFilterResults }],
      });
      expect(drained.text).toBe(reply);
      expect(drained.finishReason).toBe('stop');
      expect(drained.chunks.at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);
    });

    it('puts content_filter_results in every choice and no obfuscation', async () => {
      const { chunks } = await drain(await client.chat.completions.create({ model, messages, stream: true }));

      const withChoices = chunks.filter((chunk) => chunk.choices.length > 0);
      expect(withChoices.length).toBeGreaterThan(2);
      for (const chunk of withChoices) {
        expect(chunk.choices[0]).toHaveProperty('content_filter_results');
        expect(chunk).not.toHaveProperty('obfuscation');
      }
    });
  });

  describe('errors', () => {
    it.each(modes)(
      'answers a throttled deployment in $mode with the Azure 429 body and both retry headers',
      async ({ stream }) => {
        const error = await failure('throttled', stream);

        if (!(error instanceof RateLimitError)) throw error;
        expect(error.status).toBe(429);
        expect(error.error).toEqual({
          code: '429',
          message: expect.stringContaining('retry after 8 seconds'),
        });
        expect(error.code).toBe('429');
        expect(error.type).toBeUndefined();
        expect(error.headers.get('retry-after')).toBe('8');
        expect(error.headers.get('retry-after-ms')).toBe('8000');
        expect(error.requestID).toBe(error.headers.get('x-request-id'));
        expect(error.headers.get('apim-request-id')).toBe(error.requestID);
      },
    );

    it.each(modes)('answers an auth failure in $mode with the Azure 401 body', async ({ stream }) => {
      const error = await failure('denied-deployment', stream);

      if (!(error instanceof AuthenticationError)) throw error;
      expect(error.error).toEqual({
        code: '401',
        message: expect.stringMatching(
          /^Access denied due to invalid subscription key or wrong API endpoint/,
        ),
      });
      expect(error.message).not.toContain(testApiKey);
    });

    it('answers an unknown deployment with NotFoundError DeploymentNotFound', async () => {
      const error = await failure('no-such-deployment', false);

      if (!(error instanceof NotFoundError)) throw error;
      expect(error.status).toBe(404);
      expect(error.code).toBe('DeploymentNotFound');
    });

    it.each(modes)(
      'answers a filtered prompt in $mode with a 400 content_filter body and its innererror',
      async ({ stream }) => {
        const error = await failure('filtered', stream);

        if (!(error instanceof BadRequestError)) throw error;
        expect(error.code).toBe('content_filter');
        expect(error.param).toBe('prompt');
        expect(error.error).toMatchObject({
          status: 400,
          innererror: {
            code: 'ResponsibleAIPolicyViolation',
            content_filter_result: { violence: { filtered: true, severity: 'high' } },
          },
        });
      },
    );

    it('answers a deployment URL without api-version with 404 Resource not found', async () => {
      const response = await postJson(`${sim.url}/openai/deployments/my-deployment/chat/completions`, {
        messages,
      });

      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: '404', message: 'Resource not found' } });
    });
  });

  describe('the v1 path', () => {
    const v1Client = (): OpenAI =>
      new OpenAI({ baseURL: `${sim.url}/openai/v1`, apiKey: testApiKey, maxRetries: 0 });

    it('answers the plain OpenAI client with the model in the body, in the Azure flavour', async () => {
      const completion = await v1Client().chat.completions.create({ model: 'my-deployment', messages });

      expect(completion.choices[0]?.message.content).toBe(reply);
      expect(completion).toMatchObject({ prompt_filter_results: [{ prompt_index: 0 }] });
      expect(sim.log().find((record) => record.requestId === completion._request_id)).toMatchObject({
        api: 'azure',
        model: 'my-deployment',
      });
    });

    it('streams to the plain OpenAI client, filter chunk first', async () => {
      const drained = await drain(
        await v1Client().chat.completions.create({ model: 'my-deployment', messages, stream: true }),
      );

      expect(drained.error).toBeUndefined();
      expect(drained.chunks[0]?.id).toBe('');
      expect(drained.text).toBe(reply);
    });
  });
});

describe('an Azure scenario with an apiKey', () => {
  const apiKey = 'azure-scenario-key-0000000000000001';
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: { apiKey, models: { 'my-deployment': { reply } } } });
  });
  afterAll(() => sim.close());

  it('answers a request that sends the key in the api-key header', async () => {
    const completion = await azureClient(sim, 'my-deployment', apiKey).chat.completions.create({
      model,
      messages,
    });

    expect(completion.choices[0]?.message.content).toBe(reply);
  });

  it('rejects another key with the Azure 401 body', async () => {
    const error = await rejectionOf(
      azureClient(sim, 'my-deployment', 'azure-wrong-key-000000000000').chat.completions.create({
        model,
        messages,
      }),
    );

    if (!(error instanceof AuthenticationError)) throw error;
    expect(error.code).toBe('401');
    expect(error.type).toBeUndefined();
  });
});

describe('Azure rate-limit headers for a deployment with requestsPerMinute 2', () => {
  // The rate window runs on the simulator's clock; a fake one makes the reset values exact.
  let nowMs = 1_800_000_000_000;
  let sim: Simulator;
  let client: AzureOpenAI;

  beforeAll(async () => {
    sim = await startSimulator({
      now: () => nowMs,
      scenario: { models: { limited: { rateLimit: { requestsPerMinute: 2 } } } },
    });
    client = azureClient(sim, 'limited');
  });
  beforeEach(() => sim.reset());
  afterAll(() => sim.close());

  it('counts remaining requests down, with the reset in whole seconds', async () => {
    const first = await client.chat.completions.create({ model, messages }).asResponse();
    nowMs += 1500;
    const second = await client.chat.completions.create({ model, messages }).asResponse();

    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(first.headers.get('x-ratelimit-reset-requests')).toBe('60');
    expect(second.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(second.headers.get('x-ratelimit-reset-requests')).toBe('59');
  });

  it('answers the third request in the window with the Azure 429 body and retry-after', async () => {
    await client.chat.completions.create({ model, messages });
    await client.chat.completions.create({ model, messages });
    nowMs += 30_000;

    const error = await rejectionOf(client.chat.completions.create({ model, messages }));

    if (!(error instanceof RateLimitError)) throw error;
    expect(error.code).toBe('429');
    expect(error.headers.get('retry-after')).toBe('30');
    expect(error.headers.get('x-ratelimit-reset-requests')).toBe('30');
  });
});
