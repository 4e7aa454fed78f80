import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  faultKinds,
  loadScenarioFile,
  modelBehaviour,
  parseScenario,
  parseScenarioText,
  ScenarioError,
} from './scenario.ts';

const demoScenario = fileURLToPath(new URL('../../../examples/demo-scenario.yaml', import.meta.url));

/** The ScenarioError that `run` throws; fails the test when it throws nothing or something else. */
function scenarioError(run: () => unknown): ScenarioError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error('expected a ScenarioError, but the scenario was accepted');
}

describe('parseScenarioText', () => {
  it('reads YAML', () => {
    const scenario = parseScenarioText(
      'seed: 7\nmodels:\n  gpt-4o-mini:\n    latencyMs: 20\n    sequence: [server_error, ok]\n',
    );
    expect(scenario).toEqual({
      seed: 7,
      models: { 'gpt-4o-mini': { latencyMs: 20, sequence: [{ kind: 'server_error' }, 'ok'] } },
    });
  });

  it('reads JSON', () => {
    const scenario = parseScenarioText(
      '{"seed": 3, "models": {"claude": {"faults": [{"fault": "overloaded", "probability": 0.5}]}}}',
    );
    expect(scenario.seed).toBe(3);
    expect(scenario.models.claude?.faults).toEqual([{ fault: { kind: 'overloaded' }, probability: 0.5 }]);
  });

  it('reports text that is neither YAML nor JSON as a ScenarioError naming the source', () => {
    const error = scenarioError(() => parseScenarioText('models: [unclosed', 'broken.yaml'));
    expect(error.message).toContain('Invalid scenario broken.yaml');
    expect(error.message).toContain('not valid YAML or JSON');
  });

  it('treats empty text as the empty scenario', () => {
    expect(parseScenarioText('')).toEqual({ seed: 1, models: { '*': {} } });
  });
});

describe('parseScenario defaults', () => {
  it('gives seed 1 and a single "*" model that answers normally when nothing is set', () => {
    expect(parseScenario({})).toEqual({ seed: 1, models: { '*': {} } });
    expect(parseScenario(undefined)).toEqual({ seed: 1, models: { '*': {} } });
  });

  it('fills in fault parameters that have defaults', () => {
    const scenario = parseScenario({
      models: {
        gpt: {
          sequence: ['stream_cut', 'stream_stall', 'slow_first_token', 'refusal'],
        },
      },
    });
    expect(scenario.models.gpt?.sequence).toEqual([
      { kind: 'stream_cut', afterChunks: 2 },
      { kind: 'stream_stall', afterChunks: 2, stallMs: 30_000 },
      { kind: 'slow_first_token', delayMs: 5000 },
      { kind: 'refusal', mode: 'native' },
    ]);
  });

  it('accepts its own output again unchanged (so a validated scenario can be passed back in)', () => {
    const once = parseScenarioText(
      'models:\n  gpt:\n    sequence: [ok, { kind: rate_limit, retryAfterSeconds: 2 }]\n',
    );
    expect(parseScenario(once)).toEqual(once);
  });
});

describe('faults as written', () => {
  it('reads a bare name as a fault without parameters', () => {
    const scenario = parseScenario({ models: { gpt: { faults: [{ fault: 'server_error' }] } } });
    expect(scenario.models.gpt?.faults?.[0]?.fault).toEqual({ kind: 'server_error' });
  });

  it('reads an object as a fault with parameters', () => {
    const scenario = parseScenario({
      models: { gpt: { faults: [{ fault: { kind: 'rate_limit', retryAfterSeconds: 3 }, attempts: [1] }] } },
    });
    expect(scenario.models.gpt?.faults?.[0]).toEqual({
      fault: { kind: 'rate_limit', retryAfterSeconds: 3 },
      attempts: [1],
    });
  });

  it('reads `ok` in a sequence as no fault', () => {
    const scenario = parseScenario({ models: { gpt: { sequence: ['ok', 'reset'] } } });
    expect(scenario.models.gpt?.sequence).toEqual(['ok', { kind: 'reset' }]);
  });
});

describe('scenario validation errors', () => {
  it.each([
    ['a bare name', 'exploded'],
    ['an object', { kind: 'exploded' }],
  ])('names the path and lists the known faults for an unknown fault given as %s', (_, fault) => {
    const error = scenarioError(() => parseScenario({ models: { gpt: { faults: [{ fault }] } } }));
    expect(error.message).toContain('models.gpt.faults.0.fault: unknown fault "exploded"');
    for (const kind of faultKinds) expect(error.message).toContain(kind);
  });

  it('names the step of a sequence with an unknown fault and offers `ok` among the choices', () => {
    const error = scenarioError(() => parseScenario({ models: { gpt: { sequence: ['ok', 'boom'] } } }));
    expect(error.message).toContain(
      'models.gpt.sequence.1: unknown fault "boom"; known faults: ok, rate_limit',
    );
  });

  it('reports a bad parameter of a known fault as that parameter, not as an unknown fault', () => {
    const error = scenarioError(() =>
      parseScenario({ models: { gpt: { sequence: [{ kind: 'rate_limit', retryAfterSeconds: 'soon' }] } } }),
    );
    expect(error.message).toContain('models.gpt.sequence.0: retryAfterSeconds:');
    expect(error.message).not.toContain('unknown fault');
  });

  it.each([
    ['the root', { seed: 1, modles: {} }, '(root): Unrecognized key: "modles"'],
    ['a model', { models: { gpt: { latency: 5 } } }, 'models.gpt: Unrecognized key: "latency"'],
    [
      'a rule',
      { models: { gpt: { faults: [{ fault: 'auth', when: 'always' }] } } },
      'models.gpt.faults.0: Unrecognized key: "when"',
    ],
    [
      'a fault',
      { models: { gpt: { faults: [{ fault: { kind: 'rate_limit', retryAfter: 5 } }] } } },
      'models.gpt.faults.0.fault: Unrecognized key: "retryAfter"',
    ],
  ])('rejects an unknown key in %s, naming its path', (_, input, expected) => {
    expect(scenarioError(() => parseScenario(input)).message).toContain(expected);
  });

  it.each([-0.1, 1.5])('rejects probability %s, outside [0, 1]', (probability) => {
    const error = scenarioError(() =>
      parseScenario({ models: { gpt: { faults: [{ fault: 'server_error', probability }] } } }),
    );
    expect(error.message).toContain('models.gpt.faults.0.probability:');
  });

  it.each([0, 1])('accepts probability %s, the ends of the range', (probability) => {
    const scenario = parseScenario({ models: { gpt: { faults: [{ fault: 'server_error', probability }] } } });
    expect(scenario.models.gpt?.faults?.[0]?.probability).toBe(probability);
  });

  it('rejects a time window that ends before it starts', () => {
    const error = scenarioError(() =>
      parseScenario({
        models: { gpt: { faults: [{ fault: 'server_error', window: { fromMs: 2000, toMs: 1000 } }] } },
      }),
    );
    expect(error.message).toContain('models.gpt.faults.0.window: fromMs must be less than toMs');
  });

  it('lists every bad field, one per line', () => {
    const error = scenarioError(() =>
      parseScenario({ seed: 1.5, models: { gpt: { latencyMs: -1 } } }, 'two-errors.yaml'),
    );
    expect(error.message.split('\n')).toEqual([
      'Invalid scenario two-errors.yaml:',
      expect.stringMatching(/^ {2}- seed: /),
      expect.stringMatching(/^ {2}- models\.gpt\.latencyMs: /),
    ]);
  });
});

describe('loadScenarioFile', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'steadfast-scenario-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reads and validates a file', async () => {
    const path = join(directory, 'ok.yaml');
    await writeFile(path, 'seed: 9\nmodels:\n  gpt:\n    replyTokens: 3\n');
    expect(await loadScenarioFile(path)).toEqual({ seed: 9, models: { gpt: { replyTokens: 3 } } });
  });

  it('names the file in its validation errors', async () => {
    const path = join(directory, 'bad.yaml');
    await writeFile(path, 'models:\n  gpt:\n    faults:\n      - fault: exploded\n');
    await expect(loadScenarioFile(path)).rejects.toThrow(
      `Invalid scenario ${path}:\n  - models.gpt.faults.0.fault: unknown fault "exploded"`,
    );
  });

  it('rejects a missing file with the file-system error', async () => {
    await expect(loadScenarioFile(join(directory, 'missing.yaml'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('parses the demo scenario of the repository', async () => {
    const scenario = await loadScenarioFile(demoScenario);
    expect(scenario.seed).toBe(42);
    expect(Object.keys(scenario.models)).toContain('gpt-4o-mini');
    expect(scenario.models['gpt-4o-mini']?.sequence?.[0]).toEqual({
      kind: 'rate_limit',
      retryAfterSeconds: 1,
    });
  });
});

describe('modelBehaviour', () => {
  const scenario = parseScenario({
    defaults: { latencyMs: 40, replyTokens: 10 },
    models: { gpt: { latencyMs: 5 }, '*': { replyTokens: 2 } },
  });

  it('overlays the model entry on the defaults', () => {
    expect(modelBehaviour(scenario, 'gpt')).toEqual({ latencyMs: 5, replyTokens: 10 });
  });

  it('uses "*" for a model not named', () => {
    expect(modelBehaviour(scenario, 'other')).toEqual({ latencyMs: 40, replyTokens: 2 });
  });

  it('knows no model when neither the name nor "*" is in the scenario', () => {
    expect(modelBehaviour(parseScenario({ models: { gpt: {} } }), 'other')).toBeUndefined();
  });
});
