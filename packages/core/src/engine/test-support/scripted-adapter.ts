import { classify } from '../../errors/classify.ts';
import type { ErrorKind } from '../../errors/kinds.ts';
import { SteadfastError } from '../../errors/steadfast-error.ts';
import type { ChatRequest } from '../../neutral/request.ts';
import type { ChatResponse } from '../../neutral/response.ts';
import type { StreamEvent } from '../../neutral/stream-event.ts';
import { CallGuard } from '../../policies/timeout.ts';
import type { CallOptions, ProviderAdapter } from '../../providers/adapter.ts';
import type { FakeClock } from '../../test-support/fake-clock.ts';
import { delta, finish, pause, type Step, type StreamPart, start, streamError } from './script.ts';

/** How a logged call ended. */
export type CallOutcome =
  | 'running'
  | 'answered'
  | 'failed'
  /** Aborted by the caller's signal or a time limit; `abortKind` says which. */
  | 'aborted'
  /** A stream the consumer stopped reading before it ended. */
  | 'abandoned'
  /** A stream whose script ran out without a finish or an error (a broken provider). */
  | 'cut';

/** One call the adapter received. */
export interface ScriptedCall {
  kind: 'chat' | 'stream';
  model: string;
  request: ChatRequest;
  options: CallOptions;
  /** Fake-clock ms when the call arrived. */
  startedAt: number;
  endedAt: number | undefined;
  outcome: CallOutcome;
  /** `cancelled` for the caller's abort, `timeout` for a time limit. */
  abortKind: ErrorKind | undefined;
}

/** A scripted provider: a `ProviderAdapter` plus its call log. */
export interface ScriptedAdapter extends ProviderAdapter {
  readonly calls: readonly ScriptedCall[];
  /** Calls to `model` so far. */
  callsTo(model: string): ScriptedCall[];
}

/** Waits `ms` on the clock (forever when undefined), or rejects with the abort reason when `signal` aborts. */
function waitOrAbort(ms: number | undefined, clock: FakeClock, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  // No timer for no wait: a zero-delay fake timer would fire only at the test's next clock step.
  if (ms === 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      if (timer !== undefined) clock.clearTimeout(timer);
      reject(signal.reason);
    };
    const timer =
      ms === undefined
        ? undefined
        : clock.setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function isToken(event: StreamEvent): boolean {
  return event.type === 'text-delta' || event.type === 'tool-call-delta' || event.type === 'refusal-delta';
}

/**
 * A fake provider for engine tests, named `name`; a test double of a provider (the real adapters are
 * tested against the simulator). Each model in `script` (keyed by the model the engine asks for) plays
 * its steps one per call, in order, and once they run out its last step repeats: `[fail(e)]` is a
 * provider that is down for good, `[fail(e), answer('hi')]` one that fails once. It keeps time on the
 * test's fake clock, honours the call's signal and time limits as a real adapter does (through
 * `CallGuard`), and logs every call. A model with no script is a test mistake and throws a plain `Error`.
 */
export function createScriptedAdapter(
  name: string,
  clock: FakeClock,
  script: Record<string, readonly Step[]>,
): ScriptedAdapter {
  const calls: ScriptedCall[] = [];

  function begin(kind: 'chat' | 'stream', request: ChatRequest, options: CallOptions): [ScriptedCall, Step] {
    const model = options.model ?? request.model;
    const steps = script[model];
    if (steps === undefined || steps.length === 0) {
      throw new Error(`scripted adapter "${name}" has no script for model "${model}"`);
    }
    const index = calls.filter((call) => call.model === model).length;
    const step = steps[Math.min(index, steps.length - 1)] as Step;
    const call: ScriptedCall = {
      kind,
      model,
      request,
      options,
      startedAt: clock.now(),
      endedAt: undefined,
      outcome: 'running',
      abortKind: undefined,
    };
    calls.push(call);
    return [call, step];
  }

  function end(call: ScriptedCall, outcome: CallOutcome, error?: unknown): void {
    call.outcome = outcome;
    call.endedAt = clock.now();
    if (outcome === 'aborted' && SteadfastError.isInstance(error)) call.abortKind = error.kind;
  }

  function guardFor(call: ScriptedCall, options: CallOptions): CallGuard {
    return new CallGuard(
      {
        timeoutMs: options.timeoutMs,
        firstTokenTimeoutMs: call.kind === 'stream' ? options.firstTokenTimeoutMs : undefined,
        idleTimeoutMs: call.kind === 'stream' ? options.idleTimeoutMs : undefined,
      },
      { signal: options.signal, clock, provider: name, model: call.model },
    );
  }

  function responseOf(call: ScriptedCall, step: Extract<Step, { type: 'answer' }>): ChatResponse {
    return {
      id: `${name}-${calls.indexOf(call) + 1}`,
      provider: name,
      model: call.model,
      requestId: undefined,
      content: [{ type: 'text', text: step.text }, ...step.toolCalls],
      text: step.text,
      toolCalls: step.toolCalls,
      ...(step.refusal === undefined ? {} : { refusal: step.refusal }),
      finishReason: step.finishReason,
      rawFinishReason: step.finishReason,
      usage: step.usage,
      rateLimit: step.rateLimit,
      timings: { startedAt: call.startedAt, headersMs: 0, totalMs: clock.now() - call.startedAt },
    };
  }

  async function chat(request: ChatRequest, options: CallOptions = {}): Promise<ChatResponse> {
    const [call, step] = begin('chat', request, options);
    if (step.type === 'events') throw new Error(`scripted adapter "${name}": an events step is for streams`);
    const guard = guardFor(call, options);
    try {
      await waitOrAbort(step.type === 'hang' ? undefined : step.afterMs, clock, guard.signal);
    } catch (abort) {
      end(call, 'aborted', abort);
      throw abort;
    } finally {
      guard.dispose();
    }
    if (step.type === 'fail') {
      end(call, 'failed');
      throw step.error;
    }
    const response = responseOf(call, step as Extract<Step, { type: 'answer' }>);
    end(call, 'answered');
    return response;
  }

  function partsOf(step: Step): StreamPart[] {
    switch (step.type) {
      case 'answer':
        return [
          ...(step.afterMs > 0 ? [pause(step.afterMs)] : []),
          start(name, step.rateLimit),
          delta(step.text),
          ...step.toolCalls.map(
            (call, index): StreamEvent => ({
              type: 'tool-call-delta',
              index,
              id: call.id,
              name: call.name,
              argumentsDelta: call.arguments,
            }),
          ),
          { type: 'usage', usage: step.usage },
          finish(step.finishReason),
        ];
      case 'fail':
        return [...(step.afterMs > 0 ? [pause(step.afterMs)] : []), streamError(step.error)];
      case 'hang':
        return [{ type: 'pause', ms: Number.POSITIVE_INFINITY }];
      case 'events':
        return step.parts;
    }
  }

  async function* stream(request: ChatRequest, options: CallOptions = {}): AsyncGenerator<StreamEvent> {
    const [call, step] = begin('stream', request, options);
    const guard = guardFor(call, options);
    let ended = false;
    try {
      for (const part of partsOf(step)) {
        if (part.type === 'pause') {
          await waitOrAbort(Number.isFinite(part.ms) ? part.ms : undefined, clock, guard.signal);
          continue;
        }
        guard.receivedBytes();
        if (isToken(part)) guard.receivedToken();
        if (part.type === 'finish' || part.type === 'error') {
          ended = true;
          end(call, part.type === 'finish' ? 'answered' : 'failed');
        }
        yield part;
        if (ended) return;
        // A time limit that passed while the consumer held this event ends the stream, as in `streamCall`.
        if (guard.abortError !== undefined) throw guard.abortError;
      }
      ended = true;
      end(call, 'cut');
    } catch (abort) {
      ended = true;
      end(call, 'aborted', abort);
      yield streamError(guard.abortError ?? classify(abort));
    } finally {
      if (!ended) {
        guard.abort();
        end(call, 'abandoned');
      }
      guard.dispose();
    }
  }

  return {
    name,
    type: 'openai-compatible',
    calls,
    callsTo: (model) => calls.filter((call) => call.model === model),
    chat,
    stream,
  };
}
