import { describe, expect, it } from 'vitest';
import { SteadfastError } from '../errors/steadfast-error.ts';
import { createRedactor } from './redact.ts';

// A key no built-in pattern knows: only the configured-secret rule can catch it.
const key = 'canary-Zq8Rt2Lm9Xv4Pw7K';

describe('redactor.text', () => {
  const slashed = 'a+b/c=d-Secret99';
  const redactor = createRedactor({ secrets: [key, slashed] });

  it.each([
    ['a configured key, verbatim', `auth failed for ${key}.`, 'auth failed for [redacted].'],
    [
      'its first 8 characters and more, masked',
      `key ${key.slice(0, 10)}*****Pw7K`,
      'key [redacted]*****Pw7K',
    ],
    ['exactly its first 8 characters', `prefix ${key.slice(0, 8)} seen`, 'prefix [redacted] seen'],
    ['its URL-encoded form', `GET /keys/${encodeURIComponent(slashed)}/usage`, 'GET /keys/[redacted]/usage'],
    [
      'a Gemini ?key= query',
      `GET /v1beta/models/x:generateContent?key=${key}&alt=sse`,
      'generateContent?key=[redacted]&alt=sse',
    ],
    [
      'an OpenAI key nobody configured',
      'Incorrect API key provided: sk-proj-abc123XYZ789secret was rejected',
      'Incorrect API key provided: [redacted] was rejected',
    ],
    [
      'a bearer token',
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig',
      'Authorization: Bearer [redacted]',
    ],
  ])('redacts %s', (_, text, expected) => {
    expect(redactor.text(text)).toContain(expected);
    expect(redactor.text(text)).not.toContain(key.slice(0, 8));
  });

  it('leaves a run shorter than 8 characters of a key alone: it identifies nothing', () => {
    expect(redactor.text(`an id like ${key.slice(0, 7)}x`)).toBe(`an id like ${key.slice(0, 7)}x`);
  });

  it('redacts a secret shorter than 8 characters only whole', () => {
    const short = createRedactor({ secrets: ['s3cr3t'] });
    expect(short.text('s3cr3t and s3cr')).toBe('[redacted] and s3cr');
  });

  it('redacts a key and a longer key that starts like it, each whole', () => {
    const both = createRedactor({ secrets: [key, `${key}-v2-extended`] });
    expect(both.text(`old ${key}, new ${key}-v2-extended.`)).toBe('old [redacted], new [redacted].');
  });
});

describe('redactor.value', () => {
  const redactor = createRedactor({ secrets: [key] });

  it('redacts the value of every sensitive key whatever it is, in any case or spelling', () => {
    const headers = {
      Authorization: 'Basic dXNlcjpwYXNz',
      'X-Api-Key': 'anything',
      'api-key': 42,
      'x-goog-api-key': ['a', 'b'],
      Cookie: 'session=1',
      'set-cookie': 'id=2',
      'Proxy-Authorization': 'x',
      api_key: 'y',
      'content-type': 'application/json',
    };
    expect(redactor.value(headers)).toEqual({
      Authorization: '[redacted]',
      'X-Api-Key': '[redacted]',
      'api-key': '[redacted]',
      'x-goog-api-key': '[redacted]',
      Cookie: '[redacted]',
      'set-cookie': '[redacted]',
      'Proxy-Authorization': '[redacted]',
      api_key: '[redacted]',
      'content-type': 'application/json',
    });
  });

  it('redacts strings at any depth and returns a copy, leaving the input as it was', () => {
    const input = { request: { url: `https://x.test/v1?key=${key}`, tries: [1, `sent ${key}`] }, ok: false };
    const copy = redactor.value(input);
    expect(copy).toEqual({
      request: { url: 'https://x.test/v1?key=[redacted]', tries: [1, 'sent [redacted]'] },
      ok: false,
    });
    expect(input.request.tries[1]).toBe(`sent ${key}`);
  });

  it('turns Headers, Maps, URLs and errors into plain redacted values', () => {
    const headers = new Headers({ 'x-api-key': key, accept: 'text/event-stream' });
    const error = new SteadfastError('auth', `bad key ${key}`, { status: 401, provider: 'openai' });
    expect(
      redactor.value({
        headers,
        byProvider: new Map([['openai', key]]),
        url: new URL(`https://generativelanguage.googleapis.com/v1beta/models?key=${key}`),
        error,
      }),
    ).toMatchObject({
      headers: { 'x-api-key': '[redacted]', accept: 'text/event-stream' },
      byProvider: { openai: '[redacted]' },
      url: 'https://generativelanguage.googleapis.com/v1beta/models?key=[redacted]',
      error: {
        name: 'SteadfastError',
        message: 'bad key [redacted]',
        kind: 'auth',
        status: 401,
        provider: 'openai',
      },
    });
  });

  it('redacts a secret used as a key', () => {
    expect(redactor.value({ [key]: 'spent' })).toEqual({ '[redacted]': 'spent' });
  });

  it('replaces a reference back to an enclosing object, and copies a shared one', () => {
    const shared = { note: key };
    const loop: Record<string, unknown> = { a: shared, b: shared };
    loop.self = loop;
    expect(redactor.value(loop)).toEqual({
      a: { note: '[redacted]' },
      b: { note: '[redacted]' },
      self: '[circular]',
    });
  });

  it('passes numbers, booleans, null and undefined through', () => {
    expect(redactor.value([0, true, null, undefined])).toEqual([0, true, null, undefined]);
  });
});
