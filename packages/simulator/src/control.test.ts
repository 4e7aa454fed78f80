import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from './server.ts';
import { postJson, readAll } from './test-support/sse.ts';

let sim: Simulator;
let fakeNow: number;

beforeEach(async () => {
  fakeNow = Date.UTC(2026, 11, 1, 12, 0, 0);
  sim = await startSimulator({
    scenario: { models: { 'gpt-4o-mini': { replyTokens: 3, sequence: ['ok', 'server_error'] } } },
    now: () => fakeNow,
  });
});

afterEach(async () => {
  await sim.close();
});

/** Sends one OpenAI chat completion for `model` and reads the whole answer. */
async function chat(model = 'gpt-4o-mini'): Promise<{ status: number; body: string }> {
  const response = await postJson(`${sim.url}/v1/chat/completions`, {
    model,
    messages: [{ role: 'user', content: 'Hello' }],
  });
  return { status: response.status, body: (await readAll(response)).text };
}

async function getJson(path: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${sim.url}${path}`);
  return { status: response.status, json: await response.json() };
}

async function putScenario(text: string): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${sim.url}/_sim/scenario`, {
    method: 'PUT',
    headers: { 'content-type': 'application/yaml' },
    body: text,
  });
  return { status: response.status, json: await response.json() };
}

describe('GET /_sim/health', () => {
  it('answers ok', async () => {
    expect(await getJson('/_sim/health')).toEqual({ status: 200, json: { ok: true } });
  });
});

describe('GET /_sim/scenario', () => {
  it('returns the scenario after validation, with defaults applied and bare faults expanded', async () => {
    expect(await getJson('/_sim/scenario')).toEqual({
      status: 200,
      json: {
        seed: 1,
        models: { 'gpt-4o-mini': { replyTokens: 3, sequence: ['ok', { kind: 'server_error' }] } },
      },
    });
  });
});

describe('PUT /_sim/scenario', () => {
  it('switches behaviour from the next request on', async () => {
    const put = await putScenario('models:\n  gpt-4o-mini:\n    sequence: [overloaded]\n');
    expect(put).toEqual({
      status: 200,
      json: { seed: 1, models: { 'gpt-4o-mini': { sequence: [{ kind: 'overloaded' }] } } },
    });
    const next = await chat();
    expect(next.status).toBe(503);
    expect(JSON.parse(next.body)).toMatchObject({ error: { code: 'server_is_overloaded' } });
  });

  it('accepts JSON as well as YAML', async () => {
    const put = await putScenario('{"models": {"gpt-4o-mini": {"sequence": ["quota"]}}}');
    expect(put.status).toBe(200);
    expect((await chat()).status).toBe(429);
  });

  it('rejects a bad scenario with 400 naming the path, and keeps the old scenario in force', async () => {
    const put = await putScenario('models:\n  gpt-4o-mini:\n    faults:\n      - fault: exploded\n');
    expect(put.status).toBe(400);
    expect(put.json).toEqual({
      error: expect.stringContaining('models.gpt-4o-mini.faults.0.fault: unknown fault "exploded"'),
    });
    // The old scenario: attempt 1 ok, attempt 2 server_error.
    expect((await chat()).status).toBe(200);
    expect((await chat()).status).toBe(500);
  });

  it('keeps counters and the log across a scenario change', async () => {
    await chat();
    await putScenario('models:\n  gpt-4o-mini: {}\n');
    await chat();
    expect(sim.log().map((entry) => entry.attempt)).toEqual([1, 2]);
  });
});

describe('POST /_sim/reset', () => {
  it('zeroes counters and the log, and restarts attempt numbers', async () => {
    await chat();
    await chat();
    const response = await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
    expect({ status: response.status, json: await response.json() }).toEqual({
      status: 200,
      json: { ok: true },
    });
    expect(await getJson('/_sim/counters')).toEqual({ status: 200, json: {} });
    expect(await getJson('/_sim/log')).toEqual({ status: 200, json: { attempts: [] } });
    // Attempt numbering starts over, so the sequence replays: attempt 1 is ok again.
    expect((await chat()).status).toBe(200);
    expect(sim.log()[0]).toMatchObject({ seq: 1, attempt: 1 });
  });
});

describe('GET /_sim/counters', () => {
  it('counts attempts and outcomes per model', async () => {
    await chat();
    await chat();
    await chat();
    expect(await getJson('/_sim/counters')).toEqual({
      status: 200,
      json: { 'gpt-4o-mini': { attempts: 3, outcomes: { ok: 2, server_error: 1 } } },
    });
  });

  it('counts no attempt for a model the scenario does not know (the log still shows it)', async () => {
    await sim.close();
    sim = await startSimulator({ scenario: { models: { 'gpt-4o-mini': {} } } });
    const unknown = await chat('gpt-unknown');
    expect(unknown.status).toBe(404);
    expect(sim.counters()).toEqual({});
    expect(sim.log()).toEqual([
      expect.objectContaining({ model: 'gpt-unknown', attempt: 0, outcome: 'model_not_found', status: 404 }),
    ]);
  });
});

describe('GET /_sim/log', () => {
  it('lists each attempt with its facts, oldest first', async () => {
    await chat();
    fakeNow += 250;
    await chat();
    const { status, json } = await getJson('/_sim/log');
    expect(status).toBe(200);
    expect(json).toEqual({
      attempts: [
        {
          seq: 1,
          api: 'openai',
          model: 'gpt-4o-mini',
          stream: false,
          attempt: 1,
          outcome: 'ok',
          status: 200,
          requestId: expect.stringMatching(/^req_sim/),
          atMs: 0,
          time: '2026-12-01T12:00:00.000Z',
          endedAtMs: 0,
          clientClosed: false,
        },
        {
          seq: 2,
          api: 'openai',
          model: 'gpt-4o-mini',
          stream: false,
          attempt: 2,
          outcome: 'server_error',
          status: 500,
          requestId: expect.stringMatching(/^req_sim/),
          atMs: 250,
          time: '2026-12-01T12:00:00.250Z',
          endedAtMs: 250,
          clientClosed: false,
        },
      ],
    });
  });

  it('gives each attempt the request id its response carried', async () => {
    const response = await postJson(`${sim.url}/v1/chat/completions`, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    await readAll(response);
    expect(sim.log()[0]?.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('records a request it cannot read as `invalid`, against no attempt', async () => {
    const response = await fetch(`${sim.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model": ',
    });
    expect(response.status).toBe(400);
    await response.text();
    expect(sim.log()).toEqual([expect.objectContaining({ outcome: 'invalid', status: 400, attempt: 0 })]);
  });
});

describe('unknown paths', () => {
  it('answers an unknown control call with 404 listing the known ones', async () => {
    const { status, json } = await getJson('/_sim/nothing');
    expect(status).toBe(404);
    expect(json).toEqual({ error: expect.stringContaining('Unknown control call GET /_sim/nothing') });
    for (const known of [
      'GET /_sim/health',
      'GET|PUT /_sim/scenario',
      'POST /_sim/reset',
      'GET /_sim/counters',
      'GET /_sim/log',
    ]) {
      expect(JSON.stringify(json)).toContain(known);
    }
  });

  it('answers a control path with the wrong method with 404', async () => {
    const response = await fetch(`${sim.url}/_sim/reset`);
    expect(response.status).toBe(404);
    await response.text();
  });

  it('answers an unknown API path with 404 in the OpenAI error shape', async () => {
    const response = await postJson(`${sim.url}/v1/completions/nope`, {});
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        message: 'Invalid URL (POST /v1/completions/nope)',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
    expect(sim.log()).toEqual([]);
  });
});
