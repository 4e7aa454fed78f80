import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Clock, type StateStore, SteadfastError } from '@steadfast/core';
import { CodecError, type IngressCodec } from '../codecs/codec.ts';
import type { GatewayKey } from '../config/keys.ts';
import { authenticate } from '../http/auth.ts';
import { IdempotencyCache, type StoredAnswer } from '../http/idempotency.ts';
import { createKeyLimiter } from '../http/key-limiter.ts';
import { BodyError, readJsonBody } from '../http/read-body.ts';
import { type MetricsSource, prometheusContentType, prometheusText } from '../metrics/prometheus.ts';
import { type GatewayProblem, gatewayError } from './gateway-error.ts';
import { resilienceHeaders } from './response-headers.ts';
import type { GatewayRuntime } from './runtime.ts';

/** What the request handler is built from. */
export interface GatewayHandlerOptions {
  /** The current configuration's runtime (read per request, so a reload applies to new requests only). */
  runtime: () => GatewayRuntime;
  apis: { openai: IngressCodec; anthropic: IngressCodec };
  metrics: MetricsSource;
  store: StateStore;
  clock: Clock;
  idempotencyWindowMs: number;
  /** Streams in progress, each with a way to end it with an error event (graceful shutdown). */
  streams?: Set<(error: SteadfastError) => void>;
  /** Readiness: problems that make the gateway unfit to serve (none: ready). */
  readiness: () => string[];
}

let sequence = 0;
function requestId(clock: Clock): string {
  sequence = (sequence + 1) % 0x7fffffff;
  return `req_${clock.now().toString(36)}${sequence.toString(36).padStart(6, '0')}`;
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function send(response: ServerResponse, answer: StoredAnswer, extra: Record<string, string> = {}): void {
  response.writeHead(answer.status, {
    ...answer.headers,
    ...extra,
    'content-length': Buffer.byteLength(answer.body),
  });
  response.end(answer.body);
}

/** The request handler of the gateway: routing, auth, limits, and the two client-facing APIs. */
export function createGatewayHandler(
  options: GatewayHandlerOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  const { clock } = options;
  const allowsRequest = createKeyLimiter(options.store, clock);
  const idempotency = new IdempotencyCache(options.idempotencyWindowMs, () => clock.now());

  async function chat(
    api: IngressCodec,
    request: IncomingMessage,
    response: ServerResponse,
    id: string,
  ): Promise<void> {
    const runtime = options.runtime();
    const headers = { 'x-request-id': id };
    const fail = (error: SteadfastError): void => {
      const reply = api.errorBody(error, id);
      sendJson(response, reply.status, reply.body, { ...headers, ...reply.headers });
    };
    const refuse = (
      status: number,
      problem: GatewayProblem,
      message: string,
      extra: Record<string, string> = {},
    ): void => {
      sendJson(response, status, gatewayError(api.format, problem, message, id), { ...headers, ...extra });
    };

    let key: GatewayKey | undefined;
    if (runtime.keys.length > 0) {
      key = authenticate(request.headers, runtime.keys);
      if (key === undefined)
        return refuse(401, 'authentication', 'Missing or invalid API key for this gateway');
    }
    let body: unknown;
    try {
      body = await readJsonBody(request, runtime.bodyLimitBytes);
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      if (error.status === 413) return refuse(413, 'too_large', error.message, { connection: 'close' });
      const problem = error.status === 415 ? 'unsupported_media_type' : 'invalid_request';
      return refuse(error.status, problem, error.message);
    }
    let decoded: ReturnType<IngressCodec['decode']>;
    try {
      decoded = api.decode(body);
    } catch (error) {
      if (!CodecError.isInstance(error)) throw error;
      const reply = api.errorBody(error, id);
      return sendJson(response, reply.status, reply.body, { ...headers, ...reply.headers });
    }
    const route = decoded.request.model;
    if (!runtime.routes.has(route)) {
      return refuse(404, 'not_found', `The model "${route.slice(0, 200)}" does not exist on this gateway`);
    }
    if (key?.routes !== undefined && !key.routes.includes(route)) {
      return refuse(403, 'permission', `This API key may not use the model "${route}"`);
    }
    if (key?.requestsPerMinute !== undefined && !(await allowsRequest(key.name, key.requestsPerMinute))) {
      const message = `This API key is over its limit of ${key.requestsPerMinute} requests per minute`;
      return refuse(429, 'rate_limit', message, { 'retry-after': '60' });
    }

    // A client that goes away aborts its request: every upstream attempt, wait and continuation.
    const controller = new AbortController();
    response.once('close', () => {
      if (!response.writableFinished) controller.abort(new Error('The client closed the connection'));
    });
    const tenant = key?.cacheScope ?? key?.name;
    const requestOptions =
      tenant === undefined ? { signal: controller.signal } : { signal: controller.signal, tenant };
    const context = { id: `chatcmpl-${id}`, created: Math.floor(clock.now() / 1000) };

    if (decoded.stream) {
      const events = runtime.client.stream(decoded.request, requestOptions)[Symbol.asyncIterator]();
      const first = await events.next();
      if (first.done === true)
        return fail(new SteadfastError('stream_interrupted', 'The answer ended before it started'));
      if (first.value.type === 'error') return fail(first.value.error);
      // Headers wait for the first event, so that a request that fails before its answer starts gets
      // a real HTTP error status; no event is held back once the answer has started.
      const start = first.value.type === 'start' ? first.value : undefined;
      response.writeHead(200, {
        ...headers,
        ...resilienceHeaders(start?.provider ?? '', start?.model ?? '', undefined),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
      });
      const writer = api.streamEncoder({ ...context, includeUsage: decoded.includeUsage, requestId: id });
      response.write(writer.encode(first.value));
      // A shutdown that outlasts its grace period ends the stream with an error event, never a clean finish.
      const stop = (error: SteadfastError): void => {
        if (!response.writableEnded) response.end(writer.error(error));
        controller.abort(error);
      };
      options.streams?.add(stop);
      try {
        for (;;) {
          const next = await events.next();
          if (next.done === true || response.writableEnded || response.destroyed) break;
          const event = next.value;
          response.write(event.type === 'error' ? writer.error(event.error) : writer.encode(event));
          if (event.type === 'error' || event.type === 'finish') break;
        }
      } finally {
        options.streams?.delete(stop);
        await events.return?.();
        if (!response.writableEnded) response.end();
      }
      return;
    }

    const run = async (): Promise<StoredAnswer> => {
      try {
        const result = await runtime.client.chat(decoded.request, requestOptions);
        return {
          status: 200,
          headers: {
            ...headers,
            ...resilienceHeaders(result.provider, result.model, result.resilience),
            'content-type': 'application/json',
          },
          body: JSON.stringify(api.encode(result, context)),
        };
      } catch (error) {
        const failure = SteadfastError.isInstance(error)
          ? error
          : new SteadfastError('unknown', String(error));
        const reply = api.errorBody(failure, id);
        return {
          status: reply.status,
          headers: { ...headers, ...reply.headers, 'content-type': 'application/json' },
          body: JSON.stringify(reply.body),
        };
      }
    };
    const idempotencyKey = request.headers['idempotency-key'];
    if (typeof idempotencyKey === 'string' && idempotencyKey !== '') {
      const { replayed, answer } = await idempotency.once(
        `${key?.name ?? ''}\u0000${route}\u0000${idempotencyKey}`,
        run,
      );
      send(response, answer, replayed ? { 'x-steadfast-idempotent-replay': 'true' } : {});
      return;
    }
    send(response, await run());
  }

  function models(request: IncomingMessage, response: ServerResponse): void {
    const runtime = options.runtime();
    const routes = [...runtime.routes.entries()];
    if (request.headers['anthropic-version'] !== undefined) {
      const data = routes.map(([id]) => ({
        type: 'model',
        id,
        display_name: id,
        created_at: '2026-01-01T00:00:00Z',
      }));
      return sendJson(response, 200, {
        data,
        has_more: false,
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
      });
    }
    sendJson(response, 200, {
      object: 'list',
      data: routes.map(([id, route]) => {
        const info = runtime.catalog.get(route.candidates[0]?.model ?? '');
        return {
          id,
          object: 'model',
          created: 0,
          owned_by: 'steadfast',
          candidates: route.candidates.map((c) => `${c.provider}/${c.model}`),
          ...(info === undefined
            ? {}
            : { context_window: info.contextWindow, max_output_tokens: info.maxOutputTokens }),
        };
      }),
    });
  }

  return function handle(request, response) {
    const id = requestId(clock);
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const method = request.method ?? 'GET';
    const done = (promise: Promise<void>): void => {
      promise.catch((error: unknown) => {
        if (response.headersSent) {
          response.destroy();
          return;
        }
        // Nothing internal in the answer: the detail goes to the logs through the engine's events.
        sendJson(
          response,
          500,
          { error: { message: 'Internal gateway error', type: 'server_error', code: 'unknown' } },
          { 'x-request-id': id },
        );
        void error;
      });
    };
    if (path === '/v1/chat/completions' || path === '/v1/messages') {
      const api = path === '/v1/messages' ? options.apis.anthropic : options.apis.openai;
      if (method !== 'POST') {
        const body = gatewayError(api.format, 'method_not_allowed', `Use POST for ${path}`, id);
        return sendJson(response, 405, body, { allow: 'POST', 'x-request-id': id });
      }
      return done(chat(api, request, response, id));
    }
    if (method === 'GET' && path === '/v1/models') return models(request, response);
    if (method === 'GET' && path === '/health') return sendJson(response, 200, { status: 'ok' });
    if (method === 'GET' && path === '/ready') {
      const problems = options.readiness();
      return sendJson(response, problems.length === 0 ? 200 : 503, {
        ready: problems.length === 0,
        problems,
      });
    }
    if (method === 'GET' && path === '/metrics') {
      return done(
        prometheusText(options.metrics).then((text) => {
          response.writeHead(200, {
            'content-type': prometheusContentType,
            'content-length': Buffer.byteLength(text),
          });
          response.end(text);
        }),
      );
    }
    const message = `Unknown path: ${method} ${path.slice(0, 200)}`;
    sendJson(response, 404, gatewayError('openai-chat', 'not_found', message, id), { 'x-request-id': id });
  };
}
