import { type Catalog, createCatalog } from './catalog/catalog.ts';
import type { ObjectSchema, SchemaOutput } from './content/schema.ts';
import { type ObjectRequest, objectPreparer } from './engine/object-request.ts';
import { type ObjectStream, objectStream } from './engine/object-stream.ts';
import { runChat } from './engine/run-chat.ts';
import type { EngineDeps, ResolvedRoute, RunContext } from './engine/run-context.ts';
import { type ResilientStream, runStream } from './engine/run-stream.ts';
import type { Candidate, ChatResult, EngineEvent, Route, RoutePolicies } from './engine/types.ts';
import { type WrapOptions, wrapCall } from './engine/wrap.ts';
import { SteadfastError } from './errors/steadfast-error.ts';
import type { ChatRequest } from './neutral/request.ts';
import { createCircuitBreaker } from './policies/breaker.ts';
import { cacheKey, createResponseCache } from './policies/cache.ts';
import { type Clock, systemClock } from './policies/clock.ts';
import { Deadline } from './policies/deadline.ts';
import { timeoutDefaults } from './policies/defaults.ts';
import { createRateLimitTracker } from './policies/rate-limit-tracker.ts';
import { createRetryPolicy } from './policies/retry.ts';
import { createRetryBudget } from './policies/retry-budget.ts';
import type { ProviderAdapter } from './providers/adapter.ts';
import { createMemoryStore } from './store/memory-store.ts';
import type { StateStore } from './store/state-store.ts';
import { Emitter, type Unsubscribe } from './telemetry/event.ts';

/** Options of `createClient`. */
export interface ClientOptions {
  /** Providers by name (the names routes refer to), or adapters carrying their own names. */
  providers: Record<string, ProviderAdapter> | readonly ProviderAdapter[];
  /** Routes by alias: what callers put in `request.model`. */
  routes: Record<string, Route>;
  /** Policies every route starts from; a route's own settings win. */
  defaults?: RoutePolicies;
  /** Where breakers, budgets, learned rate limits and the cache live. @default an in-memory store */
  store?: StateStore;
  /** @default the system clock */
  clock?: Clock;
  /** Randomness for jitter. @default Math.random */
  random?: () => number;
  /** Model facts for capability and context-window matching and costs. @default createCatalog() */
  catalog?: Catalog;
}

/** Per-request options. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Tenant scope of cache entries: one tenant never gets another's cached answer. */
  tenant?: string;
}

/** A Steadfast client: requests by route, with every policy applied; events for every step. */
export interface SteadfastClient {
  /** One request, answered whole. Rejects with a `SteadfastError` (a `ChainError` when every option failed). */
  chat(request: ChatRequest, options?: RequestOptions): Promise<ChatResult>;
  /** One streamed request: neutral stream events, ending with exactly one `finish` or `error`. */
  stream(request: ChatRequest, options?: RequestOptions): ResilientStream;
  /**
   * A typed value instead of text: the answer is asked for as JSON (native structured output where
   * the model has it), extracted, repaired and validated against `schema`, asking again with the
   * errors when it does not validate. Rejects with a `SteadfastError` when no candidate produced one.
   */
  object<S extends ObjectSchema>(
    request: ObjectRequest<S>,
    options?: RequestOptions,
  ): Promise<ChatResult & { object: SchemaOutput<S> }>;
  /** A typed value, streamed: partial values while the JSON arrives, then the validated value. */
  streamObject<S extends ObjectSchema>(
    request: ObjectRequest<S>,
    options?: RequestOptions,
  ): ObjectStream<SchemaOutput<S>>;
  /** Protects any async call (an official SDK call, say) with a timeout, retries and a breaker. */
  wrap<T>(
    fn: (context: { signal: AbortSignal; attempt: number }) => Promise<T>,
    options: WrapOptions,
  ): (options?: { signal?: AbortSignal }) => Promise<T>;
  /** Subscribes to engine events; returns the unsubscribe function. */
  on(listener: (event: EngineEvent) => void): Unsubscribe;
}

function parseCandidate(route: string, entry: Candidate | string, index: number): Candidate {
  if (typeof entry !== 'string') return entry;
  const slash = entry.indexOf('/');
  if (slash <= 0 || slash === entry.length - 1) {
    throw new TypeError(
      `Route "${route}", candidate ${index}: "${entry}" must be "provider/model" (e.g. "openai/gpt-4o-mini") or { provider, model }`,
    );
  }
  return { provider: entry.slice(0, slash), model: entry.slice(slash + 1) };
}

/**
 * Creates a client over configured providers and routes. The configuration is checked here: a route
 * that names an unknown provider, or has no candidate, is refused with an error that names it.
 */
export function createClient(options: ClientOptions): SteadfastClient {
  const clock = options.clock ?? systemClock;
  const store = options.store ?? createMemoryStore({ now: () => clock.now() });
  const random = options.random ?? Math.random;
  const events = new Emitter<EngineEvent>();
  const providers = new Map<string, ProviderAdapter>(
    Array.isArray(options.providers)
      ? (options.providers as readonly ProviderAdapter[]).map((p) => [p.name, p] as const)
      : Object.entries(options.providers as Record<string, ProviderAdapter>),
  );
  const deps: EngineDeps = {
    providers,
    catalog: options.catalog ?? createCatalog(),
    clock,
    events,
    rateLimits: createRateLimitTracker({ store, clock }),
  };

  const routes = new Map<string, ResolvedRoute>();
  for (const [name, route] of Object.entries(options.routes)) {
    if (route.candidates.length === 0) throw new TypeError(`Route "${name}" has no candidates`);
    const candidates = route.candidates.map((entry, i) => parseCandidate(name, entry, i));
    for (const [i, candidate] of candidates.entries()) {
      if (!providers.has(candidate.provider)) {
        throw new TypeError(
          `Route "${name}", candidate ${i}: provider "${candidate.provider}" is not configured (known: ${[...providers.keys()].join(', ') || 'none'})`,
        );
      }
    }
    const policies: RoutePolicies = { ...options.defaults, ...route };
    const breaker =
      policies.breaker === false ? undefined : createCircuitBreaker(policies.breaker ?? {}, { store, clock });
    breaker?.onTransition((transition) => events.emit({ type: 'breaker', ...transition }));
    routes.set(name, {
      name,
      candidates,
      policies,
      retry: policies.retry === false ? undefined : createRetryPolicy(policies.retry ?? {}, random),
      budget:
        policies.retryBudget === false
          ? undefined
          : createRetryBudget(policies.retryBudget, { store, clock }),
      breaker,
      cache:
        policies.cache === false || policies.cache === undefined
          ? undefined
          : createResponseCache(policies.cache, { store, clock }),
    });
  }

  let sequence = 0;
  function context(
    request: ChatRequest,
    requestOptions: RequestOptions | undefined,
    stream: boolean,
  ): RunContext {
    const route = routes.get(request.model);
    if (route === undefined) {
      throw new SteadfastError(
        'bad_request',
        `Unknown route "${request.model}": request.model must name a route (known: ${[...routes.keys()].join(', ')})`,
        { code: 'unknown_route' },
      );
    }
    const requestId = `sf_${clock.now().toString(36)}_${(++sequence).toString(36)}`;
    if (events.active) events.emit({ type: 'request-start', requestId, route: route.name, stream });
    return {
      requestId,
      route,
      request,
      deps,
      deadline: new Deadline(route.policies.deadlineMs ?? timeoutDefaults.deadlineMs, clock),
      signal: requestOptions?.signal,
      startedAt: clock.now(),
      attempts: [],
      errors: [],
      failed: new Set(),
      failedProviders: new Set(),
      claimed: new Set(),
      tooLargeFor: undefined,
      tooLargeModels: new Set(),
      skips: new Set(),
    };
  }

  async function keyFor(
    ctx: RunContext,
    tenant: string | undefined,
    request: ChatRequest = ctx.request,
  ): Promise<string | undefined> {
    if (ctx.route.cache === undefined) return undefined;
    return cacheKey(
      request,
      tenant === undefined ? { route: ctx.route.name } : { route: ctx.route.name, tenant },
    );
  }

  return {
    async chat(request, requestOptions) {
      const ctx = context(request, requestOptions, false);
      return (await runChat(ctx, await keyFor(ctx, requestOptions?.tenant))).result;
    },
    stream(request, requestOptions) {
      const ctx = context(request, requestOptions, true);
      return runStream(ctx, () => keyFor(ctx, requestOptions?.tenant));
    },
    async object(request, requestOptions) {
      const { base, prepare, keyRequest } = objectPreparer(request, deps);
      const ctx = context(base, requestOptions, false);
      const { result, value } = await runChat(ctx, await keyFor(ctx, requestOptions?.tenant, keyRequest), {
        schema: request.schema,
        prepare,
      });
      return { ...result, object: value as SchemaOutput<typeof request.schema> };
    },
    streamObject(request, requestOptions) {
      const { base, prepare, keyRequest } = objectPreparer(request, deps);
      const ctx = context(base, requestOptions, true);
      return objectStream(
        runStream(ctx, () => keyFor(ctx, requestOptions?.tenant, keyRequest), prepare),
        request.schema as ObjectSchema<SchemaOutput<typeof request.schema>>,
        { acceptTruncated: ctx.route.policies.content?.truncation === 'accept' },
      );
    },
    wrap(fn, wrapOptions) {
      return wrapCall(fn, wrapOptions, { store, clock, random, events });
    },
    on: (listener) => events.on(listener),
  };
}
