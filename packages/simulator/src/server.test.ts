import { afterEach, describe, expect, it } from 'vitest';
import type { AttemptRecord } from './attempt-log.ts';
import type { ScenarioInput } from './scenario.ts';
import { type Simulator, type SimulatorOptions, startSimulator } from './server.ts';
import { postJson, readAll } from './test-support/sse.ts';

const simulators: Simulator[] = [];
afterEach(async () => {
  await Promise.all(simulators.splice(0).map((sim) => sim.close()));
});

async function started(options: SimulatorOptions): Promise<Simulator> {
  const sim = await startSimulator(options);
  simulators.push(sim);
  return sim;
}

/** A clock the test moves by hand. */
function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let nowMs = Date.UTC(2026, 11, 1, 9, 0, 0);
  return {
    now: () => nowMs,
    advance: (ms) => {
      nowMs += ms;
    },
  };
}

/** Sends one OpenAI chat completion and reads the whole answer. */
async function chat(
  sim: Simulator,
  model = 'gpt-4o-mini',
): Promise<{ status: number; headers: Headers; body: string }> {
  const response = await postJson(`${sim.url}/v1/chat/completions`, {
    model,
    messages: [{ role: 'user', content: 'Hello' }],
  });
  return { status: response.status, headers: response.headers, body: (await readAll(response)).text };
}

describe('time windows on the injected clock', () => {
  const scenario: ScenarioInput = {
    models: { 'gpt-4o-mini': { faults: [{ fault: 'unavailable', window: { fromMs: 1000, toMs: 2000 } }] } },
  };

  it('applies a window fault from fromMs (inclusive) to toMs (exclusive) after start', async () => {
    const clock = fakeClock();
    const sim = await started({ scenario, now: clock.now });
    const statuses: number[] = [];
    for (const stepMs of [0, 999, 1, 999, 1]) {
      clock.advance(stepMs);
      statuses.push((await chat(sim)).status);
    }
    expect(statuses).toEqual([200, 200, 503, 503, 200]);
    expect(sim.log().map((entry) => entry.atMs)).toEqual([0, 999, 1000, 1999, 2000]);
  });

  it('restarts the window clock on reset()', async () => {
    const clock = fakeClock();
    const sim = await started({ scenario, now: clock.now });
    clock.advance(5000);
    expect((await chat(sim)).status).toBe(200);
    sim.reset();
    expect((await chat(sim)).status).toBe(200);
    clock.advance(1500);
    expect((await chat(sim)).status).toBe(503);
    expect(sim.log().map((entry) => entry.atMs)).toEqual([0, 1500]);
  });
});

describe('GET /v1/models and /v1beta/models', () => {
  const scenario: ScenarioInput = { models: { 'gpt-4o-mini': {}, 'claude-haiku-4-5': {}, '*': {} } };

  it('lists the scenario models (not "*") in the OpenAI shape', async () => {
    const sim = await started({ scenario });
    const response = await fetch(`${sim.url}/v1/models`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      object: 'list',
      data: [
        { id: 'gpt-4o-mini', object: 'model', created: expect.any(Number), owned_by: expect.any(String) },
        {
          id: 'claude-haiku-4-5',
          object: 'model',
          created: expect.any(Number),
          owned_by: expect.any(String),
        },
      ],
    });
  });

  it('lists them in the Anthropic shape when an anthropic-version header is sent', async () => {
    const sim = await started({ scenario });
    const response = await fetch(`${sim.url}/v1/models`, { headers: { 'anthropic-version': '2023-06-01' } });
    expect(await response.json()).toEqual({
      data: [
        {
          type: 'model',
          id: 'gpt-4o-mini',
          display_name: 'gpt-4o-mini',
          created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
        {
          type: 'model',
          id: 'claude-haiku-4-5',
          display_name: 'claude-haiku-4-5',
          created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      ],
      has_more: false,
      first_id: 'gpt-4o-mini',
      last_id: 'claude-haiku-4-5',
    });
  });

  it('lists them in the Gemini shape under /v1beta/models', async () => {
    const sim = await started({ scenario });
    const response = await fetch(`${sim.url}/v1beta/models`);
    expect(await response.json()).toEqual({
      models: [
        expect.objectContaining({ name: 'models/gpt-4o-mini', displayName: 'gpt-4o-mini' }),
        expect.objectContaining({ name: 'models/claude-haiku-4-5', displayName: 'claude-haiku-4-5' }),
      ],
    });
  });
});

describe('rateLimit', () => {
  it('answers requests beyond requestsPerMinute with 429 and retry-after until the minute is over', async () => {
    const clock = fakeClock();
    const sim = await started({
      scenario: { models: { 'gpt-4o-mini': { rateLimit: { requestsPerMinute: 2 } } } },
      now: clock.now,
    });
    const first = await chat(sim);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');

    clock.advance(10_000);
    const second = await chat(sim);
    expect(second.status).toBe(200);
    expect(second.headers.get('x-ratelimit-remaining-requests')).toBe('0');

    clock.advance(10_000);
    const third = await chat(sim);
    expect(third.status).toBe(429);
    // The window opened with the first request, 20 s ago: 40 s remain.
    expect(third.headers.get('retry-after')).toBe('40');
    expect(JSON.parse(third.body)).toMatchObject({ error: { code: 'rate_limit_exceeded' } });

    clock.advance(40_000);
    const fourth = await chat(sim);
    expect(fourth.status).toBe(200);
    expect(fourth.headers.get('x-ratelimit-remaining-requests')).toBe('1');

    expect(sim.log().map((entry) => entry.outcome)).toEqual(['ok', 'ok', 'rate_limited', 'ok']);
  });

  it('enforces tokensPerMinute on the estimated prompt tokens', async () => {
    const clock = fakeClock();
    // One user message "Hello" is estimated at 6 tokens (9 characters with the role, 3 for the message).
    const sim = await started({
      scenario: { models: { 'gpt-4o-mini': { rateLimit: { tokensPerMinute: 8 } } } },
      now: clock.now,
    });
    const first = await chat(sim);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-remaining-tokens')).toBe('2');
    expect((await chat(sim)).status).toBe(429);
    clock.advance(60_000);
    expect((await chat(sim)).status).toBe(200);
  });

  it('starts a fresh window on reset()', async () => {
    const clock = fakeClock();
    const sim = await started({
      scenario: { models: { 'gpt-4o-mini': { rateLimit: { requestsPerMinute: 1 } } } },
      now: clock.now,
    });
    expect((await chat(sim)).status).toBe(200);
    expect((await chat(sim)).status).toBe(429);
    sim.reset();
    expect((await chat(sim)).status).toBe(200);
  });
});

describe('the attempt log bound', () => {
  it('keeps only the last logLimit attempts while the counters count them all', async () => {
    const sim = await started({ scenario: { models: { 'gpt-4o-mini': {} } }, logLimit: 5 });
    for (let i = 0; i < 8; i++) await chat(sim);
    expect(sim.log().map((entry) => entry.seq)).toEqual([4, 5, 6, 7, 8]);
    expect(sim.counters()).toEqual({ 'gpt-4o-mini': { attempts: 8, outcomes: { ok: 8 } } });
  });
});

describe('onAttempt', () => {
  it('calls the listener once per attempt, with its outcome, until disposed', async () => {
    const sim = await started({
      scenario: { models: { 'gpt-4o-mini': { sequence: ['ok', 'server_error'] } } },
    });
    const seen: AttemptRecord[] = [];
    const dispose = sim.onAttempt((record) => seen.push(record));
    await chat(sim);
    await chat(sim);
    await chat(sim, 'gpt-unknown');
    expect(seen.map((record) => [record.seq, record.model, record.outcome])).toEqual([
      [1, 'gpt-4o-mini', 'ok'],
      [2, 'gpt-4o-mini', 'server_error'],
      [3, 'gpt-unknown', 'model_not_found'],
    ]);
    dispose();
    await chat(sim);
    expect(seen).toHaveLength(3);
    expect(sim.log()).toHaveLength(4);
  });
});

describe('close()', () => {
  it('resolves while a no_response request is pending, and the client sees its connection end', async () => {
    const sim = await startSimulator({
      scenario: { models: { 'gpt-4o-mini': { sequence: ['no_response'] } } },
    });
    const arrived = new Promise<AttemptRecord>((resolve) => {
      sim.onAttempt(resolve);
    });
    const pending = postJson(`${sim.url}/v1/chat/completions`, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }],
    }).then(
      (response) => response.status,
      (error: unknown) => error,
    );
    expect(await arrived).toMatchObject({ outcome: 'no_response', status: 0 });
    await sim.close();
    expect(await pending).toBeInstanceOf(TypeError);
  });

  it('frees the port', async () => {
    const sim = await startSimulator({});
    await sim.close();
    await expect(fetch(`${sim.url}/_sim/health`)).rejects.toThrow(TypeError);
  });
});
