/** A JSON Schema, as tools and structured output carry it. */
export type JsonSchema = { readonly [key: string]: unknown };

/** Plain text. */
export interface TextPart {
  type: 'text';
  text: string;
}

/** An image, by URL (https or data:) or as base64 bytes with their media type. */
export interface ImagePart {
  type: 'image';
  /** An `https:` or `data:` URL. */
  url?: string;
  /** Base64-encoded bytes, when no URL is given. */
  data?: string;
  /** e.g. `image/png`; required with `data`. */
  mediaType?: string;
}

/** A call the model made to one of the offered tools. */
export interface ToolCallPart {
  type: 'tool-call';
  /** The provider's call id, echoed back in the matching result. */
  id: string;
  name: string;
  /** The arguments as JSON text, exactly as the model produced them (they may not parse). */
  arguments: string;
}

/** The result of a tool call, sent back to the model. */
export interface ToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  /** The tool's name; Gemini needs it to match the call. */
  toolName: string;
  /** The result as text (JSON text for structured results). */
  content: string;
  /** The tool failed; `content` says how. */
  isError?: boolean;
}

/** One turn of the conversation. */
export type Message =
  | { role: 'user'; content: string | Array<TextPart | ImagePart> }
  | { role: 'assistant'; content: string | Array<TextPart | ToolCallPart> }
  | { role: 'tool'; content: ToolResultPart[] };

/** A function the model may call. */
export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters: JsonSchema;
  /** Ask the provider to enforce the schema exactly, where it can (OpenAI `strict`, Anthropic `strict`). */
  strict?: boolean;
}

/** Whether and which tool the model must call. @default 'auto' */
export type ToolChoice = 'auto' | 'none' | 'required' | { tool: string };

/** The shape the answer must take. @default { type: 'text' } */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | { type: 'json_schema'; schema: JsonSchema; name?: string; description?: string; strict?: boolean };

/** Wire formats a request can arrive in or go out as. */
export type WireFormat = 'openai-chat' | 'anthropic-messages' | 'gemini';

/**
 * One chat request, independent of any provider. Adapters translate it to and from their wire format.
 * Fields a provider lacks are dropped by its adapter and reported; provider-specific settings travel
 * in `providerOptions`.
 */
export interface ChatRequest {
  /** The model (or route alias) asked for. */
  model: string;
  /** Instructions that frame the conversation (OpenAI system/developer message, Anthropic `system`, Gemini `systemInstruction`). */
  system?: string;
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  /** Output token limit. Anthropic requires one; its adapter supplies the catalog's maximum when absent. */
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  seed?: number;
  /** An end-user id, for the provider's abuse monitoring. */
  user?: string;
  metadata?: Record<string, string>;
  /**
   * Provider-native fields, by adapter type (`openai`, `anthropic`, `gemini`), merged into the wire
   * body as they are: e.g. `{ openai: { reasoning_effort: 'low' }, anthropic: { thinking: {...} } }`.
   */
  providerOptions?: Record<string, Record<string, unknown>>;
  /**
   * The body as the caller sent it, when it arrived in a wire format (through the gateway). An adapter
   * of the same format sends it on unchanged but for the model, so that nothing the caller sent is lost.
   */
  original?: { format: WireFormat; body: Record<string, unknown> };
}
