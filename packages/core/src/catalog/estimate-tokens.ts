import type { ChatRequest } from '../neutral/request.ts';
import type { ModelInfo } from './model-info.ts';

// Characters of English text per token, rounded down so the estimate errs high: about 4 for OpenAI's
// o200k and for Gemini; Claude's tokenizer cuts finer.
const charsPerToken: Record<ModelInfo['tokenizer'], number> = { o200k: 4, gemini: 4, claude: 3.5 };

// Role markers and separators around each message (OpenAI's cookbook counts 3 to 4 per message).
const tokensPerMessage = 4;
// The primer of the reply, counted once per request.
const tokensPerRequest = 3;
// Wrapping of each tool definition beyond its name, description and schema text.
const tokensPerTool = 10;
// One flat cost per image, whatever its size: high-detail images run about 1,000 tokens at OpenAI
// and up to about 1,600 at Anthropic, small ones far fewer. Without decoding the image, a flat guess.
const tokensPerImage = 1_000;
// Headroom for everything the character count misses.
const safetyMargin = 1.1;

/**
 * UTF-8 length of a string, in bytes. Counting bytes rather than UTF-16 units keeps English text at one
 * per character and makes the estimate err high for the scripts (CJK, Cyrillic) that a per-character
 * count underestimates.
 */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair is one code point of four bytes.
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * A conservative estimate of the input tokens of a request, for context-window checks before a call:
 * text (system, messages, tool calls and results, tool schemas, the response schema) at the tokenizer's
 * characters per token, a few tokens per message and per tool, a flat 1,000 per image, plus 10 %.
 * @param tokenizer the model's tokenizer family; @default the finest-cutting one ('claude'), so that
 *   an unknown model is not underestimated
 */
export function estimateTokens(request: ChatRequest, tokenizer: ModelInfo['tokenizer'] = 'claude'): number {
  let chars = 0;
  let tokens = tokensPerRequest;
  if (request.system !== undefined) {
    chars += utf8Length(request.system);
    tokens += tokensPerMessage;
  }
  for (const message of request.messages) {
    tokens += tokensPerMessage;
    if (typeof message.content === 'string') {
      chars += utf8Length(message.content);
      continue;
    }
    for (const part of message.content) {
      switch (part.type) {
        case 'text':
          chars += utf8Length(part.text);
          break;
        case 'image':
          tokens += tokensPerImage;
          break;
        case 'tool-call':
          chars += utf8Length(part.id) + utf8Length(part.name) + utf8Length(part.arguments);
          break;
        case 'tool-result':
          chars += utf8Length(part.toolCallId) + utf8Length(part.toolName) + utf8Length(part.content);
          break;
      }
    }
  }
  for (const tool of request.tools ?? []) {
    tokens += tokensPerTool;
    chars += utf8Length(tool.name) + utf8Length(tool.description ?? '');
    chars += utf8Length(JSON.stringify(tool.parameters));
  }
  if (request.responseFormat?.type === 'json_schema') {
    chars += utf8Length(JSON.stringify(request.responseFormat.schema));
  }
  return Math.ceil((tokens + chars / charsPerToken[tokenizer]) * safetyMargin);
}

/**
 * Whether a request fits the model's context window: its estimated input plus the output it asks room
 * for (`maxOutputTokens`, 0 when absent) at most `contextWindow`.
 */
export function fitsContext(request: ChatRequest, model: ModelInfo): boolean {
  return estimateTokens(request, model.tokenizer) + (request.maxOutputTokens ?? 0) <= model.contextWindow;
}
