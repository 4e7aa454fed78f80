import type { JsonSchema, SimRequest } from './request.ts';
import type { Fault, ModelBehaviour } from './scenario.ts';

/** The neutral answer the wire formats render. */
export interface SimAnswer {
  type: 'text' | 'tool_call' | 'refusal' | 'blocked';
  /** Output pieces, one per token: text, tool-call argument fragments, or refusal text. */
  pieces: string[];
  /** Why generation stopped, in neutral terms. */
  finish: 'stop' | 'length' | 'tool_calls' | 'refusal' | 'stop_sequence';
  stopSequence: string | undefined;
  tool: { id: string; name: string } | undefined;
  inputTokens: number;
  outputTokens: number;
}

const corpus = (
  'Steadfast keeps language model features working when provider APIs fail. It retries transient ' +
  'errors with backoff and jitter, honours retry-after, moves to the next model in a fallback chain, ' +
  'opens a circuit breaker when a provider is down, and serves a cached answer when nothing else can. ' +
  'Every failure becomes a typed event with a kind, so that dashboards and alerts show what happened.'
).split(' ');

const defaultReplyTokens = 24;
export const refusalPhrase = "I'm sorry, but I can't help with that request.";

/** The model's full answer text for this request, before any prefix, limit or fault applies. */
function fullText(behaviour: ModelBehaviour, request: SimRequest): string {
  if (request.json !== undefined)
    return behaviour.jsonReply ?? JSON.stringify(sampleJson(request.json.schema));
  if (behaviour.reply !== undefined) return behaviour.reply;
  return generatedText(behaviour.replyTokens ?? defaultReplyTokens);
}

// `replyTokens` counts pieces as splitTokens cuts them, not words: a word longer than 8 characters
// ("Steadfast") is two pieces, so whole words would give more tokens than asked for. The trailing
// space lets the text wrap around to the start.
const corpusPieces = splitTokens(`${corpus.join(' ')} `);

/** The first `count` pieces of the corpus, wrapping around. */
function generatedText(count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += corpusPieces[i % corpusPieces.length] as string;
  return text.trimEnd();
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Splits text into token-sized pieces: a word and the space after it, long runs cut at 8 characters. */
export function splitTokens(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = start;
    while (end < text.length && end - start < 8 && text[end] !== ' ') end++;
    // Keep a surrogate pair (an emoji, say) in one piece: half of one is not a character.
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end++;
    while (end < text.length && text[end] === ' ') end++;
    if (end === start) end++;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

function schemaType(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type.toLowerCase();
  if (Array.isArray(type)) {
    const first = type.find((t) => t !== 'null');
    return typeof first === 'string' ? first.toLowerCase() : undefined;
  }
  if (typeof schema.properties === 'object') return 'object';
  return undefined;
}

/** A value that satisfies common JSON Schema (and Gemini's OpenAPI subset): the first enum value, etc. */
export function sampleJson(schema: JsonSchema | undefined, name = 'answer', depth = 0): unknown {
  if (schema === undefined) return { answer: 'This is a simulated JSON answer.' };
  if (depth > 8) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(variants) && variants.length > 0) return sampleJson(variants[0], name, depth + 1);
  switch (schemaType(schema)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      for (const [key, child] of Object.entries(properties)) out[key] = sampleJson(child, key, depth + 1);
      return out;
    }
    case 'array': {
      const minItems = typeof schema.minItems === 'number' ? Math.max(1, schema.minItems) : 1;
      const items = schema.items as JsonSchema | undefined;
      return Array.from({ length: minItems }, () => sampleJson(items ?? {}, name, depth + 1));
    }
    case 'string':
      return schema.format === 'date' ? '2026-01-01' : `example ${name}`;
    case 'integer':
      return typeof schema.minimum === 'number' ? Math.ceil(schema.minimum) : 42;
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 4.2;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return `example ${name}`;
  }
}

/** JSON that a parser rejects: cut mid-object after a trailing comma, behind a line of prose. */
function breakJson(json: string): string {
  const cut = json.lastIndexOf(',');
  const body = cut > 0 ? json.slice(0, cut + 1) : json.slice(0, Math.max(1, json.length - 1));
  return `Here is the JSON you asked for:\n${body}`;
}

function cutAtStop(text: string, stops: readonly string[]): { text: string; stop: string | undefined } {
  let best = -1;
  let which: string | undefined;
  for (const stop of stops) {
    const at = stop === '' ? -1 : text.indexOf(stop);
    if (at >= 0 && (best < 0 || at < best)) {
      best = at;
      which = stop;
    }
  }
  return best < 0 ? { text, stop: undefined } : { text: text.slice(0, best), stop: which };
}

let toolCallCounter = 0;

/**
 * Builds the answer for one successful (HTTP 200) attempt. A trailing assistant message is a prefix
 * the answer continues from, so a client can stitch a truncated answer; `max_tokens` cuts the output
 * and reports `length`, as real models do.
 */
export function buildAnswer(
  behaviour: ModelBehaviour,
  request: SimRequest,
  fault: Fault | undefined,
): SimAnswer {
  const answer: SimAnswer = {
    type: 'text',
    pieces: [],
    finish: 'stop',
    stopSequence: undefined,
    tool: undefined,
    inputTokens: request.inputTokens,
    outputTokens: 0,
  };
  if (fault?.kind === 'content_filter') {
    answer.type = 'blocked';
    return answer;
  }
  if (fault?.kind === 'refusal' && fault.mode === 'native') {
    answer.type = 'refusal';
    answer.finish = 'refusal';
    answer.pieces = splitTokens(refusalPhrase);
    answer.outputTokens = answer.pieces.length;
    return answer;
  }
  const wantsTool =
    request.tools.length > 0 &&
    !request.afterToolResult &&
    (request.forcedTool !== undefined || behaviour.callTools === true) &&
    fault?.kind !== 'empty' &&
    fault?.kind !== 'refusal';
  if (wantsTool) {
    const named = request.tools.find((tool) => tool.name === request.forcedTool) ?? request.tools[0];
    if (named !== undefined) {
      answer.type = 'tool_call';
      answer.finish = 'tool_calls';
      answer.tool = { id: `call_sim${(++toolCallCounter).toString(36).padStart(6, '0')}`, name: named.name };
      answer.pieces = splitTokens(JSON.stringify(sampleJson(named.parameters ?? { type: 'object' })));
      answer.outputTokens = answer.pieces.length;
      return answer;
    }
  }
  let text: string;
  if (fault?.kind === 'empty') text = '';
  else if (fault?.kind === 'refusal') text = refusalPhrase;
  else if (fault?.kind === 'malformed_json') text = breakJson(fullText(behaviour, request));
  else text = fullText(behaviour, request);
  if (request.prefix !== undefined && request.prefix !== '' && text.startsWith(request.prefix)) {
    text = text.slice(request.prefix.length);
  }
  const stopped = cutAtStop(text, request.stop);
  if (stopped.stop !== undefined) {
    answer.finish = 'stop_sequence';
    answer.stopSequence = stopped.stop;
  }
  let pieces = splitTokens(stopped.text);
  const limit =
    fault?.kind === 'truncated' ? (fault.atTokens ?? Math.max(1, Math.floor(pieces.length / 2))) : undefined;
  const cap = Math.min(limit ?? Number.POSITIVE_INFINITY, request.maxTokens ?? Number.POSITIVE_INFINITY);
  if (pieces.length > cap || limit !== undefined) {
    pieces = pieces.slice(0, cap);
    answer.finish = 'length';
    answer.stopSequence = undefined;
  }
  answer.pieces = pieces;
  answer.outputTokens = pieces.length;
  return answer;
}
