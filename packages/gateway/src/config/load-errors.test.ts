// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${NAME}` is the config file's variable syntax, not a template.
import { describe, expect, it } from 'vitest';
import { chatRoute, problemsOf, twoProviders, yamlLines } from './test-support/config-text.ts';

/** A config that must be refused: its lines, and every problem reported, as `file:line:column field: message`. */
interface RefusedCase {
  name: string;
  lines: readonly string[];
  problems: readonly string[];
}

function refuses({ lines, problems }: RefusedCase): void {
  expect(problemsOf(yamlLines(...lines))).toEqual(problems);
}

describe('a file that is not YAML', () => {
  it.each<RefusedCase>([
    {
      name: 'an unclosed list, at the place the parser gave up',
      lines: [...twoProviders, 'routes:', '  chat:', '    candidates: [openai/gpt-4o-mini', 'defaults: {}'],
      problems: [
        'test.yaml:11:1 (file): not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ],
    },
    {
      name: 'a key given twice',
      lines: [...twoProviders, ...chatRoute, 'routes: {}'],
      problems: ['test.yaml:11:1 (file): not valid YAML: Map keys must be unique'],
    },
    {
      name: 'an unquoted ${…} inside { }, once (what follows is an echo), with the hint to quote it',
      lines: ['providers:', '  openai: { type: openai, apiKey: ${OPENAI_API_KEY} }', ...chatRoute],
      problems: [
        'test.yaml:2:36 (file): not valid YAML: Unexpected flow-map-start at node end (a ${…} value inside { } or [ ] must be quoted: "${NAME}")',
      ],
    },
  ])('refuses $name', refuses);

  it.each<RefusedCase>([
    { name: 'an empty file', lines: [''], problems: ['test.yaml:1:1 (file): the file is empty'] },
    {
      name: 'a file of comments only',
      lines: ['# nothing yet'],
      problems: ['test.yaml:1:1 (file): the file is empty'],
    },
    {
      name: 'a list where the file should be a mapping',
      lines: ['- openai'],
      problems: ['test.yaml:1:1 (file): expected a mapping, got a list'],
    },
  ])('refuses $name', refuses);
});

describe('fields', () => {
  it.each<RefusedCase>([
    {
      name: 'a candidate that is not provider/model, at the candidate',
      lines: [...twoProviders, 'routes:', '  chat:', '    candidates: [gpt-4o]'],
      problems: [
        'test.yaml:10:18 routes.chat.candidates.0: must be "provider/model", e.g. "openai/gpt-4o-mini"',
      ],
    },
    {
      name: 'a route without candidates',
      lines: [...twoProviders, 'routes:', '  chat:', '    candidates: []'],
      problems: ['test.yaml:10:5 routes.chat.candidates: a route needs at least one candidate'],
    },
    {
      name: 'a missing field, at the key of the mapping that lacks it',
      lines: [
        'providers:',
        '  azure:',
        '    type: azure',
        '    apiKey: az-key',
        'routes:',
        '  chat:',
        '    candidates: [azure/gpt-4o]',
      ],
      problems: ['test.yaml:2:3 providers.azure.endpoint: missing (expected string)'],
    },
    {
      name: 'a value of the wrong type, saying what it got',
      lines: [...twoProviders, ...chatRoute, '    policies:', '      deadlineMs: soon'],
      problems: ['test.yaml:12:19 routes.chat.policies.deadlineMs: expected number, got a string'],
    },
    {
      name: 'a number out of range',
      lines: [...twoProviders, ...chatRoute, '    policies:', '      breaker: { failureRateThreshold: 1.5 }'],
      problems: [
        'test.yaml:12:40 routes.chat.policies.breaker.failureRateThreshold: Too big: expected number to be <=1',
      ],
    },
    {
      name: 'a value outside a list of choices',
      lines: [...twoProviders, ...chatRoute, '    policies: { streamRecovery: resume }'],
      problems: [
        'test.yaml:11:33 routes.chat.policies.streamRecovery: Invalid option: expected one of "continue"|"buffer"|"fail"',
      ],
    },
    {
      name: 'an unknown provider type, listing the types',
      lines: [
        'providers:',
        '  openai:',
        '    type: openia',
        ...chatRoute.map((line) => line.replace(', anthropic/claude-haiku-4-5', '')),
      ],
      problems: [
        'test.yaml:3:11 providers.openai.type: unknown type "openia"; expected one of: openai, azure, openai-compatible, anthropic, gemini',
      ],
    },
    {
      name: 'a provider without a type, at the provider',
      lines: [
        'providers:',
        '  openai:',
        '    apiKey: sk-test',
        'routes:',
        '  chat:',
        '    candidates: [openai/gpt-4o]',
      ],
      problems: [
        'test.yaml:2:3 providers.openai.type: missing; expected one of: openai, azure, openai-compatible, anthropic, gemini',
      ],
    },
    {
      name: 'a policy that is neither false nor its options',
      lines: [...twoProviders, ...chatRoute, '    policies: { retry: true }'],
      problems: ['test.yaml:11:24 routes.chat.policies.retry: expected false or a mapping, got boolean true'],
    },
    {
      name: "a policy's options with a field missing, as that field rather than as either-or",
      lines: [...twoProviders, ...chatRoute, '    policies:', '      hedge: {}'],
      problems: ['test.yaml:12:7 routes.chat.policies.hedge.delayMs: missing (expected number)'],
    },
    {
      name: 'a breaker whose longest open period is shorter than its first (with the default)',
      lines: [...twoProviders, ...chatRoute, '    policies:', '      breaker:', '        openMs: 600000'],
      problems: [
        'test.yaml:12:7 routes.chat.policies.breaker.maxOpenMs: maxOpenMs must be at least openMs (maxOpenMs defaults to 300000)',
      ],
    },
    {
      name: 'a file without providers or routes',
      lines: ['providers: {}', 'routes: {}'],
      problems: [
        'test.yaml:1:1 providers: at least one provider is needed',
        'test.yaml:2:1 routes: at least one route is needed',
      ],
    },
    {
      name: 'a provider name with a slash, at the name',
      lines: [
        'providers:',
        '  open/ai: { type: openai, apiKey: k }',
        'routes:',
        '  chat:',
        '    candidates: [openai/gpt-4o]',
      ],
      problems: [
        'test.yaml:2:3 providers.open/ai: a provider name is letters, digits, ".", "_" and "-" (no "/")',
      ],
    },
    {
      name: 'a URL that is not http(s)',
      lines: [
        'providers:',
        '  local: { type: openai-compatible, baseURL: localhost:11434 }',
        'routes:',
        '  chat:',
        '    candidates: [local/llama3]',
      ],
      problems: [
        'test.yaml:2:46 providers.local.baseURL: must be an http or https URL (or start with ${simulator})',
      ],
    },
    {
      name: 'an unknown openai-compatible flavour',
      lines: [
        'providers:',
        '  local: { type: openai-compatible, flavour: lmstudio, baseURL: "http://localhost:1234/v1" }',
        'routes:',
        '  chat:',
        '    candidates: [local/qwen]',
      ],
      problems: [
        'test.yaml:2:46 providers.local.flavour: Invalid option: expected one of "openai"|"azure"|"generic"|"vllm"|"ollama"|"groq"|"together"|"mistral"|"deepseek"|"openrouter"',
      ],
    },
    {
      name: 'a threshold rule on a ratio without a denominator, and an unknown series',
      lines: [
        ...twoProviders,
        ...chatRoute,
        'alerts:',
        '  rules:',
        '    - { type: threshold, name: fallbacks, series: fallbacks, stat: ratio, windowMs: 60000, op: ">", threshold: 0.2 }',
        '    - { type: threshold, name: tokens, series: tokens, stat: count, windowMs: 60000, op: ">", threshold: 9 }',
      ],
      problems: [
        'test.yaml:13:7 alerts.rules.0.denominator: missing: stat ratio divides by a denominator series',
        'test.yaml:14:48 alerts.rules.1.series: Invalid option: expected one of "requests"|"request_errors"|"attempts"|"attempt_errors"|"retries"|"fallbacks"|"last_option"|"cache_hits"|"degraded"|"content_errors"|"breaker_opened"|"request_duration_ms"|"attempt_duration_ms"|"first_token_ms"|"cost_usd"',
      ],
    },
    {
      name: 'a webhook sink whose url is not a URL',
      lines: [
        ...twoProviders,
        ...chatRoute,
        'alerts:',
        '  sinks:',
        '    - { type: webhook, url: hooks.example.com }',
      ],
      problems: ['test.yaml:13:29 alerts.sinks.0.url: Invalid URL'],
    },
  ])('refuses $name', refuses);
});

describe('references between sections', () => {
  it.each<RefusedCase>([
    {
      name: 'a candidate naming a provider that is not configured, at the candidate',
      lines: [
        ...twoProviders,
        'routes:',
        '  chat:',
        '    candidates:',
        '      - openai/gpt-4o-mini',
        '      - opnai/gpt-4o',
      ],
      problems: [
        'test.yaml:12:9 routes.chat.candidates.1: provider "opnai" is not configured (known: openai, anthropic)',
      ],
    },
    {
      name: "a vendor's own API without a key",
      lines: [
        'providers:',
        '  gemini:',
        '    type: gemini',
        'routes:',
        '  chat:',
        '    candidates: [gemini/gemini-2.5-flash]',
      ],
      problems: [
        'test.yaml:2:3 providers.gemini.apiKey: missing: the gemini API needs a key (e.g. apiKey: ${GEMINI_API_KEY})',
      ],
    },
    {
      name: 'an Azure provider with both a key and a token',
      lines: [
        'providers:',
        '  azure: { type: azure, endpoint: "https://x.openai.azure.com", apiKey: k, bearerToken: t }',
        'routes:',
        '  chat:',
        '    candidates: [azure/gpt-4o]',
      ],
      problems: ['test.yaml:2:89 providers.azure.bearerToken: give apiKey or bearerToken, not both'],
    },
    {
      name: 'a new catalog model without every fact, and an id given twice',
      lines: [
        ...twoProviders,
        ...chatRoute,
        'catalog:',
        '  - { id: my-finetune, provider: openai, contextWindow: 128000, capabilities: { tools: true } }',
        '  - { id: gpt-4o-mini, contextWindow: 64000 }',
        '  - { id: gpt-4o-mini, maxOutputTokens: 8000 }',
      ],
      problems: [
        'test.yaml:12:5 catalog.0: "my-finetune" is not a built-in model, so it needs every field; missing: maxOutputTokens, tokenizer, capabilities.jsonSchema, capabilities.vision, capabilities.streaming, capabilities.prefill',
        'test.yaml:14:11 catalog.2.id: catalog.1 is already "gpt-4o-mini"',
      ],
    },
    {
      name: 'two alert rules with the same name',
      lines: [
        ...twoProviders,
        ...chatRoute,
        'alerts:',
        '  rules: [{ type: breaker-open }, { type: breaker-open }]',
      ],
      problems: [
        'test.yaml:12:43 alerts.rules.1.type: alerts.rules.0 is already named "breaker-open"; give this rule its own name',
      ],
    },
  ])('refuses $name', refuses);

  it('reports references only once the fields are valid, so that one fix does not hide behind another', () => {
    const lines = [
      ...twoProviders,
      'routes:',
      '  chat:',
      '    candidates: [opnai/gpt-4o]',
      '    policies: { deadlineMs: -1 }',
    ];
    expect(problemsOf(yamlLines(...lines))).toEqual([
      'test.yaml:11:29 routes.chat.policies.deadlineMs: Too small: expected number to be >0',
    ]);
  });
});
