import { describe, expect, it } from 'vitest';
import { type ErrorCategory, type ErrorKind, errorKinds, kindTraits } from './kinds.ts';
import { SteadfastError } from './steadfast-error.ts';

// Written out by hand so that the compiler checks it against the union: a kind added to `ErrorKind`
// without traits, or traits for a kind that does not exist, fails here.
const categoryOf: Readonly<Record<ErrorKind, ErrorCategory>> = {
  rate_limited: 'transient',
  quota_exhausted: 'client',
  server: 'transient',
  bad_gateway: 'transient',
  unavailable: 'transient',
  overloaded: 'transient',
  timeout: 'transient',
  connection: 'transient',
  stream_interrupted: 'transient',
  conflict: 'transient',
  bad_request: 'client',
  auth: 'client',
  forbidden: 'client',
  not_found: 'client',
  too_large: 'client',
  unprocessable: 'client',
  empty: 'content',
  malformed_json: 'content',
  schema_mismatch: 'content',
  refusal: 'content',
  truncated: 'content',
  content_filter: 'content',
  cancelled: 'cancelled',
  unknown: 'unknown',
};

const providerMessage =
  'Incorrect API key provided: sk-proj-abc123XYZ789secretKEYvalue0000 for org-internal-7f3a on cluster us-east-9';

describe('SteadfastError', () => {
  it('has traits for every kind in errorKinds, and errorKinds lists every kind', () => {
    expect([...errorKinds].sort()).toEqual(Object.keys(categoryOf).sort());
    for (const kind of errorKinds) {
      expect(kindTraits[kind].category).toBe(categoryOf[kind]);
    }
  });

  it.each(errorKinds)('gives kind %s a userMessage with nothing from the provider message', (kind) => {
    const error = new SteadfastError(kind, providerMessage, { provider: 'openai', code: 'invalid_api_key' });
    expect(error.userMessage).toMatch(/^[A-Z].{10,}\.$/);
    for (const fragment of [
      'sk-proj',
      'secretKEY',
      'org-internal',
      'us-east-9',
      'invalid_api_key',
      'openai',
    ]) {
      expect(error.userMessage).not.toContain(fragment);
    }
  });

  it('retries only transient kinds and never a cancel or an unknown failure', () => {
    for (const kind of errorKinds) {
      const { category, retryable, fallbackable } = kindTraits[kind];
      if (category === 'transient') expect(retryable, kind).toBe(true);
      if (category === 'client') expect(retryable, kind).toBe(false);
      if (category === 'cancelled' || category === 'unknown') {
        expect({ retryable, fallbackable }, kind).toEqual({ retryable: false, fallbackable: false });
      }
    }
  });

  it('takes retryable and fallbackable from its kind unless told otherwise', () => {
    expect(new SteadfastError('server', 'x')).toMatchObject({
      retryable: true,
      fallbackable: true,
      category: 'transient',
    });
    expect(new SteadfastError('server', 'x', { retryable: false })).toMatchObject({
      retryable: false,
      fallbackable: true,
    });
    expect(new SteadfastError('bad_request', 'x', { retryable: true, fallbackable: true })).toMatchObject({
      retryable: true,
      fallbackable: true,
    });
  });

  it('redacts secrets from its message and stack', () => {
    const error = new SteadfastError('auth', providerMessage);
    expect(error.message).toContain('Incorrect API key provided: [redacted]');
    expect(error.message).not.toContain('sk-proj');
    expect(error.stack ?? '').not.toContain('sk-proj');
  });

  it('carries its cause only when one is given', () => {
    const cause = new Error('socket hang up');
    expect(new SteadfastError('connection', 'x', { cause }).cause).toBe(cause);
    expect('cause' in new SteadfastError('connection', 'x')).toBe(false);
  });

  describe('isInstance', () => {
    it('recognises its own instances', () => {
      expect(SteadfastError.isInstance(new SteadfastError('timeout', 'x'))).toBe(true);
    });

    it('recognises an error from a second copy of the package by its brand', () => {
      class OtherCopyError extends Error {}
      Object.defineProperty(OtherCopyError.prototype, Symbol.for('steadfast.error'), { value: true });
      const fromOtherCopy = new OtherCopyError('x');
      expect(fromOtherCopy instanceof SteadfastError).toBe(false);
      expect(SteadfastError.isInstance(fromOtherCopy)).toBe(true);
    });

    it('recognises a branded prototype without any class at all', () => {
      const proto = { [Symbol.for('steadfast.error')]: true };
      expect(SteadfastError.isInstance(Object.create(proto))).toBe(true);
    });

    it.each([
      ['a plain Error', new Error('x')],
      [
        'an error named SteadfastError',
        Object.assign(new Error('x'), { name: 'SteadfastError', kind: 'timeout' }),
      ],
      ['a different brand', Object.create({ [Symbol.for('other.error')]: true })],
      ['a brand that is not true', Object.create({ [Symbol.for('steadfast.error')]: 'yes' })],
      ['null', null],
      ['undefined', undefined],
      ['a string', 'SteadfastError'],
    ])('rejects %s', (_label, value) => {
      expect(SteadfastError.isInstance(value)).toBe(false);
    });
  });

  describe('withContext', () => {
    const rateLimit = { retryAfterMs: 2000, requests: { remaining: 0 } };
    const cause = new Error('underlying');
    const original = new SteadfastError('rate_limited', 'Rate limited', {
      status: 429,
      provider: 'openai',
      requestId: 'req_1',
      retryAfterMs: 2000,
      rateLimit,
      code: 'rate_limit_exceeded',
      retryable: false,
      cause,
    });

    it('fills in only the fields that were missing', () => {
      const copy = original.withContext({ provider: 'anthropic', model: 'gpt-4o' });
      expect(copy).not.toBe(original);
      expect(copy).toMatchObject({ provider: 'openai', model: 'gpt-4o' });
    });

    it('keeps every other fact, the overrides, the cause and the stack', () => {
      const copy = original.withContext({ model: 'gpt-4o' });
      expect(copy).toMatchObject({
        kind: 'rate_limited',
        message: 'Rate limited',
        status: 429,
        requestId: 'req_1',
        retryAfterMs: 2000,
        code: 'rate_limit_exceeded',
        retryable: false,
        fallbackable: true,
      });
      expect(copy.rateLimit).toBe(rateLimit);
      expect(copy.cause).toBe(cause);
      expect(copy.stack).toBe(original.stack);
      expect(SteadfastError.isInstance(copy)).toBe(true);
    });

    it('returns the same error when nothing was missing or nothing is offered', () => {
      const full = new SteadfastError('server', 'x', { provider: 'openai', model: 'gpt-4o' });
      expect(full.withContext({ provider: 'anthropic', model: 'claude' })).toBe(full);
      expect(original.withContext({})).toBe(original);
      expect(original.withContext({ provider: 'anthropic' })).toBe(original);
    });
  });

  describe('toJSON', () => {
    it('is a plain view with no cause and no stack', () => {
      const error = new SteadfastError('overloaded', 'Overloaded', {
        status: 529,
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        requestId: 'req_011C',
        code: 'overloaded_error',
        cause: new Error('the raw body with sk-ant-api03-secret'),
      });
      const json: unknown = JSON.parse(JSON.stringify(error));
      expect(json).toEqual({
        name: 'SteadfastError',
        kind: 'overloaded',
        message: 'Overloaded',
        retryable: true,
        fallbackable: true,
        status: 529,
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        requestId: 'req_011C',
        code: 'overloaded_error',
      });
      expect(JSON.stringify(error)).not.toContain('sk-ant');
      expect(Object.keys(error.toJSON())).not.toContain('cause');
      expect(Object.keys(error.toJSON())).not.toContain('stack');
    });
  });
});
