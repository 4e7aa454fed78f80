import type { ClassifyContext } from './classify-http.ts';
import type { ErrorKind } from './kinds.ts';
import { SteadfastError } from './steadfast-error.ts';

// Node socket errors and undici's own codes (`UND_ERR_*`), as `fetch` reports them in `error.cause`.
const networkCodeKinds: Readonly<Record<string, ErrorKind>> = {
  ECONNRESET: 'connection',
  ECONNREFUSED: 'connection',
  ECONNABORTED: 'connection',
  ENOTFOUND: 'connection',
  EAI_AGAIN: 'connection',
  EHOSTUNREACH: 'connection',
  ENETUNREACH: 'connection',
  ENETDOWN: 'connection',
  EPIPE: 'connection',
  ETIMEDOUT: 'timeout',
  UND_ERR_SOCKET: 'connection',
  UND_ERR_CLOSED: 'connection',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_ABORTED: 'cancelled',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'connection',
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: 'bad_request',
  UND_ERR_HEADERS_OVERFLOW: 'bad_gateway',
  UND_ERR_RESPONSE_EXCEEDED_MAX_SIZE: 'bad_gateway',
  ERR_STREAM_PREMATURE_CLOSE: 'connection',
};

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

/**
 * An abort is a `DOMException` (or an Error) named `AbortError`; `AbortSignal.timeout()` aborts with one
 * named `TimeoutError`. These names are web-platform standards, not ours, so reading them is the only way.
 */
export function abortKind(error: unknown): 'cancelled' | 'timeout' | undefined {
  for (const link of causes(error)) {
    const name = field(link, 'name');
    if (name === 'TimeoutError') return 'timeout';
    if (name === 'AbortError') return 'cancelled';
  }
  return undefined;
}

/** The network-level kind of a thrown error (socket code, DNS failure, undici timeout), if any. */
export function networkKind(error: unknown): { kind: ErrorKind; code: string } | undefined {
  for (const link of causes(error)) {
    const code = field(link, 'code');
    if (typeof code === 'string' && networkCodeKinds[code] !== undefined) {
      return { kind: networkCodeKinds[code], code };
    }
  }
  // undici ends a body whose socket closed early with `TypeError: terminated` and no code of its own.
  for (const link of causes(error)) {
    if (field(link, 'message') === 'terminated' || field(link, 'message') === 'other side closed') {
      return { kind: 'connection', code: 'terminated' };
    }
  }
  return undefined;
}

/** Classifies an abort, a timeout or a network error; undefined when the error is none of these. */
export function classifyNetwork(error: unknown, context: ClassifyContext = {}): SteadfastError | undefined {
  const details = { provider: context.provider, model: context.model, cause: error };
  const aborted = abortKind(error);
  if (aborted === 'cancelled')
    return new SteadfastError('cancelled', 'The request was aborted by its caller', details);
  if (aborted === 'timeout') return new SteadfastError('timeout', 'The request timed out', details);
  const network = networkKind(error);
  if (network === undefined) return undefined;
  const who = context.provider ?? 'the provider';
  // A connection lost after the headers arrived cut an answer that was under way.
  if (context.phase === 'body' && (network.kind === 'connection' || network.kind === 'timeout')) {
    return new SteadfastError(
      'stream_interrupted',
      `The response from ${who} was cut off (${network.code})`,
      {
        ...details,
        code: network.code,
      },
    );
  }
  const verb = network.kind === 'timeout' ? 'timed out' : 'failed';
  return new SteadfastError(network.kind, `The connection to ${who} ${verb} (${network.code})`, {
    ...details,
    code: network.code,
  });
}
