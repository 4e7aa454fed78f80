import type { Alert, Logger } from '@steadfast/core';
import { describe, expect, it } from 'vitest';
import { createAlertSinks } from './alert-sinks.ts';

const alert: Alert = {
  rule: 'breaker-open',
  state: 'firing',
  severity: 'warning',
  summary: 'Circuit breaker for openai/gpt-4o-mini opened',
  labels: { provider: 'openai', model: 'gpt-4o-mini' },
  value: 1,
  threshold: 1,
  startedAt: 1_000,
  at: 1_000,
};

function recordingLogger() {
  const lines: Array<{ level: string; message: string }> = [];
  const logger: Logger = {
    info: (_fields, message) => lines.push({ level: 'info', message }),
    warn: (_fields, message) => lines.push({ level: 'warn', message }),
    error: (_fields, message) => lines.push({ level: 'error', message }),
  };
  return { logger, lines };
}

describe('createAlertSinks', () => {
  it('makes a log sink write each alert to the gateway logger', () => {
    const { logger, lines } = recordingLogger();
    const [sink] = createAlertSinks([{ type: 'log' }], { logger });
    sink?.send(alert);
    expect(lines).toEqual([
      { level: 'warn', message: 'Alert breaker-open firing: Circuit breaker for openai/gpt-4o-mini opened' },
    ]);
  });

  it('makes a webhook sink POST each alert to its URL with its headers', async () => {
    const { logger } = recordingLogger();
    let received: (post: { url: string; authorization: string | null; body: unknown }) => void = () => {};
    const posted = new Promise<{ url: string; authorization: string | null; body: unknown }>((resolve) => {
      received = resolve;
    });
    const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const authorization = new Headers(init?.headers).get('authorization');
      received({ url: String(input), authorization, body: JSON.parse(String(init?.body)) });
      return new Response(null, { status: 204 });
    };
    const [sink] = createAlertSinks(
      [{ type: 'webhook', url: 'https://hooks.example.com/T1', headers: { authorization: 'Bearer hook' } }],
      { logger, fetch: fetch as typeof globalThis.fetch },
    );
    sink?.send(alert);
    expect(await posted).toEqual({
      url: 'https://hooks.example.com/T1',
      authorization: 'Bearer hook',
      body: alert,
    });
    sink?.dispose?.();
  });
});
