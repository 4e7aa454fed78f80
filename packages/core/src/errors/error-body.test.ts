import { describe, expect, it } from 'vitest';
import { readErrorBody } from './error-body.ts';

describe('readErrorBody', () => {
  it('reads the OpenAI envelope', () => {
    const body = { error: { message: 'm', type: 'tokens', param: null, code: 'rate_limit_exceeded' } };
    expect(readErrorBody(JSON.stringify(body))).toEqual({
      message: 'm',
      type: 'tokens',
      code: 'rate_limit_exceeded',
    });
  });

  it('reads the Anthropic envelope with its request_id and details.error_code', () => {
    const body = {
      type: 'error',
      error: {
        type: 'rate_limit_error',
        message: 'm',
        details: { error_code: 'enforced_spend_limit_reached' },
      },
      request_id: 'req_1',
    };
    expect(readErrorBody(body)).toEqual({
      message: 'm',
      type: 'rate_limit_error',
      requestId: 'req_1',
      detailCode: 'enforced_spend_limit_reached',
    });
  });

  it('reads the Google RPC envelope and its details', () => {
    const body = {
      error: {
        code: 429,
        message: 'm',
        status: 'RESOURCE_EXHAUSTED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [{ quotaId: 'A-PerDay' }, { quotaMetric: 'metric-only' }, 'junk'],
          },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '34.4s' },
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' },
          null,
        ],
      },
    };
    expect(readErrorBody(body)).toEqual({
      message: 'm',
      statedStatus: 429,
      rpcStatus: 'RESOURCE_EXHAUSTED',
      quotaIds: ['A-PerDay', 'metric-only'],
      retryDelayMs: 34_400,
      reason: 'API_KEY_INVALID',
    });
  });

  it('reads the Azure innererror code without taking a numeric status as an RPC status', () => {
    const body = {
      error: { code: 'content_filter', status: 400, innererror: { code: 'ResponsibleAIPolicyViolation' } },
    };
    expect(readErrorBody(body)).toEqual({
      code: 'content_filter',
      innerCode: 'ResponsibleAIPolicyViolation',
    });
  });

  it('flags OpenRouter moderation metadata', () => {
    const body = { error: { code: 403, message: 'flagged', metadata: { reasons: ['hate'] } } };
    expect(readErrorBody(body)).toMatchObject({ statedStatus: 403, moderation: true });
  });

  it('reads an Ollama string error and a plain-text body', () => {
    expect(readErrorBody({ error: 'model "x" not found' })).toEqual({ message: 'model "x" not found' });
    expect(readErrorBody('  upstream connect error  ')).toEqual({ message: 'upstream connect error' });
  });

  it('keeps only the title of an HTML page', () => {
    expect(
      readErrorBody(
        '<!DOCTYPE html><html><head><title> 502 Bad Gateway </title></head><body>secret</body></html>',
      ),
    ).toEqual({
      htmlTitle: '502 Bad Gateway',
    });
    expect(readErrorBody('<html><body>no title</body></html>')).toEqual({ htmlTitle: '' });
  });

  it('keeps only the title of an HTML page that js-genai wrapped in an error envelope', () => {
    const wrapped = {
      error: { message: '<html><head><title>502 Bad Gateway</title></head></html>', code: 502 },
    };
    expect(readErrorBody(JSON.stringify(wrapped))).toEqual({
      htmlTitle: '502 Bad Gateway',
      statedStatus: 502,
    });
  });

  it('caps a long plain-text body at 500 characters', () => {
    expect(readErrorBody('x'.repeat(2000)).message).toHaveLength(500);
  });

  it.each([
    ['an empty string', ''],
    ['undefined', undefined],
    ['null', null],
    ['an empty array', []],
    ['a number', 42],
  ])('finds nothing in %s', (_label, body) => {
    expect(readErrorBody(body)).toEqual({});
  });

  it('keeps JSON that does not parse as text', () => {
    expect(readErrorBody('{"error": {"message": "cut off')).toEqual({
      message: '{"error": {"message": "cut off',
    });
  });
});
