import type {
  ChatRequest,
  ChatResult,
  SteadfastError,
  StreamEvent,
  UserMessageOptions,
  WireFormat,
} from '@steadfast/core';

/** A client's request, read from its wire format. */
export interface DecodedRequest {
  /** The neutral request; `original` holds the body exactly as the client sent it. */
  request: ChatRequest;
  /** The client asked for a server-sent event stream. */
  stream: boolean;
  /**
   * The stream must end with a usage chunk: OpenAI `stream_options.include_usage`. Always true for the
   * Messages API, whose streams always carry usage.
   */
  includeUsage: boolean;
  /**
   * What the neutral request could not carry, as `path (what)`: audio or file parts, server tools,
   * thinking blocks. It reaches an upstream of the client's own format through `original`; for any other
   * upstream it would be lost, so the server reports it or refuses the request, by route policy.
   */
  untranslatable: string[];
}

const brand = Symbol.for('steadfast.codec-error');

/**
 * A request body the gateway refuses before any provider sees it: a 400 whose message says what is
 * wrong and where (`messages[2].content: expected a string or an array of parts, got a number`). The
 * message is built from field names and JSON types only, never from the values the client sent.
 */
export class CodecError extends Error {
  /** Always 400: the body is malformed for every upstream. */
  readonly status = 400;
  /** The path of the offending field (`messages[2].content`), or null for the body as a whole. */
  readonly param: string | null;

  constructor(message: string, param: string | null) {
    super(message);
    this.name = 'CodecError';
    this.param = param;
  }

  /** True for a CodecError, even one made by another copy of this package. */
  static isInstance(value: unknown): value is CodecError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}

Object.defineProperty(CodecError.prototype, brand, { value: true });

/** What every response of one request shares. */
export interface ResponseContext {
  /** The response id the client sees (`chatcmpl-…`, `msg_…`). */
  id: string;
  /** When the response was created, in epoch seconds (OpenAI `created`). */
  created: number;
}

/** What a stream encoder needs besides the events. */
export interface StreamContext extends ResponseContext {
  /** Send the usage chunk before the end (OpenAI `stream_options.include_usage`). */
  includeUsage: boolean;
  /** The gateway's request id, quoted in a mid-stream error so that the client can report it. */
  requestId?: string;
  /** The language and wording of error messages. @default English */
  messages?: UserMessageOptions;
}

/** Turns neutral stream events into the client's SSE text, one call per event. */
export interface StreamEncoder {
  /** The SSE text for one event: possibly several frames, possibly none (`''`). Nothing after the end. */
  encode(event: StreamEvent): string;
  /** A failure after the stream began, in the API's own form; it ends the stream without a clean finish. */
  error(error: SteadfastError): string;
  /** A frame every client ignores, to keep idle connections and proxies from timing out. */
  keepAlive(): string;
}

/** An error response: its status, the headers it needs and the JSON body. */
export interface ErrorReply<Body> {
  status: number;
  /** `x-should-retry` always; `retry-after` and `retry-after-ms` when the upstream asked for a wait. */
  headers: Record<string, string>;
  body: Body;
}

/** One client-facing API, so that the server can treat the OpenAI and Anthropic endpoints alike. */
export interface IngressCodec {
  readonly format: Extract<WireFormat, 'openai-chat' | 'anthropic-messages'>;
  /** Validates and reads a request body; throws a CodecError for a malformed one. */
  decode(body: unknown): DecodedRequest;
  /** The response body of a finished (non-streamed) answer. */
  encode(result: ChatResult, context: ResponseContext): object;
  streamEncoder(context: StreamContext): StreamEncoder;
  /** The error response for a failure before any byte of the answer was sent. */
  errorBody(
    error: SteadfastError | CodecError,
    requestId: string,
    messages?: UserMessageOptions,
  ): ErrorReply<object>;
}
