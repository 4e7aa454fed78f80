import { extractJson } from '../content/extract-json.ts';
import { detectRefusal } from '../content/refusal.ts';
import { jsonSchema, type ObjectSchema, validate } from '../content/schema.ts';
import { SteadfastError } from '../errors/steadfast-error.ts';
import type { ChatRequest } from '../neutral/request.ts';
import type { ChatResponse, Usage } from '../neutral/response.ts';
import { timeoutDefaults } from '../policies/defaults.ts';
import type { CallOptions, ProviderAdapter } from '../providers/adapter.ts';
import type { AttemptFn } from './chain.ts';
import { continuationRequest, Stitcher } from './continuation.ts';
import type { RunContext } from './run-context.ts';
import type { Candidate, ContentReport } from './types.ts';

/** An answer that passed the content checks, with what they found and the parsed JSON when asked for. */
export interface CheckedAnswer {
  response: ChatResponse;
  content: ContentReport;
  /** The validated value, when the answer had to be JSON. */
  value?: unknown;
}

/** How one request's answers are checked. */
export interface CheckMode {
  /** Validate against this schema (`object()`, or a route enforcing its response format). */
  schema?: ObjectSchema | undefined;
  /** The request as this candidate should get it (native structured output or instructions). */
  prepare?: ((candidate: Candidate, request: ChatRequest) => ChatRequest) | undefined;
}

function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
}

/** The schema a route's `validateJson` enforces for a request, if its response format asks for JSON. */
export function responseFormatSchema(request: ChatRequest): ObjectSchema | undefined {
  const format = request.responseFormat;
  if (format?.type === 'json_schema') return jsonSchema(format.schema);
  if (format?.type === 'json') return jsonSchema({});
  return undefined;
}

/** The turn that asks again for JSON that validates, quoting what was wrong. */
export function repairRequest(request: ChatRequest, answer: string, issues: readonly string[]): ChatRequest {
  const repaired: ChatRequest = {
    ...request,
    messages: [
      ...request.messages,
      { role: 'assistant', content: answer === '' ? '(no answer)' : answer },
      {
        role: 'user',
        content: `That answer is not valid JSON for the requested schema:\n${issues.map((issue) => `- ${issue}`).join('\n')}\nReply with only the corrected JSON, nothing else.`,
      },
    ],
  };
  delete repaired.original;
  return repaired;
}

function contentError(
  kind: 'empty' | 'refusal' | 'truncated' | 'malformed_json' | 'schema_mismatch' | 'content_filter',
  message: string,
  candidate: Candidate,
  response: ChatResponse,
  fallbackable?: boolean,
): SteadfastError {
  return new SteadfastError(kind, message, {
    provider: candidate.provider,
    model: candidate.model,
    requestId: response.requestId,
    ...(fallbackable === undefined ? {} : { fallbackable }),
    // JSON that still fails after the repair loop has had its re-asks on this model: move on.
    ...(kind === 'malformed_json' || kind === 'schema_mismatch' ? { retryable: false } : {}),
  });
}

/**
 * A chat attempt whose answer must also be usable: an empty answer is a retryable `empty` error; a
 * refusal fails, moves on or is returned marked (route policy); a truncated answer fails, is continued
 * and stitched, or is returned marked; and when JSON is required it is extracted, repaired and
 * validated, asking the same model again with the errors (bounded) before giving up on it.
 */
export function checkedChatAttempt(ctx: RunContext, mode: CheckMode = {}): AttemptFn<CheckedAnswer> {
  const policies = ctx.route.policies.content ?? {};
  return async (candidate: Candidate, adapter: ProviderAdapter, options: CallOptions, base: ChatRequest) => {
    const request = mode.prepare ? mode.prepare(candidate, base) : base;
    const schema =
      mode.schema ?? (policies.validateJson === true ? responseFormatSchema(request) : undefined);
    const again = (): CallOptions => ({
      ...options,
      timeoutMs: ctx.deadline.limit(ctx.route.policies.attemptTimeoutMs ?? timeoutDefaults.attemptTimeoutMs),
    });
    const content: ContentReport = {
      refused: false,
      truncated: false,
      continuations: 0,
      repairs: 0,
      jsonRepaired: false,
    };
    let response = await adapter.chat(request, options);
    let usage = response.usage;
    let text = response.text;

    const truncation = policies.truncation ?? (schema !== undefined ? 'continue' : 'accept');
    const maxContinuations = policies.maxContinuations ?? 2;
    while (
      response.finishReason === 'length' &&
      truncation === 'continue' &&
      response.toolCalls.length === 0 &&
      content.continuations < maxContinuations
    ) {
      const prefill = ctx.deps.catalog.get(candidate.model)?.capabilities.prefill ?? true;
      const next = await adapter.chat(continuationRequest(request, text, prefill), again());
      const stitcher = new Stitcher(text);
      text += stitcher.push(next.text) + stitcher.flush();
      usage = addUsage(usage, next.usage);
      response = { ...next, text, content: [{ type: 'text', text }], usage };
      content.continuations++;
    }

    if (response.finishReason === 'content_filter') {
      throw contentError(
        'content_filter',
        `${candidate.provider} filtered the answer (${response.rawFinishReason ?? 'content_filter'})`,
        candidate,
        response,
      );
    }
    const refusal = detectRefusal(response, policies.refusalDetection);
    if (refusal.refused) {
      const policy = policies.refusal ?? 'return';
      if (policy !== 'return' || schema !== undefined) {
        const said =
          refusal.source === 'native' ? 'refused (native signal)' : `refused ("${refusal.phrase}…")`;
        throw contentError(
          'refusal',
          `${candidate.provider}/${candidate.model} ${said}`,
          candidate,
          response,
          policy !== 'fail',
        );
      }
      content.refused = true;
    }
    if (text.trim() === '' && response.toolCalls.length === 0 && !content.refused) {
      throw contentError(
        'empty',
        `${candidate.provider}/${candidate.model} returned an empty answer`,
        candidate,
        response,
      );
    }
    if (response.finishReason === 'length' && response.toolCalls.length === 0) {
      if (truncation === 'fail') {
        throw contentError(
          'truncated',
          `${candidate.provider}/${candidate.model} stopped at the output token limit`,
          candidate,
          response,
        );
      }
      content.truncated = true;
    }
    if (schema === undefined)
      return { value: { response: { ...response, usage }, content }, usage, rateLimit: response.rateLimit };

    const maxRepairs = policies.maxRepairs ?? 2;
    for (;;) {
      const found = extractJson(text);
      let issues: string[] = found.length === 0 ? ['(root): the answer contains no JSON'] : [];
      for (const candidateJson of found) {
        const checked = await validate(schema, candidateJson.value);
        if (checked.ok) {
          content.jsonRepaired = candidateJson.repaired || candidateJson.source !== 'whole';
          const json = content.jsonRepaired ? JSON.stringify(checked.value) : text;
          const clean: ChatResponse = {
            ...response,
            text: json,
            content: [{ type: 'text', text: json }],
            usage,
          };
          return {
            value: { response: clean, content, value: checked.value },
            usage,
            rateLimit: response.rateLimit,
          };
        }
        if (issues.length === 0) issues = checked.issues;
      }
      if (content.repairs >= maxRepairs) {
        const kind = found.length === 0 ? 'malformed_json' : 'schema_mismatch';
        throw contentError(
          kind,
          `${candidate.provider}/${candidate.model} answered JSON that does not validate after ${content.repairs} repair(s): ${issues.slice(0, 5).join('; ')}`,
          candidate,
          response,
        );
      }
      const repaired = await adapter.chat(repairRequest(request, text, issues), again());
      content.repairs++;
      usage = addUsage(usage, repaired.usage);
      response = repaired;
      text = repaired.text;
    }
  };
}
