import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SteadfastError } from '../errors/steadfast-error.ts';
import { createAnthropic } from './anthropic/adapter.ts';
import { createOpenAi } from './openai/adapter.ts';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

describe('adapters and upstream redirects', () => {
  const elsewhere: string[] = [];
  const target = createServer((request, response) => {
    elsewhere.push(
      `${request.method} ${request.url} ${request.headers.authorization ?? request.headers['x-api-key'] ?? ''}`,
    );
    response.end('{}');
  });
  let redirector: Server;
  let base = '';

  beforeAll(async () => {
    const targetUrl = await listen(target);
    redirector = createServer((_request, response) => {
      response.writeHead(307, { location: `${targetUrl}/steal` });
      response.end();
    });
    base = await listen(redirector);
  });

  afterAll(async () => {
    await new Promise((resolve) => redirector.close(resolve));
    await new Promise((resolve) => target.close(resolve));
  });

  it.each([
    ['openai', () => createOpenAi({ baseURL: `${base}/v1`, apiKey: 'sk-redirect-canary-0123456789' })],
    ['anthropic', () => createAnthropic({ baseURL: base, apiKey: 'sk-ant-redirect-canary-0123456789' })],
  ])('%s: never follows a 3xx, so the key never reaches the place it points to', async (_name, make) => {
    const error = await make()
      .chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
      .catch((thrown: unknown) => thrown);

    expect(SteadfastError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'bad_gateway', status: 307 });
    expect(elsewhere).toEqual([]);
  });
});
