import type { ImagePart, Message, TextPart, ToolCallPart, ToolResultPart } from '@steadfast/core';
import {
  asArray,
  asBoolean,
  asName,
  asObject,
  asOneOf,
  asString,
  indexPath,
  invalid,
  type Json,
  optional,
  refuse,
  required,
} from '../body-reader.ts';

const roles = ['user', 'assistant'] as const;

function blockType(block: Json, path: string): string {
  return asString(required(block, 'type', path), `${path}.type`);
}

function text(block: Json, path: string): string {
  return asString(required(block, 'text', path), `${path}.text`);
}

/** An image block; undefined (and listed) for a source the neutral request cannot carry (`file`). */
function image(block: Json, path: string, untranslatable: string[]): ImagePart | undefined {
  const sourcePath = `${path}.source`;
  const source = asObject(required(block, 'source', path), sourcePath);
  const type = asString(required(source, 'type', sourcePath), `${sourcePath}.type`);
  if (type === 'base64') {
    return {
      type: 'image',
      data: asString(required(source, 'data', sourcePath), `${sourcePath}.data`),
      mediaType: asName(required(source, 'media_type', sourcePath), `${sourcePath}.media_type`),
    };
  }
  if (type === 'url') {
    return { type: 'image', url: asName(required(source, 'url', sourcePath), `${sourcePath}.url`) };
  }
  untranslatable.push(`${path} (image ${type})`);
  return undefined;
}

function toolResult(block: Json, path: string, toolNames: Map<string, string>, untranslatable: string[]) {
  const toolCallId = asName(required(block, 'tool_use_id', path), `${path}.tool_use_id`);
  const content = optional(block, 'content');
  const contentPath = `${path}.content`;
  let output = '';
  if (typeof content === 'string') {
    output = content;
  } else if (Array.isArray(content)) {
    content.forEach((item, index) => {
      const itemPath = indexPath(contentPath, index);
      const inner = asObject(item, itemPath);
      const type = blockType(inner, itemPath);
      if (type === 'text') output += text(inner, itemPath);
      // An image or document inside a result has no place in the neutral (text) result.
      else untranslatable.push(`${itemPath} (${type})`);
    });
  } else if (content !== undefined) {
    invalid(contentPath, 'a string or an array of blocks', content);
  }
  const result: ToolResultPart = {
    type: 'tool-result',
    toolCallId,
    toolName: toolNames.get(toolCallId) ?? '',
    content: output,
  };
  const isError = optional(block, 'is_error');
  if (isError !== undefined && asBoolean(isError, `${path}.is_error`)) result.isError = true;
  return result;
}

/**
 * A user turn's blocks as neutral messages: Anthropic puts tool results in user turns, the neutral model
 * in `tool` messages, so the blocks split into runs: tool results, then the text and images after them.
 */
function userMessages(
  blocks: unknown[],
  path: string,
  toolNames: Map<string, string>,
  untranslatable: string[],
): Message[] {
  const messages: Message[] = [];
  let parts: Array<TextPart | ImagePart> = [];
  let results: ToolResultPart[] = [];
  const flush = (): void => {
    if (parts.length > 0) messages.push({ role: 'user', content: parts });
    if (results.length > 0) messages.push({ role: 'tool', content: results });
    parts = [];
    results = [];
  };
  blocks.forEach((item, index) => {
    const blockPath = indexPath(path, index);
    const block = asObject(item, blockPath);
    const type = blockType(block, blockPath);
    if (type === 'tool_result') {
      if (parts.length > 0) flush();
      results.push(toolResult(block, blockPath, toolNames, untranslatable));
      return;
    }
    if (type !== 'text' && type !== 'image') {
      // document, search_result, container_upload, …: kept in `original` for an Anthropic upstream.
      untranslatable.push(`${blockPath} (${type})`);
      return;
    }
    if (results.length > 0) flush();
    if (type === 'text') parts.push({ type: 'text', text: text(block, blockPath) });
    else {
      const part = image(block, blockPath, untranslatable);
      if (part !== undefined) parts.push(part);
    }
  });
  flush();
  return messages;
}

function assistantContent(
  blocks: unknown[],
  path: string,
  toolNames: Map<string, string>,
  untranslatable: string[],
): Array<TextPart | ToolCallPart> {
  const content: Array<TextPart | ToolCallPart> = [];
  blocks.forEach((item, index) => {
    const blockPath = indexPath(path, index);
    const block = asObject(item, blockPath);
    const type = blockType(block, blockPath);
    if (type === 'text') {
      content.push({ type: 'text', text: text(block, blockPath) });
    } else if (type === 'tool_use') {
      const id = asName(required(block, 'id', blockPath), `${blockPath}.id`);
      const name = asName(required(block, 'name', blockPath), `${blockPath}.name`);
      const input = asObject(required(block, 'input', blockPath), `${blockPath}.input`);
      toolNames.set(id, name);
      content.push({ type: 'tool-call', id, name, arguments: JSON.stringify(input) });
    } else {
      // thinking, redacted_thinking, server_tool_use and its results: Anthropic's own.
      untranslatable.push(`${blockPath} (${type})`);
    }
  });
  return content;
}

/** Reads `messages` of a Messages API body; what the neutral request cannot hold is listed. */
export function decodeTurns(value: unknown, untranslatable: string[]): Message[] {
  const list = asArray(value, 'messages');
  if (list.length === 0) refuse('messages', 'must hold at least one message');
  const messages: Message[] = [];
  // Tool results name only the call id; the neutral result also carries the tool's name (Gemini needs it).
  const toolNames = new Map<string, string>();
  list.forEach((item, index) => {
    const path = indexPath('messages', index);
    const turn = asObject(item, path);
    const role = asOneOf(required(turn, 'role', path), `${path}.role`, roles);
    const contentPath = `${path}.content`;
    const content = required(turn, 'content', path);
    if (typeof content === 'string') {
      messages.push({ role, content });
      return;
    }
    if (!Array.isArray(content)) invalid(contentPath, 'a string or an array of content blocks', content);
    if (role === 'user') messages.push(...userMessages(content, contentPath, toolNames, untranslatable));
    else messages.push({ role, content: assistantContent(content, contentPath, toolNames, untranslatable) });
  });
  return messages;
}
