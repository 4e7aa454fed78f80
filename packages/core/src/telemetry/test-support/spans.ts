import { type HrTime, SpanKind, type Tracer } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

/** An SDK tracer whose finished spans are kept in memory, as an exporter would receive them. */
export interface SpanRecorder {
  tracer: Tracer;
  /** Every finished span, in the order they ended, once the exports under way are done. */
  finished(): Promise<ReadableSpan[]>;
  /** The one request span (kind INTERNAL); fails when there is not exactly one. */
  requestSpan(): Promise<ReadableSpan>;
  /** The attempt spans (kind CLIENT), in the order they started. */
  attemptSpans(): Promise<ReadableSpan[]>;
}

/** A recorder over its own provider: nothing global is registered. */
export function recordSpans(): SpanRecorder {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  // The SDK's simple processor hands each ended span to the exporter asynchronously.
  const finished = async () => {
    await provider.forceFlush();
    return exporter.getFinishedSpans();
  };
  return {
    tracer: provider.getTracer('steadfast-test'),
    finished,
    async requestSpan() {
      const found = (await finished()).filter((span) => span.kind === SpanKind.INTERNAL);
      if (found.length !== 1) throw new Error(`expected one request span, found ${found.length}`);
      return found[0] as ReadableSpan;
    },
    async attemptSpans() {
      return (await finished())
        .filter((span) => span.kind === SpanKind.CLIENT)
        .sort((a, b) => ms(a.startTime) - ms(b.startTime) || attemptOf(a) - attemptOf(b));
    },
  };
}

function attemptOf(span: ReadableSpan): number {
  return Number(span.attributes['steadfast.attempt']);
}

/** An `HrTime` in milliseconds. */
export function ms(time: HrTime): number {
  return time[0] * 1000 + time[1] / 1e6;
}

/** The span that `span` is a child of: true when its parent is `parent`, in the same trace. */
export function isChildOf(span: ReadableSpan, parent: ReadableSpan): boolean {
  return (
    span.parentSpanContext?.spanId === parent.spanContext().spanId &&
    span.spanContext().traceId === parent.spanContext().traceId
  );
}
