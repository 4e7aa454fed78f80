export type {
  ChatRequest,
  ImagePart,
  JsonSchema,
  Message,
  ResponseFormat,
  TextPart,
  ToolCallPart,
  ToolChoice,
  ToolDefinition,
  ToolResultPart,
  WireFormat,
} from './request.ts';
export type { ChatResponse, FinishReason, Timings, Usage } from './response.ts';
export type { StreamEvent } from './stream-event.ts';
