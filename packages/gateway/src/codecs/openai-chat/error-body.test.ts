import { type ErrorKind, errorKinds, SteadfastError } from '@steadfast/core';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { canaryKeys, keysIn } from '../../test-support/canary-keys.ts';
import { CodecError } from '../codec.ts';
import { json, openAiClient } from '../test-support/sdk.ts';
import { openAiErrorBody } from './error-body.ts';

/** Every kind: the status and `error.type` an OpenAI client gets. */
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
  quota_exhausted: [429, 'insufficient_quota'],
  cancelled: [499, 'request_cancelled'],
  server: [500, 'server_error'],
  unknown: [500, 'server_error'],
  bad_gateway: [502, 'server_error'],
  connection: [502, 'server_error'],
  stream_interrupted: [502, 'server_error'],
  empty: [502, 'server_error'],
  malformed_json: [502, 'server_error'],
  schema_mismatch: [502, 'server_error'],
  truncated: [502, 'server_error'],
  unavailable: [503, 'service_unavailable_error'],
  overloaded: [503, 'service_unavailable_error'],
  timeout: [504, 'timeout_error'],
};

describe('openAiErrorBody', () => {
  it('covers every kind', () => {
    expect(Object.keys(table).sort()).toEqual([...errorKinds].sort());
  });

  it.each(errorKinds)('answers %s with its status, type and the kind as code', (kind) => {
    const [status, type] = table[kind];
    const reply = openAiErrorBody(new SteadfastError(kind, 'provider text'), 'req_gw1');
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual({
      error: {
        message: `${new SteadfastError(kind, '').userMessage} (request id: req_gw1)`,
        type,
        param: null,
        code: kind,
      },
    });
  });

  it("answers a malformed request with the codec's own message and the offending field as param", () => {
    const reply = openAiErrorBody(
      new CodecError('messages[2].content: required', 'messages[2].content'),
      'req_gw1',
    );
    expect(reply).toEqual({
      status: 400,
      headers: { 'x-should-retry': 'false' },
      body: {
        error: {
          message: 'messages[2].content: required',
          type: 'invalid_request_error',
          param: 'messages[2].content',
          code: 'bad_request',
        },
      },
    });
  });

  it("never passes on the provider's own message, which may quote a key no redaction pattern knows", () => {
    const leaky = new SteadfastError(
      'auth',
      `Incorrect API key provided: ${canaryKeys.groq}. Organization org-internal, https://internal.example/v1`,
      { provider: 'groq', status: 401, code: 'invalid_api_key', requestId: 'req_upstream' },
    );
    const text = JSON.stringify(openAiErrorBody(leaky, 'req_gw1'));
    expect(keysIn(text)).toEqual([]);
    expect(text).not.toContain('org-internal');
    expect(text).not.toContain('groq');
    expect(text).not.toContain('req_upstream');
  });

  it('localises the message when asked', () => {
    const reply = openAiErrorBody(new SteadfastError('timeout', 'slow'), 'req_gw1', { locale: 'de' });
    expect(reply.body.error.message).not.toContain('took too long');
    expect(reply.body.error.message).toContain('(request id: req_gw1)');
  });

  it('tells SDKs whether to retry, and passes on the wait the upstream asked for', () => {
    expect(
      openAiErrorBody(new SteadfastError('rate_limited', 'slow down', { retryAfterMs: 1500 }), 'r').headers,
    ).toEqual({
      'x-should-retry': 'true',
      'retry-after-ms': '1500',
      'retry-after': '2',
    });
    expect(
      openAiErrorBody(new SteadfastError('quota_exhausted', 'no credits', { retryAfterMs: 1500 }), 'r')
        .headers,
    ).toEqual({
      'x-should-retry': 'false',
    });
    expect(openAiErrorBody(new SteadfastError('server', 'boom'), 'r').headers).toEqual({
      'x-should-retry': 'true',
    });
  });
});

describe('openAiErrorBody, read by the official OpenAI SDK', () => {
  const question = { model: 'default', messages: [{ role: 'user' as const, content: 'Hi' }] };

  function reply(error: SteadfastError | CodecError) {
    const { status, headers, body } = openAiErrorBody(error, 'req_gw1');
    return json(body, status, headers);
  }

  const classes: Array<[ErrorKind, abstract new (...args: never[]) => Error]> = [
    ['bad_request', OpenAI.BadRequestError],
    ['auth', OpenAI.AuthenticationError],
    ['forbidden', OpenAI.PermissionDeniedError],
    ['not_found', OpenAI.NotFoundError],
    ['refusal', OpenAI.UnprocessableEntityError],
    ['rate_limited', OpenAI.RateLimitError],
    ['server', OpenAI.InternalServerError],
  ];

  it.each(classes)(
    'raises %s as the SDK error class for its status, with our message, type and code',
    async (kind, errorClass) => {
      const { client } = openAiClient(reply(new SteadfastError(kind, 'provider text')));
      const thrown = await client.chat.completions.create(question).catch((error: unknown) => error);
      expect(thrown).toBeInstanceOf(errorClass);
      expect(thrown).toMatchObject({ status: table[kind][0], type: table[kind][1], code: kind });
      expect((thrown as Error).message).toContain(new SteadfastError(kind, '').userMessage);
    },
  );

  it('does not retry a spent quota, although it is a 429', async () => {
    const { client, requests } = openAiClient(reply(new SteadfastError('quota_exhausted', 'no credits')), 2);
    await expect(client.chat.completions.create(question)).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    expect(requests).toHaveLength(1);
  });

  it('retries a rate limit after the wait passed on in retry-after-ms', async () => {
    const { client, requests } = openAiClient(
      reply(new SteadfastError('rate_limited', 'slow', { retryAfterMs: 1 })),
      2,
    );
    await expect(client.chat.completions.create(question)).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    expect(requests).toHaveLength(3);
  });

  it('does not retry a malformed request', async () => {
    const { client, requests } = openAiClient(reply(new CodecError('model: required', 'model')), 2);
    const thrown = await client.chat.completions.create(question).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(OpenAI.BadRequestError);
    expect(thrown).toMatchObject({ param: 'model' });
    expect(requests).toHaveLength(1);
  });
});
