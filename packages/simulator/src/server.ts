import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildAnswer } from './answer.ts';
import { AttemptLog, type AttemptRecord, type ModelCounters } from './attempt-log.ts';
import { pickFault } from './faults.ts';
import { RateWindows } from './rate-window.ts';
import { InvalidRequest, type SimRequest } from './request.ts';
import {
  type Api,
  type Fault,
  type ModelBehaviour,
  modelBehaviour,
  parseScenario,
  parseScenarioText,
  type Scenario,
  ScenarioError,
  type ScenarioInput,
} from './scenario.ts';
import { cutConnection, type TimerSet, wasCutByServer, writeStream } from './stream-writer.ts';
import { anthropicFormat } from './wire/anthropic.ts';
import { geminiFormat } from './wire/gemini.ts';
import { openAiFormat } from './wire/openai.ts';
import type { ErrorCase, RateLimitState, ReplyContext, WireError, WireFormat } from './wire/types.ts';

/** Options of `startSimulator`. */
export interface SimulatorOptions {
  /** The scenario: a validated `Scenario`, or input to validate. @default every model answers normally */
  scenario?: ScenarioInput | Scenario;
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Clock for time-window faults and rate-limit windows, in epoch ms. @default Date.now */
  now?: () => number;
  /** How many recent attempts `log()` keeps. @default 10000 */
  logLimit?: number;
}

/** A running simulator. */
export interface Simulator {
  /** Base URL, e.g. `http://127.0.0.1:9000` (append `/v1` for OpenAI and Anthropic clients). */
  url: string;
  port: number;
  /** Replaces the scenario; counters and the log are kept. */
  setScenario(scenario: ScenarioInput | Scenario): void;
  /** Clears counters, the log and rate-limit windows, and restarts the clock of time windows. */
  reset(): void;
  /** Attempts per model since the last reset. */
  counters(): Record<string, ModelCounters>;
  /** The most recent attempts, oldest first. */
  log(): AttemptRecord[];
  /** Calls `listener` when an attempt's outcome is decided; returns a function that unsubscribes. */
  onAttempt(listener: (record: AttemptRecord) => void): () => void;
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
}

const formats = {
  openai: openAiFormat(false),
  azure: openAiFormat(true),
  anthropic: anthropicFormat,
  gemini: geminiFormat,
} satisfies Record<Api, WireFormat>;

const maxBodyBytes = 32 * 1024 * 1024;
const geminiPath = /^\/(v1|v1beta|v1beta1)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;
const azurePath = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/;

interface Route {
  format: WireFormat;
  model: string | undefined;
}

function route(method: string, path: string, url: URL): Route | WireError | undefined {
  if (method !== 'POST') return undefined;
  if (path === '/v1/chat/completions') return { format: formats.openai, model: undefined };
  if (path === '/v1/messages') return { format: formats.anthropic, model: undefined };
  if (path === '/openai/v1/chat/completions') return { format: formats.azure, model: undefined };
  const azure = azurePath.exec(path);
  if (azure !== null) {
    if (!url.searchParams.has('api-version')) {
      return jsonError(404, { error: { code: '404', message: 'Resource not found' } });
    }
    return { format: formats.azure, model: decodeURIComponent(azure[1] as string) };
  }
  const gemini = geminiPath.exec(path);
  if (gemini !== null) return { format: formats.gemini, model: decodeURIComponent(gemini[2] as string) };
  return undefined;
}

function jsonError(status: number, body: unknown): WireError {
  return { status, headers: {}, contentType: 'application/json', body: JSON.stringify(body) };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new InvalidRequest(`Request body larger than ${maxBodyBytes} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString() : Buffer.concat(chunks).toString()),
    );
    request.on('error', reject);
  });
}

function toScenario(input: ScenarioInput | Scenario): Scenario {
  return parseScenario(input);
}

function errorCaseOf(fault: Fault, request: SimRequest, behaviour: ModelBehaviour): ErrorCase | undefined {
  switch (fault.kind) {
    case 'rate_limit':
      return {
        kind: 'rate_limit',
        retryAfterSeconds: fault.retryAfterSeconds,
        retryAfterMs: fault.retryAfterMs,
      };
    case 'unavailable':
      return { kind: 'unavailable', retryAfterSeconds: fault.retryAfterSeconds };
    case 'quota':
    case 'server_error':
    case 'bad_gateway':
    case 'overloaded':
    case 'gateway_timeout':
    case 'content_filter':
      return { kind: fault.kind };
    case 'context_length': {
      const window = behaviour.contextWindow ?? 128_000;
      return { kind: 'context_length', window, inputTokens: Math.max(request.inputTokens, window + 1) };
    }
    case 'auth':
      return { kind: 'auth', apiKey: request.apiKey };
    default:
      return undefined;
  }
}

/**
 * Starts a fault-injecting fake provider on loopback. It speaks OpenAI Chat Completions
 * (`/v1/chat/completions`), Azure OpenAI (`/openai/deployments/{name}/chat/completions?api-version=…`),
 * Anthropic Messages (`/v1/messages`) and Gemini (`/v1beta/models/{model}:generateContent` and
 * `:streamGenerateContent?alt=sse`), and is controlled over HTTP under `/_sim/`.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  let scenario = toScenario(options.scenario ?? {});
  const now = options.now ?? Date.now;
  let startedAt = now();
  const log = new AttemptLog(options.logLimit ?? 10_000);
  const windows = new RateWindows();
  const timers: TimerSet = new Set();
  const listeners = new Set<(record: AttemptRecord) => void>();

  function record(entry: AttemptRecord): AttemptRecord {
    log.add(entry);
    for (const listener of listeners) listener(entry);
    return entry;
  }

  function send(
    response: ServerResponse,
    status: number,
    contentType: string,
    body: string,
    headers: Record<string, string>,
  ): void {
    if (response.destroyed) return;
    response.writeHead(status, {
      ...headers,
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  }

  function sendJson(response: ServerResponse, status: number, value: unknown): void {
    send(response, status, 'application/json', JSON.stringify(value), {});
  }

  function control(request: IncomingMessage, response: ServerResponse, path: string, body: string): void {
    const method = request.method ?? 'GET';
    if (path === '/_sim/health' && method === 'GET') return sendJson(response, 200, { ok: true });
    if (path === '/_sim/scenario' && method === 'GET') return sendJson(response, 200, scenario);
    if (path === '/_sim/scenario' && (method === 'PUT' || method === 'POST')) {
      try {
        scenario = parseScenarioText(body, 'from PUT /_sim/scenario');
        return sendJson(response, 200, scenario);
      } catch (error) {
        if (error instanceof ScenarioError) return sendJson(response, 400, { error: error.message });
        throw error;
      }
    }
    if (path === '/_sim/reset' && method === 'POST') {
      reset();
      return sendJson(response, 200, { ok: true });
    }
    if (path === '/_sim/counters' && method === 'GET') return sendJson(response, 200, log.counters());
    if (path === '/_sim/log' && method === 'GET') return sendJson(response, 200, { attempts: log.records() });
    sendJson(response, 404, {
      error: `Unknown control call ${method} ${path}. Known: GET /_sim/health, GET|PUT /_sim/scenario, POST /_sim/reset, GET /_sim/counters, GET /_sim/log`,
    });
  }

  function reset(): void {
    log.reset();
    windows.reset();
    startedAt = now();
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = request.url ?? '/';
    const url = new URL(raw, 'http://simulator');
    const path = url.pathname;
    const method = request.method ?? 'GET';
    const body = method === 'GET' || method === 'HEAD' ? '' : await readBody(request);
    if (path.startsWith('/_sim/')) return control(request, response, path, body);
    if (method === 'GET' && (path === '/v1/models' || path === '/v1beta/models'))
      return listModels(request, response, path);
    const target = route(method, path, url);
    if (target === undefined) {
      return sendJson(response, 404, {
        error: {
          message: `Invalid URL (${method} ${path})`,
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
    }
    if ('status' in target)
      return send(response, target.status, target.contentType, target.body, target.headers);
    await answer(target, request, response, url, body);
  }

  function listModels(request: IncomingMessage, response: ServerResponse, path: string): void {
    const names = Object.keys(scenario.models).filter((name) => name !== '*');
    if (path === '/v1beta/models') {
      return sendJson(response, 200, {
        models: names.map((name) => ({
          name: `models/${name}`,
          displayName: name,
          supportedGenerationMethods: ['generateContent', 'streamGenerateContent'],
        })),
      });
    }
    if (request.headers['anthropic-version'] !== undefined) {
      const data = names.map((id) => ({
        type: 'model',
        id,
        display_name: id,
        created_at: '2026-01-01T00:00:00Z',
      }));
      return sendJson(response, 200, {
        data,
        has_more: false,
        first_id: names[0] ?? null,
        last_id: names.at(-1) ?? null,
      });
    }
    sendJson(response, 200, {
      object: 'list',
      data: names.map((id) => ({
        id,
        object: 'model',
        created: 1767225600,
        owned_by: 'steadfast-simulator',
      })),
    });
  }

  async function answer(
    target: Route,
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    text: string,
  ): Promise<void> {
    const { format } = target;
    const seq = log.nextSeq();
    const requestId = `req_sim${seq.toString(36).padStart(12, '0')}`;
    const arrivedMs = now() - startedAt;
    const entry: AttemptRecord = {
      seq,
      api: format.api,
      model: target.model ?? '',
      stream: false,
      attempt: 0,
      outcome: 'ok',
      status: 200,
      requestId,
      atMs: arrivedMs,
      time: new Date(now()).toISOString(),
      endedAtMs: undefined,
      clientClosed: false,
    };
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      entry.endedAtMs = now() - startedAt;
      entry.clientClosed = !response.writableFinished && !wasCutByServer(response);
    };
    response.once('close', end);

    const fail = (
      error: WireError | undefined,
      outcome: string,
      extraHeaders: Record<string, string> = {},
    ): void => {
      if (error === undefined) return;
      entry.outcome = outcome;
      entry.status = error.status;
      record(entry);
      send(response, error.status, error.contentType, error.body, {
        ...format.headers(requestId),
        ...extraHeaders,
        ...error.headers,
      });
    };

    let parsed: SimRequest;
    try {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new InvalidRequest('We could not parse the JSON body of your request.');
      }
      parsed = format.parse(json, target.model, request.headers, url);
    } catch (error) {
      if (!(error instanceof InvalidRequest)) throw error;
      return fail(
        format.error({ kind: 'invalid', message: error.message, param: error.param }, undefined, requestId),
        'invalid',
      );
    }
    entry.model = parsed.model;
    entry.stream = parsed.stream;

    if (scenario.apiKey !== undefined && parsed.apiKey !== scenario.apiKey) {
      return fail(format.error({ kind: 'auth', apiKey: parsed.apiKey }, undefined, requestId), 'auth');
    }
    const behaviour = modelBehaviour(scenario, parsed.model);
    if (behaviour === undefined) {
      return fail(
        format.error({ kind: 'model_not_found', model: parsed.model }, undefined, requestId),
        'model_not_found',
      );
    }
    entry.attempt = log.countAttempt(parsed.model);
    const context: ReplyContext = {
      request: parsed,
      id:
        format.api === 'anthropic'
          ? `msg_sim${seq.toString(36).padStart(16, '0')}`
          : format.api === 'gemini'
            ? `sim${seq.toString(36)}`
            : `chatcmpl-sim${seq.toString(36).padStart(16, '0')}`,
      requestId,
      created: Math.floor(now() / 1000),
    };

    let limitHeaders: Record<string, string> = {};
    let limitState: (RateLimitState & { exceeded: boolean }) | undefined;
    if (behaviour.rateLimit !== undefined) {
      limitState = windows.take(
        parsed.model,
        behaviour.rateLimit,
        parsed.inputTokens + (parsed.maxTokens ?? 0),
        now(),
      );
      limitHeaders = format.rateLimitHeaders(limitState);
    }
    const latencyMs = behaviour.latencyMs ?? 0;
    const delayed = (run: () => void): void => {
      if (latencyMs <= 0) return run();
      const timer = setTimeout(() => {
        timers.delete(timer);
        run();
      }, latencyMs);
      timers.add(timer);
    };

    if (behaviour.rejectsPrefill === true && parsed.prefix !== undefined) {
      return delayed(() =>
        fail(
          format.error({ kind: 'prefill_rejected' }, context, requestId),
          'prefill_rejected',
          limitHeaders,
        ),
      );
    }
    if (behaviour.contextWindow !== undefined && parsed.inputTokens > behaviour.contextWindow) {
      const error = format.error(
        { kind: 'context_length', window: behaviour.contextWindow, inputTokens: parsed.inputTokens },
        context,
        requestId,
      );
      return delayed(() => fail(error, 'context_length', limitHeaders));
    }
    if (limitState?.exceeded === true) {
      const retryAfterSeconds = Math.max(1, Math.ceil(limitState.resetMs / 1000));
      const limit = limitState.requestsLimit ?? limitState.tokensLimit;
      const error = format.error(
        { kind: 'rate_limit', retryAfterSeconds, ...(limit === undefined ? {} : { limit }) },
        context,
        requestId,
      );
      return delayed(() => fail(error, 'rate_limited', limitHeaders));
    }

    const fault = pickFault(behaviour, {
      api: format.api,
      model: parsed.model,
      stream: parsed.stream,
      attempt: entry.attempt,
      elapsedMs: arrivedMs,
      seed: scenario.seed,
    });
    if (fault !== undefined) entry.outcome = fault.kind;

    if (fault?.kind === 'no_response') {
      entry.status = 0;
      record(entry);
      return;
    }
    if (fault?.kind === 'reset') {
      entry.status = 0;
      record(entry);
      return delayed(() => cutConnection(response));
    }
    if (fault?.kind === 'http') {
      const body =
        fault.body === undefined
          ? ''
          : typeof fault.body === 'string'
            ? fault.body
            : JSON.stringify(fault.body);
      const contentType = typeof fault.body === 'object' ? 'application/json' : 'text/plain';
      return delayed(() =>
        fail({ status: fault.status, headers: fault.headers ?? {}, contentType, body }, 'http', limitHeaders),
      );
    }
    const errorCase = fault === undefined ? undefined : errorCaseOf(fault, parsed, behaviour);
    if (errorCase !== undefined) {
      const error = format.error(errorCase, context, requestId);
      if (error !== undefined) return delayed(() => fail(error, fault?.kind ?? 'ok', limitHeaders));
    }

    const reply = buildAnswer(behaviour, parsed, fault);
    record(entry);
    const firstTokenMs =
      (behaviour.firstTokenMs ?? 0) + (fault?.kind === 'slow_first_token' ? fault.delayMs : 0);
    const rate = behaviour.tokensPerSecond ?? 0;
    const tokenIntervalMs = rate > 0 ? 1000 / rate : 0;
    const headers = { ...format.headers(requestId), ...limitHeaders };

    if (parsed.stream) {
      const plan = format.stream(reply, context);
      return delayed(() => {
        if (response.destroyed) return;
        response.writeHead(200, {
          ...headers,
          'content-type': format.streamContentType,
          'cache-control': 'no-cache',
        });
        writeStream(response, plan, { firstTokenMs, tokenIntervalMs }, fault, timers, end);
      });
    }

    const payload =
      fault?.kind === 'malformed_chunk'
        ? format.body(reply, context).slice(0, -7)
        : format.body(reply, context);
    const generationMs = firstTokenMs + Math.max(0, reply.pieces.length - 1) * tokenIntervalMs;
    delayed(() => {
      const write = (): void => {
        if (response.destroyed) return;
        if (fault?.kind === 'stream_cut' || fault?.kind === 'stream_stall') {
          // A body cut mid-way: full length announced, half of it sent.
          response.writeHead(200, {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          });
          response.write(payload.slice(0, Math.floor(payload.length / 2)));
          if (fault.kind === 'stream_cut') return cutConnection(response);
          const timer = setTimeout(() => {
            timers.delete(timer);
            cutConnection(response);
          }, fault.stallMs);
          timers.add(timer);
          return;
        }
        send(response, 200, 'application/json', payload, headers);
      };
      if (generationMs <= 0) return write();
      const timer = setTimeout(() => {
        timers.delete(timer);
        write();
      }, generationMs);
      timers.add(timer);
    });
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const message = error instanceof InvalidRequest ? error.message : 'simulator internal error';
      sendJson(response, error instanceof InvalidRequest ? 413 : 500, {
        error: { message, type: 'simulator_error' },
      });
    });
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    setScenario(next) {
      scenario = toScenario(next);
    },
    reset,
    counters: () => log.counters(),
    log: () => log.records(),
    onAttempt(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
