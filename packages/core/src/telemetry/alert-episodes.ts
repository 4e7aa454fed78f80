import type { EngineEvent } from '../engine/types.ts';
import type { Alert, AlertSeverity } from './alert.ts';
import type { Labels } from './metric-family.ts';

/** What a rule reads for one subject (one label set) at one moment. */
export type Reading =
  /** `breach`: the firing condition holds. `clear`: the resolve condition holds. */
  | { condition: 'breach' | 'clear'; labels: Labels; value: number; threshold: number; summary: string }
  /** Between the two thresholds, or too little data to tell: firing stays firing, pending starts over. */
  | { condition: 'hold'; labels: Labels };

/** A rule compiled from its options: what it reads, and when. */
export interface RuleEvaluator {
  readonly name: string;
  readonly severity: AlertSeverity;
  /** How long a breach must last before it fires, in ms (0: at once). */
  readonly forMs: number;
  /** Readings an engine event changes at once; absent for rules that only read metrics. */
  observe?(event: EngineEvent, nowMs: number): readonly Reading[];
  /** Readings at an evaluation. */
  read(nowMs: number): readonly Reading[];
}

type Episode =
  /** Breaching since `sinceMs`, not yet for `forMs`. */
  { phase: 'pending'; sinceMs: number } | { phase: 'firing'; alert: Alert };

/**
 * The state of every episode, one per rule and label set: none → pending → firing → resolved (none).
 * Only the steps into firing and out of it make notifications, so each episode fires exactly once and
 * resolves exactly once, however its readings flap in between.
 */
export class Episodes {
  readonly #episodes = new Map<string, Episode>();

  /** Moves the episode of `reading` on; returns the notification that makes, if any. */
  step(rule: RuleEvaluator, reading: Reading, nowMs: number): Alert | undefined {
    const key = `${rule.name}\u0000${labelsKey(reading.labels)}`;
    const episode = this.#episodes.get(key);
    if (reading.condition === 'hold') {
      // Prometheus semantics: a `for` period needs the condition to hold at every evaluation in it.
      if (episode?.phase === 'pending') this.#episodes.delete(key);
      return undefined;
    }
    if (reading.condition === 'clear') {
      this.#episodes.delete(key);
      if (episode?.phase !== 'firing') return undefined;
      return notification(rule, reading, 'resolved', episode.alert.startedAt, nowMs);
    }
    if (episode?.phase === 'firing') return undefined;
    const sinceMs = episode?.sinceMs ?? nowMs;
    if (nowMs - sinceMs < rule.forMs) {
      if (episode === undefined) this.#episodes.set(key, { phase: 'pending', sinceMs });
      return undefined;
    }
    const alert = notification(rule, reading, 'firing', sinceMs, nowMs);
    this.#episodes.set(key, { phase: 'firing', alert });
    return alert;
  }

  /** The firing notifications of the episodes firing now, oldest first. */
  firing(): Alert[] {
    const alerts: Alert[] = [];
    for (const episode of this.#episodes.values()) if (episode.phase === 'firing') alerts.push(episode.alert);
    return alerts.sort((a, b) => a.at - b.at);
  }
}

function notification(
  rule: RuleEvaluator,
  reading: Extract<Reading, { condition: 'breach' | 'clear' }>,
  state: Alert['state'],
  startedAt: number,
  at: number,
): Alert {
  return {
    rule: rule.name,
    state,
    severity: rule.severity,
    summary: reading.summary,
    labels: reading.labels,
    value: reading.value,
    threshold: reading.threshold,
    startedAt,
    at,
  };
}

/** The same label set in any key order gives the same key. */
function labelsKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
