import { describe, expect, it, onTestFinished } from 'vitest';
import { createCatalog } from '../catalog/catalog.ts';
import type { ClientOptions } from '../client.ts';
import { ask, createHarness, type EngineHarness } from '../engine/test-support/engine-harness.ts';
import { rejected, resolved } from '../engine/test-support/run-until-settled.ts';
import { answer, fail, providerError } from '../engine/test-support/script.ts';
import { createScriptedAdapter } from '../engine/test-support/scripted-adapter.ts';
import { SteadfastError } from '../errors/steadfast-error.ts';
import { createFakeClock } from '../test-support/fake-clock.ts';
import type { Logger } from './logger.ts';
import { createRedactor } from './redact.ts';
import { logRequests, type RequestLogOptions } from './request-log.ts';

/** One call to the logger. */
interface Line {
  level: 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg: string;
}

function recordingLogger(): Logger & { lines: Line[] } {
  const lines: Line[] = [];
  return {
    lines,
    info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => lines.push({ level: 'error', obj, msg }),
  };
}

// 10 and 50 USD per million tokens: the scripted 100 in and 20 out cost exactly 0.002.
const catalog = createCatalog([
  {
    id: 'alpha',
    provider: 'openai',
    contextWindow: 100_000,
    maxOutputTokens: 4096,
    tokenizer: 'o200k',
    capabilities: { tools: true, jsonSchema: true, vision: true, streaming: true, prefill: true },
    pricing: { inputPerMTok: 10, outputPerMTok: 50, asOf: '2026-01-01', source: 'test' },
  },
]);

/** A client over one scripted provider `p1` on route `chat`, its requests logged. */
function logged(
  steps: Parameters<typeof createScriptedAdapter>[2],
  route: Partial<ClientOptions['routes'][string]> = {},
  options: RequestLogOptions = {},
): EngineHarness & { lines: Line[] } {
  const clock = createFakeClock();
  const harness = createHarness(clock, {
    providers: [createScriptedAdapter('p1', clock, steps)],
    routes: { chat: { candidates: ['p1/alpha'], ...route } },
    catalog,
  });
  const logger = recordingLogger();
  onTestFinished(logRequests(harness.client, logger, options));
  return { ...harness, lines: logger.lines };
}

function requestIdOf(harness: EngineHarness): string {
  const [start] = harness.eventsOf('request-start');
  if (start === undefined) throw new Error('no request started');
  return start.requestId;
}

describe('the request log', () => {
  it('writes one warn line per failed attempt and one info line per answered request', async () => {
    const harness = logged({
      alpha: [
        fail(providerError('unavailable', { requestId: 'req_up_1', code: 'service_unavailable' }), {
          afterMs: 40,
        }),
        answer('Paris', { afterMs: 100 }),
      ],
    });

    await resolved(harness.client.chat(ask('chat')), harness.clock);

    const requestId = requestIdOf(harness);
    expect(harness.lines).toEqual([
      {
        level: 'warn',
        msg: 'attempt failed',
        obj: {
          requestId,
          route: 'chat',
          attempt: 1,
          provider: 'p1',
          model: 'alpha',
          kind: 'unavailable',
          status: 503,
          code: 'service_unavailable',
          providerRequestId: 'req_up_1',
          durationMs: 40,
          error: 'scripted unavailable (503)',
        },
      },
      {
        level: 'info',
        msg: 'request ok',
        obj: {
          requestId,
          route: 'chat',
          outcome: 'ok',
          provider: 'p1',
          model: 'alpha',
          attempts: 2,
          // 40 ms, the 500 ms backoff, 100 ms.
          durationMs: 640,
          inputTokens: 100,
          outputTokens: 20,
          costUsd: 0.002,
          fallback: false,
          degraded: false,
        },
      },
    ]);
  });

  it('writes an error line for a request that failed, with the kind, status and provider request id', async () => {
    const harness = logged(
      { alpha: [fail(providerError('server', { requestId: 'req_up_9' }), { afterMs: 30 })] },
      { retry: false },
    );

    await rejected(harness.client.chat(ask('chat')), harness.clock);

    const requestId = requestIdOf(harness);
    expect(harness.lines.map((line) => line.msg)).toEqual(['attempt failed', 'request failed']);
    expect(harness.lines[1]).toEqual({
      level: 'error',
      msg: 'request failed',
      obj: {
        requestId,
        route: 'chat',
        outcome: 'failed',
        attempts: 1,
        durationMs: 30,
        costUsd: 0,
        fallback: false,
        degraded: false,
        kind: 'server',
        status: 500,
        providerRequestId: 'req_up_9',
        error: 'scripted server (500) (attempts: p1/alpha: server 500)',
      },
    });
  });

  it('never writes a configured key nor its first 8 characters, wherever the key was planted', async () => {
    const key = 'canary-Zq8Rt2Lm9Xv4Pw7K';
    const message = [
      `Incorrect API key provided: ${key}.`,
      `GET https://generativelanguage.googleapis.com/v1beta/models/gemini:generateContent?key=${key}&alt=sse`,
      `headers: {"x-goog-api-key": "${key}", "authorization": "Bearer ${key}"}`,
      `masked: ${key.slice(0, 8)}****`,
    ].join(' | ');
    // Planted in the message, and in fields an error never redacts itself: the code and the request id.
    const planted = new SteadfastError('auth', message, {
      status: 401,
      code: key,
      requestId: `${key.slice(0, 9)}-req`,
    });
    const harness = logged(
      { alpha: [fail(planted)] },
      { retry: false },
      { redactor: createRedactor({ secrets: [key] }) },
    );

    await rejected(harness.client.chat(ask('chat')), harness.clock);

    expect(harness.lines.map((line) => line.msg)).toEqual(['attempt failed', 'request failed']);
    expect(harness.lines[0]?.obj).toMatchObject({
      code: '[redacted]',
      providerRequestId: '[redacted]-req',
      error: expect.stringContaining('Incorrect API key provided: [redacted]. | GET'),
    });
    expect(harness.lines[0]?.obj.error).toContain('generateContent?key=[redacted]&alt=sse');
    const written = JSON.stringify(harness.lines);
    expect(written).not.toContain(key);
    expect(written).not.toContain(key.slice(0, 8));
  });

  it('cuts a string field longer than maxBodyChars and says how much was cut', async () => {
    const long = `upstream said: ${'x'.repeat(500)}`;
    const harness = logged(
      { alpha: [fail(new SteadfastError('server', long, { status: 500 }))] },
      { retry: false },
      { maxBodyChars: 20 },
    );

    await rejected(harness.client.chat(ask('chat')), harness.clock);

    expect(harness.lines[0]?.obj.error).toBe(`upstream said: xxxxx… [${long.length - 20} more chars]`);
    expect(harness.lines[0]?.obj.route).toBe('chat');
  });

  it('stops writing once unsubscribed', async () => {
    const clock = createFakeClock();
    const harness = createHarness(clock, {
      providers: [createScriptedAdapter('p1', clock, { alpha: [answer('Paris')] })],
      routes: { chat: { candidates: ['p1/alpha'] } },
    });
    const logger = recordingLogger();
    const stop = logRequests(harness.client, logger);

    await resolved(harness.client.chat(ask('chat')), clock);
    stop();
    await resolved(harness.client.chat(ask('chat')), clock);

    expect(logger.lines.map((line) => line.msg)).toEqual(['request ok']);
  });
});
