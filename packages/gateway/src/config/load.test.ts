// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${NAME}` is the config file's variable syntax, not a template.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { loadConfig, parseConfig } from './load.ts';
import { chatRoute, configError, twoProviders, yamlLines } from './test-support/config-text.ts';

const serverDefaults = {
  host: '127.0.0.1',
  port: 8787,
  bodyLimitBytes: 4_194_304,
  shutdownGraceMs: 10_000,
  idempotencyWindowMs: 600_000,
};

describe('parseConfig', () => {
  it('reads a minimal file: providers and routes, the server settings defaulted', () => {
    const config = parseConfig(yamlLines(...twoProviders, ...chatRoute), 'gateway.yaml', { env: {} });
    expect(config).toEqual({
      source: 'gateway.yaml',
      server: serverDefaults,
      providers: {
        openai: { type: 'openai', apiKey: 'sk-test-openai' },
        anthropic: { type: 'anthropic', apiKey: 'sk-ant-test' },
      },
      routes: { chat: { candidates: ['openai/gpt-4o-mini', 'anthropic/claude-haiku-4-5'] } },
    });
  });

  it('reads every section as written, adding only the defaults the schema owns', () => {
    const text = yamlLines(
      'server: { host: 0.0.0.0, port: 9000 }',
      'simulator: { scenario: ./scenario.yaml }',
      'providers:',
      '  openai: { type: openai, baseURL: "${simulator}/v1", organization: org-1 }',
      '  azure: { type: azure, endpoint: "https://eu.openai.azure.com", apiKey: az-key, apiVersion: 2024-10-21 }',
      '  groq: { type: openai-compatible, flavour: groq, baseURL: "https://api.groq.com/openai/v1", apiKey: gsk-1 }',
      '  anthropic: { type: anthropic, baseURL: "${simulator}", beta: [prompt-caching-2024-07-31] }',
      '  gemini: { type: gemini, apiKey: AIza-test }',
      'routes:',
      '  chat:',
      '    candidates: [openai/gpt-4o-mini, azure/gpt-4o, groq/meta-llama/llama-4-scout]',
      '    policies:',
      '      deadlineMs: 30000',
      '      retry: { maxRetries: 2, jitter: equal, retryOn: { content_filter: true } }',
      '      breaker: { consecutiveFailures: 3, countKinds: [server, timeout] }',
      '      cache: { maxStaleMs: 3600000 }',
      '      content: { refusal: next, refusalDetection: { extraPhrases: [as a large language model] } }',
      '      streamRecovery: continue',
      '      hedge: { delayMs: 2000 }',
      '      degrade: { text: Try again soon. }',
      '  smart:',
      '    candidates: [anthropic/claude-sonnet-4-5, gemini/gemini-2.5-pro]',
      '    policies: { retry: false, breaker: false, retryBudget: { ratio: 0.1 } }',
      'defaults: { attemptTimeoutMs: 20000, rateLimitAware: false, contentFilter: fallback }',
      'catalog:',
      '  - { id: gpt-4o-mini, contextWindow: 64000 }',
      'alerts:',
      '  rules: [{ type: breaker-open }, { type: error-rate, thresholdRatio: 0.1 }]',
      '  sinks: [{ type: webhook, url: "https://hooks.example.com/T1", headers: { authorization: Bearer t } }]',
      'keys:',
      '  - { name: team-a, sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08, routes: [chat] }',
    );
    expect(parseConfig(text, '/etc/steadfast/gateway.yaml', { env: {} })).toEqual({
      source: '/etc/steadfast/gateway.yaml',
      server: { ...serverDefaults, host: '0.0.0.0', port: 9000 },
      simulator: { scenario: '/etc/steadfast/scenario.yaml', port: 0 },
      providers: {
        openai: { type: 'openai', baseURL: '${simulator}/v1', organization: 'org-1' },
        azure: {
          type: 'azure',
          endpoint: 'https://eu.openai.azure.com',
          apiKey: 'az-key',
          apiVersion: '2024-10-21',
        },
        groq: {
          type: 'openai-compatible',
          flavour: 'groq',
          baseURL: 'https://api.groq.com/openai/v1',
          apiKey: 'gsk-1',
        },
        anthropic: { type: 'anthropic', baseURL: '${simulator}', beta: ['prompt-caching-2024-07-31'] },
        gemini: { type: 'gemini', apiKey: 'AIza-test' },
      },
      routes: {
        chat: {
          candidates: ['openai/gpt-4o-mini', 'azure/gpt-4o', 'groq/meta-llama/llama-4-scout'],
          policies: {
            deadlineMs: 30_000,
            retry: { maxRetries: 2, jitter: 'equal', retryOn: { content_filter: true } },
            breaker: { consecutiveFailures: 3, countKinds: ['server', 'timeout'] },
            cache: { maxStaleMs: 3_600_000 },
            content: { refusal: 'next', refusalDetection: { extraPhrases: ['as a large language model'] } },
            streamRecovery: 'continue',
            hedge: { delayMs: 2000 },
            degrade: { text: 'Try again soon.' },
          },
        },
        smart: {
          candidates: ['anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-pro'],
          policies: { retry: false, breaker: false, retryBudget: { ratio: 0.1 } },
        },
      },
      defaults: { attemptTimeoutMs: 20_000, rateLimitAware: false, contentFilter: 'fallback' },
      catalog: [{ id: 'gpt-4o-mini', contextWindow: 64_000 }],
      alerts: {
        rules: [{ type: 'breaker-open' }, { type: 'error-rate', thresholdRatio: 0.1 }],
        sinks: [
          { type: 'webhook', url: 'https://hooks.example.com/T1', headers: { authorization: 'Bearer t' } },
        ],
      },
      keys: [
        {
          name: 'team-a',
          sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
          routes: ['chat'],
        },
      ],
    });
  });

  it('gives an alerts section without sinks one log sink', () => {
    const text = yamlLines(...twoProviders, ...chatRoute, 'alerts: { rules: [{ type: last-option }] }');
    expect(parseConfig(text, 'gateway.yaml', { env: {} }).alerts).toEqual({
      rules: [{ type: 'last-option' }],
      sinks: [{ type: 'log' }],
    });
  });

  it('resolves the simulator scenario against baseDir when one is given, and keeps an absolute one', () => {
    const relative = yamlLines(
      'simulator: { scenario: faults/demo.yaml, port: 9100 }',
      ...twoProviders,
      ...chatRoute,
    );
    expect(parseConfig(relative, '(inline)', { env: {}, baseDir: '/srv/demo' }).simulator).toEqual({
      scenario: '/srv/demo/faults/demo.yaml',
      port: 9100,
    });
    const absolute = yamlLines('simulator: { scenario: /opt/scenario.yaml }', ...twoProviders, ...chatRoute);
    expect(parseConfig(absolute, 'gateway.yaml', { env: {} }).simulator?.scenario).toBe('/opt/scenario.yaml');
  });

  it('reads JSON, which is YAML', () => {
    const json = JSON.stringify({
      providers: { gemini: { type: 'gemini', apiKey: 'AIza-test' } },
      routes: { chat: { candidates: ['gemini/gemini-2.5-flash'] } },
    });
    expect(parseConfig(json, 'gateway.json', { env: {} }).routes).toEqual({
      chat: { candidates: ['gemini/gemini-2.5-flash'] },
    });
  });
});

describe('loadConfig', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'steadfast-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file, resolving the scenario beside it', async () => {
    const path = join(dir, 'gateway.yaml');
    await writeFile(
      path,
      yamlLines('simulator: { scenario: ./scenario.yaml }', ...twoProviders, ...chatRoute),
    );
    const config = await loadConfig(path, { env: {} });
    expect(config.source).toBe(path);
    expect(config.simulator?.scenario).toBe(join(dir, 'scenario.yaml'));
  });

  it('names the file in every problem', async () => {
    const path = join(dir, 'broken.yaml');
    await writeFile(
      path,
      yamlLines(...twoProviders, 'routes:', '  chat:', '    candidates: [opnai/gpt-4o-mini]'),
    );
    const error = await loadConfig(path, { env: {} }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).message).toBe(
      `Invalid config ${path} (1 problem):\n` +
        `  ${path}:10:18 routes.chat.candidates.0: provider "opnai" is not configured (known: openai, anthropic)`,
    );
  });
});

describe('ConfigError', () => {
  it('lists every problem in file order, and keeps them as data', () => {
    const error = configError(() =>
      parseConfig(
        yamlLines(
          ...twoProviders,
          'routes:',
          '  chat:',
          '    candidates: [openai/gpt-4o-mini]',
          '    policies: { deadlineMs: 0 }',
          'server: { port: -1 }',
        ),
        'gateway.yaml',
        { env: {} },
      ),
    );
    expect(error.source).toBe('gateway.yaml');
    expect(error.issues).toEqual([
      {
        path: 'routes.chat.policies.deadlineMs',
        line: 11,
        column: 29,
        message: 'Too small: expected number to be >0',
      },
      { path: 'server.port', line: 12, column: 17, message: 'Too small: expected number to be >=0' },
    ]);
    expect(error.message).toBe(
      [
        'Invalid config gateway.yaml (2 problems):',
        '  gateway.yaml:11:29 routes.chat.policies.deadlineMs: Too small: expected number to be >0',
        '  gateway.yaml:12:17 server.port: Too small: expected number to be >=0',
      ].join('\n'),
    );
  });

  it('is recognised by isInstance, and other errors are not', () => {
    expect(ConfigError.isInstance(new ConfigError('a.yaml', []))).toBe(true);
    expect(ConfigError.isInstance(new Error('Invalid config'))).toBe(false);
    expect(ConfigError.isInstance({ issues: [] })).toBe(false);
  });
});
