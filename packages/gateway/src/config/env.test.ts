// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${NAME}` is the config file's variable syntax, not a template.
import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.ts';
import { chatRoute, problemsOf, twoProviders, yamlLines } from './test-support/config-text.ts';

/** A one-provider file whose key is `apiKey` (line 4), plus `extra` lines from line 8 on. */
function withKey(apiKey: string, ...extra: string[]): string {
  return yamlLines(
    'providers:',
    '  openai:',
    '    type: openai',
    `    apiKey: ${apiKey}`,
    'routes:',
    '  chat:',
    '    candidates: [openai/gpt-4o-mini]',
    ...extra,
  );
}

function parse(text: string, env: Record<string, string>) {
  return parseConfig(text, 'test.yaml', { env });
}

describe('${NAME} interpolation', () => {
  it('puts the variable in a string value, alone or inside text', () => {
    const config = parse(
      withKey(
        '${OPENAI_API_KEY}',
        'alerts:',
        '  sinks:',
        '    - type: webhook',
        '      url: https://hooks.slack.com/services/${SLACK_HOOK}',
        '      headers:',
        '        x-team: team-${TEAM}-alerts',
      ),
      { OPENAI_API_KEY: 'sk-from-env', SLACK_HOOK: 'T0/B0/xyz', TEAM: 'ml' },
    );
    expect(config.providers.openai).toEqual({ type: 'openai', apiKey: 'sk-from-env' });
    expect(config.alerts?.sinks).toEqual([
      {
        type: 'webhook',
        url: 'https://hooks.slack.com/services/T0/B0/xyz',
        headers: { 'x-team': 'team-ml-alerts' },
      },
    ]);
  });

  it('uses ${NAME:-default} when the variable is unset or empty, and the variable when it is set', () => {
    const text = withKey('${OPENAI_API_KEY:-sk-default}');
    expect(parse(text, {}).providers.openai).toEqual({ type: 'openai', apiKey: 'sk-default' });
    expect(parse(text, { OPENAI_API_KEY: '' }).providers.openai).toEqual({
      type: 'openai',
      apiKey: 'sk-default',
    });
    expect(parse(text, { OPENAI_API_KEY: 'sk-set' }).providers.openai).toEqual({
      type: 'openai',
      apiKey: 'sk-set',
    });
  });

  it('gives an unquoted value that is one reference alone the type of its text', () => {
    const text = withKey(
      'sk-test',
      'server:',
      '  port: ${PORT:-8787}',
      'defaults:',
      '  rateLimitAware: ${RATE_LIMIT_AWARE}',
    );
    const config = parse(text, { PORT: '9000', RATE_LIMIT_AWARE: 'false' });
    expect(config.server.port).toBe(9000);
    expect(config.defaults).toEqual({ rateLimitAware: false });
    expect(parse(text, { RATE_LIMIT_AWARE: 'true' }).server.port).toBe(8787);
  });

  it('keeps a quoted reference a string, so a number field refuses it', () => {
    const text = withKey('sk-test', 'server:', '  port: "${PORT}"');
    expect(problemsOf(text, { env: { PORT: '9000' } })).toEqual([
      'test.yaml:9:9 server.port: expected number, got a string',
    ]);
  });

  it('reads process.env when no environment is given', () => {
    process.env.STEADFAST_CONFIG_TEST_KEY = 'sk-process-env';
    try {
      const config = parseConfig(withKey('${STEADFAST_CONFIG_TEST_KEY}'), 'test.yaml');
      expect(config.providers.openai).toEqual({ type: 'openai', apiKey: 'sk-process-env' });
    } finally {
      delete process.env.STEADFAST_CONFIG_TEST_KEY;
    }
  });

  it('writes $${ as a literal ${', () => {
    const text = withKey('sk-test', '    policies:', '      degrade: { text: "Use $${NAME} in templates" }');
    const route = parse(text, {}).routes.chat;
    expect(route?.policies?.degrade).toEqual({ text: 'Use ${NAME} in templates' });
  });
});

describe('${NAME} errors', () => {
  it('names an unset variable and the field that needs it', () => {
    expect(problemsOf(withKey('${OPENAI_API_KEY}'))).toEqual([
      'test.yaml:4:13 providers.openai.apiKey: environment variable OPENAI_API_KEY is not set (write ${OPENAI_API_KEY:-default} to give a default)',
    ]);
  });

  it('reports every unset variable, and not the field errors they cause', () => {
    const text = withKey(
      '${OPENAI_API_KEY}',
      'alerts:',
      '  sinks:',
      '    - type: webhook',
      '      url: ${ALERT_WEBHOOK_URL}',
      'server: { port: -1 }',
    );
    expect(problemsOf(text)).toEqual([
      'test.yaml:4:13 providers.openai.apiKey: environment variable OPENAI_API_KEY is not set (write ${OPENAI_API_KEY:-default} to give a default)',
      'test.yaml:11:12 alerts.sinks.0.url: environment variable ALERT_WEBHOOK_URL is not set (write ${ALERT_WEBHOOK_URL:-default} to give a default)',
      'test.yaml:12:17 server.port: Too small: expected number to be >=0',
    ]);
  });

  it('never shows the value of a variable', () => {
    const secret = 'sk-live-0123456789abcdef';
    const text = withKey(
      '${OPENAI_API_KEY}',
      'server:',
      '  host: ${OPENAI_API_KEY}',
      '  port: ${OPENAI_API_KEY}',
    );
    const problems = problemsOf(text, { env: { OPENAI_API_KEY: secret } });
    expect(problems).toEqual(['test.yaml:10:9 server.port: expected number, got a string']);
    expect(problems.join('\n')).not.toContain(secret.slice(0, 8));
  });

  it.each([
    [
      'a reference never closed',
      '"${OPENAI_API_KEY"',
      'test.yaml:4:13 providers.openai.apiKey: "${" is never closed; write "$${" for a literal "${"',
    ],
    [
      'a name that is not a variable name',
      '"${OPENAI API KEY}"',
      'test.yaml:4:13 providers.openai.apiKey: "${OPENAI API KEY}" is not a variable reference: write ${NAME} or ${NAME:-default}',
    ],
    [
      'an empty reference',
      '"${}"',
      'test.yaml:4:13 providers.openai.apiKey: "${}" is not a variable reference: write ${NAME} or ${NAME:-default}',
    ],
  ])('refuses %s', (_name, value, problem) => {
    expect(problemsOf(withKey(value))).toEqual([problem]);
  });
});

describe('${simulator}', () => {
  it('is kept as written in a provider URL when the file has a simulator section', () => {
    const text = yamlLines(
      'simulator: {}',
      'providers:',
      '  openai: { type: openai, baseURL: "${simulator}/v1" }',
      '  azure: { type: azure, endpoint: "${simulator}" }',
      'routes:',
      '  chat:',
      '    candidates: [openai/gpt-4o-mini, azure/gpt-4o]',
    );
    const config = parse(text, { simulator: 'http://ignored' });
    expect(config.simulator).toEqual({ port: 0 });
    expect(config.providers.openai).toEqual({ type: 'openai', baseURL: '${simulator}/v1' });
    expect(config.providers.azure).toEqual({ type: 'azure', endpoint: '${simulator}' });
  });

  it('is refused without a simulator section', () => {
    const text = yamlLines(
      'providers:',
      '  openai: { type: openai, baseURL: "${simulator}/v1" }',
      ...chatRoute.map((line) => line.replace(', anthropic/claude-haiku-4-5', '')),
    );
    expect(problemsOf(text)).toEqual([
      'test.yaml:2:36 providers.openai.baseURL: ${simulator} is used, but the file has no simulator section',
    ]);
  });

  it("is refused anywhere but the start of a provider's baseURL or endpoint", () => {
    const text = yamlLines(
      'simulator: {}',
      ...twoProviders,
      ...chatRoute,
      'alerts:',
      '  sinks: [{ type: webhook, url: "${simulator}/hook" }]',
      '  rules: [{ type: breaker-open, name: "at ${simulator}" }]',
    );
    expect(problemsOf(text)).toEqual([
      "test.yaml:13:33 alerts.sinks.0.url: ${simulator} may only start a provider's baseURL or endpoint",
      "test.yaml:14:39 alerts.rules.0.name: ${simulator} may only start a provider's baseURL or endpoint",
    ]);
  });
});
