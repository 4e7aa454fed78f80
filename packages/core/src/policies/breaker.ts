import type { ErrorKind } from '../errors/kinds.ts';
import type { SteadfastError } from '../errors/steadfast-error.ts';
import type { StateStore } from '../store/state-store.ts';
import { Emitter } from '../telemetry/event.ts';
import {
  admit,
  type BreakerRecord,
  initialRecord,
  type PermitTicket,
  type RecordStep,
  settle,
  type Verdict,
} from './breaker/breaker-record.ts';
import { type ResolvedBreakerOptions, resolveBreakerOptions } from './breaker/options.ts';
import type { Clock } from './clock.ts';

/** The three states of a circuit breaker. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** Options of a circuit breaker; every field has a default. */
export interface BreakerOptions {
  /** Consecutive counted failures that open the breaker. @default 5 */
  consecutiveFailures?: number;
  /** Failure share over the window that opens the breaker. @default 0.5 */
  failureRateThreshold?: number;
  /** Sliding window of the failure rate, in ms. @default 30000 */
  windowMs?: number;
  /** Calls in the window before the rate is judged. @default 10 */
  minimumCalls?: number;
  /** First open period, in ms. @default 30000 */
  openMs?: number;
  /** Longest open period after repeated failed probes, in ms. @default 300000 */
  maxOpenMs?: number;
  /** Each failed probe multiplies the open period by this. @default 2 */
  openBackoffFactor?: number;
  /** Probes admitted at once while half-open. @default 1 */
  halfOpenProbes?: number;
  /** A probe not settled within this is counted as failed, so a hung call cannot wedge the breaker. @default 90000 */
  probeTimeoutMs?: number;
  /** A successful call slower than this, in ms, counts as a failure. Off by default. */
  slowCallMs?: number;
  /** Kinds that count as failures of the provider. @default server, bad_gateway, unavailable, overloaded, timeout, connection, stream_interrupted */
  countKinds?: readonly ErrorKind[];
}

/** Leave to make one call through a breaker; settle it exactly once. */
export interface BreakerPermit {
  /** This call is a half-open probe. */
  readonly probe: boolean;
  success(durationMs?: number): Promise<void>;
  failure(error: SteadfastError): Promise<void>;
  /** The call ended with no verdict on the provider (the caller cancelled, a client error). */
  release(): Promise<void>;
}

/** Result of asking a breaker for a call. */
export type BreakerAdmission =
  | { allowed: true; permit: BreakerPermit }
  | { allowed: false; openUntil: number };

/**
 * Why a breaker changed state: it opened on `consecutive_failures` or `failure_rate`; it went
 * half-open on `open_elapsed`; a probe closed it (`probe_succeeded`) or reopened it (`probe_failed`,
 * or `probe_timeout` when the probe was never settled).
 */
export type BreakerTransitionReason =
  | 'consecutive_failures'
  | 'failure_rate'
  | 'open_elapsed'
  | 'probe_succeeded'
  | 'probe_failed'
  | 'probe_timeout';

/** A state change, as an event. */
export interface BreakerTransition {
  key: string;
  from: BreakerState;
  to: BreakerState;
  reason: BreakerTransitionReason;
  /** When it opens, until when (epoch ms). */
  openUntil?: number;
}

/** Circuit breakers by key (`provider/model`), their state in a `StateStore`. */
export interface CircuitBreaker {
  acquire(key: string): Promise<BreakerAdmission>;
  state(key: string): Promise<BreakerState>;
  onTransition(listener: (transition: BreakerTransition) => void): () => void;
}

/** What a circuit breaker needs from outside: where its records live, and the time. */
export interface CircuitBreakerDeps {
  /** Where each key's record is kept; a shared store makes every replica see the same breakers. */
  store: StateStore;
  clock: Clock;
  /** Prefix of the store keys, one per breaker key. @default 'breaker:' */
  keyPrefix?: string;
}

// Every write is a compare-and-set, and each lost race means another writer moved the record on, so
// a few rounds settle any real contention; past this many the store is broken, not busy. Outcomes are
// then dropped (they are evidence, not orders) and acquires refused (the record was open or half-open:
// a closed breaker admits without writing).
const maxWriteAttempts = 100;

type SettleRecord = (key: string, ticket: PermitTicket, verdict: Verdict) => Promise<void>;

class StorePermit implements BreakerPermit {
  readonly probe: boolean;
  readonly #key: string;
  readonly #ticket: PermitTicket;
  readonly #acquiredAtMs: number;
  readonly #clock: Clock;
  readonly #options: ResolvedBreakerOptions;
  readonly #settle: SettleRecord;
  #settled = false;

  constructor(
    key: string,
    ticket: PermitTicket,
    clock: Clock,
    options: ResolvedBreakerOptions,
    settle: SettleRecord,
  ) {
    this.probe = ticket.probeId !== undefined;
    this.#key = key;
    this.#ticket = ticket;
    this.#clock = clock;
    this.#acquiredAtMs = clock.now();
    this.#options = options;
    this.#settle = settle;
  }

  /** @param durationMs how long the call took; by default, the time since `acquire` on the breaker's clock */
  async success(durationMs?: number): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    const elapsedMs = durationMs ?? this.#clock.now() - this.#acquiredAtMs;
    const { slowCallMs } = this.#options;
    const slow = slowCallMs !== undefined && elapsedMs > slowCallMs;
    await this.#settle(this.#key, this.#ticket, slow ? 'failure' : 'success');
  }

  /** Counts against the provider only when `error.kind` is in `countKinds`; anything else is a release. */
  async failure(error: SteadfastError): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    const counted = this.#options.countKinds.has(error.kind);
    await this.#settle(this.#key, this.#ticket, counted ? 'failure' : 'release');
  }

  async release(): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    await this.#settle(this.#key, this.#ticket, 'release');
  }
}

/**
 * Circuit breakers by key, each opened by `consecutiveFailures` counted failures in a row or by a
 * failure rate of at least `failureRateThreshold` over `windowMs` (once `minimumCalls` were seen).
 * An open breaker refuses at once and says until when; then admits `halfOpenProbes` probes, whose
 * success closes it and whose failure (or hang past `probeTimeoutMs`) reopens it for
 * `min(maxOpenMs, openMs × openBackoffFactor^failedProbes)`.
 *
 * All state lives in `deps.store`, one record per key, changed only by compare-and-set: breakers made
 * over one shared store behave as one, and concurrent acquires never admit more probes than allowed.
 * Time only moves a breaker on the next `acquire`; `state()` reports the stored state, so an open
 * breaker past `openUntil` reads `'open'` until an acquire admits its probe. Each transition is
 * emitted once, by the breaker that wrote it (listeners of one replica do not see another's).
 *
 * @throws RangeError when an option is out of range
 */
export function createCircuitBreaker(options: BreakerOptions = {}, deps: CircuitBreakerDeps): CircuitBreaker {
  const resolved = resolveBreakerOptions(options);
  const { store, clock } = deps;
  const keyPrefix = deps.keyPrefix ?? 'breaker:';
  const transitions = new Emitter<BreakerTransition>();

  /** Reads, steps and writes one record until the write wins; `undefined` when the store gave up. */
  async function update<T extends RecordStep>(
    key: string,
    step: (record: BreakerRecord, nowMs: number) => T,
  ): Promise<T | undefined> {
    const storeKey = keyPrefix + key;
    for (let attempt = 0; attempt < maxWriteAttempts; attempt++) {
      const stored = await store.get<BreakerRecord>(storeKey);
      const result = step(stored?.value ?? initialRecord, clock.now());
      if (result.next === undefined) return result;
      if (await store.compareAndSet(storeKey, stored?.version, result.next)) {
        for (const transition of result.transitions) transitions.emit({ key, ...transition });
        return result;
      }
    }
    return undefined;
  }

  async function settleRecord(key: string, ticket: PermitTicket, verdict: Verdict): Promise<void> {
    // A call released while closed changes nothing: skip the store round trip (cancels, 400s).
    if (verdict === 'release' && ticket.probeId === undefined) return;
    await update(key, (record, nowMs) => settle(record, ticket, verdict, nowMs, resolved));
  }

  return {
    async acquire(key) {
      const result = await update(key, (record, nowMs) => admit(record, nowMs, resolved));
      if (result === undefined) return { allowed: false, openUntil: clock.now() };
      const { admission } = result;
      if (!admission.allowed) return admission;
      return { allowed: true, permit: new StorePermit(key, admission.ticket, clock, resolved, settleRecord) };
    },
    async state(key) {
      const stored = await store.get<BreakerRecord>(keyPrefix + key);
      return stored?.value.state ?? 'closed';
    },
    onTransition(listener) {
      return transitions.on(listener);
    },
  };
}
