import { breakerOpenDefaults, lastOptionDefaults } from './alert-defaults.ts';
import type { Reading, RuleEvaluator } from './alert-episodes.ts';
import { duration } from './alert-metric-rules.ts';
import { type BreakerOpenRule, checkedNumber, type LastOptionRule } from './alert-rule.ts';
import type { Labels } from './metric-family.ts';

const noReadings: readonly Reading[] = [];

// A request whose end is never seen (the listener subscribed mid-request) must not be kept forever;
// past this many in flight, the oldest is forgotten.
const maxTrackedRequests = 10_000;

/**
 * The `breaker-open` rule (see `BreakerOpenRule`): driven by breaker transitions alone. Its value is
 * 1 while open and 0 once closed; its threshold 1.
 */
export function breakerOpenEvaluator(rule: BreakerOpenRule): RuleEvaluator {
  return {
    name: rule.name ?? rule.type,
    severity: rule.severity ?? breakerOpenDefaults.severity,
    forMs: 0,
    observe(event) {
      if (event.type !== 'breaker') return noReadings;
      const labels = breakerLabels(event.key);
      if (event.to === 'open') {
        const summary = `Circuit breaker of ${event.key} opened (${event.reason})`;
        return [{ condition: 'breach', labels, value: 1, threshold: 1, summary }];
      }
      if (event.to === 'closed') {
        const summary = `Circuit breaker of ${event.key} closed (${event.reason})`;
        return [{ condition: 'clear', labels, value: 0, threshold: 1, summary }];
      }
      // Half-open, and open again after a failed probe, are the same episode.
      return noReadings;
    },
    read: () => noReadings,
  };
}

/** Breaker keys are `provider/model`; model names may hold slashes of their own (`meta-llama/…`). */
function breakerLabels(key: string): Labels {
  const slash = key.indexOf('/');
  return slash < 0
    ? { provider: key, model: '' }
    : { provider: key.slice(0, slash), model: key.slice(slash + 1) };
}

/**
 * The `last-option` rule (see `LastOptionRule`). It follows each request from `request-start` (its
 * route) through `fallback` to an `attempt-start` flagged `lastOption`; requests it did not see start
 * are not judged. Its value is 1 when it fires and 0 when it resolves; its threshold 1.
 */
export function lastOptionEvaluator(rule: LastOptionRule): RuleEvaluator {
  const name = rule.name ?? rule.type;
  const owner = `Alert rule "${name}"`;
  const quietMs = checkedNumber(owner, 'quietMs', rule.quietMs ?? lastOptionDefaults.quietMs, 'positive');
  const inFlight = new Map<string, { route: string; fellBack: boolean }>();
  /** Routes whose requests reached their last option, and when the latest did. */
  const lastReachedAt = new Map<string, number>();
  return {
    name,
    severity: rule.severity ?? lastOptionDefaults.severity,
    forMs: 0,
    observe(event, nowMs) {
      switch (event.type) {
        case 'request-start': {
          inFlight.set(event.requestId, { route: event.route, fellBack: false });
          if (inFlight.size > maxTrackedRequests) inFlight.delete(inFlight.keys().next().value as string);
          return noReadings;
        }
        case 'fallback': {
          const request = inFlight.get(event.requestId);
          if (request !== undefined) request.fellBack = true;
          return noReadings;
        }
        case 'attempt-start': {
          const request = inFlight.get(event.requestId);
          // `lastOption` is also true for the only candidate of a route: not a chain running out.
          if (!event.lastOption || request === undefined || !request.fellBack) return noReadings;
          lastReachedAt.set(request.route, nowMs);
          const summary = `Requests of route ${request.route} fall back to their last option (${event.provider}/${event.model})`;
          return [{ condition: 'breach', labels: { route: request.route }, value: 1, threshold: 1, summary }];
        }
        case 'request-end':
          inFlight.delete(event.requestId);
          return noReadings;
        default:
          return noReadings;
      }
    },
    read(nowMs) {
      const readings: Reading[] = [];
      for (const [route, reachedAt] of lastReachedAt) {
        if (nowMs - reachedAt < quietMs) continue;
        lastReachedAt.delete(route);
        const summary = `No request of route ${route} reached its last option in ${duration(quietMs)}`;
        readings.push({ condition: 'clear', labels: { route }, value: 0, threshold: 1, summary });
      }
      return readings;
    },
  };
}
