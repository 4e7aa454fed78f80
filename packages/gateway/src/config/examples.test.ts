import { fileURLToPath } from 'node:url';
import { type ChatRequest, createClient } from '@steadfast/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway } from './build.ts';
import { hashKey } from './keys.ts';
import { type LoadedConfig, loadConfig } from './load.ts';
import { type ConfiguredSimulator, startConfiguredSimulator } from './simulator.ts';

const examples = fileURLToPath(new URL('../../../../examples/', import.meta.url));
const ask = (route: string): ChatRequest => ({
  model: route,
  messages: [{ role: 'user', content: 'Hello?' }],
});

describe('examples/demo.yaml', () => {
  let config: LoadedConfig;
  let simulator: ConfiguredSimulator;
  beforeAll(async () => {
    // No environment at all: the demo needs no key.
    config = await loadConfig(`${examples}demo.yaml`, { env: {} });
    simulator = await startConfiguredSimulator(config);
  });
  afterAll(async () => {
    await simulator?.close();
  });

  it('runs the simulator with the scenario beside it, on a free port', () => {
    expect(config.simulator).toEqual({ scenario: `${examples}demo-scenario.yaml`, port: 0 });
    expect(simulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('stores the demo key hashed', () => {
    expect(buildGateway(config, { simulatorUrl: simulator.url }).keys).toEqual([
      { name: 'demo', sha256: hashKey('sf-demo-key'), cacheScope: 'demo' },
    ]);
  });

  it('answers every route through the simulator, retrying the rate limit the scenario starts with', async () => {
    const built = buildGateway(config, { simulatorUrl: simulator.url });
    expect(Object.keys(built.client.routes)).toEqual(['chat', 'smart', 'fast']);
    const client = createClient(built.client);

    const chat = await client.chat(ask('chat'));
    expect(chat.text).not.toBe('');
    expect(chat.resilience.attempts[0]).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini',
      outcome: 'rate_limited',
    });
    expect(chat.resilience.attempts.length).toBeGreaterThan(1);

    for (const route of ['smart', 'fast']) {
      const answer = await client.chat(ask(route));
      expect(answer.resilience.degraded).toBe(false);
      expect(answer.text).not.toBe('');
    }
  });
});

describe('examples/production.yaml', () => {
  const env = {
    OPENAI_API_KEY: 'sk-test-openai',
    ANTHROPIC_API_KEY: 'sk-ant-test',
    GEMINI_API_KEY: 'AIza-test',
    ALERT_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/secret',
    WEB_APP_KEY_SHA256: hashKey('sfk_web_app'),
    BATCH_KEY_SHA256: hashKey('sfk_batch'),
  };

  it('reads its secrets from the environment', async () => {
    const config = await loadConfig(`${examples}production.yaml`, { env });
    expect(config.server).toEqual({
      host: '0.0.0.0',
      port: 8787,
      bodyLimitBytes: 4_194_304,
      shutdownGraceMs: 25_000,
      idempotencyWindowMs: 600_000,
    });
    expect(config.providers).toEqual({
      openai: { type: 'openai', apiKey: 'sk-test-openai' },
      anthropic: { type: 'anthropic', apiKey: 'sk-ant-test' },
      gemini: { type: 'gemini', apiKey: 'AIza-test' },
    });
    expect(config.alerts?.sinks).toEqual([
      { type: 'log' },
      { type: 'webhook', url: 'https://hooks.slack.com/services/T0/B0/secret' },
    ]);
  });

  it('takes the port from PORT when it is set', async () => {
    const config = await loadConfig(`${examples}production.yaml`, { env: { ...env, PORT: '3000' } });
    expect(config.server.port).toBe(3000);
  });

  it('builds a client with three routes and two keys limited to their routes', async () => {
    const built = buildGateway(await loadConfig(`${examples}production.yaml`, { env }));
    expect(Object.keys(built.client.routes)).toEqual(['chat', 'smart', 'extract']);
    expect(() => createClient(built.client)).not.toThrow();
    expect(built.keys).toEqual([
      {
        name: 'web-app',
        sha256: hashKey('sfk_web_app'),
        routes: ['chat', 'smart'],
        requestsPerMinute: 600,
        cacheScope: 'web-app',
      },
      {
        name: 'batch-jobs',
        sha256: hashKey('sfk_batch'),
        routes: ['extract'],
        requestsPerMinute: 120,
        cacheScope: 'batch-jobs',
      },
    ]);
  });

  it('refuses to start without its keys, naming each variable', async () => {
    const { ANTHROPIC_API_KEY: _, ...withoutAnthropic } = env;
    await expect(loadConfig(`${examples}production.yaml`, { env: withoutAnthropic })).rejects.toThrow(
      /production\.yaml:\d+:\d+ providers\.anthropic\.apiKey: environment variable ANTHROPIC_API_KEY is not set/,
    );
  });
});

describe('startConfiguredSimulator', () => {
  it('refuses a config without a simulator section', async () => {
    const config = await loadConfig(`${examples}production.yaml`, {
      env: {
        OPENAI_API_KEY: 'k',
        ANTHROPIC_API_KEY: 'k',
        GEMINI_API_KEY: 'k',
        ALERT_WEBHOOK_URL: 'https://hooks.example.com',
        WEB_APP_KEY_SHA256: hashKey('a'),
        BATCH_KEY_SHA256: hashKey('b'),
      },
    });
    await expect(startConfiguredSimulator(config)).rejects.toThrow(
      `${examples}production.yaml has no simulator section`,
    );
  });
});
