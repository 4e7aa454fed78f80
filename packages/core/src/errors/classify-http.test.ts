import { describe, expect, it } from 'vitest';
import { classifyHttp, kindFromStatus } from './classify-http.ts';
import type { ErrorKind } from './kinds.ts';

describe('kindFromStatus', () => {
  const table: ReadonlyArray<readonly [number, ErrorKind]> = [
    [400, 'bad_request'],
    [401, 'auth'],
    [402, 'quota_exhausted'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [408, 'timeout'],
    [409, 'conflict'],
    [413, 'too_large'],
    [418, 'bad_request'],
    [422, 'unprocessable'],
    [424, 'bad_gateway'],
    [429, 'rate_limited'],
    [498, 'overloaded'],
    [499, 'cancelled'],
    [500, 'server'],
    [501, 'server'],
    [502, 'bad_gateway'],
    [503, 'unavailable'],
    [504, 'timeout'],
    [520, 'bad_gateway'],
    [522, 'bad_gateway'],
    [524, 'timeout'],
    [529, 'overloaded'],
    [599, 'server'],
    [302, 'bad_gateway'],
    [200, 'unknown'],
  ];
  it.each(table)('maps %d to %s', (status, kind) => {
    expect(kindFromStatus(status)).toBe(kind);
  });
});

describe('classifyHttp', () => {
  it('prefers x-request-id, then request-id, then the body, then apim-request-id', () => {
    const body = { type: 'error', error: { type: 'api_error', message: 'x' }, request_id: 'req_body' };
    const headers = { 'x-request-id': 'req_x', 'request-id': 'req_plain', 'apim-request-id': 'apim' };
    expect(classifyHttp({ status: 500, headers, body }).requestId).toBe('req_x');
    expect(classifyHttp({ status: 500, headers: { 'apim-request-id': 'apim' }, body }).requestId).toBe(
      'req_body',
    );
    expect(classifyHttp({ status: 500, headers: { 'apim-request-id': 'apim' } }).requestId).toBe('apim');
  });

  it('keeps the parsed rate-limit headers on the error', () => {
    const error = classifyHttp({
      status: 429,
      headers: { 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '6m0s' },
      body: { error: { message: 'Rate limit reached', type: 'tokens', code: 'rate_limit_exceeded' } },
    });
    expect(error.rateLimit).toEqual({ tokens: { remaining: 0, resetMs: 360_000 } });
  });

  it('reads a body that is already parsed as well as one that is JSON text', () => {
    const body = {
      error: { message: 'prompt is too long: 1 tokens > 0 maximum', type: 'invalid_request_error' },
    };
    expect(classifyHttp({ status: 400, body }).kind).toBe('too_large');
    expect(classifyHttp({ status: 400, body: JSON.stringify(body) }).kind).toBe('too_large');
  });

  it('names the provider and status in its log message', () => {
    const error = classifyHttp(
      {
        status: 404,
        body: { error: { message: 'The model `gpt-9` does not exist', code: 'model_not_found' } },
      },
      { provider: 'openai', model: 'gpt-9' },
    );
    expect(error.message).toBe('openai answered HTTP 404 model_not_found: The model `gpt-9` does not exist');
    expect(error).toMatchObject({ provider: 'openai', model: 'gpt-9' });
  });
});
