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
import { azureFilterResults, errorBody, openAiErrors } from './openai-errors.ts';
import {
  goDuration,
  obfuscation,
  type RateLimitState,
  type ReplyContext,
  type StreamPlan,
  type WireFormat,
} from './types.ts';

const finishReasons: Record<SimAnswer['finish'], string> = {
  stop: 'stop',
  stop_sequence: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  refusal: 'stop',
};

function readTools(value: unknown): OfferedTool[] {
  if (!Array.isArray(value)) return [];
  const tools: OfferedTool[] = [];
  for (const tool of value) {
    if (isRecord(tool) && isRecord(tool.function) && typeof tool.function.name === 'string') {
      const parameters = isRecord(tool.function.parameters)
        ? (tool.function.parameters as JsonSchema)
        : undefined;
      tools.push({ name: tool.function.name, parameters });
    }
  }
  return tools;
}

function forcedTool(choice: unknown, tools: OfferedTool[]): string | undefined {
  if (choice === 'required') return tools[0]?.name;
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string') {
    return choice.function.name;
  }
  return undefined;
}

function readJson(format: unknown): SimRequest['json'] {
  if (!isRecord(format)) return undefined;
  if (format.type === 'json_object') return { schema: undefined };
  if (format.type === 'json_schema' && isRecord(format.json_schema)) {
    const schema = format.json_schema.schema;
    return { schema: isRecord(schema) ? (schema as JsonSchema) : undefined };
  }
  return undefined;
}

function bearer(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers.authorization;
  const text = Array.isArray(value) ? value[0] : value;
  return text?.startsWith('Bearer ') ? text.slice(7) : undefined;
}

/**
 * OpenAI Chat Completions, and with `azure` the Azure OpenAI flavour of it: deployment URLs,
 * `api-key`, a filter-only first stream chunk, `content_filter_results` in every choice, and Azure's
 * own 401 / 429 bodies (`code: "429"`, no `type`).
 */
export function openAiFormat(azure: boolean): WireFormat {
  function parse(
    body: unknown,
    model: string | undefined,
    headers: Record<string, string | string[] | undefined>,
  ): SimRequest {
    if (!isRecord(body)) throw new InvalidRequest('The request body must be a JSON object.');
    const name = model ?? body.model;
    if (typeof name !== 'string' || name === '') {
      throw new InvalidRequest('you must provide a model parameter', 'model');
    }
    const messages = body.messages;
    if (!Array.isArray(messages) || messages.length === 0) {
      throw new InvalidRequest("Missing required parameter: 'messages'.", 'messages');
    }
    const last = messages[messages.length - 1];
    // `tool_choice: "none"` forbids calls, so the model answers in text even when it would call a tool.
    const tools = body.tool_choice === 'none' ? [] : readTools(body.tools);
    const options = isRecord(body.stream_options) ? body.stream_options : {};
    const maxTokens = body.max_completion_tokens ?? body.max_tokens;
    const apiKeyHeader = headers['api-key'];
    return {
      api: azure ? 'azure' : 'openai',
      model: name,
      stream: body.stream === true,
      includeUsage: options.include_usage === true,
      includeObfuscation: !azure && options.include_obfuscation !== false,
      maxTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
      prefix: isRecord(last) && last.role === 'assistant' ? contentText(last.content) : undefined,
      json: readJson(body.response_format),
      tools,
      forcedTool: forcedTool(body.tool_choice, tools),
      afterToolResult: isRecord(last) && last.role === 'tool',
      stop: stopList(body.stop),
      inputTokens: estimateTokens(textLength(messages) + textLength(body.tools), messages.length),
      apiKey: (Array.isArray(apiKeyHeader) ? apiKeyHeader[0] : apiKeyHeader) ?? bearer(headers),
    };
  }

  const error = openAiErrors(azure);

  function message(answer: SimAnswer): Record<string, unknown> {
    const text = answer.pieces.join('');
    if (answer.type === 'refusal')
      return { role: 'assistant', content: null, refusal: text, annotations: [] };
    if (answer.type === 'tool_call' && answer.tool !== undefined) {
      return {
        role: 'assistant',
        content: null,
        refusal: null,
        annotations: [],
        tool_calls: [
          { id: answer.tool.id, type: 'function', function: { name: answer.tool.name, arguments: text } },
        ],
      };
    }
    return { role: 'assistant', content: text, refusal: null, annotations: [] };
  }

  function usage(answer: SimAnswer): Record<string, unknown> {
    return {
      prompt_tokens: answer.inputTokens,
      completion_tokens: answer.outputTokens,
      total_tokens: answer.inputTokens + answer.outputTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    };
  }

  function body(answer: SimAnswer, context: ReplyContext): string {
    const choice: Record<string, unknown> = {
      index: 0,
      message: message(answer),
      logprobs: null,
      finish_reason: finishReasons[answer.finish],
    };
    if (azure) choice.content_filter_results = azureFilterResults;
    const response: Record<string, unknown> = {
      id: context.id,
      object: 'chat.completion',
      created: context.created,
      model: context.request.model,
      choices: [choice],
      usage: usage(answer),
      service_tier: 'default',
      system_fingerprint: 'fp_simulator',
    };
    if (azure)
      response.prompt_filter_results = [{ prompt_index: 0, content_filter_results: azureFilterResults }];
    return JSON.stringify(response);
  }

  function stream(answer: SimAnswer, context: ReplyContext): StreamPlan {
    const { request } = context;
    const head = `{"id":"${context.id}","object":"chat.completion.chunk","created":${context.created},"model":${JSON.stringify(request.model)},"service_tier":"default","system_fingerprint":"fp_simulator","choices":[`;
    const usageField = request.includeUsage ? ',"usage":null' : '';
    const filter = azure ? ',"content_filter_results":{}' : '';
    let index = 0;
    const chunk = (delta: string, finish: string | null): string => {
      const pad = request.includeObfuscation ? `,"obfuscation":"${obfuscation(index++)}"` : '';
      return `data: ${head}{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish === null ? 'null' : `"${finish}"`}${filter}}]${usageField}${pad}}\n\n`;
    };
    const frames: string[] = [];
    if (azure) {
      frames.push(
        `data: ${JSON.stringify({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: azureFilterResults }] })}\n\n`,
      );
    }
    frames.push(chunk('{"role":"assistant","content":"","refusal":null}', null));
    const contentStart = frames.length;
    if (answer.type === 'tool_call' && answer.tool !== undefined) {
      const first = JSON.stringify({
        tool_calls: [
          {
            index: 0,
            id: answer.tool.id,
            type: 'function',
            function: { name: answer.tool.name, arguments: '' },
          },
        ],
      });
      frames.push(chunk(first, null));
      for (const piece of answer.pieces) {
        frames.push(
          chunk(`{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(piece)}}}]}`, null),
        );
      }
    } else {
      const field = answer.type === 'refusal' ? 'refusal' : 'content';
      for (const piece of answer.pieces) frames.push(chunk(`{"${field}":${JSON.stringify(piece)}}`, null));
    }
    const contentEnd = frames.length;
    frames.push(chunk('{}', finishReasons[answer.finish]));
    if (request.includeUsage) frames.push(`data: ${head}],"usage":${JSON.stringify(usage(answer))}}\n\n`);
    frames.push('data: [DONE]\n\n');
    return {
      frames,
      contentStart,
      contentEnd,
      // A stream missing its terminator ends cleanly after the finish (and usage) chunk, without [DONE].
      terminatorFrames: 1,
      errorFrame: `data: ${errorBody('The server had an error while processing your request. Sorry about that!', 'server_error', null)}\n\n`,
      malformedFrame: `data: ${head}{"index":0,"delta":{"content":"unterminated\n\n`,
    };
  }

  function headers(requestId: string): Record<string, string> {
    if (azure) {
      return { 'x-request-id': requestId, 'apim-request-id': requestId, 'x-ms-region': 'Sweden Central' };
    }
    return {
      'x-request-id': requestId,
      'openai-version': '2020-10-01',
      'openai-organization': 'org-simulator',
    };
  }

  function rateLimitHeaders(state: RateLimitState): Record<string, string> {
    const out: Record<string, string> = {};
    const reset = azure ? String(Math.ceil(state.resetMs / 1000)) : goDuration(state.resetMs);
    if (state.requestsLimit !== undefined) {
      out['x-ratelimit-limit-requests'] = String(state.requestsLimit);
      out['x-ratelimit-remaining-requests'] = String(state.requestsRemaining);
      out['x-ratelimit-reset-requests'] = reset;
    }
    if (state.tokensLimit !== undefined) {
      out['x-ratelimit-limit-tokens'] = String(state.tokensLimit);
      out['x-ratelimit-remaining-tokens'] = String(state.tokensRemaining);
      out['x-ratelimit-reset-tokens'] = reset;
    }
    return out;
  }

  return {
    api: azure ? 'azure' : 'openai',
    parse,
    error,
    body,
    stream,
    headers,
    rateLimitHeaders,
    streamContentType: 'text/event-stream; charset=utf-8',
  };
}
