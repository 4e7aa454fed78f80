import Anthropic from '@anthropic-ai/sdk';
import { type ErrorKind, errorKinds, SteadfastError } from '@steadfast/core';
import { describe, expect, it } from 'vitest';
import { canaryKeys, keysIn } from '../../test-support/canary-keys.ts';
import { CodecError } from '../codec.ts';
import { anthropicClient, json } from '../test-support/sdk.ts';
import { anthropicErrorBody } from './error-body.ts';

/** Every kind: the status and `error.type` an Anthropic client gets. */
const table: Record<ErrorKind, [number, string]> = {
  bad_request: [400, 'invalid_request_error'],
  too_large: [400, 'invalid_request_error'],
  content_filter: [400, 'invalid_request_error'],
  auth: [401, 'authentication_error'],
  forbidden: [403, 'permission_error'],
  not_found: [404, 'not_found_error'],
  conflict: [409, 'conflict_error'],
  unprocessable: [422, 'invalid_request_error'],
  refusal: [422, 'invalid_request_error'],
  rate_limited: [429, 'rate_limit_error'],
  quota_exhausted: [429, 'rate_limit_error'],
  cancelled: [499, 'api_error'],
  server: [500, 'api_error'],
  unknown: [500, 'api_error'],
  bad_gateway: [502, 'api_error'],
  connection: [502, 'api_error'],
  stream_interrupted: [502, 'api_error'],
  empty: [502, 'api_error'],
  malformed_json: [502, 'api_error'],
  schema_mismatch: [502, 'api_error'],
  truncated: [502, 'api_error'],
  unavailable: [503, 'api_error'],
  overloaded: [529, 'overloaded_error'],
  timeout: [504, 'timeout_error'],
};

describe('anthropicErrorBody', () => {
  it('covers every kind', () => {
    expect(Object.keys(table).sort()).toEqual([...errorKinds].sort());
  });

  it.each(errorKinds)('answers %s with its status and type, the request id in its own field', (kind) => {
    const [status, type] = table[kind];
    const reply = anthropicErrorBody(new SteadfastError(kind, 'provider text'), 'req_gw1');
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual({
      type: 'error',
      error: { type, message: new SteadfastError(kind, '').userMessage },
      request_id: 'req_gw1',
    });
  });

  it("answers a malformed request with the codec's own message", () => {
    expect(anthropicErrorBody(new CodecError('max_tokens: required', 'max_tokens'), 'req_gw1')).toEqual({
      status: 400,
      headers: { 'x-should-retry': 'false' },
      body: {
        type: 'error',
        error: { type: 'invalid_request_error', message: 'max_tokens: required' },
        request_id: 'req_gw1',
      },
    });
  });

  it("never passes on the provider's own message, which may quote a key no redaction pattern knows", () => {
    const leaky = new SteadfastError('auth', `invalid x-api-key ${canaryKeys.azure} for org 00000000-1111`, {
      provider: 'azure',
      requestId: 'req_upstream',
    });
    const text = JSON.stringify(anthropicErrorBody(leaky, 'req_gw1'));
    expect(keysIn(text)).toEqual([]);
    expect(text).not.toContain('00000000-1111');
    expect(text).not.toContain('req_upstream');
  });

  it('tells SDKs not to retry a spent quota, which Anthropic also sends as a rate_limit_error', () => {
    expect(anthropicErrorBody(new SteadfastError('quota_exhausted', 'spend limit'), 'r').headers).toEqual({
      'x-should-retry': 'false',
    });
    expect(
      anthropicErrorBody(new SteadfastError('overloaded', 'Overloaded', { retryAfterMs: 3000 }), 'r').headers,
    ).toEqual({
      'x-should-retry': 'true',
      'retry-after-ms': '3000',
      'retry-after': '3',
    });
  });
});

describe('anthropicErrorBody, read by the official Anthropic SDK', () => {
  const question = {
    model: 'default',
    max_tokens: 100,
    messages: [{ role: 'user' as const, content: 'Hi' }],
  };

  function reply(error: SteadfastError | CodecError) {
    const { status, headers, body } = anthropicErrorBody(error, 'req_gw1');
    return json(body, status, headers);
  }

  const classes: Array<[ErrorKind, abstract new (...args: never[]) => Error]> = [
    ['bad_request', Anthropic.BadRequestError],
    ['auth', Anthropic.AuthenticationError],
    ['forbidden', Anthropic.PermissionDeniedError],
    ['not_found', Anthropic.NotFoundError],
    ['rate_limited', Anthropic.RateLimitError],
    ['server', Anthropic.InternalServerError],
    ['overloaded', Anthropic.InternalServerError],
  ];

  it.each(classes)(
    'raises %s as the SDK error class for its status, with our type and message',
    async (kind, errorClass) => {
      const { client } = anthropicClient(reply(new SteadfastError(kind, 'provider text')));
      const thrown = await client.messages.create(question).catch((error: unknown) => error);
      expect(thrown).toBeInstanceOf(errorClass);
      expect(thrown).toMatchObject({ status: table[kind][0], type: table[kind][1] });
      expect((thrown as Error).message).toContain(new SteadfastError(kind, '').userMessage);
    },
  );

  it('does not retry a spent quota, although it is a 429', async () => {
    const { client, requests } = anthropicClient(
      reply(new SteadfastError('quota_exhausted', 'no credits')),
      2,
    );
    await expect(client.messages.create(question)).rejects.toBeInstanceOf(Anthropic.RateLimitError);
    expect(requests).toHaveLength(1);
  });

  it('retries an overload after the wait passed on in retry-after-ms', async () => {
    const { client, requests } = anthropicClient(
      reply(new SteadfastError('overloaded', 'x', { retryAfterMs: 1 })),
      2,
    );
    await expect(client.messages.create(question)).rejects.toBeInstanceOf(Anthropic.InternalServerError);
    expect(requests).toHaveLength(3);
  });
});
