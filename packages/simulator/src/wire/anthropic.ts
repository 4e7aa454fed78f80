import type { SimAnswer } from '../answer.ts';
import {
  contentText,
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
  type RateLimitState,
  type ReplyContext,
  type StreamPlan,
  type WireError,
  type WireFormat,
} from './types.ts';

const stopReasons: Record<SimAnswer['finish'], string> = {
  stop: 'end_turn',
  stop_sequence: 'stop_sequence',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  refusal: 'refusal',
};

function readTools(value: unknown): OfferedTool[] {
  if (!Array.isArray(value)) return [];
  const tools: OfferedTool[] = [];
  for (const tool of value) {
    if (isRecord(tool) && typeof tool.name === 'string') {
      tools.push({
        name: tool.name,
        parameters: isRecord(tool.input_schema) ? (tool.input_schema as JsonSchema) : undefined,
      });
    }
  }
  return tools;
}

/** `tool_choice: {type: "none"}` forbids tool use: the tools are then context only, none is callable. */
function callableTools(choice: unknown, tools: OfferedTool[]): OfferedTool[] {
  return isRecord(choice) && choice.type === 'none' ? [] : tools;
}

function forcedTool(choice: unknown, tools: OfferedTool[]): string | undefined {
  if (!isRecord(choice)) return undefined;
  if (choice.type === 'any') return tools[0]?.name;
  if (choice.type === 'tool' && typeof choice.name === 'string') return choice.name;
  return undefined;
}

function readJson(body: Record<string, unknown>): SimRequest['json'] {
  const config = isRecord(body.output_config) ? body.output_config : undefined;
  const format = config?.format ?? body.output_format;
  if (isRecord(format) && format.type === 'json_schema') {
    return { schema: isRecord(format.schema) ? (format.schema as JsonSchema) : undefined };
  }
  return undefined;
}

const trailingWhitespace = /\s$/;

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function errorJson(
  status: number,
  type: string,
  message: string,
  requestId: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): WireError {
  return {
    status,
    headers,
    contentType: 'application/json',
    body: JSON.stringify({ type: 'error', error: { type, message, ...extra }, request_id: requestId }),
  };
}

function parse(
  body: unknown,
  _model: string | undefined,
  headers: Record<string, string | string[] | undefined>,
): SimRequest {
  if (header(headers, 'anthropic-version') === undefined) {
    throw new InvalidRequest('anthropic-version: header is required');
  }
  if (!isRecord(body)) throw new InvalidRequest('Request body must be a JSON object');
  if (typeof body.model !== 'string' || body.model === '') throw new InvalidRequest('model: Field required');
  if (typeof body.max_tokens !== 'number') throw new InvalidRequest('max_tokens: Field required');
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) throw new InvalidRequest('messages: Field required');
  const last = messages[messages.length - 1];
  const prefix = isRecord(last) && last.role === 'assistant' ? contentText(last.content) : undefined;
  // The real API rejects a prefill that ends in whitespace, so a client stitching a truncated answer
  // (which often ends in a space) must trim it first.
  if (prefix !== undefined && trailingWhitespace.test(prefix)) {
    throw new InvalidRequest('messages: final assistant content cannot end with trailing whitespace');
  }
  const tools = callableTools(body.tool_choice, readTools(body.tools));
  const lastBlocks = isRecord(last) && Array.isArray(last.content) ? last.content : [];
  const authorization = header(headers, 'authorization');
  return {
    api: 'anthropic',
    model: body.model,
    stream: body.stream === true,
    includeUsage: true,
    includeObfuscation: false,
    maxTokens: body.max_tokens,
    prefix,
    json: readJson(body),
    tools,
    forcedTool: forcedTool(body.tool_choice, tools),
    afterToolResult: lastBlocks.some((block) => isRecord(block) && block.type === 'tool_result'),
    stop: stopList(body.stop_sequences),
    inputTokens: estimateTokens(
      textLength(messages) + textLength(body.system) + textLength(body.tools),
      messages.length,
    ),
    apiKey:
      header(headers, 'x-api-key') ??
      (authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined),
  };
}

function error(error: ErrorCase, _context: ReplyContext | undefined, requestId: string): WireError {
  switch (error.kind) {
    case 'rate_limit': {
      const headers: Record<string, string> = {};
      if (error.retryAfterSeconds !== undefined)
        headers['retry-after'] = String(Math.ceil(error.retryAfterSeconds));
      return errorJson(
        429,
        'rate_limit_error',
        `This request would exceed the rate limit for your organization (00000000-0000-0000-0000-000000000000) of ${error.limit ?? 50} requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.`,
        requestId,
        {},
        headers,
      );
    }
    case 'quota':
      // The monthly spend cap: same type as a rate limit, no retry-after, an error_code that says why.
      return errorJson(
        429,
        'rate_limit_error',
        'You have reached your specified API usage limits. You will regain access on 2027-01-01 at 00:00 UTC.',
        requestId,
        { details: { error_code: 'enforced_spend_limit_reached' } },
      );
    case 'server_error':
      return errorJson(500, 'api_error', 'Internal server error', requestId);
    case 'bad_gateway':
      return badGatewayPage();
    case 'unavailable': {
      const headers: Record<string, string> = {};
      if (error.retryAfterSeconds !== undefined)
        headers['retry-after'] = String(Math.ceil(error.retryAfterSeconds));
      return errorJson(503, 'api_error', 'Service unavailable', requestId, {}, headers);
    }
    case 'overloaded':
      return errorJson(529, 'overloaded_error', 'Overloaded', requestId);
    case 'gateway_timeout':
      return errorJson(504, 'timeout_error', 'Request timed out', requestId);
    case 'context_length':
      return errorJson(
        400,
        'invalid_request_error',
        `prompt is too long: ${error.inputTokens} tokens > ${error.window} maximum`,
        requestId,
      );
    case 'content_filter':
      return errorJson(400, 'invalid_request_error', 'Output blocked by content filtering policy', requestId);
    case 'auth':
      return errorJson(
        401,
        'authentication_error',
        error.apiKey === undefined ? 'x-api-key header is required' : 'invalid x-api-key',
        requestId,
      );
    case 'model_not_found':
      return errorJson(404, 'not_found_error', `model: ${error.model}`, requestId);
    case 'prefill_rejected':
      return errorJson(
        400,
        'invalid_request_error',
        'This model does not support assistant message prefill. The conversation must end with a user message.',
        requestId,
      );
    case 'invalid':
      return errorJson(400, 'invalid_request_error', error.message, requestId);
  }
}

function usage(answer: SimAnswer, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: answer.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function stopDetails(answer: SimAnswer): Record<string, unknown> | null {
  return answer.finish === 'refusal' ? { type: 'refusal', category: null, explanation: null } : null;
}

function content(answer: SimAnswer): Record<string, unknown>[] {
  const text = answer.pieces.join('');
  if (answer.type === 'tool_call' && answer.tool !== undefined) {
    return [
      {
        type: 'tool_use',
        id: answer.tool.id.replace('call_', 'toolu_'),
        name: answer.tool.name,
        input: JSON.parse(text),
      },
    ];
  }
  return text === '' ? [] : [{ type: 'text', text }];
}

function body(answer: SimAnswer, context: ReplyContext): string {
  return JSON.stringify({
    id: context.id,
    type: 'message',
    role: 'assistant',
    model: context.request.model,
    content: content(answer),
    stop_reason: stopReasons[answer.finish],
    stop_sequence: answer.stopSequence ?? null,
    stop_details: stopDetails(answer),
    usage: usage(answer, answer.outputTokens),
  });
}

function frame(type: string, data: string): string {
  return `event: ${type}\ndata: ${data}\n\n`;
}

function stream(answer: SimAnswer, context: ReplyContext): StreamPlan {
  const start = {
    type: 'message_start',
    message: {
      id: context.id,
      type: 'message',
      role: 'assistant',
      model: context.request.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      stop_details: null,
      usage: usage(answer, 1),
    },
  };
  const frames = [frame('message_start', JSON.stringify(start)), frame('ping', '{"type": "ping"}')];
  const isTool = answer.type === 'tool_call' && answer.tool !== undefined;
  const hasBlock = isTool || answer.pieces.length > 0;
  if (hasBlock) {
    const block = isTool
      ? {
          type: 'tool_use',
          id: answer.tool?.id.replace('call_', 'toolu_'),
          name: answer.tool?.name,
          input: {},
        }
      : { type: 'text', text: '' };
    frames.push(
      frame(
        'content_block_start',
        JSON.stringify({ type: 'content_block_start', index: 0, content_block: block }),
      ),
    );
  }
  const contentStart = frames.length;
  for (const piece of answer.pieces) {
    const delta = isTool
      ? `{"type":"input_json_delta","partial_json":${JSON.stringify(piece)}}`
      : `{"type":"text_delta","text":${JSON.stringify(piece)}}`;
    frames.push(frame('content_block_delta', `{"type":"content_block_delta","index":0,"delta":${delta}}`));
  }
  const contentEnd = frames.length;
  if (hasBlock) frames.push(frame('content_block_stop', '{"type":"content_block_stop","index":0}'));
  frames.push(
    frame(
      'message_delta',
      JSON.stringify({
        type: 'message_delta',
        delta: {
          stop_reason: stopReasons[answer.finish],
          stop_sequence: answer.stopSequence ?? null,
          stop_details: stopDetails(answer),
        },
        usage: usage(answer, answer.outputTokens),
      }),
    ),
  );
  frames.push(frame('message_stop', '{"type":"message_stop"}'));
  return {
    frames,
    contentStart,
    contentEnd,
    terminatorFrames: 1,
    errorFrame: frame('error', '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}'),
    malformedFrame:
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_de\n\n',
  };
}

function headers(requestId: string): Record<string, string> {
  return { 'request-id': requestId, 'anthropic-organization-id': '00000000-0000-0000-0000-000000000000' };
}

function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  const out: Record<string, string> = {};
  const reset = new Date(state.resetAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (state.requestsLimit !== undefined) {
    out['anthropic-ratelimit-requests-limit'] = String(state.requestsLimit);
    out['anthropic-ratelimit-requests-remaining'] = String(state.requestsRemaining);
    out['anthropic-ratelimit-requests-reset'] = reset;
  }
  if (state.tokensLimit !== undefined) {
    for (const what of ['tokens', 'input-tokens']) {
      out[`anthropic-ratelimit-${what}-limit`] = String(state.tokensLimit);
      out[`anthropic-ratelimit-${what}-remaining`] = String(state.tokensRemaining);
      out[`anthropic-ratelimit-${what}-reset`] = reset;
    }
  }
  return out;
}

/** Anthropic Messages: `event:` + `data:` SSE pairs, `ping`, cumulative usage, `request-id`. */
export const anthropicFormat: WireFormat = {
  api: 'anthropic',
  parse,
  error,
  body,
  stream,
  headers,
  rateLimitHeaders,
  streamContentType: 'text/event-stream; charset=utf-8',
};
