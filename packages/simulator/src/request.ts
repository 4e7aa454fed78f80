import type { Api } from './scenario.ts';

/** A JSON Schema (or Gemini OpenAPI subset) as the simulator reads it to shape JSON answers. */
export type JsonSchema = { readonly [key: string]: unknown };

/** A tool offered by the caller. */
export interface OfferedTool {
  name: string;
  parameters: JsonSchema | undefined;
}

/** What the simulator needs to know of a request, whatever wire format it came in. */
export interface SimRequest {
  api: Api;
  model: string;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`. */
  includeUsage: boolean;
  /** OpenAI `stream_options.include_obfuscation` (on unless set to false). */
  includeObfuscation: boolean;
  /** The output token limit the request set. */
  maxTokens: number | undefined;
  /** Text of a trailing assistant message: the answer continues from it. */
  prefix: string | undefined;
  /** JSON output was asked for; with a schema when one was given. */
  json: { schema: JsonSchema | undefined } | undefined;
  tools: OfferedTool[];
  /** The tool choice demands a call: `any` tool or one by name. */
  forcedTool: string | undefined;
  /** The last message is a tool result, so the model answers in text. */
  afterToolResult: boolean;
  stop: string[];
  /** Estimated prompt tokens (4 characters a token, plus a few per message). */
  inputTokens: number;
  /** The API key the request carried, if any. */
  apiKey: string | undefined;
}

/** A request the simulator rejects before any fault, as the real API would (HTTP 400). */
export class InvalidRequest extends Error {
  readonly param: string | undefined;

  constructor(message: string, param?: string) {
    super(message);
    this.param = param;
  }
}

/** Characters of all text in a JSON value, for a cheap prompt-size estimate. */
export function textLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) {
    let total = 0;
    for (const item of value) total += textLength(item);
    return total;
  }
  if (typeof value === 'object' && value !== null) {
    let total = 0;
    for (const key in value) total += textLength((value as Record<string, unknown>)[key]);
    return total;
  }
  return 0;
}

/** Tokens for a prompt of `chars` characters over `messages` messages. */
export function estimateTokens(chars: number, messages: number): number {
  return Math.ceil(chars / 4) + messages * 3;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of message content given as a string or as typed blocks (`{type:"text", text}`). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const block of content) {
    if (isRecord(block) && typeof block.text === 'string') text += block.text;
  }
  return text;
}

export function stopList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}
