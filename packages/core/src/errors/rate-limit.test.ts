import { describe, expect, it } from 'vitest';
import type { HeadersLike } from './headers.ts';
import { parseRateLimitHeaders, parseResetMs, parseRetryAfterMs } from './rate-limit.ts';

const nowMs = Date.parse('2025-08-21T12:40:00Z');

describe('parseResetMs', () => {
  it.each([
    ['6m0s', 360_000],
    ['2m59.56s', 179_560],
    ['20ms', 20],
    ['1h2m3.5s', 3_723_500],
    ['1.146s', 1146],
    ['7.66s', 7660],
    ['1s', 1000],
    ['0s', 0],
  ])('reads the Go duration %s (OpenAI, Groq) as %d ms', (text, ms) => {
    expect(parseResetMs(text, nowMs)).toBe(ms);
  });

  it.each([
    ['8', 8000],
    ['0', 0],
    [' 60 ', 60_000],
  ])('reads Azure integer seconds %j as %d ms', (text, ms) => {
    expect(parseResetMs(text, nowMs)).toBe(ms);
  });

  it.each([
    ['2025-08-21T12:40:59Z', 59_000],
    ['2025-08-21T12:40:00.250Z', 250],
    ['2025-08-21T14:40:00+02:00', 0],
    ['2025-08-21T12:30:00Z', 0],
  ])('reads the Anthropic RFC 3339 timestamp %s relative to the clock as %d ms', (text, ms) => {
    expect(parseResetMs(text, nowMs)).toBe(ms);
  });

  it.each(['', '   ', 'garbage', 'soon', '-5', '1m-2s', 'ms'])('returns undefined for %j', (text) => {
    expect(parseResetMs(text, nowMs)).toBeUndefined();
  });
});

describe('parseRetryAfterMs', () => {
  it.each([
    ['seconds', { 'retry-after': '8' }, 8000],
    ['zero seconds', { 'retry-after': '0' }, 0],
    ['fractional seconds', { 'retry-after': '1.5' }, 1500],
    ['an HTTP date', { 'retry-after': 'Thu, 21 Aug 2025 12:40:45 GMT' }, 45_000],
    ['an HTTP date already past', { 'retry-after': 'Thu, 21 Aug 2025 12:00:00 GMT' }, 0],
    ['retry-after-ms alone', { 'retry-after-ms': '250' }, 250],
    ['retry-after-ms before retry-after', { 'retry-after-ms': '7750', 'retry-after': '8' }, 7750],
    ['retry-after when retry-after-ms is garbage', { 'retry-after-ms': 'abc', 'retry-after': '3' }, 3000],
    ['retry-after when retry-after-ms is negative', { 'retry-after-ms': '-1', 'retry-after': '3' }, 3000],
    ['retry-after when retry-after-ms is empty', { 'retry-after-ms': '', 'retry-after': '3' }, 3000],
  ] as const)('reads %s', (_label, headers, ms) => {
    expect(parseRetryAfterMs(new Headers(headers), nowMs)).toBe(ms);
  });

  it.each([
    ['a negative value (Azure Responses -1)', { 'retry-after': '-1' }],
    ['garbage', { 'retry-after': 'soon' }],
    ['an empty value', { 'retry-after': '' }],
    ['Infinity', { 'retry-after': 'Infinity' }],
    ['no header at all', {}],
  ] as const)('ignores %s', (_label, headers) => {
    expect(parseRetryAfterMs(new Headers(headers), nowMs)).toBeUndefined();
  });

  it('returns undefined without headers', () => {
    expect(parseRetryAfterMs(undefined, nowMs)).toBeUndefined();
  });
});

describe('parseRateLimitHeaders', () => {
  it('reads the OpenAI windows with Go-duration resets', () => {
    const headers = new Headers({
      'x-ratelimit-limit-requests': '10000',
      'x-ratelimit-remaining-requests': '9999',
      'x-ratelimit-reset-requests': '6ms',
      'x-ratelimit-limit-tokens': '30000',
      'x-ratelimit-remaining-tokens': '0',
      'x-ratelimit-reset-tokens': '1m26.4s',
      'retry-after': '2',
    });
    expect(parseRateLimitHeaders(headers, nowMs)).toEqual({
      requests: { limit: 10_000, remaining: 9999, resetMs: 6 },
      tokens: { limit: 30_000, remaining: 0, resetMs: 86_400 },
      retryAfterMs: 2000,
    });
  });

  it('reads Azure integer-second resets and both retry headers', () => {
    const headers = new Headers({
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-remaining-tokens': '12',
      'x-ratelimit-reset-tokens': '8',
      'retry-after': '8',
      'retry-after-ms': '7750',
    });
    expect(parseRateLimitHeaders(headers, nowMs)).toEqual({
      requests: { remaining: 0 },
      tokens: { remaining: 12, resetMs: 8000 },
      retryAfterMs: 7750,
    });
  });

  it('reads all four Anthropic windows with RFC 3339 resets relative to the clock', () => {
    const headers = new Headers({
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '49',
      'anthropic-ratelimit-requests-reset': '2025-08-21T12:40:01Z',
      'anthropic-ratelimit-tokens-limit': '90000',
      'anthropic-ratelimit-tokens-remaining': '80000',
      'anthropic-ratelimit-tokens-reset': '2025-08-21T12:40:07Z',
      'anthropic-ratelimit-input-tokens-limit': '50000',
      'anthropic-ratelimit-input-tokens-remaining': '0',
      'anthropic-ratelimit-input-tokens-reset': '2025-08-21T12:40:59Z',
      'anthropic-ratelimit-output-tokens-limit': '10000',
      'anthropic-ratelimit-output-tokens-remaining': '9000',
      'anthropic-ratelimit-output-tokens-reset': '2025-08-21T12:40:03.5Z',
      'retry-after': '59',
    });
    expect(parseRateLimitHeaders(headers, nowMs)).toEqual({
      requests: { limit: 50, remaining: 49, resetMs: 1000 },
      tokens: { limit: 90_000, remaining: 80_000, resetMs: 7000 },
      inputTokens: { limit: 50_000, remaining: 0, resetMs: 59_000 },
      outputTokens: { limit: 10_000, remaining: 9000, resetMs: 3500 },
      retryAfterMs: 59_000,
    });
  });

  it.each([
    ['true', true],
    ['false', false],
  ] as const)('reads x-should-retry: %s', (value, shouldRetry) => {
    expect(parseRateLimitHeaders(new Headers({ 'x-should-retry': value }), nowMs)).toEqual({ shouldRetry });
  });

  it('ignores an x-should-retry value that is neither true nor false', () => {
    expect(parseRateLimitHeaders(new Headers({ 'x-should-retry': 'maybe' }), nowMs)).toBeUndefined();
  });

  it('skips a window value that is not a number', () => {
    const headers = new Headers({
      'x-ratelimit-limit-requests': 'lots',
      'x-ratelimit-remaining-requests': '3',
    });
    expect(parseRateLimitHeaders(headers, nowMs)).toEqual({ requests: { remaining: 3 } });
  });

  describe('accepts headers in every form they reach us', () => {
    const expected = { requests: { remaining: 7, resetMs: 179_560 }, retryAfterMs: 3000, shouldRetry: true };
    const forms: ReadonlyArray<readonly [string, HeadersLike]> = [
      [
        'a fetch Headers',
        new Headers({
          'X-RateLimit-Remaining-Requests': '7',
          'x-ratelimit-reset-requests': '2m59.56s',
          'Retry-After': '3',
          'x-should-retry': 'true',
        }),
      ],
      [
        'a plain record with mixed-case keys',
        {
          'X-RateLimit-Remaining-Requests': '7',
          'X-Ratelimit-Reset-Requests': '2m59.56s',
          'Retry-After': '3',
          'X-Should-Retry': 'true',
        },
      ],
      [
        'a node:http record with array and number values',
        {
          'x-ratelimit-remaining-requests': 7,
          'x-ratelimit-reset-requests': ['2m59.56s', '1s'],
          'retry-after': ['3', '60'],
          'x-should-retry': ['true'],
          'set-cookie': undefined,
        },
      ],
    ];
    it.each(forms)('%s', (_label, headers) => {
      expect(parseRateLimitHeaders(headers, nowMs)).toEqual(expected);
    });
  });

  it.each([
    ['undefined', undefined],
    ['an empty Headers', new Headers()],
    ['an empty record', {}],
    ['unrelated headers only', new Headers({ 'content-type': 'application/json', 'x-request-id': 'req_1' })],
  ] as const)('returns undefined for %s', (_label, headers) => {
    expect(parseRateLimitHeaders(headers, nowMs)).toBeUndefined();
  });
});
