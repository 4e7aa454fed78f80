import { describe, expect, it } from 'vitest';
import type { StreamRecovery } from '../types.ts';
import { ask, story } from './test-support/ask.ts';
import { modelsOf } from './test-support/upstream.ts';
import {
  candidates,
  eventsOf,
  fallback,
  primary,
  reply,
  startWorld,
  type World,
} from './test-support/world.ts';

/** Content chunks the primary sends before its connection drops. */
const chunksBeforeCut = 5;
/** Those chunks as the simulator cuts the reply into tokens. */
const sentBeforeCut = 'Steadfast keeps the answer ';

/** The primary's first attempt is cut after five content chunks; later attempts answer normally. */
function cutOnce(streamRecovery?: StreamRecovery): Promise<World> {
  return startWorld({
    scenario: {
      models: {
        [primary]: {
          faults: [{ fault: { kind: 'stream_cut', afterChunks: chunksBeforeCut }, attempts: [1] }],
        },
        [fallback]: {},
      },
    },
    route: {
      candidates: [candidates.primary, candidates.fallback],
      ...(streamRecovery === undefined ? {} : { streamRecovery }),
    },
  });
}

describe('a stream cut mid-answer (the connection drops after five chunks)', () => {
  describe("streamRecovery 'continue' (the default)", () => {
    it('gives the consumer exactly the answer a whole chat() of the same model gives', async () => {
      const world = await cutOnce();

      const streamed = await ask(world, 'stream');
      const whole = await ask(world, 'chat');

      expect(streamed.error).toBeUndefined();
      expect(streamed.text).toBe(whole.text);
      expect(streamed.text).toBe(reply);
      expect(streamed.events.filter((event) => event.type === 'start')).toHaveLength(1);
      expect(streamed.events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
    });

    it('asks the cut model to continue, and the report shows the continuation', async () => {
      const world = await cutOnce();

      const outcome = await ask(world, 'stream');

      expect(outcome.upstream).toMatchObject([
        { model: primary, outcome: 'stream_cut' },
        { model: primary, outcome: 'ok' },
      ]);
      expect(story(outcome.report)).toEqual([
        `${candidates.primary} stream_interrupted`,
        `${candidates.primary} ok (continuation)`,
      ]);
      expect(eventsOf(world, 'stream-recovery')).toMatchObject([
        { action: 'continue', model: primary, sentChars: sentBeforeCut.length },
      ]);
    });
  });

  describe("streamRecovery 'fail'", () => {
    it('ends the stream with a typed error event after the partial text, and asks nobody else', async () => {
      const world = await cutOnce('fail');

      const outcome = await ask(world, 'stream');

      expect(outcome.events.map((event) => event.type)).toEqual([
        'start',
        ...Array(chunksBeforeCut).fill('text-delta'),
        'error',
      ]);
      expect(outcome.text).toBe(sentBeforeCut);
      expect(outcome.error).toMatchObject({ kind: 'stream_interrupted', provider: 'openai', model: primary });
      expect(modelsOf(outcome.upstream)).toEqual([primary]);
      expect(story(outcome.report)).toEqual([`${candidates.primary} stream_interrupted`]);
    });
  });

  describe("streamRecovery 'buffer'", () => {
    it('shows the consumer only the complete answer of the retry, no partial text before it', async () => {
      const world = await cutOnce('buffer');

      const outcome = await ask(world, 'stream');

      expect(outcome.error).toBeUndefined();
      // The cut attempt's five chunks were held back: the text is the answer once, not a prefix and then the answer.
      expect(outcome.text).toBe(reply);
      expect(outcome.events.filter((event) => event.type === 'start')).toHaveLength(1);
      expect(outcome.upstream).toMatchObject([
        { model: primary, outcome: 'stream_cut' },
        { model: primary, outcome: 'ok' },
      ]);
      // A retry of the whole request, not a continuation.
      expect(story(outcome.report)).toEqual([
        `${candidates.primary} stream_interrupted`,
        `${candidates.primary} ok`,
      ]);
      expect(eventsOf(world, 'stream-recovery')).toEqual([]);
    });
  });

  describe('chat() (the simulator cuts the JSON body half-way)', () => {
    it('retries the cut body invisibly and answers whole', async () => {
      const world = await cutOnce();

      const outcome = await ask(world, 'chat');

      expect(outcome.error).toBeUndefined();
      expect(outcome.text).toBe(reply);
      expect(outcome.upstream).toMatchObject([
        { model: primary, outcome: 'stream_cut' },
        { model: primary, outcome: 'ok' },
      ]);
      expect(story(outcome.report)).toEqual([
        `${candidates.primary} stream_interrupted`,
        `${candidates.primary} ok`,
      ]);
    });
  });
});
