import { describe, expect, it } from 'vitest';
import { chatRoute, problemsOf, twoProviders, yamlLines } from './test-support/config-text.ts';

const topLevelKeys = 'server, simulator, providers, routes, defaults, catalog, alerts, keys';
const policyKeys =
  'deadlineMs, attemptTimeoutMs, firstTokenTimeoutMs, idleTimeoutMs, retry, retryBudget, breaker, cache, ' +
  'rateLimitAware, contentFilter, streamRecovery, maxContinuations, hedge, content, degrade';

/** A file with one key too many: where it is, and what the problem says. */
interface UnknownKeyCase {
  name: string;
  lines: readonly string[];
  problem: string;
}

describe('strictness: a key the schema does not know is an error, at that key', () => {
  it.each<UnknownKeyCase>([
    {
      name: 'at the top level, with the key it resembles',
      lines: [...twoProviders, ...chatRoute, 'route: {}'],
      problem: `test.yaml:11:1 route: unknown key "route" (did you mean "routes"?); expected one of: ${topLevelKeys}`,
    },
    {
      name: 'in server',
      lines: [...twoProviders, ...chatRoute, 'server:', '  listen: 0.0.0.0:8080'],
      problem:
        'test.yaml:12:3 server.listen: unknown key "listen"; expected one of: host, port, bodyLimitBytes, shutdownGraceMs, idempotencyWindowMs',
    },
    {
      name: 'in simulator (a scenario setting written in the gateway file)',
      lines: ['simulator: { scenario: ./s.yaml, seed: 7 }', ...twoProviders, ...chatRoute],
      problem: 'test.yaml:1:34 simulator.seed: unknown key "seed"; expected one of: scenario, port',
    },
    {
      name: 'in a provider, with the spelling it meant',
      lines: [
        'providers:',
        '  openai:',
        '    type: openai',
        '    api_key: sk-test',
        'routes:',
        '  chat:',
        '    candidates: [openai/gpt-4o]',
      ],
      problem:
        'test.yaml:4:5 providers.openai.api_key: unknown key "api_key" (did you mean "apiKey"?); expected one of: type, apiKey, baseURL, organization, project, headers',
    },
    {
      name: 'in a provider, a key of another provider type (an Azure endpoint on OpenAI)',
      lines: [
        'providers:',
        '  openai: { type: openai, apiKey: k, endpoint: "https://x.openai.azure.com" }',
        'routes:',
        '  chat:',
        '    candidates: [openai/gpt-4o]',
      ],
      problem:
        'test.yaml:2:38 providers.openai.endpoint: unknown key "endpoint"; expected one of: type, apiKey, baseURL, organization, project, headers',
    },
    {
      name: 'in a route, a policy written beside the candidates',
      lines: [...twoProviders, ...chatRoute, '    deadlineMs: 30000'],
      problem:
        'test.yaml:11:5 routes.chat.deadlineMs: "deadlineMs" is not allowed here: a policy of a route goes under its `policies:`',
    },
    {
      name: 'at the top level, a policy outside defaults',
      lines: [...twoProviders, ...chatRoute, 'retry: { maxRetries: 1 }'],
      problem:
        'test.yaml:11:1 retry: "retry" is not allowed here: route policies go under `defaults:` (every route) or a route\'s `policies:`',
    },
    {
      name: 'in policies',
      lines: [...twoProviders, ...chatRoute, '    policies:', '      retries: { maxRetries: 1 }'],
      problem: `test.yaml:12:7 routes.chat.policies.retries: unknown key "retries" (did you mean "retry"?); expected one of: ${policyKeys}`,
    },
    {
      name: 'in defaults',
      lines: [...twoProviders, ...chatRoute, 'defaults:', '  timeoutMs: 1000'],
      problem: `test.yaml:12:3 defaults.timeoutMs: unknown key "timeoutMs"; expected one of: ${policyKeys}`,
    },
    {
      name: 'in a policy',
      lines: [...twoProviders, ...chatRoute, '    policies:', '      retry:', '        maxRetry: 1'],
      problem:
        'test.yaml:13:9 routes.chat.policies.retry.maxRetry: unknown key "maxRetry" (did you mean "maxRetries"?); expected one of: maxRetries, baseDelayMs, maxDelayMs, jitter, retryOn, retryTimeouts',
    },
    {
      name: 'four levels down, in content.refusalDetection',
      lines: [
        ...twoProviders,
        ...chatRoute,
        '    policies:',
        '      content:',
        '        refusalDetection: { phrase: [no] }',
      ],
      problem:
        'test.yaml:13:29 routes.chat.policies.content.refusalDetection.phrase: unknown key "phrase" (did you mean "phrases"?); expected one of: phrases, extraPhrases, windowChars, maxRefusalChars',
    },
    {
      name: 'in retryOn, an error kind that does not exist',
      lines: [
        ...twoProviders,
        ...chatRoute,
        '    policies:',
        '      retry: { retryOn: { rate_limit: false } }',
      ],
      problem:
        'test.yaml:12:27 routes.chat.policies.retry.retryOn.rate_limit: unknown key "rate_limit" (did you mean "rate_limited"?); expected one of: rate_limited, quota_exhausted, server, bad_gateway, unavailable, overloaded, timeout, connection, stream_interrupted, conflict, bad_request, auth, forbidden, not_found, too_large, unprocessable, empty, malformed_json, schema_mismatch, refusal, truncated, content_filter, cancelled, unknown',
    },
    {
      name: 'in an alert rule',
      lines: [
        ...twoProviders,
        ...chatRoute,
        'alerts:',
        '  rules:',
        '    - { type: error-rate, threshold: 0.1 }',
      ],
      problem:
        'test.yaml:13:27 alerts.rules.0.threshold: unknown key "threshold"; expected one of: type, name, severity, windowMs, thresholdRatio, resolveRatio, forMs, minRequests, filter',
    },
    {
      name: 'in a catalog entry, under capabilities',
      lines: [
        ...twoProviders,
        ...chatRoute,
        'catalog:',
        '  - id: gpt-4o',
        '    capabilities: { functionCalling: true }',
      ],
      problem:
        'test.yaml:13:21 catalog.0.capabilities.functionCalling: unknown key "functionCalling"; expected one of: tools, jsonSchema, vision, streaming, prefill',
    },
  ])('$name', ({ lines, problem }) => {
    expect(problemsOf(yamlLines(...lines))).toEqual([problem]);
  });

  it('reports an unknown key beside the problems of its mapping (a misspelt required key is also missing)', () => {
    const lines = [
      ...twoProviders,
      ...chatRoute,
      'alerts:',
      '  sinks:',
      '    - { type: webhook, uri: "https://hooks.example.com" }',
    ];
    expect(problemsOf(yamlLines(...lines))).toEqual([
      'test.yaml:13:7 alerts.sinks.0.url: missing (expected string)',
      'test.yaml:13:24 alerts.sinks.0.uri: unknown key "uri" (did you mean "url"?); expected one of: type, url, headers, maxQueue, maxAttempts, timeoutMs, backoff',
    ]);
  });

  it('reports several unknown keys of one mapping together, at the first of them', () => {
    const lines = [...twoProviders, ...chatRoute, 'server:', '  port: 9000', '  listen: x', '  workers: 4'];
    expect(problemsOf(yamlLines(...lines))).toEqual([
      'test.yaml:13:3 server: unknown keys "listen", "workers"; expected one of: host, port, bodyLimitBytes, shutdownGraceMs, idempotencyWindowMs',
    ]);
  });

  it('reports unknown keys in different places each at its own line', () => {
    const lines = [...twoProviders, ...chatRoute, '    policies: { retries: 1 }', 'defaultz: {}'];
    expect(problemsOf(yamlLines(...lines))).toEqual([
      `test.yaml:11:17 routes.chat.policies.retries: unknown key "retries" (did you mean "retry"?); expected one of: ${policyKeys}`,
      `test.yaml:12:1 defaultz: unknown key "defaultz" (did you mean "defaults"?); expected one of: ${topLevelKeys}`,
    ]);
  });
});
