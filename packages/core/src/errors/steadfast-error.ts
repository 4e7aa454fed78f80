import { type ErrorCategory, type ErrorKind, kindTraits } from './kinds.ts';
import type { RateLimitInfo } from './rate-limit.ts';
import { redactSecrets } from './redact.ts';

const brand = Symbol.for('steadfast.error');

/** The facts an error can carry besides its kind. Every field is optional. */
export interface SteadfastErrorDetails {
  /** HTTP status of the failed response, when there was one. */
  status?: number | undefined;
  /** Provider name as configured (e.g. `openai`, `anthropic`). */
  provider?: string | undefined;
  /** Model the attempt was made with. */
  model?: string | undefined;
  /** The provider's request id (`x-request-id`, `request-id`, body `request_id`). */
  requestId?: string | undefined;
  /** How long the provider asked us to wait before trying again, in milliseconds. */
  retryAfterMs?: number | undefined;
  /** Rate-limit state read from the response headers. */
  rateLimit?: RateLimitInfo | undefined;
  /** The provider's own error code or type (e.g. `context_length_exceeded`, `overloaded_error`). */
  code?: string | undefined;
  /** Overrides the kind's default, e.g. when the provider sent `x-should-retry`. */
  retryable?: boolean | undefined;
  /** Overrides the kind's default. */
  fallbackable?: boolean | undefined;
  /** The underlying error or value. */
  cause?: unknown;
}

/**
 * The one error type of Steadfast: every failure of an LLM call becomes one of these, with a `kind`.
 * Its message is for logs (secrets redacted); `userMessage` is safe to show to a person.
 */
export class SteadfastError extends Error {
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  readonly fallbackable: boolean;
  readonly status: number | undefined;
  readonly provider: string | undefined;
  readonly model: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly rateLimit: RateLimitInfo | undefined;
  readonly code: string | undefined;

  constructor(kind: ErrorKind, message: string, details: SteadfastErrorDetails = {}) {
    super(redactSecrets(message), details.cause === undefined ? undefined : { cause: details.cause });
    const traits = kindTraits[kind];
    this.name = 'SteadfastError';
    this.kind = kind;
    this.retryable = details.retryable ?? traits.retryable;
    this.fallbackable = details.fallbackable ?? traits.fallbackable;
    this.status = details.status;
    this.provider = details.provider;
    this.model = details.model;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
    this.rateLimit = details.rateLimit;
    this.code = details.code;
  }

  /** The broad family of this error's kind. */
  get category(): ErrorCategory {
    return kindTraits[this.kind].category;
  }

  /** A sentence safe to show to an end user: no provider internals, no secrets. */
  get userMessage(): string {
    return kindTraits[this.kind].userMessage;
  }

  /** A copy with provider, model and request id filled in where they were missing. */
  withContext(context: {
    provider?: string | undefined;
    model?: string | undefined;
    requestId?: string | undefined;
  }): SteadfastError {
    const provider = this.provider ?? context.provider;
    const model = this.model ?? context.model;
    const requestId = this.requestId ?? context.requestId;
    if (provider === this.provider && model === this.model && requestId === this.requestId) return this;
    const copy = new SteadfastError(this.kind, this.message, {
      ...this.details(),
      provider,
      model,
      requestId,
    });
    if (this.stack !== undefined) copy.stack = this.stack;
    return copy;
  }

  /**
   * A copy with `redact` applied to its message and stack, for secrets only the caller knows (an
   * adapter's own key, in a shape no pattern recognises); this error when the message does not change.
   * Like `withContext`, a copy is a plain `SteadfastError`.
   */
  redacted(redact: (text: string) => string): SteadfastError {
    const message = redact(this.message);
    if (message === this.message) return this;
    const copy = new SteadfastError(this.kind, message, this.details());
    if (this.stack !== undefined) copy.stack = redact(this.stack);
    return copy;
  }

  /** A plain, loggable view of the error (no cause, no stack). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      retryable: this.retryable,
      fallbackable: this.fallbackable,
      status: this.status,
      provider: this.provider,
      model: this.model,
      requestId: this.requestId,
      retryAfterMs: this.retryAfterMs,
      code: this.code,
    };
  }

  /** True for a SteadfastError, even one made by another copy of this package. */
  static isInstance(value: unknown): value is SteadfastError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }

  private details(): SteadfastErrorDetails {
    return {
      status: this.status,
      provider: this.provider,
      model: this.model,
      requestId: this.requestId,
      retryAfterMs: this.retryAfterMs,
      rateLimit: this.rateLimit,
      code: this.code,
      retryable: this.retryable,
      fallbackable: this.fallbackable,
      cause: this.cause,
    };
  }
}

Object.defineProperty(SteadfastError.prototype, brand, { value: true });
