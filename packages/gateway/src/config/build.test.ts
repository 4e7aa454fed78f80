// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${NAME}` is the config file's variable syntax, not a template.
import { builtInAlertRules, type ChatRequest, createClient, SteadfastError } from '@steadfast/core';
import { describe, expect, it } from 'vitest';
import { buildGateway } from './build.ts';
import { parseConfig } from './load.ts';
import { yamlLines } from './test-support/config-text.ts';

const question: ChatRequest = { model: 'chat', messages: [{ role: 'user', content: 'Hello?' }] };

function load(...lines: string[]) {
  return parseConfig(yamlLines(...lines), 'test.yaml', { env: {} });
}

/** One call as an adapter made it. */
interface SentRequest {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** A `fetch` that records each call and answers it with `answer` (a 503 by default). */
function recordingFetch(answer: () => Response = () => new Response('{}', { status: 503 })) {
  const sent: SentRequest[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    sent.push({
      url: String(input),
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: JSON.parse(String(init?.body)) as Record<string, unknown>,
    });
    return answer();
  };
  return { fetch: fetch as typeof globalThis.fetch, sent };
}

const openAiAnswer = (text: string) => () =>
  Response.json({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
  });

describe('buildGateway: routes and policies', () => {
  const config = load(
    'providers:',
    '  openai: { type: openai, apiKey: sk-test }',
    '  anthropic: { type: anthropic, apiKey: sk-ant-test }',
    'defaults:',
    '  deadlineMs: 30000',
    '  retry: { maxRetries: 2, baseDelayMs: 250 }',
    '  breaker: { consecutiveFailures: 3 }',
    'routes:',
    '  chat:',
    '    candidates: [openai/gpt-4o-mini, anthropic/claude-haiku-4-5]',
    '    policies:',
    '      retry: false',
    '      cache: { maxStaleMs: 3600000 }',
    '      content: { refusal: next, truncation: continue }',
    '      hedge: { delayMs: 1500 }',
    '      degrade: { text: Please try again in a minute. }',
    '  bare:',
    '    candidates: [anthropic/claude-sonnet-4-5]',
  );
  const built = buildGateway(config);

  it('gives each route its candidates and its own policies, and the defaults apart (the engine merges them)', () => {
    const { degrade, ...chat } = built.client.routes.chat ?? { candidates: [] };
    expect(chat).toEqual({
      candidates: ['openai/gpt-4o-mini', 'anthropic/claude-haiku-4-5'],
      retry: false,
      cache: { maxStaleMs: 3_600_000 },
      content: { refusal: 'next', truncation: 'continue' },
      hedge: { delayMs: 1500 },
    });
    expect(degrade).toBeTypeOf('function');
    expect(built.client.routes.bare).toEqual({ candidates: ['anthropic/claude-sonnet-4-5'] });
    expect(built.client.defaults).toEqual({
      deadlineMs: 30_000,
      retry: { maxRetries: 2, baseDelayMs: 250 },
      breaker: { consecutiveFailures: 3 },
    });
  });

  it('turns a degrade text into a function that answers it', async () => {
    const degrade = built.client.routes.chat?.degrade;
    expect(await degrade?.(question, new SteadfastError('unavailable', 'down'))).toBe(
      'Please try again in a minute.',
    );
  });

  it('makes one adapter per provider, named as configured', () => {
    expect(Object.keys(built.client.providers)).toEqual(['openai', 'anthropic']);
    expect(built.client.providers.openai).toMatchObject({ name: 'openai', type: 'openai' });
    expect(built.client.providers.anthropic).toMatchObject({ name: 'anthropic', type: 'anthropic' });
  });

  it('gives the server its settings, with the defaults, and no keys or alerts when the file has none', () => {
    expect(built.server).toEqual({
      host: '127.0.0.1',
      port: 8787,
      bodyLimitBytes: 4_194_304,
      shutdownGraceMs: 10_000,
      idempotencyWindowMs: 600_000,
    });
    expect(built.keys).toEqual([]);
    expect(built.alerts).toBeUndefined();
  });
});

describe('buildGateway: what the engine does with it', () => {
  it('answers through the route with the built adapters', async () => {
    const { fetch, sent } = recordingFetch(openAiAnswer('Hi there.'));
    const built = buildGateway(
      load(
        'providers:',
        '  openai: { type: openai, apiKey: sk-test }',
        'routes:',
        '  chat: { candidates: [openai/gpt-4o-mini] }',
      ),
      { fetch },
    );
    const result = await createClient(built.client).chat(question);
    expect(result.text).toBe('Hi there.');
    expect(sent.map((request) => request.body.model)).toEqual(['gpt-4o-mini']);
  });

  it('answers with the degrade text when every candidate failed', async () => {
    const { fetch, sent } = recordingFetch();
    const built = buildGateway(
      load(
        'providers:',
        '  openai: { type: openai, apiKey: sk-test }',
        'routes:',
        '  chat:',
        '    candidates: [openai/gpt-4o-mini]',
        '    policies: { retry: false, degrade: { text: Busy; back soon. } }',
      ),
      { fetch },
    );
    const result = await createClient(built.client).chat(question);
    expect(sent).toHaveLength(1);
    expect(result.text).toBe('Busy; back soon.');
    expect(result.resilience.degraded).toBe(true);
  });
});

describe('buildGateway: providers', () => {
  it.each([
    {
      type: 'openai',
      provider: '{ type: openai, apiKey: sk-test, organization: org-7, headers: { x-trace: on } }',
      url: 'https://api.openai.com/v1/chat/completions',
      headers: { authorization: 'Bearer sk-test', 'openai-organization': 'org-7', 'x-trace': 'on' },
    },
    {
      type: 'azure',
      provider:
        '{ type: azure, endpoint: "https://eu.openai.azure.com/", apiKey: az-key, apiVersion: 2024-10-21 }',
      url: 'https://eu.openai.azure.com/openai/deployments/the-model/chat/completions?api-version=2024-10-21',
      headers: { 'api-key': 'az-key' },
    },
    {
      type: 'openai-compatible',
      provider:
        '{ type: openai-compatible, flavour: groq, baseURL: "https://api.groq.com/openai/v1", apiKey: gsk-1 }',
      url: 'https://api.groq.com/openai/v1/chat/completions',
      headers: { authorization: 'Bearer gsk-1' },
    },
    {
      type: 'anthropic',
      provider: '{ type: anthropic, apiKey: sk-ant-test, beta: [a-1, b-2] }',
      url: 'https://api.anthropic.com/v1/messages',
      headers: { 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'a-1,b-2' },
    },
    {
      type: 'gemini',
      provider: '{ type: gemini, apiKey: AIza-test, baseURL: "https://gemini.internal/v1beta" }',
      url: 'https://gemini.internal/v1beta/models/the-model:generateContent',
      headers: { 'x-goog-api-key': 'AIza-test' },
    },
  ])(
    'builds $type with the core factory: its URL and credentials',
    async ({ type, provider, url, headers }) => {
      const { fetch, sent } = recordingFetch();
      const built = buildGateway(
        load(
          'providers:',
          `  upstream: ${provider}`,
          'routes:',
          '  chat: { candidates: [upstream/the-model] }',
        ),
        { fetch },
      );
      const adapter = built.client.providers.upstream;
      expect(adapter).toMatchObject({ name: 'upstream', type });
      await expect(adapter?.chat({ ...question, model: 'the-model' })).rejects.toMatchObject({
        kind: 'unavailable',
      });
      expect(sent).toHaveLength(1);
      expect(sent[0]?.url).toBe(url);
      expect(sent[0]?.headers).toMatchObject(headers);
    },
  );

  it('puts the running simulator where the file says ${simulator}', async () => {
    const config = load(
      'simulator: {}',
      'providers:',
      '  openai: { type: openai, baseURL: "${simulator}/v1" }',
      '  anthropic: { type: anthropic, baseURL: "${simulator}" }',
      '  azure: { type: azure, endpoint: "${simulator}", apiVersion: 2024-10-21 }',
      'routes:',
      '  chat: { candidates: [openai/gpt-4o-mini, anthropic/claude-haiku-4-5, azure/gpt-4o] }',
    );
    const { fetch, sent } = recordingFetch();
    const { providers } = buildGateway(config, { fetch, simulatorUrl: 'http://127.0.0.1:9123' }).client;
    for (const adapter of Object.values(providers)) await adapter.chat(question).catch(() => undefined);
    expect(sent.map((request) => request.url)).toEqual([
      'http://127.0.0.1:9123/v1/chat/completions',
      'http://127.0.0.1:9123/v1/messages',
      'http://127.0.0.1:9123/openai/deployments/chat/chat/completions?api-version=2024-10-21',
    ]);
  });

  it('refuses to build a file that uses ${simulator} without the simulator URL', () => {
    const config = load(
      'simulator: {}',
      'providers:',
      '  openai: { type: openai, baseURL: "${simulator}/v1" }',
      'routes:',
      '  chat: { candidates: [openai/gpt-4o-mini] }',
    );
    expect(() => buildGateway(config)).toThrow(
      'Provider "openai" uses ${simulator}: start the simulator (startConfiguredSimulator) and pass its url as simulatorUrl',
    );
  });
});

describe('buildGateway: catalog and alerts', () => {
  const base = [
    'providers:',
    '  openai: { type: openai, apiKey: sk-test }',
    'routes:',
    '  chat: { candidates: [openai/gpt-4o-mini] }',
  ];

  it('applies catalog entries over the built-in models and adds new ones', () => {
    const { catalog } = buildGateway(
      load(
        ...base,
        'catalog:',
        '  - { id: gpt-4o-mini, contextWindow: 64000 }',
        '  - id: my-finetune',
        '    provider: openai',
        '    contextWindow: 32000',
        '    maxOutputTokens: 4000',
        '    tokenizer: o200k',
        '    capabilities: { tools: true, jsonSchema: false, vision: false, streaming: true, prefill: false }',
      ),
    ).client;
    expect(catalog.get('gpt-4o-mini')).toMatchObject({
      id: 'gpt-4o-mini',
      contextWindow: 64_000,
      provider: 'openai',
    });
    expect(catalog.get('gpt-4o-mini')?.maxOutputTokens).toBeGreaterThan(0);
    expect(catalog.get('my-finetune')).toEqual({
      id: 'my-finetune',
      provider: 'openai',
      contextWindow: 32_000,
      maxOutputTokens: 4000,
      tokenizer: 'o200k',
      capabilities: { tools: true, jsonSchema: false, vision: false, streaming: true, prefill: false },
    });
  });

  it('uses the built-in rules when the alerts section lists none', () => {
    const { alerts } = buildGateway(load(...base, 'alerts: { sinks: [{ type: log }] }'));
    expect(alerts).toEqual({ rules: builtInAlertRules, sinks: [{ type: 'log' }] });
  });

  it('builds threshold rules with the denominator only on ratios, and keeps the sinks and the period', () => {
    const { alerts } = buildGateway(
      load(
        ...base,
        'alerts:',
        '  evaluateEveryMs: 5000',
        '  rules:',
        '    - { type: threshold, name: fallback-share, series: fallbacks, stat: ratio, denominator: requests, windowMs: 60000, op: ">", threshold: 0.3 }',
        '    - { type: threshold, name: slow, series: request_duration_ms, stat: p95, windowMs: 300000, op: ">", threshold: 20000, severity: critical }',
        '  sinks:',
        '    - { type: webhook, url: "https://hooks.example.com/a", maxAttempts: 3 }',
      ),
    );
    expect(alerts).toEqual({
      evaluateEveryMs: 5000,
      rules: [
        {
          type: 'threshold',
          name: 'fallback-share',
          series: 'fallbacks',
          stat: 'ratio',
          denominator: 'requests',
          windowMs: 60_000,
          op: '>',
          threshold: 0.3,
        },
        {
          type: 'threshold',
          name: 'slow',
          series: 'request_duration_ms',
          stat: 'p95',
          windowMs: 300_000,
          op: '>',
          threshold: 20_000,
          severity: 'critical',
        },
      ],
      sinks: [{ type: 'webhook', url: 'https://hooks.example.com/a', maxAttempts: 3 }],
    });
  });
});
