import { describe, expect, it } from 'vitest';
import { guardBody, maxNestingDepth } from './body-guard.ts';
import { CodecError } from './codec.ts';

function refusal(body: unknown, dataPaths: string[][] = []): CodecError {
  try {
    guardBody(body, dataPaths);
  } catch (error) {
    if (CodecError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('the body was accepted');
}

/** A value `levels` containers deep: `{ a: { a: … {} } }`. */
function nested(levels: number, wrap: (inner: unknown) => unknown = (inner) => ({ a: inner })): unknown {
  let value: unknown = levels > 0 ? {} : 'leaf';
  for (let level = 1; level < levels; level++) value = wrap(value);
  return value;
}

describe('guardBody: clients cannot set upstream URLs or credentials (issue 7)', () => {
  const forbidden: Array<[string, unknown, string]> = [
    ['api_base at the top', { model: 'm', api_base: 'https://evil.test' }, 'api_base'],
    ['base_url in metadata', { metadata: { base_url: 'https://evil.test' } }, 'metadata.base_url'],
    ['baseURL in camel case', { extra_body: { baseURL: 'https://evil.test' } }, 'extra_body.baseURL'],
    [
      'api_key inside a message part',
      { messages: [{ content: [{ type: 'text', api_key: 'sk-x' }] }] },
      'messages[0].content[0].api_key',
    ],
    [
      'apiKey deep inside an unknown field',
      { litellm_params: { a: [{ b: { apiKey: 'k' } }] } },
      'litellm_params.a[0].b.apiKey',
    ],
    ['endpoint', { endpoint: 'https://evil.test' }, 'endpoint'],
    ['custom_host', { custom_host: 'evil.test' }, 'custom_host'],
    [
      'x-portkey-config, with its odd key quoted in the path',
      { metadata: { 'x-portkey-config': '{}' } },
      'metadata["x-portkey-config"]',
    ],
    ['any other x-portkey- field', { 'x-portkey-virtual-key': 'vk' }, '["x-portkey-virtual-key"]'],
    ['API-BASE in any case and spelling', { 'API-BASE': 'https://evil.test' }, '["API-BASE"]'],
    ['azure_endpoint', { azure_endpoint: 'https://evil.test' }, 'azure_endpoint'],
    ['aws_secret_access_key', { aws_secret_access_key: 's' }, 'aws_secret_access_key'],
  ];

  it.each(forbidden)('refuses %s, naming its path', (_name, body, path) => {
    const error = refusal(body);
    expect(error.status).toBe(400);
    expect(error.param).toBe(path);
    expect(error.message).toBe(
      `${path}: not accepted; upstream URLs and credentials are the gateway's configuration, never the client's`,
    );
  });

  it('refuses the key whatever its value, null included', () => {
    expect(refusal({ api_key: null }).param).toBe('api_key');
  });

  it('accepts fields that merely contain such words', () => {
    expect(() =>
      guardBody(
        { image_url: { url: 'https://x.test' }, endpoint_name: 'a', prompt_cache_key: 'k', keys: [] },
        [],
      ),
    ).not.toThrow();
  });

  it("accepts the words as data: a tool schema's property names, where the decoders declare data", () => {
    const body = {
      tools: [
        {
          function: {
            parameters: {
              type: 'object',
              properties: { endpoint: { type: 'string' }, api_key: { type: 'string' } },
            },
          },
        },
      ],
    };
    expect(() => guardBody(body, [['tools', '*', 'function', 'parameters']])).not.toThrow();
    expect(refusal(body).param).toBe('tools[0].function.parameters.properties.endpoint');
  });
});

describe('guardBody: nesting', () => {
  it(`accepts a body ${maxNestingDepth} levels deep and refuses one level more, naming where`, () => {
    expect(maxNestingDepth).toBe(64);
    expect(() => guardBody(nested(64), [])).not.toThrow();
    const error = refusal(nested(65));
    expect(error.param).toBe(Array.from({ length: 64 }, () => 'a').join('.'));
    expect(error.message).toBe(`${error.param}: nested deeper than 64 levels`);
  });

  it('counts arrays as levels too', () => {
    expect(() =>
      guardBody(
        nested(64, (inner) => [inner]),
        [],
      ),
    ).not.toThrow();
    expect(refusal(nested(65, (inner) => [inner])).param).toBe('[0]'.repeat(64));
  });

  it('counts inside data paths as well', () => {
    expect(refusal({ schema: nested(64) }, [['schema']]).message).toMatch(
      /^schema(\.a)+: nested deeper than 64 levels$/,
    );
  });

  it('refuses a body far deeper than any stack would take, without overflowing', () => {
    expect(refusal(nested(100_000)).message).toMatch(/nested deeper than 64 levels$/);
  });
});
