import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the receiver got. */
export interface ReceivedPost {
  method: string | undefined;
  path: string | undefined;
  headers: IncomingHttpHeaders;
  /** The body, parsed as JSON. */
  body: unknown;
}

/** What the receiver does with a POST: answer with a status, or hold it unanswered. */
export type ReceiverAnswer = number | 'hold';

/** A real HTTP server on 127.0.0.1 standing in for a webhook. */
export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly posts: readonly ReceivedPost[];
  /** Resolves once `count` POSTs have arrived in all, bodies read. */
  received(count: number): Promise<ReceivedPost[]>;
  /** Answers every held POST with `status`. */
  release(status: number): void;
  /** Drops every connection, held ones included, and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a receiver on a free port. The nth POST gets `answers[n]`; once they run out the last one
 * repeats, so `[500, 200]` fails once and `['hold']` never answers.
 */
export async function startWebhookReceiver(answers: readonly ReceiverAnswer[]): Promise<WebhookReceiver> {
  const posts: ReceivedPost[] = [];
  const held: ServerResponse[] = [];
  const waiters: Array<{ count: number; resolve: (posts: ReceivedPost[]) => void }> = [];

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = answers[Math.min(posts.length, answers.length - 1)] ?? 200;
      posts.push({
        method: request.method,
        path: request.url,
        headers: request.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
      });
      if (answer === 'hold') held.push(response);
      else response.writeHead(answer, { 'content-type': 'text/plain' }).end(`status ${answer}`);
      for (const waiter of waiters.filter((w) => posts.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve([...posts]);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    posts,
    received(count) {
      if (posts.length >= count) return Promise.resolve([...posts]);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    release(status) {
      for (const response of held.splice(0)) response.writeHead(status).end();
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The origin of a port nothing listens on: a server was bound there and closed. */
export async function refusedOrigin(): Promise<string> {
  const receiver = await startWebhookReceiver([200]);
  await receiver.close();
  return receiver.origin;
}
