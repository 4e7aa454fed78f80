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
  extras,
  indexPath,
  invalid,
  type Json,
  optional,
  required,
} from '../body-reader.ts';
import type { DecodedRequest } from '../codec.ts';
import { decodeTurns } from './decode-messages.ts';

/** JSON Schemas and tool-call inputs: their keys are the caller's names, not settings (see `guardBody`). */
const dataPaths: readonly DataPath[] = [
  ['tools', '*', 'input_schema'],
  ['output_config', 'format', 'schema'],
  ['output_format', 'schema'],
  ['messages', '*', 'content', '*', 'input'],
];

/**
 * Fields the neutral request carries. Every other field (top_k, thinking, service_tier, inference_geo,
 * container, mcp_servers, context_management, and whatever Anthropic adds next) is Anthropic's own and
 * travels in `providerOptions.anthropic`, as does `output_config` less the format it translates.
 */
const consumed: ReadonlySet<string> = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'tools',
  'tool_choice',
  'stop_sequences',
  'temperature',
  'top_p',
  'metadata',
  'stream',
  'output_config',
  'output_format',
]);

const toolChoiceTypes = ['auto', 'any', 'tool', 'none'] as const;

function decodeSystem(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) invalid('system', 'a string or an array of text blocks', value);
  return value
    .map((item, index) => {
      const path = indexPath('system', index);
      const block = asObject(item, path);
      asOneOf(required(block, 'type', path), `${path}.type`, ['text'] as const);
      return asString(required(block, 'text', path), `${path}.text`);
    })
    .join('\n\n');
}

function decodeTools(value: unknown, untranslatable: string[]): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  asArray(value, 'tools').forEach((item, index) => {
    const path = indexPath('tools', index);
    const tool = asObject(item, path);
    const type = optional(tool, 'type');
    // Server tools (web_search_…, bash_…, code_execution_…) run at Anthropic; no other provider has them.
    if (type !== undefined && asString(type, `${path}.type`) !== 'custom') {
      untranslatable.push(`${path} (${String(type)})`);
      return;
    }
    const definition: ToolDefinition = {
      name: asName(required(tool, 'name', path), `${path}.name`),
      parameters: asObject(required(tool, 'input_schema', path), `${path}.input_schema`),
    };
    const description = optional(tool, 'description');
    if (description !== undefined) definition.description = asString(description, `${path}.description`);
    const strict = optional(tool, 'strict');
    if (strict !== undefined) definition.strict = asBoolean(strict, `${path}.strict`);
    tools.push(definition);
  });
  return tools;
}

function decodeToolChoice(value: unknown): ToolChoice {
  const choice = asObject(value, 'tool_choice');
  switch (asOneOf(required(choice, 'type', 'tool_choice'), 'tool_choice.type', toolChoiceTypes)) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { tool: asName(required(choice, 'name', 'tool_choice'), 'tool_choice.name') };
  }
}

/** A structured-output `format` (`output_config.format`, or the older `output_format`). */
function decodeFormat(value: unknown, path: string, untranslatable: string[]): ResponseFormat | undefined {
  const format = asObject(value, path);
  const type = asString(required(format, 'type', path), `${path}.type`);
  if (type !== 'json_schema') {
    untranslatable.push(`${path} (${type})`);
    return undefined;
  }
  return { type: 'json_schema', schema: asObject(required(format, 'schema', path), `${path}.schema`) };
}

/** `output_config`: its format becomes the neutral response format, the rest (effort, …) stays Anthropic's. */
function decodeOutputConfig(
  body: Json,
  untranslatable: string[],
): { format: ResponseFormat | undefined; rest: Json | undefined } {
  const config = optional(body, 'output_config');
  const legacy = optional(body, 'output_format');
  if (config === undefined) {
    return {
      format: legacy === undefined ? undefined : decodeFormat(legacy, 'output_format', untranslatable),
      rest: undefined,
    };
  }
  const { format, ...rest } = asObject(config, 'output_config');
  return {
    format:
      format === undefined || format === null
        ? undefined
        : decodeFormat(format, 'output_config.format', untranslatable),
    rest: Object.keys(rest).length === 0 ? undefined : rest,
  };
}

/**
 * Reads a Messages API request (`POST /v1/messages`) into a neutral one. The body itself travels as
 * `original`, untouched, so that an Anthropic upstream receives it as sent; what an upstream of another
 * format cannot receive is in `untranslatable` and `providerOptions.anthropic`. Throws a CodecError
 * (400) naming the first field that is wrong.
 */
export function decodeAnthropicMessages(body: unknown): DecodedRequest {
  guardBody(body, dataPaths);
  const json = asObject(body, '');
  const untranslatable: string[] = [];
  const model = asName(required(json, 'model', ''), 'model');
  // Required by the Messages API, which has no default output limit.
  const maxOutputTokens = asInteger(required(json, 'max_tokens', ''), 'max_tokens', 1);
  const messages = decodeTurns(required(json, 'messages', ''), untranslatable);
  const request: ChatRequest = { model, messages, maxOutputTokens };
  const system = optional(json, 'system');
  if (system !== undefined) request.system = decodeSystem(system);
  const tools = optional(json, 'tools');
  if (tools !== undefined) {
    const definitions = decodeTools(tools, untranslatable);
    if (definitions.length > 0) request.tools = definitions;
  }
  const toolChoice = optional(json, 'tool_choice');
  if (toolChoice !== undefined) request.toolChoice = decodeToolChoice(toolChoice);
  const output = decodeOutputConfig(json, untranslatable);
  if (output.format !== undefined) request.responseFormat = output.format;
  const stop = optional(json, 'stop_sequences');
  if (stop !== undefined) {
    request.stop = asArray(stop, 'stop_sequences').map((item, index) =>
      asString(item, indexPath('stop_sequences', index)),
    );
  }
  const temperature = optional(json, 'temperature');
  if (temperature !== undefined) request.temperature = asNumber(temperature, 'temperature');
  const topP = optional(json, 'top_p');
  if (topP !== undefined) request.topP = asNumber(topP, 'top_p');
  const topK = optional(json, 'top_k');
  if (topK !== undefined) asInteger(topK, 'top_k', 0);
  const metadata = optional(json, 'metadata');
  if (metadata !== undefined) {
    const userId = optional(asObject(metadata, 'metadata'), 'user_id');
    if (userId !== undefined) request.user = asString(userId, 'metadata.user_id');
  }
  const anthropic = extras(json, consumed);
  if (output.rest !== undefined || anthropic !== undefined) {
    request.providerOptions = {
      anthropic: output.rest === undefined ? { ...anthropic } : { ...anthropic, output_config: output.rest },
    };
  }
  request.original = { format: 'anthropic-messages', body: json };
  const stream = optional(json, 'stream');
  return {
    request,
    stream: stream === undefined ? false : asBoolean(stream, 'stream'),
    // Messages API streams always carry usage.
    includeUsage: true,
    untranslatable,
  };
}
