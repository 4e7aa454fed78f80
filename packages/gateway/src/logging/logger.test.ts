import { describe, expect, it } from 'vitest';
import { createGatewayLogger, type GatewayLoggerOptions } from './logger.ts';

/** A logger writing into memory, and its lines as written and as parsed. */
function capture(options: Omit<GatewayLoggerOptions, 'destination'> = {}) {
  const written: string[] = [];
  const logger = createGatewayLogger({ ...options, destination: { write: (line) => written.push(line) } });
  return {
    logger,
    written,
    lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

// A provider key in a shape the built-in patterns know, and a gateway key in one they do not: only the
// configured secrets can catch the second.
const providerKey = 'sk-proj-canary0123456789abcdefABCDEF';
const gatewayKey = 'sfgw_canary_0123456789abcdefghij';

describe('the gateway logger', () => {
  it('writes one JSON line per call: level, time, the fields, and the message as msg', () => {
    const { logger, written, lines } = capture();

    logger.info({ route: 'chat', attempts: 2 }, 'request ok');
    logger.warn({ route: 'chat', outcome: 'stale' }, 'request stale');

    expect(written).toHaveLength(2);
    expect(written.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(lines()).toEqual([
      { level: 30, time: expect.any(Number), route: 'chat', attempts: 2, msg: 'request ok' },
      { level: 40, time: expect.any(Number), route: 'chat', outcome: 'stale', msg: 'request stale' },
    ]);
  });

  it('writes info as 30, warn as 40 and error as 50, and nothing below its level', () => {
    const { logger, lines } = capture({ level: 'warn' });

    logger.info({}, 'not written');
    logger.warn({}, 'a stale answer');
    logger.error({}, 'a failed request');

    expect(lines().map((line) => [line.level, line.msg])).toEqual([
      [40, 'a stale answer'],
      [50, 'a failed request'],
    ]);
  });

  it('writes nothing at level silent', () => {
    const { logger, written } = capture({ level: 'silent' });

    logger.error({ kind: 'auth' }, 'a failed request');

    expect(written).toEqual([]);
  });

  describe.each([
    ['a provider key', providerKey],
    ['a gateway key', gatewayKey],
  ])('%s, configured as a secret', (_, key) => {
    const head = key.slice(0, 8);
    const places: Array<[string, (logger: ReturnType<typeof createGatewayLogger>) => void, string]> = [
      ['the message', (logger) => logger.error({}, `Incorrect API key provided: ${key}.`), 'msg'],
      [
        'a nested field',
        (logger) => logger.warn({ upstream: { request: { note: `used ${key} for this call` } } }, 'attempt'),
        'upstream',
      ],
      [
        "an Error's message",
        (logger) => logger.error({ err: new Error(`401 from upstream: invalid key ${key}`) }, 'failed'),
        'err',
      ],
      [
        'a header object',
        (logger) =>
          logger.info(
            { headers: { Authorization: `Bearer ${key}`, 'x-api-key': key, 'x-trace': `t-${key}` } },
            'sent',
          ),
        'headers',
      ],
      [
        'a Headers instance',
        (logger) => logger.info({ headers: new Headers({ 'x-goog-api-key': key, accept: '*/*' }) }, 'sent'),
        'headers',
      ],
      [
        "a Gemini-style URL's ?key=",
        (logger) =>
          logger.warn(
            { url: `https://generativelanguage.googleapis.com/v1beta/models/m:generateContent?key=${key}` },
            'attempt failed',
          ),
        'url',
      ],
      [
        'its first 8 characters alone',
        (logger) => logger.error({ hint: `a key starting ${head}…` }, 'x'),
        'hint',
      ],
      ['a property name', (logger) => logger.info({ [key]: 'value' }, 'odd'), 'msg'],
      ['an array', (logger) => logger.info({ tried: ['first', key] }, 'keys tried'), 'tried'],
    ];

    it.each(places)(
      'never appears when logged in %s, and neither do its first 8 characters',
      (_, log, field) => {
        const { logger, written, lines } = capture({ secrets: [providerKey, gatewayKey] });

        log(logger);

        expect(written).toHaveLength(1);
        expect(written[0]).not.toContain(head);
        // The line is still written, the secret replaced where it stood.
        expect(written[0]).toContain('[redacted]');
        expect(lines()[0]).toHaveProperty(field);
      },
    );
  });

  it('keeps what is not secret: the text around a redacted key, and the other fields', () => {
    const { logger, lines } = capture({ secrets: [gatewayKey] });

    logger.error(
      { route: 'chat', status: 401, error: `gateway key ${gatewayKey} is not allowed on route chat` },
      'request failed',
    );

    expect(lines()[0]).toMatchObject({
      route: 'chat',
      status: 401,
      error: 'gateway key [redacted] is not allowed on route chat',
      msg: 'request failed',
    });
  });
});
