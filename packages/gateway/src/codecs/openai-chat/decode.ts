import type { ChatRequest, ResponseFormat, ToolChoice, ToolDefinition } from '@steadfast/core';
import { type DataPath, guardBody } from '../body-guard.ts';
import {
  asArray,
  asBoolean,
  asInteger,
  asName,
  asNumber,
  asObject,
  asOneOf,
  asString,
  asStringList,
  asStringRecord,
  extras,
  indexPath,
  invalid,
  optional,
  refuse,
  required,
} from '../body-reader.ts';
import type { DecodedRequest } from '../codec.ts';
import { decodeMessages } from './decode-messages.ts';

/** JSON Schemas: their keys are the caller's property names, not settings (see `guardBody`). */
const dataPaths: readonly DataPath[] = [
  ['tools', '*', 'function', 'parameters'],
  ['response_format', 'json_schema', 'schema'],
];

/**
 * Fields the neutral request carries. Every other field (reasoning_effort, service_tier,
 * prompt_cache_key, logprobs, top_logprobs, n, parallel_tool_calls, prediction, modalities, verbosity,
 * and whatever OpenAI adds next) is OpenAI's own and travels in `providerOptions.openai`.
 * `stream_options` is between the client and the gateway: the adapter asks upstream for what it needs.
 */
const consumed: ReadonlySet<string> = new Set([
  'model',
  'messages',
  'tools',
  'tool_choice',
  'response_format',
  'max_completion_tokens',
  'max_tokens',
  'temperature',
  'top_p',
  'stop',
  'seed',
  'user',
  'metadata',
  'stream',
  'stream_options',
]);

const defaultParameters = { type: 'object', properties: {} };
const toolChoiceModes = ['none', 'auto', 'required'] as const;

function decodeTools(value: unknown, untranslatable: string[]): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  asArray(value, 'tools').forEach((item, index) => {
    const path = indexPath('tools', index);
    const tool = asObject(item, path);
    const type = asString(required(tool, 'type', path), `${path}.type`);
    if (type !== 'function') {
      untranslatable.push(`${path} (${type})`);
      return;
    }
    const fnPath = `${path}.function`;
    const fn = asObject(required(tool, 'function', path), fnPath);
    const parameters = optional(fn, 'parameters');
    const definition: ToolDefinition = {
      name: asName(required(fn, 'name', fnPath), `${fnPath}.name`),
      parameters: parameters === undefined ? defaultParameters : asObject(parameters, `${fnPath}.parameters`),
    };
    const description = optional(fn, 'description');
    if (description !== undefined) definition.description = asString(description, `${fnPath}.description`);
    const strict = optional(fn, 'strict');
    if (strict !== undefined) definition.strict = asBoolean(strict, `${fnPath}.strict`);
    tools.push(definition);
  });
  return tools;
}

function decodeToolChoice(value: unknown, untranslatable: string[]): ToolChoice | undefined {
  if (typeof value === 'string') return asOneOf(value, 'tool_choice', toolChoiceModes);
  if (typeof value !== 'object' || Array.isArray(value)) {
    invalid('tool_choice', '"none", "auto", "required" or an object', value);
  }
  const choice = asObject(value, 'tool_choice');
  const type = asString(required(choice, 'type', 'tool_choice'), 'tool_choice.type');
  if (type !== 'function') {
    // allowed_tools, custom: no neutral form.
    untranslatable.push(`tool_choice (${type})`);
    return undefined;
  }
  const fn = asObject(required(choice, 'function', 'tool_choice'), 'tool_choice.function');
  return { tool: asName(required(fn, 'name', 'tool_choice.function'), 'tool_choice.function.name') };
}

function decodeResponseFormat(value: unknown, untranslatable: string[]): ResponseFormat | undefined {
  const format = asObject(value, 'response_format');
  const type = asString(required(format, 'type', 'response_format'), 'response_format.type');
  switch (type) {
    case 'text':
      return { type: 'text' };
    case 'json_object':
      return { type: 'json' };
    case 'json_schema': {
      const path = 'response_format.json_schema';
      const spec = asObject(required(format, 'json_schema', 'response_format'), path);
      const schema = optional(spec, 'schema');
      const out: Extract<ResponseFormat, { type: 'json_schema' }> = {
        type: 'json_schema',
        schema: schema === undefined ? {} : asObject(schema, `${path}.schema`),
        name: asName(required(spec, 'name', path), `${path}.name`),
      };
      const description = optional(spec, 'description');
      if (description !== undefined) out.description = asString(description, `${path}.description`);
      const strict = optional(spec, 'strict');
      if (strict !== undefined) out.strict = asBoolean(strict, `${path}.strict`);
      return out;
    }
    default:
      untranslatable.push(`response_format (${type})`);
      return undefined;
  }
}

/** Sets `request[field]` to `read(value)` when the body has the field (null counts as absent). */
function copy<K extends keyof ChatRequest>(
  body: Record<string, unknown>,
  key: string,
  request: ChatRequest,
  field: K,
  read: (value: unknown, path: string) => ChatRequest[K],
): void {
  const value = optional(body, key);
  if (value !== undefined) request[field] = read(value, key);
}

/** `stream`, and `stream_options.include_usage`, which counts only for a stream. */
function streaming(body: Record<string, unknown>): { stream: boolean; includeUsage: boolean } {
  const stream = optional(body, 'stream');
  if (stream === undefined || !asBoolean(stream, 'stream')) return { stream: false, includeUsage: false };
  const options = optional(body, 'stream_options');
  const includeUsage =
    options === undefined ? undefined : optional(asObject(options, 'stream_options'), 'include_usage');
  return {
    stream: true,
    includeUsage: includeUsage !== undefined && asBoolean(includeUsage, 'stream_options.include_usage'),
  };
}

/**
 * Reads a Chat Completions request (`POST /v1/chat/completions`) into a neutral one. The body itself
 * travels as `original`, untouched, so that an OpenAI-format upstream receives it as sent; what an
 * upstream of another format cannot receive is in `untranslatable` and `providerOptions.openai`.
 * Throws a CodecError (400) naming the first field that is wrong.
 */
export function decodeOpenAiChat(body: unknown): DecodedRequest {
  guardBody(body, dataPaths);
  const json = asObject(body, '');
  const untranslatable: string[] = [];
  const model = asName(required(json, 'model', ''), 'model');
  const { system, messages } = decodeMessages(required(json, 'messages', ''), untranslatable);
  const request: ChatRequest = { model, messages };
  if (system !== undefined) request.system = system;
  const tools = optional(json, 'tools');
  if (tools !== undefined) {
    const definitions = decodeTools(tools, untranslatable);
    if (definitions.length > 0) request.tools = definitions;
  }
  const toolChoice = optional(json, 'tool_choice');
  const choice = toolChoice === undefined ? undefined : decodeToolChoice(toolChoice, untranslatable);
  if (choice !== undefined) request.toolChoice = choice;
  const responseFormat = optional(json, 'response_format');
  const format =
    responseFormat === undefined ? undefined : decodeResponseFormat(responseFormat, untranslatable);
  if (format !== undefined) request.responseFormat = format;
  // `max_tokens` is the deprecated name; when both are sent the current one wins, as on OpenAI.
  copy(json, 'max_tokens', request, 'maxOutputTokens', (value, path) => asInteger(value, path, 1));
  copy(json, 'max_completion_tokens', request, 'maxOutputTokens', (value, path) => asInteger(value, path, 1));
  copy(json, 'temperature', request, 'temperature', asNumber);
  copy(json, 'top_p', request, 'topP', asNumber);
  copy(json, 'stop', request, 'stop', asStringList);
  copy(json, 'seed', request, 'seed', (value, path) => asInteger(value, path));
  copy(json, 'user', request, 'user', asString);
  copy(json, 'metadata', request, 'metadata', asStringRecord);
  const n = optional(json, 'n');
  // Several choices would be answered with one: the neutral response has a single answer.
  if (n !== undefined && asInteger(n, 'n', 1) !== 1) refuse('n', 'only 1 choice per request is supported');
  const openai = extras(json, consumed);
  if (openai !== undefined) request.providerOptions = { openai };
  request.original = { format: 'openai-chat', body: json };
  return { request, ...streaming(json), untranslatable };
}
