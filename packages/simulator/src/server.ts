import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildAnswer } from './answer.ts';
import { AttemptLog, type AttemptRecord, type ModelCounters } from './attempt-log.ts';
import { writeBody } from './body-writer.ts';
import type { SimulatorState } from './control.ts';
import { errorCaseOf, pickFault } from './faults.ts';
import { RateWindows } from './rate-window.ts';
import { InvalidRequest, type SimRequest } from './request.ts';
import { handle, type Route } from './routes.ts';
import { modelBehaviour, parseScenario, type Scenario, type ScenarioInput } from './scenario.ts';
import { send, sendJson } from './send.ts';
import { cutConnection, type TimerSet, wasCutByServer, writeStream } from './stream-writer.ts';
import type { RateLimitState, ReplyContext, WireError } from './wire/types.ts';

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

function toScenario(input: ScenarioInput | Scenario): Scenario {
  return parseScenario(input);
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

  function reset(): void {
    log.reset();
    windows.reset();
    startedAt = now();
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
    delayed(() => writeBody(response, payload, headers, generationMs, fault, timers));
  }

  const state: SimulatorState = {
    log,
    scenario: () => scenario,
    setScenario(next) {
      scenario = next;
    },
    reset,
  };

  const server: Server = createServer((request, response) => {
    handle(request, response, state, answer).catch((error: unknown) => {
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
