import { describe, expect, it } from 'vitest';
import { AttemptLog, type AttemptRecord } from './attempt-log.ts';

function attempt(log: AttemptLog, model: string, outcome = 'ok'): AttemptRecord {
  const record: AttemptRecord = {
    seq: log.nextSeq(),
    api: 'openai',
    model,
    stream: false,
    attempt: log.countAttempt(model),
    outcome,
    status: outcome === 'ok' ? 200 : 500,
    requestId: 'req_test',
    atMs: 0,
    time: '2026-12-01T00:00:00.000Z',
    endedAtMs: undefined,
    clientClosed: false,
  };
  log.add(record);
  return record;
}

describe('AttemptLog', () => {
  it('numbers arrivals and attempts per model from 1', () => {
    const log = new AttemptLog(10);
    const records = [attempt(log, 'a'), attempt(log, 'b'), attempt(log, 'a')];
    expect(records.map((record) => [record.seq, record.model, record.attempt])).toEqual([
      [1, 'a', 1],
      [2, 'b', 1],
      [3, 'a', 2],
    ]);
  });

  it.each([
    [3, 2, [1, 2]],
    [3, 3, [1, 2, 3]],
    [3, 4, [2, 3, 4]],
    [3, 10, [8, 9, 10]],
    [1, 5, [5]],
    [0, 5, []],
  ])('with limit %i after %i attempts keeps %j, oldest first', (limit, count, kept) => {
    const log = new AttemptLog(limit);
    for (let i = 0; i < count; i++) attempt(log, 'a');
    expect(log.records().map((record) => record.seq)).toEqual(kept);
  });

  it('counts every outcome, also of attempts the log no longer keeps', () => {
    const log = new AttemptLog(2);
    attempt(log, 'a', 'server_error');
    attempt(log, 'a');
    attempt(log, 'a');
    attempt(log, 'b', 'rate_limit');
    expect(log.counters()).toEqual({
      a: { attempts: 3, outcomes: { server_error: 1, ok: 2 } },
      b: { attempts: 1, outcomes: { rate_limit: 1 } },
    });
  });

  it('hands out copies: changing them does not change the log', () => {
    const log = new AttemptLog(5);
    attempt(log, 'a');
    log.records().pop();
    const counters = log.counters();
    if (counters.a !== undefined) counters.a.outcomes.ok = 99;
    expect(log.records()).toHaveLength(1);
    expect(log.counters().a?.outcomes.ok).toBe(1);
  });

  it('starts over on reset: no records, no counters, numbers from 1', () => {
    const log = new AttemptLog(2);
    for (let i = 0; i < 5; i++) attempt(log, 'a');
    log.reset();
    expect(log.records()).toEqual([]);
    expect(log.counters()).toEqual({});
    const next = attempt(log, 'a');
    expect([next.seq, next.attempt]).toEqual([1, 1]);
    attempt(log, 'a');
    attempt(log, 'a');
    expect(log.records().map((record) => record.seq)).toEqual([2, 3]);
  });
});
