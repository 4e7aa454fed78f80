import type { SimAnswer } from '../answer.ts';
import {
  estimateTokens,
  InvalidRequest,
  isRecord,
  type JsonSchema,
  type OfferedTool,
  type SimRequest,
  stopList,
  textLength,
} from '../request.ts';
import {
  badGatewayPage,
  type ErrorCase,
  type ReplyContext,
  type StreamPlan,
  type WireError,
  type WireFormat,
} from './types.ts';

const finishReasons: Record<SimAnswer['finish'], string> = {
  stop: 'STOP',
  stop_sequence: 'STOP',
  length: 'MAX_TOKENS',
  // Gemini reports a function call with finishReason STOP; there is no tool-specific reason.
  tool_calls: 'STOP',
  refusal: 'SAFETY',
};

function readTools(value: unknown): OfferedTool[] {
  if (!Array.isArray(value)) return [];
  const tools: OfferedTool[] = [];
  for (const tool of value) {
    if (!isRecord(tool) || !Array.isArray(tool.functionDeclarations)) continue;
    for (const fn of tool.functionDeclarations) {
      if (!isRecord(fn) || typeof fn.name !== 'string') continue;
      const schema = fn.parametersJsonSchema ?? fn.parameters;
      tools.push({ name: fn.name, parameters: isRecord(schema) ? (schema as JsonSchema) : undefined });
    }
  }
  return tools;
}

/** Mode NONE forbids function calls: the declarations are then context only, none is callable. */
function callableTools(config: unknown, tools: OfferedTool[]): OfferedTool[] {
  const calling = isRecord(config) ? config.functionCallingConfig : undefined;
  return isRecord(calling) && calling.mode === 'NONE' ? [] : tools;
}

function forcedTool(config: unknown, tools: OfferedTool[]): string | undefined {
  if (!isRecord(config) || !isRecord(config.functionCallingConfig)) return undefined;
  const calling = config.functionCallingConfig;
  if (calling.mode !== 'ANY') return undefined;
  const allowed = calling.allowedFunctionNames;
  if (Array.isArray(allowed) && typeof allowed[0] === 'string') return allowed[0];
  return tools[0]?.name;
}

function partsText(content: unknown): string {
  if (!isRecord(content) || !Array.isArray(content.parts)) return '';
  let text = '';
  for (const part of content.parts) if (isRecord(part) && typeof part.text === 'string') text += part.text;
  return text;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parse(
  body: unknown,
  model: string | undefined,
  headers: Record<string, string | string[] | undefined>,
  url: URL,
): SimRequest {
  if (!isRecord(body)) throw new InvalidRequest('Invalid JSON payload received. Expected an object.');
  const contents = body.contents;
  if (!Array.isArray(contents) || contents.length === 0) {
    throw new InvalidRequest('* GenerateContentRequest.contents: contents is not specified\n');
  }
  const stream = url.pathname.endsWith(':streamGenerateContent');
  if (stream && url.searchParams.get('alt') !== 'sse') {
    throw new InvalidRequest('The simulator streams Gemini answers only as SSE: add ?alt=sse to the URL.');
  }
  const config = isRecord(body.generationConfig) ? body.generationConfig : {};
  const last = contents[contents.length - 1];
  const tools = callableTools(body.toolConfig, readTools(body.tools));
  const wantsJson = config.responseMimeType === 'application/json';
  const schema = config.responseJsonSchema ?? config.responseSchema;
  const lastParts = isRecord(last) && Array.isArray(last.parts) ? last.parts : [];
  return {
    api: 'gemini',
    model: model ?? '',
    stream,
    includeUsage: true,
    includeObfuscation: false,
    maxTokens: typeof config.maxOutputTokens === 'number' ? config.maxOutputTokens : undefined,
    prefix: isRecord(last) && last.role === 'model' ? partsText(last) : undefined,
    json: wantsJson ? { schema: isRecord(schema) ? (schema as JsonSchema) : undefined } : undefined,
    tools,
    forcedTool: forcedTool(body.toolConfig, tools),
    afterToolResult: lastParts.some((part) => isRecord(part) && 'functionResponse' in part),
    stop: stopList(config.stopSequences),
    inputTokens: estimateTokens(
      textLength(contents) + textLength(body.systemInstruction) + textLength(body.tools),
      contents.length,
    ),
    apiKey: header(headers, 'x-goog-api-key') ?? url.searchParams.get('key') ?? undefined,
  };
}

function googleError(status: number, rpcStatus: string, message: string, details?: unknown[]): WireError {
  const error: Record<string, unknown> = { code: status, message, status: rpcStatus };
  if (details !== undefined) error.details = details;
  return { status, headers: {}, contentType: 'application/json', body: JSON.stringify({ error }) };
}

function quotaFailure(quotaId: string, metric: string): Record<string, unknown> {
  return {
    '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
    violations: [
      {
        quotaMetric: `generativelanguage.googleapis.com/${metric}`,
        quotaId,
        quotaDimensions: { location: 'global', model: 'simulated' },
        quotaValue: '15',
      },
    ],
  };
}

function error(error: ErrorCase): WireError | undefined {
  switch (error.kind) {
    case 'rate_limit': {
      const details: unknown[] = [
        quotaFailure(
          'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
          'generate_content_free_tier_requests',
        ),
      ];
      const seconds = error.retryAfterMs !== undefined ? error.retryAfterMs / 1000 : error.retryAfterSeconds;
      if (seconds !== undefined) {
        details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${seconds}s` });
      }
      return googleError(
        429,
        'RESOURCE_EXHAUSTED',
        `You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.${seconds === undefined ? '' : ` Please retry in ${seconds}s.`}`,
        details,
      );
    }
    case 'quota':
      return googleError(
        429,
        'RESOURCE_EXHAUSTED',
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
        [
          quotaFailure(
            'GenerateRequestsPerDayPerProjectPerModel-FreeTier',
            'generate_content_free_tier_requests',
          ),
        ],
      );
    case 'server_error':
      return googleError(
        500,
        'INTERNAL',
        'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
      );
    case 'bad_gateway':
      return badGatewayPage();
    case 'unavailable':
      return googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.');
    case 'overloaded':
      return googleError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.');
    case 'gateway_timeout':
      return googleError(504, 'DEADLINE_EXCEEDED', 'Deadline expired before operation could complete.');
    case 'context_length':
      return googleError(
        400,
        'INVALID_ARGUMENT',
        `The input token count (${error.inputTokens}) exceeds the maximum number of tokens allowed (${error.window}).`,
      );
    case 'content_filter':
      // Gemini blocks a prompt with HTTP 200: no candidates, only promptFeedback.blockReason.
      return undefined;
    case 'auth':
      return googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
        {
          '@type': 'type.googleapis.com/google.rpc.LocalizedMessage',
          locale: 'en-US',
          message: 'API key not valid. Please pass a valid API key.',
        },
      ]);
    case 'model_not_found':
      return googleError(
        404,
        'NOT_FOUND',
        `models/${error.model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
      );
    case 'prefill_rejected':
      return googleError(
        400,
        'INVALID_ARGUMENT',
        'Please ensure that multiturn requests end with a user role or a function response.',
      );
    case 'invalid':
      return googleError(400, 'INVALID_ARGUMENT', error.message);
  }
}

function usage(answer: SimAnswer, outputTokens: number): Record<string, unknown> {
  return {
    promptTokenCount: answer.inputTokens,
    candidatesTokenCount: outputTokens,
    totalTokenCount: answer.inputTokens + outputTokens,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: answer.inputTokens }],
  };
}

const safetyBlock = [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }];

function candidate(
  answer: SimAnswer,
  parts: unknown[] | undefined,
  finish: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (answer.type !== 'refusal')
    out.content = parts === undefined ? { role: 'model' } : { parts, role: 'model' };
  if (finish) out.finishReason = finishReasons[answer.finish];
  if (finish && answer.type === 'refusal') out.safetyRatings = safetyBlock;
  out.index = 0;
  return out;
}

function answerParts(answer: SimAnswer): unknown[] | undefined {
  const text = answer.pieces.join('');
  if (answer.type === 'tool_call' && answer.tool !== undefined) {
    return [{ functionCall: { name: answer.tool.name, args: JSON.parse(text) } }];
  }
  return text === '' ? undefined : [{ text }];
}

function blocked(answer: SimAnswer, context: ReplyContext): Record<string, unknown> {
  return {
    promptFeedback: { blockReason: 'PROHIBITED_CONTENT' },
    usageMetadata: { promptTokenCount: answer.inputTokens, totalTokenCount: answer.inputTokens },
    modelVersion: context.request.model,
    responseId: context.id,
  };
}

function body(answer: SimAnswer, context: ReplyContext): string {
  if (answer.type === 'blocked') return JSON.stringify(blocked(answer, context));
  return JSON.stringify({
    candidates: [candidate(answer, answerParts(answer), true)],
    usageMetadata: usage(answer, answer.outputTokens),
    modelVersion: context.request.model,
    responseId: context.id,
  });
}

// Gemini separates SSE events with CRLF pairs; parsers must accept them as well as LF.
const end = '\r\n\r\n';

function stream(answer: SimAnswer, context: ReplyContext): StreamPlan {
  const tail = `"modelVersion":${JSON.stringify(context.request.model)},"responseId":"${context.id}"}`;
  const frames: string[] = [];
  if (answer.type === 'blocked') {
    frames.push(`data: ${JSON.stringify(blocked(answer, context))}${end}`);
  } else if (answer.type === 'tool_call') {
    // Gemini sends a function call whole, in one chunk.
    const parts = answerParts(answer);
    frames.push(
      `data: {"candidates":[${JSON.stringify(candidate(answer, parts, false))}],"usageMetadata":${JSON.stringify(usage(answer, answer.outputTokens))},${tail}${end}`,
    );
  } else if (answer.type === 'text') {
    let sent = 0;
    for (const piece of answer.pieces) {
      sent++;
      frames.push(
        `data: {"candidates":[{"content":{"parts":[{"text":${JSON.stringify(piece)}}],"role":"model"},"index":0}],"usageMetadata":${JSON.stringify(usage(answer, sent))},${tail}${end}`,
      );
    }
  }
  const contentEnd = frames.length;
  if (answer.type !== 'blocked') {
    const last = answer.type === 'refusal' ? undefined : [{ text: '' }];
    frames.push(
      `data: {"candidates":[${JSON.stringify(candidate(answer, last, true))}],"usageMetadata":${JSON.stringify(usage(answer, answer.outputTokens))},${tail}${end}`,
    );
  }
  return {
    frames,
    contentStart: 0,
    contentEnd,
    terminatorFrames: answer.type === 'blocked' ? 0 : 1,
    errorFrame: `data: {"error":{"code":500,"message":"An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting","status":"INTERNAL"}}${end}`,
    malformedFrame: `data: {"candidates":[{"content":{"parts":[{"text":"unterminated${end}`,
  };
}

/** Google Gemini `generateContent` / `streamGenerateContent?alt=sse`: data-only SSE, no terminator. */
export const geminiFormat: WireFormat = {
  api: 'gemini',
  parse,
  error,
  body,
  stream,
  headers: () => ({}),
  rateLimitHeaders: () => ({}),
  streamContentType: 'text/event-stream',
};
