import { afterEach, describe, expect, it } from 'vitest';
import { type AttemptFacts, pickFault } from './faults.ts';
import { type ModelBehaviour, parseScenario, type ScenarioInput } from './scenario.ts';
import { type Simulator, startSimulator } from './server.ts';
import { postJson, readAll } from './test-support/sse.ts';

type ModelInput = NonNullable<ScenarioInput['models']>[string];

/** A model's behaviour as the simulator sees it after validation. */
function behaviourOf(model: ModelInput): ModelBehaviour {
  const behaviour = parseScenario({ models: { gpt: model } }).models.gpt;
  if (behaviour === undefined) throw new Error('the model vanished in validation');
  return behaviour;
}

const baseFacts: AttemptFacts = {
  api: 'openai',
  model: 'gpt',
  stream: false,
  attempt: 1,
  elapsedMs: 0,
  seed: 1,
};

/** The fault kind picked for the attempt, or 'ok'. */
function outcome(behaviour: ModelBehaviour, facts: Partial<AttemptFacts> = {}): string {
  return pickFault(behaviour, { ...baseFacts, ...facts })?.kind ?? 'ok';
}

/** Outcomes of attempts 1..count. */
function outcomes(behaviour: ModelBehaviour, count: number, facts: Partial<AttemptFacts> = {}): string[] {
  return Array.from({ length: count }, (_, i) => outcome(behaviour, { ...facts, attempt: i + 1 }));
}

describe('pickFault: sequence', () => {
  it('gives the fault at the attempt number, ok for `ok` and for attempts past the end', () => {
    const behaviour = behaviourOf({ sequence: ['server_error', 'ok', 'rate_limit'] });
    expect(outcomes(behaviour, 5)).toEqual(['server_error', 'ok', 'rate_limit', 'ok', 'ok']);
  });

  it('keeps the parameters of a fault in the sequence', () => {
    const behaviour = behaviourOf({ sequence: [{ kind: 'rate_limit', retryAfterSeconds: 2 }] });
    expect(pickFault(behaviour, baseFacts)).toEqual({ kind: 'rate_limit', retryAfterSeconds: 2 });
  });

  it('decides the attempts it covers, rules only the ones after it', () => {
    const behaviour = behaviourOf({ sequence: ['ok', 'auth'], faults: [{ fault: 'server_error' }] });
    expect(outcomes(behaviour, 4)).toEqual(['ok', 'auth', 'server_error', 'server_error']);
  });

  it('answers every attempt normally when the model has neither a sequence nor rules', () => {
    expect(outcomes(behaviourOf({}), 3)).toEqual(['ok', 'ok', 'ok']);
  });
});

describe('pickFault: rule conditions', () => {
  it('applies a rule without conditions to every attempt', () => {
    expect(outcomes(behaviourOf({ faults: [{ fault: 'quota' }] }), 3)).toEqual(['quota', 'quota', 'quota']);
  });

  it('applies `attempts` only to the attempt numbers listed', () => {
    const behaviour = behaviourOf({ faults: [{ fault: 'server_error', attempts: [2, 4] }] });
    expect(outcomes(behaviour, 5)).toEqual(['ok', 'server_error', 'ok', 'server_error', 'ok']);
  });

  it.each([
    [999, 'ok'],
    [1000, 'unavailable'],
    [1999, 'unavailable'],
    [2000, 'ok'],
  ])('applies a window of 1000..2000 ms at %i ms: %s', (elapsedMs, expected) => {
    const behaviour = behaviourOf({
      faults: [{ fault: 'unavailable', window: { fromMs: 1000, toMs: 2000 } }],
    });
    expect(outcome(behaviour, { elapsedMs })).toBe(expected);
  });

  it.each([
    [true, 'stream_cut'],
    [false, 'ok'],
  ])('applies `stream: true` only to streams (stream %s: %s)', (stream, expected) => {
    const behaviour = behaviourOf({ faults: [{ fault: 'stream_cut', stream: true }] });
    expect(outcome(behaviour, { stream })).toBe(expected);
  });

  it('applies `stream: false` only to non-streaming requests', () => {
    const behaviour = behaviourOf({ faults: [{ fault: 'server_error', stream: false }] });
    expect([outcome(behaviour, { stream: false }), outcome(behaviour, { stream: true })]).toEqual([
      'server_error',
      'ok',
    ]);
  });

  it.each([
    ['openai', 'overloaded'],
    ['anthropic', 'overloaded'],
    ['azure', 'ok'],
    ['gemini', 'ok'],
  ] as const)('applies `apis: [openai, anthropic]` by wire format (%s: %s)', (api, expected) => {
    const behaviour = behaviourOf({ faults: [{ fault: 'overloaded', apis: ['openai', 'anthropic'] }] });
    expect(outcome(behaviour, { api })).toBe(expected);
  });

  it('applies a rule only when all of its conditions hold', () => {
    const behaviour = behaviourOf({
      faults: [{ fault: 'server_error', attempts: [1], stream: true, apis: ['gemini'] }],
    });
    expect([
      outcome(behaviour, { attempt: 1, stream: true, api: 'gemini' }),
      outcome(behaviour, { attempt: 2, stream: true, api: 'gemini' }),
      outcome(behaviour, { attempt: 1, stream: false, api: 'gemini' }),
      outcome(behaviour, { attempt: 1, stream: true, api: 'openai' }),
    ]).toEqual(['server_error', 'ok', 'ok', 'ok']);
  });

  it('takes the first rule that applies', () => {
    const behaviour = behaviourOf({
      faults: [
        { fault: 'rate_limit', attempts: [2] },
        { fault: 'server_error', attempts: [2, 3] },
        { fault: 'bad_gateway' },
      ],
    });
    expect(outcomes(behaviour, 4)).toEqual(['bad_gateway', 'rate_limit', 'server_error', 'bad_gateway']);
  });

  it('never applies probability 0 and always applies probability 1', () => {
    expect(outcomes(behaviourOf({ faults: [{ fault: 'auth', probability: 0 }] }), 100)).not.toContain('auth');
    expect(new Set(outcomes(behaviourOf({ faults: [{ fault: 'auth', probability: 1 }] }), 100))).toEqual(
      new Set(['auth']),
    );
  });
});

describe('pickFault: seeded probability', () => {
  const behaviour = behaviourOf({
    faults: [
      { fault: 'server_error', probability: 0.3 },
      { fault: 'rate_limit', probability: 0.2 },
    ],
  });

  it('gives the same outcomes for the same seed every time', () => {
    const first = outcomes(behaviour, 200, { seed: 42 });
    const second = outcomes(behaviour, 200, { seed: 42 });
    expect(second).toEqual(first);
    // Both rules fire somewhere, and some attempts pass: the sequence is not trivially constant.
    expect(new Set(first)).toEqual(new Set(['ok', 'server_error', 'rate_limit']));
  });

  it('gives a different sequence for a different seed', () => {
    expect(outcomes(behaviour, 200, { seed: 43 })).not.toEqual(outcomes(behaviour, 200, { seed: 42 }));
  });

  it('does not depend on the order in which attempts are decided', () => {
    const forwards = outcomes(behaviour, 50, { seed: 5 });
    const backwards = Array.from({ length: 50 }, (_, i) => outcome(behaviour, { seed: 5, attempt: 50 - i }));
    expect(backwards.reverse()).toEqual(forwards);
  });

  it.each([1, 2, 42, 2026])('fires at about the given rate (p = 0.3 over 1000 attempts, seed %i)', (seed) => {
    const single = behaviourOf({ faults: [{ fault: 'server_error', probability: 0.3 }] });
    const hits = outcomes(single, 1000, { seed }).filter((kind) => kind === 'server_error').length;
    expect(hits).toBeGreaterThanOrEqual(200);
    expect(hits).toBeLessThanOrEqual(400);
  });
});

describe('seeded replay through the server', () => {
  const scenario: ScenarioInput = {
    seed: 2026,
    models: {
      'gpt-4o-mini': {
        replyTokens: 3,
        faults: [
          { fault: 'server_error', probability: 0.25 },
          { fault: { kind: 'rate_limit', retryAfterSeconds: 1 }, probability: 0.2 },
          { fault: 'overloaded', probability: 0.1 },
        ],
      },
    },
  };
  const simulators: Simulator[] = [];
  afterEach(async () => {
    await Promise.all(simulators.splice(0).map((sim) => sim.close()));
  });

  async function started(): Promise<Simulator> {
    const sim = await startSimulator({ scenario });
    simulators.push(sim);
    return sim;
  }

  /** Sends `count` requests one after the other and returns the logged outcomes. */
  async function run(sim: Simulator, count: number): Promise<string[]> {
    for (let i = 0; i < count; i++) {
      const response = await postJson(`${sim.url}/v1/chat/completions`, {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `request ${i}` }],
      });
      await readAll(response);
    }
    return sim.log().map((entry) => entry.outcome);
  }

  it('repeats the same outcomes after reset()', async () => {
    const sim = await started();
    const first = await run(sim, 50);
    expect(first).toHaveLength(50);
    expect(new Set(first)).toEqual(new Set(['ok', 'server_error', 'rate_limit', 'overloaded']));
    sim.reset();
    expect(sim.log()).toEqual([]);
    expect(await run(sim, 50)).toEqual(first);
  });

  it('repeats the same outcomes in two separately started simulators', async () => {
    const [one, two] = await Promise.all([started(), started()]);
    if (one === undefined || two === undefined) throw new Error('a simulator did not start');
    expect(await run(two, 50)).toEqual(await run(one, 50));
  });

  it('agrees with pickFault for the same seed, model and attempts', async () => {
    const sim = await started();
    const behaviour = parseScenario(scenario).models['gpt-4o-mini'];
    if (behaviour === undefined) throw new Error('the model vanished in validation');
    const expected = outcomes(behaviour, 50, { model: 'gpt-4o-mini', seed: 2026 });
    expect(await run(sim, 50)).toEqual(expected);
  });
});
