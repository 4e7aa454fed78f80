import { seededDraw } from './random.ts';
import type { SimRequest } from './request.ts';
import type { Api, Fault, FaultRule, ModelBehaviour } from './scenario.ts';
import type { ErrorCase } from './wire/types.ts';

/** What decides an attempt's fault. */
export interface AttemptFacts {
  api: Api;
  model: string;
  stream: boolean;
  /** 1-based attempt number of this model since the last reset. */
  attempt: number;
  /** Milliseconds since the simulator started or was last reset. */
  elapsedMs: number;
  seed: number;
}

function ruleApplies(rule: FaultRule, index: number, facts: AttemptFacts): boolean {
  if (rule.stream !== undefined && rule.stream !== facts.stream) return false;
  if (rule.apis !== undefined && !rule.apis.includes(facts.api)) return false;
  if (rule.attempts !== undefined && !rule.attempts.includes(facts.attempt)) return false;
  if (
    rule.window !== undefined &&
    (facts.elapsedMs < rule.window.fromMs || facts.elapsedMs >= rule.window.toMs)
  ) {
    return false;
  }
  if (rule.probability !== undefined) {
    return seededDraw(facts.seed, `${facts.model}\u0000${facts.attempt}\u0000${index}`) < rule.probability;
  }
  return true;
}

/** The fault for one attempt: the model's `sequence` first, then the first matching rule; none means ok. */
export function pickFault(behaviour: ModelBehaviour, facts: AttemptFacts): Fault | undefined {
  const sequence = behaviour.sequence;
  if (sequence !== undefined && facts.attempt <= sequence.length) {
    const step = sequence[facts.attempt - 1];
    return step === 'ok' ? undefined : step;
  }
  const rules = behaviour.faults;
  if (rules === undefined) return undefined;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i] as FaultRule;
    if (ruleApplies(rule, i, facts)) return rule.fault;
  }
  return undefined;
}

/** The error answer a fault stands for; undefined for faults that are not an error answer. */
export function errorCaseOf(
  fault: Fault,
  request: SimRequest,
  behaviour: ModelBehaviour,
): ErrorCase | undefined {
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
