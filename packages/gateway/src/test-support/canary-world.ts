import {
  type Alert,
  type Catalog,
  type ChatRequest,
  callbackSink,
  createAlerts,
  createClient,
  createMemoryStore,
  createMetrics,
  type EngineEvent,
  instrumentOpenTelemetry,
  type Logger,
  logRequests,
  logSink,
  type RequestOptions,
  type Route,
  type StateStore,
  type SteadfastClient,
} from '@steadfast/core';
import { type ScenarioInput, type Simulator, startSimulator } from '@steadfast/simulator';
import { onTestFinished } from 'vitest';
import { recordSpans } from '../../../core/src/telemetry/test-support/spans.ts';
import { createFakeClock, type FakeClock } from '../../../core/src/test-support/fake-clock.ts';
import { createGatewayLogger } from '../logging/logger.ts';
import { prometheusText } from '../metrics/prometheus.ts';
import { type CanaryAdapter, canaryAdapters } from './canary-adapters.ts';
import { type CanaryKeyName, canaryKeys, keysIn } from './canary-keys.ts';
import { exposed } from './exposed.ts';

/** The route every canary request asks for. */
export const canaryRoute = 'assistant';

/** Time limits of the route: the clock is moved past them when an attempt is known to hang. */
export const limits = { attemptTimeoutMs: 5_000, firstTokenTimeoutMs: 1_000, idleTimeoutMs: 2_000 } as const;

/** Simulator outcomes that never answer: the attempt ends only when the client's limit passes. */
const hangingOutcomes: ReadonlySet<string> = new Set(['no_response', 'slow_first_token', 'stream_stall']);

/** One HTTP exchange an adapter had with the simulator, as its `fetch` saw it. */
export interface Exchange {
  /** The adapter whose `fetch` it went through. */
  adapter: CanaryAdapter;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  status: number | undefined;
  responseHeaders: Record<string, string>;
}

/** Where a key was found, and which. */
export interface Leak {
  where: string;
  keys: CanaryKeyName[];
}

export interface CanaryWorld {
  sim: Simulator;
  clock: FakeClock;
  client: SteadfastClient;
  exchanges: Exchange[];
  events: EngineEvent[];
  /** What the caller got: results, rejections, stream events, stream reports, thrown errors. */
  outputs: unknown[];
  /** Asks once, as `chat()` or a `stream()` read to its end, keeping whatever it gave or threw. */
  ask(mode: 'chat' | 'stream', request: ChatRequest, options?: RequestOptions): Promise<void>;
  /** Every place a key could have got to (the requests' credential headers apart), where one did. */
  leaks(): Promise<Leak[]>;
}

export interface CanaryWorldOptions {
  scenario: ScenarioInput;
  candidates: readonly CanaryAdapter[];
  route?: Omit<Route, 'candidates'>;
  catalog?: Catalog;
}

/**
 * A simulator, and a client over it with every canary adapter configured with its key, listened to by
 * everything that reports on it: metrics (scraped as Prometheus text), alerts (to a callback and a log),
 * OpenTelemetry spans (an SDK with an in-memory exporter), request logs (into memory through the core's
 * default redactor, and through the gateway's logger), an event listener, and a store that records what
 * is written to it. The adapters' `fetch` records each exchange's headers. Time is a fake clock both
 * sides share, moved by a retry's announced wait and past the limit of an attempt known to hang.
 */
export async function startCanaryWorld(options: CanaryWorldOptions): Promise<CanaryWorld> {
  const clock = createFakeClock();
  const sim = await startSimulator({ scenario: options.scenario, now: () => clock.now() });
  onTestFinished(() => sim.close());
  const exchanges: Exchange[] = [];
  const writes: Array<{ key: string; value: unknown }> = [];
  const store = recordingStore(createMemoryStore({ now: () => clock.now() }), writes);
  const client = createClient({
    providers: Object.fromEntries(
      canaryAdapters.map((adapter) => [
        adapter.provider,
        adapter.create(sim.url, clock, recordingFetch(adapter, exchanges)),
      ]),
    ),
    routes: {
      [canaryRoute]: {
        ...limits,
        ...options.route,
        candidates: options.candidates.map(({ provider, model }) => ({ provider, model })),
      },
    },
    clock,
    store,
    random: () => 0.5,
    ...(options.catalog === undefined ? {} : { catalog: options.catalog }),
  });

  const events: EngineEvent[] = [];
  client.on((event) => {
    events.push(event);
    if (event.type === 'retry') queueMicrotask(() => clock.advance(event.delayMs));
  });
  sim.onAttempt((attempt) => {
    if (hangingOutcomes.has(attempt.outcome)) queueMicrotask(() => clock.advance(limits.attemptTimeoutMs));
  });

  const logged: Array<{ level: string; fields: Record<string, unknown>; msg: string }> = [];
  const memoryLogger: Logger = {
    info: (fields, msg) => logged.push({ level: 'info', fields, msg }),
    warn: (fields, msg) => logged.push({ level: 'warn', fields, msg }),
    error: (fields, msg) => logged.push({ level: 'error', fields, msg }),
  };
  const gatewayLines: string[] = [];
  const gatewayLogger = createGatewayLogger({
    secrets: Object.values(canaryKeys),
    destination: { write: (line) => gatewayLines.push(line) },
  });
  const metrics = createMetrics(client, { clock });
  const alertNotes: Alert[] = [];
  const alerts = createAlerts({
    source: client,
    metrics,
    clock,
    sinks: [callbackSink((alert) => alertNotes.push(alert)), logSink(memoryLogger)],
  });
  const spans = recordSpans();
  const stopSpans = instrumentOpenTelemetry(client, { tracer: spans.tracer, clock });
  const stopLog = logRequests(client, memoryLogger);
  const stopGatewayLog = logRequests(client, gatewayLogger);
  onTestFinished(() => {
    stopSpans();
    stopLog();
    stopGatewayLog();
    alerts.dispose();
    metrics.dispose();
  });

  const outputs: unknown[] = [];

  async function ask(mode: 'chat' | 'stream', request: ChatRequest, requestOptions?: RequestOptions) {
    try {
      if (mode === 'chat') {
        outputs.push(await client.chat(request, requestOptions));
        return;
      }
      const stream = client.stream(request, requestOptions);
      for await (const event of stream) outputs.push(event);
      outputs.push(await stream.report);
    } catch (error) {
      outputs.push(error);
    }
  }

  async function leaks(): Promise<Leak[]> {
    alertNotes.push(...alerts.evaluate());
    const surfaces: Array<[string, string]> = [];
    for (const [i, exchange] of exchanges.entries()) {
      // The one place a key belongs: its own adapter's credential header, holding exactly that.
      const { header, value } = exchange.adapter.credential;
      const { [header]: sent, ...otherHeaders } = exchange.requestHeaders;
      surfaces.push([
        `request ${i} to ${exchange.url}: its URL, body and other headers`,
        exposed([exchange.url, exchange.requestBody, otherHeaders, sent === value ? '' : sent]),
      ]);
      surfaces.push([`response ${i} headers`, exposed(exchange.responseHeaders)]);
    }
    for (const [i, output] of outputs.entries()) surfaces.push([`output ${i}`, exposed(output)]);
    for (const [i, event] of events.entries()) surfaces.push([`event ${i} (${event.type})`, exposed(event)]);
    for (const [i, line] of logged.entries()) surfaces.push([`request log line ${i}`, exposed(line)]);
    for (const [i, line] of gatewayLines.entries()) surfaces.push([`gateway log line ${i}`, line]);
    for (const [i, alert] of alertNotes.entries()) surfaces.push([`alert ${i}`, exposed(alert)]);
    for (const [i, span] of (await spans.finished()).entries()) {
      surfaces.push([
        `span ${i} (${span.name})`,
        exposed({
          name: span.name,
          attributes: span.attributes,
          events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
          status: span.status,
          links: span.links,
        }),
      ]);
    }
    surfaces.push(['the Prometheus exposition', await prometheusText(metrics)]);
    for (const [i, write] of writes.entries()) {
      surfaces.push([`store write ${i} (${write.key})`, exposed(write)]);
      // What the cache holds now, read back as a replica would read it.
      const held = await store.cacheGet(write.key, clock.now());
      if (held !== undefined) surfaces.push([`cache entry ${write.key}`, exposed(held)]);
    }
    return surfaces
      .map(([where, text]) => ({ where, keys: keysIn(text) }))
      .filter((leak) => leak.keys.length > 0);
  }

  return { sim, clock, client, exchanges, events, outputs, ask, leaks };
}

/** A `fetch` for `adapter` that keeps each exchange's URL, headers and request body in `exchanges`. */
function recordingFetch(adapter: CanaryAdapter, exchanges: Exchange[]): typeof fetch {
  return async function recordExchange(input, init) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const exchange: Exchange = {
      adapter,
      url,
      requestHeaders: Object.fromEntries(new Headers(init?.headers).entries()),
      requestBody: typeof init?.body === 'string' ? init.body : '',
      status: undefined,
      responseHeaders: {},
    };
    exchanges.push(exchange);
    const response = await fetch(input, init);
    exchange.status = response.status;
    exchange.responseHeaders = Object.fromEntries(response.headers.entries());
    return response;
  };
}

/** `inner`, with every write (records, windows, cache entries) kept in `writes`. */
function recordingStore(inner: StateStore, writes: Array<{ key: string; value: unknown }>): StateStore {
  return {
    get: (key) => inner.get(key),
    compareAndSet(key, version, value, ttlMs) {
      writes.push({ key, value });
      return inner.compareAndSet(key, version, value, ttlMs);
    },
    addToWindow(key, amount, nowMs, shape) {
      writes.push({ key, value: amount });
      return inner.addToWindow(key, amount, nowMs, shape);
    },
    readWindow: (key, nowMs, shape) => inner.readWindow(key, nowMs, shape),
    cacheGet: (key, nowMs) => inner.cacheGet(key, nowMs),
    cacheSet(key, value, nowMs, ttlMs) {
      writes.push({ key, value });
      return inner.cacheSet(key, value, nowMs, ttlMs);
    },
  };
}
