import type { BreakerTransition } from '../breaker.ts';
import type { ResolvedBreakerOptions } from './options.ts';
import { addOutcome, type OutcomeBucket, windowTotals } from './outcome-window.ts';

/**
 * One breaker's whole state, as stored under its key: plain JSON, so that a shared store can hold it,
 * and small, so that one compare-and-set moves it from one consistent state to the next.
 *
 * `generation` grows by one on every transition. A permit remembers the generation it was issued in
 * and only settles against that same generation: a call admitted before the breaker opened (a
 * straggler) can neither close it nor reopen it later.
 */
export type BreakerRecord = ClosedRecord | OpenRecord | HalfOpenRecord;

/** Calls flow; failures are counted. */
export interface ClosedRecord {
  state: 'closed';
  generation: number;
  /** Counted failures since the last success. */
  consecutiveFailures: number;
  /** Calls and failures over the last `windowMs`, for the failure rate. */
  window: OutcomeBucket[];
}

/** Calls are refused until `openUntil`. */
export interface OpenRecord {
  state: 'open';
  generation: number;
  /** Epoch ms. */
  openUntil: number;
  /** Probes that failed in a row since the breaker last closed: the exponent of the open period. */
  failedProbes: number;
}

/** A few probes test the provider; everything else is refused. */
export interface HalfOpenRecord {
  state: 'half-open';
  generation: number;
  failedProbes: number;
  /** Probes admitted in this generation; the next probe's id is one more. */
  probesAdmitted: number;
  /** Probes not settled yet. */
  probes: ProbeLease[];
}

/** A probe in flight, and when it is deemed hung. */
export interface ProbeLease {
  id: number;
  /** Epoch ms after which the probe counts as failed. */
  deadline: number;
}

/** The record of a breaker never seen before. */
export const initialRecord: BreakerRecord = {
  state: 'closed',
  generation: 0,
  consecutiveFailures: 0,
  window: [],
};

/** What a permit remembers of its admission. */
export interface PermitTicket {
  readonly generation: number;
  /** Set for a half-open probe. */
  readonly probeId: number | undefined;
}

/** A permit's verdict on the provider: a counted failure, a success, or no verdict. */
export type Verdict = 'success' | 'failure' | 'release';

/** A transition before it is tagged with its key. */
export type RecordTransition = Omit<BreakerTransition, 'key'>;

/** The result of a step of the state machine: the record to write (none when unchanged), and why. */
export interface RecordStep {
  next: BreakerRecord | undefined;
  transitions: RecordTransition[];
}

/** The answer to an acquire: a ticket, or a refusal with the time it may change. */
export type RecordAdmission = { allowed: true; ticket: PermitTicket } | { allowed: false; openUntil: number };

/** Open period after `failedProbes` failed probes in a row: `openMs × factor^failedProbes`, capped. */
export function openPeriodMs(failedProbes: number, options: ResolvedBreakerOptions): number {
  return Math.min(options.maxOpenMs, options.openMs * options.openBackoffFactor ** failedProbes);
}

function open(
  from: BreakerRecord,
  reason: RecordTransition['reason'],
  openUntil: number,
  failedProbes: number,
  transitions: RecordTransition[],
): OpenRecord {
  transitions.push({ from: from.state, to: 'open', reason, openUntil });
  return { state: 'open', generation: from.generation + 1, openUntil, failedProbes };
}

/** A probe past its deadline counts as failed, from its deadline on (not from whenever we notice). */
function expireHungProbes(
  record: HalfOpenRecord,
  nowMs: number,
  options: ResolvedBreakerOptions,
  transitions: RecordTransition[],
): BreakerRecord {
  let earliest = Number.POSITIVE_INFINITY;
  for (const probe of record.probes) {
    if (probe.deadline <= nowMs && probe.deadline < earliest) earliest = probe.deadline;
  }
  if (earliest === Number.POSITIVE_INFINITY) return record;
  const failedProbes = record.failedProbes + 1;
  return open(
    record,
    'probe_timeout',
    earliest + openPeriodMs(failedProbes, options),
    failedProbes,
    transitions,
  );
}

/**
 * Asks for one call at `nowMs`. Closed: allowed, nothing written. Open: refused until `openUntil`,
 * then half-open. Half-open: a probe while fewer than `halfOpenProbes` are in flight, else refused
 * until the earliest probe deadline (the latest time a slot frees up).
 */
export function admit(
  record: BreakerRecord,
  nowMs: number,
  options: ResolvedBreakerOptions,
): RecordStep & { admission: RecordAdmission } {
  const transitions: RecordTransition[] = [];
  let current = record.state === 'half-open' ? expireHungProbes(record, nowMs, options, transitions) : record;
  if (current.state === 'open') {
    if (nowMs < current.openUntil) {
      return {
        next: current === record ? undefined : current,
        transitions,
        admission: { allowed: false, openUntil: current.openUntil },
      };
    }
    transitions.push({ from: 'open', to: 'half-open', reason: 'open_elapsed' });
    current = {
      state: 'half-open',
      generation: current.generation + 1,
      failedProbes: current.failedProbes,
      probesAdmitted: 0,
      probes: [],
    };
  }
  if (current.state === 'closed') {
    return {
      next: undefined,
      transitions,
      admission: { allowed: true, ticket: { generation: current.generation, probeId: undefined } },
    };
  }
  if (current.probes.length >= options.halfOpenProbes) {
    let earliestDeadline = Number.POSITIVE_INFINITY;
    for (const probe of current.probes) earliestDeadline = Math.min(earliestDeadline, probe.deadline);
    return {
      next: current === record ? undefined : current,
      transitions,
      admission: { allowed: false, openUntil: earliestDeadline },
    };
  }
  const probeId = current.probesAdmitted + 1;
  const next: HalfOpenRecord = {
    ...current,
    probesAdmitted: probeId,
    probes: [...current.probes, { id: probeId, deadline: nowMs + options.probeTimeoutMs }],
  };
  return {
    next,
    transitions,
    admission: { allowed: true, ticket: { generation: next.generation, probeId } },
  };
}

function countCall(
  record: ClosedRecord,
  failed: boolean,
  nowMs: number,
  options: ResolvedBreakerOptions,
  transitions: RecordTransition[],
): BreakerRecord {
  const consecutiveFailures = failed ? record.consecutiveFailures + 1 : 0;
  if (consecutiveFailures >= options.consecutiveFailures) {
    return open(record, 'consecutive_failures', nowMs + openPeriodMs(0, options), 0, transitions);
  }
  const window = addOutcome(record.window, failed, nowMs, options.windowMs);
  const { calls, failures } = windowTotals(window, nowMs, options.windowMs);
  // Judged after every counted call, a success included: the rate is the rate, whichever call
  // brings the window up to `minimumCalls`.
  if (calls >= options.minimumCalls && failures / calls >= options.failureRateThreshold) {
    return open(record, 'failure_rate', nowMs + openPeriodMs(0, options), 0, transitions);
  }
  return { state: 'closed', generation: record.generation, consecutiveFailures, window };
}

/**
 * Applies a permit's verdict at `nowMs`. A permit from another generation is a straggler and changes
 * nothing; so does a probe that was already timed out.
 */
export function settle(
  record: BreakerRecord,
  ticket: PermitTicket,
  verdict: Verdict,
  nowMs: number,
  options: ResolvedBreakerOptions,
): RecordStep {
  const transitions: RecordTransition[] = [];
  if (record.generation !== ticket.generation) return { next: undefined, transitions };
  if (ticket.probeId === undefined) {
    if (record.state !== 'closed' || verdict === 'release') return { next: undefined, transitions };
    return { next: countCall(record, verdict === 'failure', nowMs, options, transitions), transitions };
  }
  if (record.state !== 'half-open') return { next: undefined, transitions };
  const probes = record.probes.filter((probe) => probe.id !== ticket.probeId);
  if (probes.length === record.probes.length) return { next: undefined, transitions };
  if (verdict === 'release') return { next: { ...record, probes }, transitions };
  if (verdict === 'failure') {
    const failedProbes = record.failedProbes + 1;
    const openUntil = nowMs + openPeriodMs(failedProbes, options);
    return { next: open(record, 'probe_failed', openUntil, failedProbes, transitions), transitions };
  }
  transitions.push({ from: 'half-open', to: 'closed', reason: 'probe_succeeded' });
  return {
    next: { state: 'closed', generation: record.generation + 1, consecutiveFailures: 0, window: [] },
    transitions,
  };
}
