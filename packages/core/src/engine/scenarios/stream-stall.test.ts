import { describe, expect, it } from 'vitest';
import { ask, question, story, textOf } from './test-support/ask.ts';
import { readStepByStep } from './test-support/stream-reader.ts';
import { arrivalOn, modelsOf } from './test-support/upstream.ts';
import { candidates, eventsOf, fallback, forever, primary, reply, startWorld } from './test-support/world.ts';

const chunksBeforeStall = 3;
const idleTimeoutMs = 2_000;
// Shorter than the idle limit, so that a stream silent from its start is caught by this one.
const firstTokenTimeoutMs = 1_000;
const attemptTimeoutMs = 5_000;

const stallMidAnswer = {
  fault: { kind: 'stream_stall' as const, afterChunks: chunksBeforeStall, stallMs: forever },
};

/**
 * A stream that falls silent, on the fake clock both sides share: the consumer reads the chunks that
 * came, and once the client has them (its idle limit is armed from the last one), the test moves the
 * clock past the limit while the consumer waits for more.
 */
describe('a stream that stalls mid-answer', () => {
  it('is ended at the idle limit and continued by the same model: the consumer gets the whole answer once', async () => {
    const world = await startWorld({
      scenario: { models: { [primary]: { faults: [{ ...stallMidAnswer, attempts: [1] }] }, [fallback]: {} } },
      route: { candidates: [candidates.primary, candidates.fallback], idleTimeoutMs, firstTokenTimeoutMs },
    });
    const reader = readStepByStep(world.client.stream(question()));

    await reader.readTextDeltas(chunksBeforeStall);
    const rest = reader.readRest();
    world.clock.advance(idleTimeoutMs);
    await rest;

    expect(textOf(reader.events)).toBe(reply);
    expect(reader.events.at(-1)).toMatchObject({ type: 'finish' });
    expect(world.sim.log()).toMatchObject([
      { model: primary, outcome: 'stream_stall' },
      { model: primary, outcome: 'ok' },
    ]);
    expect(story(await reader.report)).toEqual([
      `${candidates.primary} timeout`,
      `${candidates.primary} ok (continuation)`,
    ]);
    expect(eventsOf(world, 'attempt-end')[0]?.error).toMatchObject({ kind: 'timeout', code: 'idle' });
  });

  it('is continued on the fallback when the same model falls silent again before its first token', async () => {
    const world = await startWorld({
      scenario: {
        models: {
          [primary]: {
            faults: [
              { ...stallMidAnswer, attempts: [1] },
              { fault: { kind: 'stream_stall', afterChunks: 0, stallMs: forever } },
            ],
          },
          [fallback]: {},
        },
      },
      route: { candidates: [candidates.primary, candidates.fallback], idleTimeoutMs, firstTokenTimeoutMs },
    });
    const reader = readStepByStep(world.client.stream(question()));

    await reader.readTextDeltas(chunksBeforeStall);
    const rest = reader.readRest();
    const continuationOnPrimary = arrivalOn(world.sim, primary, 2);
    world.clock.advance(idleTimeoutMs);
    await continuationOnPrimary;
    world.clock.advance(firstTokenTimeoutMs);
    await rest;

    expect(textOf(reader.events)).toBe(reply);
    expect(reader.events.at(-1)).toMatchObject({ type: 'finish' });
    expect(modelsOf(world.sim.log())).toEqual([primary, primary, fallback]);
    expect(story(await reader.report)).toEqual([
      `${candidates.primary} timeout`,
      `${candidates.primary} timeout (continuation)`,
      `${candidates.fallback} ok (continuation)`,
    ]);
    // A model that never sent its first token is not asked again (timeouts before an answer are not retried).
    expect(eventsOf(world, 'attempt-end').map((event) => event.error?.code)).toEqual([
      'idle',
      'first_token',
      undefined,
    ]);
  });
});

describe('chat() of a body that stalls half-way', () => {
  it('ends at the attempt limit, is not retried, and the fallback answers', async () => {
    const world = await startWorld({
      scenario: { models: { [primary]: { faults: [stallMidAnswer] }, [fallback]: {} } },
      route: { candidates: [candidates.primary, candidates.fallback], attemptTimeoutMs, idleTimeoutMs },
    });

    const arrived = arrivalOn(world.sim, primary);
    const answering = ask(world, 'chat');
    await arrived;
    world.clock.advance(attemptTimeoutMs);
    const outcome = await answering;

    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(reply);
    expect(outcome.upstream).toMatchObject([
      { model: primary, outcome: 'stream_stall' },
      { model: fallback, outcome: 'ok' },
    ]);
    expect(story(outcome.report)).toEqual([`${candidates.primary} timeout`, `${candidates.fallback} ok`]);
  });
});
