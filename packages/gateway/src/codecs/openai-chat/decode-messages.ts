import type { ImagePart, Message, TextPart, ToolCallPart } from '@steadfast/core';
import {
  asArray,
  asName,
  asObject,
  asOneOf,
  asString,
  indexPath,
  invalid,
  optional,
  refuse,
  required,
} from '../body-reader.ts';

const roles = ['system', 'developer', 'user', 'assistant', 'tool'] as const;

/** The conversation of a Chat Completions body, neutral. */
export interface Conversation {
  /** Every system and developer message, joined by a blank line: the neutral request has one. */
  system: string | undefined;
  messages: Message[];
}

/** Content that may only hold text (system, developer and tool messages): one string. */
function textContent(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) invalid(path, 'a string or an array of text parts', value);
  let text = '';
  value.forEach((item, index) => {
    const partPath = indexPath(path, index);
    const part = asObject(item, partPath);
    asOneOf(required(part, 'type', partPath), `${partPath}.type`, ['text']);
    text += asString(required(part, 'text', partPath), `${partPath}.text`);
  });
  return text;
}

/** The type of a content part, for parts the neutral request cannot carry. */
function partType(part: Record<string, unknown>, path: string): string {
  return asString(required(part, 'type', path), `${path}.type`);
}

function userContent(
  value: unknown,
  path: string,
  untranslatable: string[],
): string | Array<TextPart | ImagePart> {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) invalid(path, 'a string or an array of parts', value);
  const parts: Array<TextPart | ImagePart> = [];
  value.forEach((item, index) => {
    const partPath = indexPath(path, index);
    const part = asObject(item, partPath);
    const type = partType(part, partPath);
    if (type === 'text') {
      parts.push({ type: 'text', text: asString(required(part, 'text', partPath), `${partPath}.text`) });
    } else if (type === 'image_url') {
      const image = asObject(required(part, 'image_url', partPath), `${partPath}.image_url`);
      // `detail` is a hint only OpenAI reads; it goes there through `original`.
      parts.push({
        type: 'image',
        url: asName(required(image, 'url', `${partPath}.image_url`), `${partPath}.image_url.url`),
      });
    } else {
      // input_audio, file: kept in `original` for an OpenAI upstream.
      untranslatable.push(`${partPath} (${type})`);
    }
  });
  return parts;
}

function toolCall(item: unknown, path: string, untranslatable: string[]): ToolCallPart | undefined {
  const call = asObject(item, path);
  const type = optional(call, 'type');
  // Custom (free-text) tool calls have no neutral form.
  if (type !== undefined && asString(type, `${path}.type`) !== 'function') {
    untranslatable.push(`${path} (${String(type)})`);
    return undefined;
  }
  const fn = asObject(required(call, 'function', path), `${path}.function`);
  return {
    type: 'tool-call',
    id: asName(required(call, 'id', path), `${path}.id`),
    name: asName(required(fn, 'name', `${path}.function`), `${path}.function.name`),
    // Arguments are JSON text on this wire; an object here is a client bug OpenAI refuses too.
    arguments: asString(required(fn, 'arguments', `${path}.function`), `${path}.function.arguments`),
  };
}

/** Assistant content parts: text, and refusals of the history, which are what the model said. */
function assistantParts(content: unknown[], path: string, untranslatable: string[]): TextPart[] {
  const parts: TextPart[] = [];
  content.forEach((item, index) => {
    const partPath = indexPath(path, index);
    const part = asObject(item, partPath);
    const type = partType(part, partPath);
    if (type === 'text' || type === 'refusal') {
      parts.push({ type: 'text', text: asString(required(part, type, partPath), `${partPath}.${type}`) });
    } else {
      untranslatable.push(`${partPath} (${type})`);
    }
  });
  return parts;
}

function assistantMessage(
  turn: Record<string, unknown>,
  path: string,
  untranslatable: string[],
  toolNames: Map<string, string>,
): Message {
  const content = optional(turn, 'content');
  if (content !== undefined && typeof content !== 'string' && !Array.isArray(content)) {
    invalid(`${path}.content`, 'a string, null or an array of parts', content);
  }
  const parts = Array.isArray(content)
    ? assistantParts(content, `${path}.content`, untranslatable)
    : undefined;
  const calls: ToolCallPart[] = [];
  const toolCalls = optional(turn, 'tool_calls');
  if (toolCalls !== undefined) {
    asArray(toolCalls, `${path}.tool_calls`).forEach((item, index) => {
      const call = toolCall(item, indexPath(`${path}.tool_calls`, index), untranslatable);
      if (call === undefined) return;
      toolNames.set(call.id, call.name);
      calls.push(call);
    });
  }
  if (optional(turn, 'function_call') !== undefined) untranslatable.push(`${path}.function_call`);
  if (calls.length === 0) {
    return { role: 'assistant', content: parts ?? (typeof content === 'string' ? content : '') };
  }
  const text: TextPart[] =
    parts ?? (typeof content === 'string' && content !== '' ? [{ type: 'text', text: content }] : []);
  return { role: 'assistant', content: [...text, ...calls] };
}

/** Reads `messages`; what the neutral request cannot hold is listed in `untranslatable`. */
export function decodeMessages(value: unknown, untranslatable: string[]): Conversation {
  const list = asArray(value, 'messages');
  if (list.length === 0) refuse('messages', 'must hold at least one message');
  const system: string[] = [];
  const messages: Message[] = [];
  // Tool results name only the call id; the neutral result also carries the tool's name (Gemini needs it).
  const toolNames = new Map<string, string>();
  list.forEach((item, index) => {
    const path = indexPath('messages', index);
    const turn = asObject(item, path);
    const role = asOneOf(required(turn, 'role', path), `${path}.role`, roles);
    switch (role) {
      case 'system':
      case 'developer':
        system.push(textContent(required(turn, 'content', path), `${path}.content`));
        break;
      case 'user':
        messages.push({
          role: 'user',
          content: userContent(required(turn, 'content', path), `${path}.content`, untranslatable),
        });
        break;
      case 'assistant':
        messages.push(assistantMessage(turn, path, untranslatable, toolNames));
        break;
      case 'tool': {
        const toolCallId = asName(required(turn, 'tool_call_id', path), `${path}.tool_call_id`);
        const content = textContent(required(turn, 'content', path), `${path}.content`);
        messages.push({
          role: 'tool',
          content: [{ type: 'tool-result', toolCallId, toolName: toolNames.get(toolCallId) ?? '', content }],
        });
        break;
      }
    }
  });
  return { system: system.length === 0 ? undefined : system.join('\n\n'), messages };
}
