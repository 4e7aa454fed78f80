import type { Labels } from './metric-family.ts';

/** How urgent an alert is: `critical` pages someone, `warning` waits for working hours. */
export type AlertSeverity = 'info' | 'warning' | 'critical';

/**
 * One notification: an alert started firing, or the alert that fired has resolved. Each episode of a
 * rule (per label set) produces exactly one `firing` and, later, at most one `resolved`.
 */
export interface Alert {
  /** The name of the rule. */
  readonly rule: string;
  readonly state: 'firing' | 'resolved';
  readonly severity: AlertSeverity;
  /** One line for a human: what was measured, against what. */
  readonly summary: string;
  /** What the episode is about (`{ provider, model }` of a breaker, `{ route }` of a chain, a rule's filter). */
  readonly labels: Labels;
  /** The reading that crossed the threshold (for `resolved`, the one that crossed back), in the rule's unit. */
  readonly value: number;
  /** The threshold crossed: the firing one for `firing`, the resolve one (hysteresis) for `resolved`. */
  readonly threshold: number;
  /** When the condition began to hold, the start of its `for` period (epoch ms); the same in both notifications. */
  readonly startedAt: number;
  /** When this notification was made (epoch ms). */
  readonly at: number;
}

/**
 * Where notifications go. `send` is called synchronously by the evaluator and must return at once:
 * a sink that does I/O queues the alert and delivers it on its own time.
 */
export interface AlertSink {
  send(alert: Alert): void;
  /** Stops pending work (queued deliveries, retry timers). */
  dispose?(): void;
}
