import type { AttemptRecord as SimAttempt } from '@steadfast/simulator';
import type { RequestOptions } from '../../../client.ts';
import { SteadfastError } from '../../../errors/steadfast-error.ts';
import type { ChatRequest } from '../../../neutral/request.ts';
import type { StreamEvent } from '../../../neutral/stream-event.ts';
import type { ResilienceReport } from '../../types.ts';
import { type SentView, viewOf } from './sent.ts';
import { route, type World } from './world.ts';

/** How a consumer asks: one whole answer, or a stream read to its end. */
export type Mode = 'chat' | 'stream';

export const modes: readonly Mode[] = ['chat', 'stream'];

/** What one request came to, as the consumer saw it and as the simulator saw it. */
export interface Outcome {
  /** The answer's text: `chat().text`, or the stream's text deltas joined. */
  text: string;
  /** What `chat()` rejected with, or the stream's final `error` event. */
  error: SteadfastError | undefined;
  /** The answer's resilience report (for a rejected `chat()`, the one its `request-end` event carried). */
  report: ResilienceReport;
  /** Every stream event in order (empty for `chat()`). */
  events: StreamEvent[];
  /** The attempts the simulator received while the request ran, oldest first. */
  upstream: SimAttempt[];
  /** The requests the adapters sent while the request ran, read alike whatever their wire format. */
  sent: SentView[];
}

/** The question every scenario asks. */
export function question(extra: Omit<Partial<ChatRequest>, 'model'> = {}): ChatRequest {
  return {
    model: route,
    messages: [{ role: 'user', content: 'Why do LLM calls need a resilience layer?' }],
    ...extra,
  };
}

/** Sends one request through the client in `mode` and waits for its end. */
export async function ask(
  world: World,
  mode: Mode,
  request: ChatRequest = question(),
  options?: RequestOptions,
): Promise<Outcome> {
  const seenBefore = world.sim.log().length;
  const endsBefore = world.events.filter((event) => event.type === 'request-end').length;
  const sentBefore = world.sent.length;
  const upstream = (): SimAttempt[] => world.sim.log().slice(seenBefore);
  const sent = (): SentView[] => world.sent.slice(sentBefore).map(viewOf);
  if (mode === 'stream') {
    const stream = world.client.stream(request, options);
    const events: StreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const last = events.at(-1);
    return {
      text: textOf(events),
      error: last?.type === 'error' ? last.error : undefined,
      report: await stream.report,
      events,
      upstream: upstream(),
      sent: sent(),
    };
  }
  try {
    const result = await world.client.chat(request, options);
    return {
      text: result.text,
      error: undefined,
      report: result.resilience,
      events: [],
      upstream: upstream(),
      sent: sent(),
    };
  } catch (thrown) {
    if (!SteadfastError.isInstance(thrown)) throw thrown;
    const end = world.events.filter((event) => event.type === 'request-end')[endsBefore];
    if (end?.type !== 'request-end') throw new Error('chat() rejected without a request-end event');
    return { text: '', error: thrown, report: end.report, events: [], upstream: upstream(), sent: sent() };
  }
}

/** The text deltas of a stream, joined. */
export function textOf(events: readonly StreamEvent[]): string {
  return events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
}

/** The report's attempts as `provider/model outcome` lines, the shape a reader checks at a glance. */
export function story(report: ResilienceReport): string[] {
  return report.attempts.map(
    (attempt) =>
      `${attempt.provider}/${attempt.model} ${attempt.outcome}${attempt.continuation === true ? ' (continuation)' : ''}`,
  );
}
