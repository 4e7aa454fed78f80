import { jsonCandidates } from '../content/extract-json.ts';
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

/** The first JSON value in `text` that validates against `schema`, or the issues of the first that does not. */
async function firstValid(
  text: string,
  schema: ObjectSchema,
): Promise<{ ok: true; value: unknown; repaired: boolean } | { ok: false; found: number; issues: string[] }> {
  let found = 0;
  let issues: string[] = [];
  for (const candidate of jsonCandidates(text)) {
    found++;
    const checked = await validate(schema, candidate.value);
    if (checked.ok) {
      return { ok: true, value: checked.value, repaired: candidate.repaired || candidate.source !== 'whole' };
    }
    if (issues.length === 0) issues = checked.issues;
  }
  if (found === 0) issues = ['(root): the answer contains no JSON'];
  return { ok: false, found, issues };
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
    const truncation = policies.truncation ?? (schema !== undefined ? 'continue' : 'accept');
    const maxContinuations = policies.maxContinuations ?? 2;
    const prefill = ctx.deps.catalog.get(candidate.model)?.capabilities.prefill ?? true;
    let usage: Usage | undefined;

    /**
     * The answer to `asked`, continued and stitched while it is cut at the output limit and the policy
     * says so (for a repair's answer too: a cut repair is as incomplete as a cut first answer). An answer
     * cut before any text has nothing to continue from: it is an empty answer.
     */
    const answerTo = async (asked: ChatRequest, callOptions: CallOptions): Promise<ChatResponse> => {
      let response = await adapter.chat(asked, callOptions);
      usage = usage === undefined ? response.usage : addUsage(usage, response.usage);
      let text = response.text;
      while (
        response.finishReason === 'length' &&
        truncation === 'continue' &&
        response.toolCalls.length === 0 &&
        text.trim() !== '' &&
        content.continuations < maxContinuations
      ) {
        const next = await adapter.chat(continuationRequest(asked, text, prefill), again());
        const stitcher = new Stitcher(text);
        text += stitcher.push(next.text) + stitcher.flush();
        usage = addUsage(usage, next.usage);
        response = { ...next, text, content: [{ type: 'text', text }] };
        content.continuations++;
      }
      if (response.finishReason === 'length' && response.toolCalls.length === 0 && text.trim() !== '') {
        if (truncation === 'fail') {
          throw contentError(
            'truncated',
            `${candidate.provider}/${candidate.model} stopped at the output token limit`,
            candidate,
            response,
          );
        }
        content.truncated = true;
      } else {
        content.truncated = false;
      }
      return response;
    };

    let response = await answerTo(request, options);
    if (response.finishReason === 'content_filter') {
      throw contentError(
        'content_filter',
        `${candidate.provider}/${candidate.model} filtered the answer (${response.rawFinishReason ?? 'content_filter'})`,
        candidate,
        response,
      );
    }
    const refusal = detectRefusal(response, policies.refusalDetection);
    // JSON that validates is an answer, whatever one of its strings says ("Thanks. I can't provide…").
    const answered =
      refusal.refused && refusal.source === 'phrase' && schema !== undefined
        ? (await firstValid(response.text, schema)).ok
        : false;
    if (refusal.refused && !answered) {
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
    if (response.text.trim() === '' && response.toolCalls.length === 0 && !content.refused) {
      throw contentError(
        'empty',
        `${candidate.provider}/${candidate.model} returned an empty answer`,
        candidate,
        response,
      );
    }
    if (schema === undefined) {
      const total = usage ?? response.usage;
      return {
        value: { response: { ...response, usage: total }, content },
        usage: total,
        rateLimit: response.rateLimit,
        answer: { model: response.model, finishReason: response.finishReason },
      };
    }

    const maxRepairs = policies.maxRepairs ?? 2;
    for (;;) {
      const checked = await firstValid(response.text, schema);
      const total = usage ?? response.usage;
      if (checked.ok) {
        content.jsonRepaired = checked.repaired;
        const json = checked.repaired ? JSON.stringify(checked.value) : response.text;
        const clean: ChatResponse = {
          ...response,
          text: json,
          content: [{ type: 'text', text: json }],
          usage: total,
        };
        return {
          value: { response: clean, content, value: checked.value },
          usage: total,
          rateLimit: response.rateLimit,
          answer: { model: response.model, finishReason: response.finishReason },
        };
      }
      if (content.repairs >= maxRepairs) {
        throw contentError(
          checked.found === 0 ? 'malformed_json' : 'schema_mismatch',
          `${candidate.provider}/${candidate.model} answered JSON that does not validate after ${content.repairs} repair(s): ${checked.issues.slice(0, 5).join('; ')}`,
          candidate,
          response,
        );
      }
      content.repairs++;
      response = await answerTo(repairRequest(request, response.text, checked.issues), again());
    }
  };
}
