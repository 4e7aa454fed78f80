import type { ChatRequest, Message, ResponseFormat, ToolChoice } from '../../neutral/request.ts';
import type { OpenAiQuirks } from './quirks.ts';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function userContent(content: Extract<Message, { role: 'user' }>['content']): unknown {
  if (typeof content === 'string') return content;
  return content.map((part) => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    const url = part.url ?? `data:${part.mediaType ?? 'image/png'};base64,${part.data ?? ''}`;
    return { type: 'image_url', image_url: { url } };
  });
}

function messages(request: ChatRequest): Json[] {
  const out: Json[] = [];
  if (request.system !== undefined) out.push({ role: 'system', content: request.system });
  for (const message of request.messages) {
    switch (message.role) {
      case 'user':
        out.push({ role: 'user', content: userContent(message.content) });
        break;
      case 'assistant': {
        if (typeof message.content === 'string') {
          out.push({ role: 'assistant', content: message.content });
          break;
        }
        const text = message.content
          .filter((part) => part.type === 'text')
          .map((part) => part.text)
          .join('');
        const calls = message.content
          .filter((part) => part.type === 'tool-call')
          .map((part) => ({
            id: part.id,
            type: 'function',
            function: { name: part.name, arguments: part.arguments },
          }));
        const turn: Json = { role: 'assistant', content: text === '' && calls.length > 0 ? null : text };
        if (calls.length > 0) turn.tool_calls = calls;
        out.push(turn);
        break;
      }
      case 'tool':
        for (const result of message.content) {
          out.push({ role: 'tool', tool_call_id: result.toolCallId, content: result.content });
        }
        break;
    }
  }
  return out;
}

function toolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.tool } };
}

function responseFormat(format: ResponseFormat): unknown {
  switch (format.type) {
    case 'text':
      return { type: 'text' };
    case 'json':
      return { type: 'json_object' };
    case 'json_schema': {
      const spec: Json = { name: format.name ?? 'response', schema: format.schema };
      if (format.description !== undefined) spec.description = format.description;
      if (format.strict !== undefined) spec.strict = format.strict;
      return { type: 'json_schema', json_schema: spec };
    }
  }
}

/** The Chat Completions body for a neutral request. */
export function toOpenAiBody(
  request: ChatRequest,
  model: string,
  stream: boolean,
  quirks: OpenAiQuirks,
): Json {
  if (request.original?.format === 'openai-chat') {
    // Same wire format: what the caller sent goes on unchanged, unknown fields included.
    const body: Json = { ...request.original.body, model };
    if (stream) {
      body.stream = true;
    } else {
      delete body.stream;
      // OpenAI (and vLLM) reject `stream_options` on a call that does not stream.
      delete body.stream_options;
    }
    return body;
  }
  const body: Json = { model, messages: messages(request) };
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => {
      const fn: Json = { name: tool.name, parameters: tool.parameters };
      if (tool.description !== undefined) fn.description = tool.description;
      if (tool.strict !== undefined) fn.strict = tool.strict;
      return { type: 'function', function: fn };
    });
  }
  if (request.toolChoice !== undefined) body.tool_choice = toolChoice(request.toolChoice);
  if (request.responseFormat !== undefined) body.response_format = responseFormat(request.responseFormat);
  if (request.maxOutputTokens !== undefined) body[quirks.maxTokensField] = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.user !== undefined) body.user = request.user;
  if (request.metadata !== undefined && quirks.metadata) body.metadata = request.metadata;
  if (stream) {
    body.stream = true;
    if (quirks.streamUsage) body.stream_options = { include_usage: true };
  }
  const extra = request.providerOptions?.openai;
  if (extra !== undefined) {
    const streamOptions = body.stream_options;
    Object.assign(body, extra);
    // One level deep for the object we fill: `stream_options: { include_obfuscation: false }` must not
    // drop `include_usage`, or the usage chunk is never sent.
    if (isObject(streamOptions) && isObject(extra.stream_options)) {
      body.stream_options = { ...streamOptions, ...extra.stream_options };
    }
  }
  return body;
}
