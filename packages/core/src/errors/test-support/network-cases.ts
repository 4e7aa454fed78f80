import { createServer } from 'node:net';
import type { ClassifyCase } from './classify-case.ts';

// Errors shaped as Node's fetch (undici) throws them: `TypeError: fetch failed` with the socket or
// undici error in `cause`, `TypeError: terminated` when a body is cut, DOMException for aborts.

interface SystemErrorFields {
  code: string;
  errno?: number;
  syscall?: string;
  hostname?: string;
  address?: string;
  port?: number;
}

function systemError(message: string, fields: SystemErrorFields): Error {
  return Object.assign(new Error(message), fields);
}

function undiciError(name: string, message: string, code: string): Error {
  return Object.assign(new Error(message), { name, code });
}

function fetchFailed(cause: Error): TypeError {
  return new TypeError('fetch failed', { cause });
}

/** A port nothing listens on: bound by the OS a moment ago, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

async function caught(attempt: () => Promise<unknown>): Promise<unknown> {
  try {
    await attempt();
  } catch (error) {
    return error;
  }
  throw new Error('expected the attempt to fail');
}

const port = await closedPort();
const realRefused = await caught(() => fetch(`http://127.0.0.1:${port}/v1/chat/completions`));
const realAborted = await caught(() =>
  fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { signal: AbortSignal.abort() }),
);

export const networkCases: ClassifyCase[] = [
  {
    name: 'fetch failed: ECONNRESET',
    input: fetchFailed(systemError('read ECONNRESET', { code: 'ECONNRESET', errno: -104, syscall: 'read' })),
    kind: 'connection',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { code: 'ECONNRESET', status: undefined },
  },
  {
    name: 'fetch failed: ECONNREFUSED',
    input: fetchFailed(
      systemError('connect ECONNREFUSED 127.0.0.1:1', {
        code: 'ECONNREFUSED',
        errno: -111,
        syscall: 'connect',
        address: '127.0.0.1',
        port: 1,
      }),
    ),
    kind: 'connection',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { code: 'ECONNREFUSED' },
  },
  {
    name: 'fetch failed: ENOTFOUND',
    input: fetchFailed(
      systemError('getaddrinfo ENOTFOUND api.openai.example', {
        code: 'ENOTFOUND',
        errno: -3008,
        syscall: 'getaddrinfo',
        hostname: 'api.openai.example',
      }),
    ),
    kind: 'connection',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'fetch failed: EAI_AGAIN (DNS temporarily failing)',
    input: fetchFailed(
      systemError('getaddrinfo EAI_AGAIN api.anthropic.com', {
        code: 'EAI_AGAIN',
        errno: -3001,
        syscall: 'getaddrinfo',
        hostname: 'api.anthropic.com',
      }),
    ),
    kind: 'connection',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'fetch failed: ETIMEDOUT',
    input: fetchFailed(systemError('connect ETIMEDOUT 104.18.7.192:443', { code: 'ETIMEDOUT', errno: -110 })),
    kind: 'timeout',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'fetch failed: UND_ERR_CONNECT_TIMEOUT',
    input: fetchFailed(
      undiciError(
        'ConnectTimeoutError',
        'Connect Timeout Error (attempted address: api.openai.com:443, timeout: 10000ms)',
        'UND_ERR_CONNECT_TIMEOUT',
      ),
    ),
    kind: 'timeout',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { code: 'UND_ERR_CONNECT_TIMEOUT' },
  },
  {
    name: 'fetch failed: UND_ERR_HEADERS_TIMEOUT',
    input: fetchFailed(
      undiciError('HeadersTimeoutError', 'Headers Timeout Error', 'UND_ERR_HEADERS_TIMEOUT'),
    ),
    kind: 'timeout',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'terminated by UND_ERR_BODY_TIMEOUT while reading the body: the stream was interrupted',
    input: new TypeError('terminated', {
      cause: undiciError('BodyTimeoutError', 'Body Timeout Error', 'UND_ERR_BODY_TIMEOUT'),
    }),
    context: { phase: 'body' },
    kind: 'stream_interrupted',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { code: 'UND_ERR_BODY_TIMEOUT' },
  },
  {
    name: 'UND_ERR_BODY_TIMEOUT with no phase given is a timeout',
    input: new TypeError('terminated', {
      cause: undiciError('BodyTimeoutError', 'Body Timeout Error', 'UND_ERR_BODY_TIMEOUT'),
    }),
    kind: 'timeout',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'fetch failed: UND_ERR_SOCKET "other side closed"',
    input: fetchFailed(undiciError('SocketError', 'other side closed', 'UND_ERR_SOCKET')),
    kind: 'connection',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { code: 'UND_ERR_SOCKET' },
  },
  {
    name: 'TypeError: terminated (socket closed) during the body read: stream_interrupted',
    input: new TypeError('terminated', {
      cause: undiciError('SocketError', 'other side closed', 'UND_ERR_SOCKET'),
    }),
    context: { phase: 'body', provider: 'openai' },
    kind: 'stream_interrupted',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    messageIncludes: 'The response from openai was cut off',
  },
  {
    name: 'TypeError: terminated with no cause during the body read: stream_interrupted',
    input: new TypeError('terminated'),
    context: { phase: 'body' },
    kind: 'stream_interrupted',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { code: 'terminated' },
  },
  {
    name: 'DOMException AbortError: cancelled, neither retried nor fallen back from',
    input: new DOMException('This operation was aborted', 'AbortError'),
    kind: 'cancelled',
    retryable: false,
    fallbackable: false,
    retryAfterMs: undefined,
  },
  {
    name: 'AbortSignal.timeout() style DOMException TimeoutError: a retryable timeout',
    input: new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
    kind: 'timeout',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
  },
  {
    name: 'real fetch to a closed port on 127.0.0.1: connection',
    input: realRefused,
    kind: 'connection',
    retryable: true,
    fallbackable: true,
    retryAfterMs: undefined,
    facts: { code: 'ECONNREFUSED' },
  },
  {
    name: 'real fetch with an aborted signal: cancelled',
    input: realAborted,
    kind: 'cancelled',
    retryable: false,
    fallbackable: false,
    retryAfterMs: undefined,
  },
  {
    name: 'an unrecognised error quoting a Gemini URL with ?key=: unknown, key redacted',
    input: new Error(
      'request to https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent?key=AIzaSyD3adb33fC0ffee1234567890abcdefXYZ failed',
    ),
    kind: 'unknown',
    retryable: false,
    fallbackable: false,
    retryAfterMs: undefined,
    messageIncludes: 'generateContent?key=[redacted]',
    hidden: ['AIzaSyD3adb33f', 'C0ffee1234567890'],
  },
];
