import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../test-support/fake-clock.ts';
import type { Alert } from './alert.ts';
import {
  type WebhookEvent,
  type WebhookSink,
  type WebhookSinkOptions,
  webhookSink,
} from './alert-webhook.ts';
import type { Logger } from './logger.ts';
import {
  type ReceiverAnswer,
  startWebhookReceiver,
  type WebhookReceiver,
} from './test-support/webhook-receiver.ts';

function alert(rule: string, summary = 'Circuit breaker of p1/alpha opened (consecutive_failures)'): Alert {
  return {
    rule,
    state: 'firing',
    severity: 'warning',
    summary,
    labels: { provider: 'p1', model: 'alpha' },
    value: 1,
    threshold: 1,
    startedAt: 1_767_225_600_000,
    at: 1_767_225_600_000,
  };
}

/** The next event of `type` the sink reports. */
function next<T extends WebhookEvent['type']>(
  sink: WebhookSink,
  type: T,
): Promise<Extract<WebhookEvent, { type: T }>> {
  return new Promise((resolve) => {
    const stop = sink.on((event) => {
      if (event.type !== type) return;
      stop();
      resolve(event as Extract<WebhookEvent, { type: T }>);
    });
  });
}

/** One macrotask turn: whatever the last step set off in promise callbacks has run. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A receiver answering `answers`, and a webhook sink to it on a fake clock. Its jitter draws 0, so the
 * waits between attempts are half of each backoff ceiling: 500, 1000, 2000 ms. Every `fetch` is counted.
 */
async function setup(answers: readonly ReceiverAnswer[], options: Partial<WebhookSinkOptions> = {}) {
  const receiver: WebhookReceiver = await startWebhookReceiver(answers);
  const clock = createFakeClock();
  let fetches = 0;
  const sink = webhookSink({
    url: `${receiver.origin}/hooks/T0001/B0002/secret-path-token`,
    clock,
    random: () => 0,
    fetch: (input, init) => {
      fetches++;
      return fetch(input, init);
    },
    ...options,
  });
  cleanups.push(
    () => receiver.close(),
    () => sink.dispose(),
  );
  return { receiver, clock, sink, fetches: () => fetches };
}

describe('webhookSink', () => {
  it('POSTs the alert as JSON, with its headers, credentials in the text redacted', async () => {
    const { receiver, sink } = await setup([204], {
      headers: { authorization: 'Bearer hook-token-123456', 'x-team': 'sre' },
    });
    const delivered = next(sink, 'delivered');

    sink.send(alert('breaker-open', 'Incorrect API key provided: sk-proj-abcdefghijklmnop'));

    expect(await delivered).toMatchObject({ attempts: 1, status: 204 });
    const [post] = await receiver.received(1);
    expect(post?.method).toBe('POST');
    expect(post?.path).toBe('/hooks/T0001/B0002/secret-path-token');
    expect(post?.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer hook-token-123456',
      'x-team': 'sre',
    });
    expect(post?.body).toEqual(alert('breaker-open', 'Incorrect API key provided: [redacted]'));
    expect(sink.stats()).toEqual({ queued: 0, delivering: false, delivered: 1, dropped: 0 });
  });

  it('retries a 500 after its backoff on the clock, and delivers the alert once', async () => {
    const { receiver, clock, sink, fetches } = await setup([500, 200]);
    const retried = next(sink, 'retry');
    const delivered = next(sink, 'delivered');

    sink.send(alert('breaker-open'));

    expect(await retried).toMatchObject({ attempt: 1, status: 500, delayMs: 500 });
    clock.advance(499);
    await turn();
    expect(fetches()).toBe(1);
    clock.advance(1);
    expect(await delivered).toMatchObject({ attempts: 2, status: 200 });
    expect(fetches()).toBe(2);
    const posts = await receiver.received(2);
    expect(posts).toHaveLength(2);
    expect(posts[1]?.body).toEqual(posts[0]?.body);
    expect(sink.stats()).toMatchObject({ delivered: 1, dropped: 0 });
  });

  it('backs off exponentially and gives up after maxAttempts', async () => {
    const { receiver, clock, sink } = await setup([503], { maxAttempts: 3 });
    const dropped = next(sink, 'dropped');
    const delays: number[] = [];
    sink.on((event) => {
      if (event.type === 'retry') {
        delays.push(event.delayMs);
        clock.advance(event.delayMs);
      }
    });

    sink.send(alert('breaker-open'));

    expect(await dropped).toMatchObject({ reason: 'attempts_exhausted', attempts: 3, status: 503 });
    expect(delays).toEqual([500, 1000]);
    expect(receiver.posts).toHaveLength(3);
  });

  it('times out an attempt the hook never answers, and retries it', async () => {
    const { receiver, clock, sink } = await setup(['hold', 200], { timeoutMs: 2000 });
    const retried = next(sink, 'retry');
    const delivered = next(sink, 'delivered');

    sink.send(alert('breaker-open'));
    await receiver.received(1);
    clock.advance(2000);

    expect(await retried).toMatchObject({ attempt: 1, status: undefined, error: 'no answer within 2000 ms' });
    clock.advance(500);
    expect(await delivered).toMatchObject({ attempts: 2 });
  });

  it('drops an alert the hook refuses, logging neither its headers nor its URL path', async () => {
    const warnings: unknown[] = [];
    const logger: Logger = {
      info: () => undefined,
      warn: (obj, msg) => warnings.push({ obj, msg }),
      error: () => undefined,
    };
    const { receiver, sink } = await setup([401], {
      headers: { authorization: 'Bearer hook-token-123456' },
      logger,
    });
    const dropped = next(sink, 'dropped');

    sink.send(alert('breaker-open'));

    expect(await dropped).toMatchObject({ reason: 'rejected', attempts: 1, status: 401 });
    expect(receiver.posts).toHaveLength(1);
    expect(warnings).toEqual([
      {
        obj: {
          webhook: receiver.origin,
          rule: 'breaker-open',
          state: 'firing',
          reason: 'rejected',
          attempts: 1,
          status: 401,
          error: undefined,
        },
        msg: `Alert breaker-open firing was not delivered to the webhook at ${receiver.origin} (rejected)`,
      },
    ]);
    expect(JSON.stringify(warnings)).not.toMatch(/hook-token|secret-path-token/);
  });

  it('holds at most maxQueue alerts while the hook is stuck, dropping the oldest', async () => {
    const { receiver, sink } = await setup(['hold', 200], { maxQueue: 2 });
    const drops: string[] = [];
    sink.on((event) => {
      if (event.type === 'dropped') drops.push(`${event.alert.rule}: ${event.reason}`);
    });

    for (const rule of ['first', 'second', 'third', 'fourth']) sink.send(alert(rule));

    expect(drops).toEqual(['second: queue_full']); // 'first' is in flight, not queued
    expect(sink.stats()).toEqual({ queued: 2, delivering: true, delivered: 0, dropped: 1 });
    await receiver.received(1);
    receiver.release(200);
    const posts = await receiver.received(3);
    expect(posts.map((post) => (post.body as Alert).rule)).toEqual(['first', 'third', 'fourth']);
  });

  it('refuses a URL it cannot parse', () => {
    expect(() => webhookSink({ url: 'not a url' })).toThrow(TypeError);
  });
});
