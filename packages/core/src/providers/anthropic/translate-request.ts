import type { ChatRequest, Message, ToolChoice } from '../../neutral/request.ts';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseArguments(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : { value };
  } catch {
    // Anthropic needs an object; an unparseable argument string is kept visible rather than lost.
    return { _unparsed: text };
  }
}

function blocks(message: Message): Json[] {
  switch (message.role) {
    case 'user':
      if (typeof message.content === 'string') return [{ type: 'text', text: message.content }];
      return message.content.map((part) => {
        if (part.type === 'text') return { type: 'text', text: part.text };
        if (part.url !== undefined && !part.url.startsWith('data:')) {
          return { type: 'image', source: { type: 'url', url: part.url } };
        }
        const dataUrl = part.url === undefined ? undefined : /^data:([^;]+);base64,(.*)$/s.exec(part.url);
        return {
          type: 'image',
          source: {
            type: 'base64',
            media_type: dataUrl?.[1] ?? part.mediaType ?? 'image/png',
            data: dataUrl?.[2] ?? part.data ?? '',
          },
        };
      });
    case 'assistant':
      if (typeof message.content === 'string') return [{ type: 'text', text: message.content }];
      // Anthropic rejects an empty text block ("text content blocks must be non-empty"); OpenAI-style
      // history often has `content: ""` beside tool calls.
      return message.content
        .filter((part) => part.type !== 'text' || part.text !== '')
        .map((part) =>
          part.type === 'text'
            ? { type: 'text', text: part.text }
            : { type: 'tool_use', id: part.id, name: part.name, input: parseArguments(part.arguments) },
        );
    case 'tool':
      return message.content.map((result) => {
        const block: Json = { type: 'tool_result', tool_use_id: result.toolCallId, content: result.content };
        if (result.isError === true) block.is_error = true;
        return block;
      });
  }
}

/** Anthropic alternates user and assistant turns: tool results are user turns, and neighbours merge. */
function messages(request: ChatRequest): Json[] {
  const out: Array<{ role: string; content: Json[] }> = [];
  for (const message of request.messages) {
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const previous = out.at(-1);
    if (previous !== undefined && previous.role === role) previous.content.push(...blocks(message));
    else out.push({ role, content: blocks(message) });
  }
  // A plain-text turn goes as a string, as most callers write it.
  return out.map((turn) => {
    const only = turn.content[0];
    return turn.content.length === 1 && only?.type === 'text'
      ? { role: turn.role, content: only.text }
      : { role: turn.role, content: turn.content };
  });
}

function toolChoice(choice: ToolChoice): Json {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  return { type: 'tool', name: choice.tool };
}

/** Fields of a neutral request that Anthropic's API has no place for. */
export function anthropicDroppedFields(request: ChatRequest): string[] {
  const dropped: string[] = [];
  if (request.seed !== undefined) dropped.push('seed');
  if (request.responseFormat?.type === 'json') dropped.push('responseFormat');
  // Anthropic's `metadata` takes only `user_id` (sent from `user`); free-form tags have no place.
  if (request.metadata !== undefined) dropped.push('metadata');
  return dropped;
}

/** The Messages API body for a neutral request. */
export function toAnthropicBody(
  request: ChatRequest,
  model: string,
  stream: boolean,
  defaultMaxTokens: number,
): Json {
  if (request.original?.format === 'anthropic-messages') {
    const body: Json = { ...request.original.body, model };
    if (stream) body.stream = true;
    else delete body.stream;
    return body;
  }
  const body: Json = {
    model,
    // Required by Anthropic; the adapter's default stands in when the caller set none.
    max_tokens: request.maxOutputTokens ?? defaultMaxTokens,
    messages: messages(request),
  };
  if (request.system !== undefined) body.system = request.system;
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => {
      const out: Json = { name: tool.name, input_schema: tool.parameters };
      if (tool.description !== undefined) out.description = tool.description;
      if (tool.strict !== undefined) out.strict = tool.strict;
      return out;
    });
  }
  if (request.toolChoice !== undefined && (request.tools?.length ?? 0) > 0) {
    body.tool_choice = toolChoice(request.toolChoice);
  }
  if (request.responseFormat?.type === 'json_schema') {
    body.output_config = { format: { type: 'json_schema', schema: request.responseFormat.schema } };
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) body.stop_sequences = request.stop;
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  if (stream) body.stream = true;
  const extra = request.providerOptions?.anthropic;
  if (extra !== undefined) {
    const outputConfig = body.output_config;
    Object.assign(body, extra);
    // One level deep for the object we fill: `output_config: { effort }` must not drop the JSON format.
    if (isObject(outputConfig) && isObject(extra.output_config)) {
      body.output_config = { ...outputConfig, ...extra.output_config };
    }
  }
  return body;
}
