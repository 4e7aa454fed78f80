import { describe, expect, it } from 'vitest';
import { ask, story } from './test-support/ask.ts';
import { modelsOf } from './test-support/upstream.ts';
import { candidates, eventsOf, fallback, primary, reply, startWorld, third } from './test-support/world.ts';

describe('a malformed chunk (a data line that is not JSON)', () => {
  it('stream(): after the first token, is skipped and counted; the stream finishes with the whole answer', async () => {
    const world = await startWorld({
      // On every attempt: a retry would meet it again, so only skipping it can finish the answer.
      scenario: {
        models: { [primary]: { faults: [{ fault: { kind: 'malformed_chunk', afterChunks: 3 } }] } },
      },
      route: { candidates: [candidates.primary, candidates.fallback] },
    });

    const outcome = await ask(world, 'stream');

    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(reply);
    expect(outcome.events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
    expect(outcome.upstream).toMatchObject([{ model: primary, outcome: 'malformed_chunk' }]);
    expect(story(outcome.report)).toEqual([`${candidates.primary} ok`]);
    expect(eventsOf(world, 'malformed-chunk')).toMatchObject([{ model: primary, beforeFirstToken: false }]);
  });

  it('stream(): before the first token, is retried invisibly: the consumer sees one clean stream', async () => {
    const world = await startWorld({
      scenario: {
        models: {
          [primary]: { faults: [{ fault: { kind: 'malformed_chunk', afterChunks: 0 }, attempts: [1] }] },
        },
      },
      route: { candidates: [candidates.primary, candidates.fallback], retry: { baseDelayMs: 1 } },
    });

    const outcome = await ask(world, 'stream');

    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(reply);
    expect(outcome.events.filter((event) => event.type === 'start')).toHaveLength(1);
    expect(outcome.upstream).toMatchObject([
      { model: primary, outcome: 'malformed_chunk' },
      { model: primary, outcome: 'ok' },
    ]);
    expect(story(outcome.report)).toEqual([`${candidates.primary} bad_gateway`, `${candidates.primary} ok`]);
    expect(eventsOf(world, 'attempt-end')[0]?.error).toMatchObject({ code: 'malformed_chunk' });
  });

  it('chat(): a body that is not valid JSON is retried invisibly', async () => {
    const world = await startWorld({
      scenario: { models: { [primary]: { faults: [{ fault: 'malformed_chunk', attempts: [1] }] } } },
      route: { candidates: [candidates.primary, candidates.fallback], retry: { baseDelayMs: 1 } },
    });

    const outcome = await ask(world, 'chat');

    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(reply);
    expect(modelsOf(outcome.upstream)).toEqual([primary, primary]);
    expect(story(outcome.report)).toEqual([`${candidates.primary} bad_gateway`, `${candidates.primary} ok`]);
  });
});

describe('a stream without its terminating frame (missing_done)', () => {
  it.each([
    { wire: 'OpenAI, no data: [DONE]', candidate: candidates.primary, model: primary },
    { wire: 'Anthropic, no message_stop', candidate: candidates.fallback, model: fallback },
  ])(
    '$wire: still finishes cleanly, on one attempt, since the finish reason came before it',
    async ({ candidate, model }) => {
      const world = await startWorld({
        scenario: { models: { [model]: { faults: [{ fault: 'missing_done' }] } } },
        route: { candidates: [candidate] },
      });

      const outcome = await ask(world, 'stream');

      expect(outcome.error).toBeUndefined();
      expect(outcome.text).toBe(reply);
      expect(outcome.events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
      expect(outcome.upstream).toMatchObject([{ model, outcome: 'missing_done' }]);
      expect(story(outcome.report)).toEqual([`${candidate} ok`]);
    },
  );

  it('Gemini, whose last chunk carries the finish reason: the answer counts as cut, and a continuation finishes it', async () => {
    const world = await startWorld({
      scenario: { models: { [third]: { faults: [{ fault: 'missing_done', attempts: [1] }] } } },
      route: { candidates: [candidates.third] },
    });

    const outcome = await ask(world, 'stream');

    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(reply);
    expect(outcome.events.at(-1)).toMatchObject({ type: 'finish' });
    expect(story(outcome.report)).toEqual([
      `${candidates.third} stream_interrupted`,
      `${candidates.third} ok (continuation)`,
    ]);
  });

  it('chat() is unaffected: the whole body arrives as one JSON document', async () => {
    const world = await startWorld({
      scenario: { models: { [primary]: { faults: [{ fault: 'missing_done' }] } } },
      route: { candidates: [candidates.primary] },
    });

    const outcome = await ask(world, 'chat');

    expect(outcome.text).toBe(reply);
    expect(outcome.upstream).toMatchObject([{ model: primary, outcome: 'missing_done' }]);
    expect(story(outcome.report)).toEqual([`${candidates.primary} ok`]);
  });
});
