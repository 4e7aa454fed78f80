/**
 * What the adapters put on the wire. The simulator keeps no request bodies, so the client's `fetch` keeps
 * them instead: every request is recorded as it leaves, then sent unchanged.
 */

/** One request an adapter sent to the simulator: where to, and its JSON body. */
export interface SentRequest {
  url: string;
  body: Record<string, unknown>;
}

/** A `fetch` that records each request's URL and JSON body in `sent`, then sends it as it is. */
export function recordingFetch(sent: SentRequest[]): typeof fetch {
  return function recordThenFetch(input, init) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    sent.push({ url, body });
    return fetch(input, init);
  };
}

/** How a request asked for JSON: a schema the provider enforces, JSON mode without one, or not at all. */
export type JsonMode =
  | { type: 'json_schema'; schema: unknown }
  | { type: 'json' }
  /** Nothing on the wire asks for JSON (Anthropic has no JSON mode: instructions alone ask there). */
  | { type: 'text' };

/** A request body read the same way whatever its wire format. */
export interface SentView {
  jsonMode: JsonMode;
  /** The system prompt, if the request had one. */
  system: string | undefined;
  /** The conversation, turn by turn (the system prompt apart). */
  turns: Turn[];
  /** Its last turn. */
  last: Turn;
}

/** One turn of a conversation: who speaks, and its text. */
export interface Turn {
  role: 'user' | 'assistant';
  text: string;
}

function conversation(turns: Turn[], system: string | undefined, jsonMode: JsonMode): SentView {
  return { jsonMode, system, turns, last: turns.at(-1) ?? { role: 'user', text: '' } };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The text of `content` given as a string, or as blocks / parts with a `text`. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return list(content)
    .map((block) => record(block).text)
    .filter((text): text is string => typeof text === 'string')
    .join('');
}

function openAiView(body: Record<string, unknown>): SentView {
  const format = record(body.response_format);
  const messages = list(body.messages).map(record);
  const system = messages.find((message) => message.role === 'system');
  return conversation(
    messages
      .filter((message) => message !== system)
      .map((message) => ({
        role: message.role === 'assistant' ? 'assistant' : 'user',
        text: textOf(message.content),
      })),
    system === undefined ? undefined : textOf(system.content),
    format.type === 'json_schema'
      ? { type: 'json_schema', schema: record(format.json_schema).schema }
      : format.type === 'json_object'
        ? { type: 'json' }
        : { type: 'text' },
  );
}

function anthropicView(body: Record<string, unknown>): SentView {
  const format = record(record(body.output_config).format);
  return conversation(
    list(body.messages)
      .map(record)
      .map((message) => ({
        role: message.role === 'assistant' ? 'assistant' : 'user',
        text: textOf(message.content),
      })),
    body.system === undefined ? undefined : textOf(body.system),
    format.type === 'json_schema' ? { type: 'json_schema', schema: format.schema } : { type: 'text' },
  );
}

function geminiView(body: Record<string, unknown>): SentView {
  const config = record(body.generationConfig);
  const instruction = body.systemInstruction;
  return conversation(
    list(body.contents)
      .map(record)
      .map((content) => ({
        role: content.role === 'model' ? 'assistant' : 'user',
        text: textOf(content.parts),
      })),
    instruction === undefined ? undefined : textOf(record(instruction).parts),
    config.responseJsonSchema !== undefined
      ? { type: 'json_schema', schema: config.responseJsonSchema }
      : config.responseMimeType === 'application/json'
        ? { type: 'json' }
        : { type: 'text' },
  );
}

/** Reads a sent request in the terms of its wire format (told apart by its URL). */
export function viewOf(sent: SentRequest): SentView {
  if (sent.url.endsWith('/chat/completions')) return openAiView(sent.body);
  if (sent.url.endsWith('/messages')) return anthropicView(sent.body);
  if (/:(stream)?generateContent/i.test(sent.url)) return geminiView(sent.body);
  throw new Error(`No view of a request to ${sent.url}`);
}
