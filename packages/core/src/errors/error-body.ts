import { parseDurationMs } from './duration.ts';

/** The facts of a provider's error body, whatever its envelope. */
export interface ErrorBodyFacts {
  message?: string;
  /** OpenAI `error.type`, Anthropic `error.type`, flat `type` (vLLM, Mistral). */
  type?: string;
  /** OpenAI `error.code` (string or number, as text). */
  code?: string;
  /** Google RPC status (`RESOURCE_EXHAUSTED`, `UNAVAILABLE`, …). */
  rpcStatus?: string;
  /** The HTTP status a body states about itself (Google `error.code`, OpenRouter `error.code`). */
  statedStatus?: number;
  /** Anthropic's top-level `request_id`. */
  requestId?: string;
  /** Google `RetryInfo.retryDelay`, in milliseconds. */
  retryDelayMs?: number;
  /** Google `QuotaFailure` quota ids (`…PerDay…` means a daily quota). */
  quotaIds?: string[];
  /** Google `ErrorInfo.reason` (`API_KEY_INVALID`, …). */
  reason?: string;
  /** Anthropic `error.details.error_code` (`enforced_spend_limit_reached`). */
  detailCode?: string;
  /** Azure `innererror.code` (`ResponsibleAIPolicyViolation`). */
  innerCode?: string;
  /** OpenRouter moderation metadata (`reasons`, `flagged_input`) was present. */
  moderation?: boolean;
  /** The body was an HTML page (a proxy's 502); its title if any. */
  htmlTitle?: string;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Parses a body that may be JSON text; anything else stays as it is. */
export function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  const trimmed = body.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return body;
    }
  }
  return body;
}

const htmlTitle = /<title>([^<]*)<\/title>/i;

function htmlTitleOf(page: string): string {
  return htmlTitle.exec(page)?.[1]?.trim() ?? '';
}

function readGoogleDetails(details: unknown, facts: ErrorBodyFacts): void {
  if (!Array.isArray(details)) return;
  for (const detail of details) {
    if (!isObject(detail)) continue;
    const type = text(detail['@type']) ?? '';
    if (type.endsWith('google.rpc.RetryInfo')) {
      const delay = text(detail.retryDelay);
      const ms = delay === undefined ? undefined : parseDurationMs(delay);
      if (ms !== undefined) facts.retryDelayMs = ms;
    } else if (type.endsWith('google.rpc.QuotaFailure') && Array.isArray(detail.violations)) {
      const ids = detail.violations
        .map((v) => (isObject(v) ? (text(v.quotaId) ?? text(v.quotaMetric)) : undefined))
        .filter((id): id is string => id !== undefined);
      facts.quotaIds = [...(facts.quotaIds ?? []), ...ids];
    } else if (type.endsWith('google.rpc.ErrorInfo')) {
      const reason = text(detail.reason);
      if (reason !== undefined) facts.reason = reason;
    }
  }
}

function readInnerError(error: JsonObject, facts: ErrorBodyFacts): void {
  const message = text(error.message);
  const type = text(error.type);
  const code = text(error.code);
  const status = text(error.status);
  // js-genai wraps a body that is not JSON (a proxy's HTML page) as `{error:{message:<the page>}}`.
  if (message !== undefined && /^\s*</.test(message)) facts.htmlTitle = htmlTitleOf(message);
  else if (message !== undefined) facts.message = message;
  if (type !== undefined) facts.type = type;
  if (code !== undefined) {
    // Google and OpenRouter put the HTTP status in `code`; OpenAI and Azure put a string code there.
    if (typeof error.code === 'number') facts.statedStatus = error.code;
    else facts.code = code;
  }
  if (status !== undefined && /^[A-Z_]+$/.test(status)) facts.rpcStatus = status;
  readGoogleDetails(error.details, facts);
  if (isObject(error.details)) {
    const detailCode = text(error.details.error_code);
    if (detailCode !== undefined) facts.detailCode = detailCode;
  }
  if (isObject(error.innererror)) {
    const innerCode = text(error.innererror.code);
    if (innerCode !== undefined) facts.innerCode = innerCode;
  }
  if (isObject(error.metadata) && ('reasons' in error.metadata || 'flagged_input' in error.metadata)) {
    facts.moderation = true;
  }
}

/**
 * Reads an error body in any provider's envelope: OpenAI / Azure / Groq `{error:{message,type,code}}`,
 * Anthropic `{type:"error", error:{type,message}, request_id}`, Google `{error:{code,message,status,details}}`,
 * flat vLLM / Mistral `{object:"error", message, type, code}`, Ollama `{error:"…"}`, OpenRouter
 * `{error:{code,message,metadata}}`, a Gemini JSON array, or an HTML page.
 */
export function readErrorBody(body: unknown): ErrorBodyFacts {
  const parsed = parseBody(body);
  const facts: ErrorBodyFacts = {};
  if (typeof parsed === 'string') {
    if (/^\s*</.test(parsed)) {
      facts.htmlTitle = htmlTitleOf(parsed);
    } else if (parsed.trim() !== '') {
      facts.message = parsed.trim().slice(0, 500);
    }
    return facts;
  }
  const root = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!isObject(root)) return facts;
  const requestId = text(root.request_id);
  if (requestId !== undefined) facts.requestId = requestId;
  if (isObject(root.error)) {
    readInnerError(root.error, facts);
  } else if (typeof root.error === 'string') {
    facts.message = root.error;
  } else {
    readInnerError(root, facts);
    // Mistral 422 puts validation details in `message: {detail: [...]}`.
    if (facts.message === undefined && isObject(root.message)) facts.message = JSON.stringify(root.message);
  }
  return facts;
}
