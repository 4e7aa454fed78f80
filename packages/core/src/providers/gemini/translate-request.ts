import type { ChatRequest, Message, ToolChoice } from '../../neutral/request.ts';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseObject(text: string): Json {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Json)
      : { result: value };
  } catch {
    return { result: text };
  }
}

function parts(message: Message): Json[] {
  switch (message.role) {
    case 'user':
      if (typeof message.content === 'string') return [{ text: message.content }];
      return message.content.map((part) => {
        if (part.type === 'text') return { text: part.text };
        const dataUrl = part.url === undefined ? undefined : /^data:([^;]+);base64,(.*)$/s.exec(part.url);
        if (part.url !== undefined && dataUrl === null) {
          return { fileData: { fileUri: part.url, mimeType: part.mediaType ?? 'image/png' } };
        }
        return {
          inlineData: {
            mimeType: dataUrl?.[1] ?? part.mediaType ?? 'image/png',
            data: dataUrl?.[2] ?? part.data ?? '',
          },
        };
      });
    case 'assistant':
      if (typeof message.content === 'string') return [{ text: message.content }];
      return message.content.map((part) =>
        part.type === 'text'
          ? { text: part.text }
          : { functionCall: { id: part.id, name: part.name, args: parseObject(part.arguments) } },
      );
    case 'tool':
      // Gemini matches a function response to its call by name; the response must be an object.
      return message.content.map((result) => ({
        functionResponse: {
          id: result.toolCallId,
          name: result.toolName,
          response: parseObject(result.content),
        },
      }));
  }
}

function contents(request: ChatRequest): Json[] {
  const out: Array<{ role: string; parts: Json[] }> = [];
  for (const message of request.messages) {
    const role = message.role === 'assistant' ? 'model' : 'user';
    const previous = out.at(-1);
    if (previous !== undefined && previous.role === role) previous.parts.push(...parts(message));
    else out.push({ role, parts: parts(message) });
  }
  return out;
}

function toolConfig(choice: ToolChoice): Json {
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.tool] } };
}

/** The `generateContent` body for a neutral request. */
export function toGeminiBody(request: ChatRequest): Json {
  if (request.original?.format === 'gemini') return { ...request.original.body };
  const body: Json = { contents: contents(request) };
  if (request.system !== undefined) body.systemInstruction = { parts: [{ text: request.system }] };
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = [
      {
        functionDeclarations: request.tools.map((tool) => {
          const fn: Json = { name: tool.name, parametersJsonSchema: tool.parameters };
          if (tool.description !== undefined) fn.description = tool.description;
          return fn;
        }),
      },
    ];
    if (request.toolChoice !== undefined) body.toolConfig = toolConfig(request.toolChoice);
  }
  const config: Json = {};
  if (request.maxOutputTokens !== undefined) config.maxOutputTokens = request.maxOutputTokens;
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) config.stopSequences = request.stop;
  if (request.seed !== undefined) config.seed = request.seed;
  if (request.responseFormat?.type === 'json') config.responseMimeType = 'application/json';
  if (request.responseFormat?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    config.responseJsonSchema = request.responseFormat.schema;
  }
  if (Object.keys(config).length > 0) body.generationConfig = config;
  const extra = request.providerOptions?.gemini;
  if (extra !== undefined) {
    Object.assign(body, extra);
    // Most of Gemini's own settings (thinkingConfig, topK, …) live in generationConfig: merge it one
    // level deep, so that they do not drop the output limit or the JSON schema translated above.
    if (isObject(extra.generationConfig)) body.generationConfig = { ...config, ...extra.generationConfig };
  }
  return body;
}
