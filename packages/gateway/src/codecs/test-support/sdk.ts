import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';

/**
 * The official SDKs pointed at a fake fetch that answers every request with what a gateway handler would
 * write, so that the SDKs' own parsers and stream readers judge the codecs' output.
 */

export interface Exchange {
  /** Requests the SDK made. */
  readonly requests: Request[];
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** JSON text or SSE text. */
  body: string;
  /** Defaults to JSON; SSE for stream replies. */
  contentType?: string;
}

function fakeFetch(reply: Reply, requests: Request[]): typeof fetch {
  return async (input, init) => {
    requests.push(new Request(input, init));
    return new Response(reply.body, {
      status: reply.status ?? 200,
      headers: { 'content-type': reply.contentType ?? 'application/json', ...reply.headers },
    });
  };
}

export function sse(body: string): Reply {
  return { body, contentType: 'text/event-stream; charset=utf-8' };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Reply {
  return { body: JSON.stringify(body), status, headers };
}

/** An OpenAI client whose every request gets `reply`; it retries at most `maxRetries` times. */
export function openAiClient(reply: Reply, maxRetries = 0): Exchange & { client: OpenAI } {
  const requests: Request[] = [];
  const client = new OpenAI({
    apiKey: 'sfgw_test',
    baseURL: 'http://gateway.test/v1',
    fetch: fakeFetch(reply, requests),
    maxRetries,
  });
  return { client, requests };
}

/** An Anthropic client whose every request gets `reply`; it retries at most `maxRetries` times. */
export function anthropicClient(reply: Reply, maxRetries = 0): Exchange & { client: Anthropic } {
  const requests: Request[] = [];
  const client = new Anthropic({
    apiKey: 'sfgw_test',
    baseURL: 'http://gateway.test',
    fetch: fakeFetch(reply, requests),
    maxRetries,
  });
  return { client, requests };
}
