import { SteadfastError } from './steadfast-error.ts';

/** Why a request ran out of options. */
export type ExhaustionReason =
  /** Every candidate was tried and failed. */
  | 'all_failed'
  /** The deadline passed before an answer. */
  | 'deadline'
  /** No candidate could be tried (breakers open, capabilities missing, rate limits spent). */
  | 'no_candidate'
  /** A failure no other candidate could fix (a malformed request, a content filter). */
  | 'not_fallbackable';

/** One failed attempt, as the aggregated error lists it. */
export interface FailedAttempt {
  provider: string;
  model: string;
  kind: SteadfastError['kind'];
  status: number | undefined;
  durationMs: number;
}

/**
 * Every option of a request failed. Its `kind` and facts are those of the most meaningful original
 * error (`lastError` is the last one seen); `errors` and `attempts` list everything that happened.
 */
export class ChainError extends SteadfastError {
  readonly reason: ExhaustionReason;
  readonly errors: readonly SteadfastError[];
  readonly attempts: readonly FailedAttempt[];
  readonly lastError: SteadfastError | undefined;

  constructor(
    reason: ExhaustionReason,
    primary: SteadfastError,
    errors: readonly SteadfastError[],
    attempts: readonly FailedAttempt[],
  ) {
    const summary = attempts.map(
      (a) => `${a.provider}/${a.model}: ${a.kind}${a.status ? ` ${a.status}` : ''}`,
    );
    super(
      primary.kind,
      `${primary.message}${summary.length > 0 ? ` (attempts: ${summary.join('; ')})` : ''}`,
      {
        status: primary.status,
        provider: primary.provider,
        model: primary.model,
        requestId: primary.requestId,
        retryAfterMs: primary.retryAfterMs,
        rateLimit: primary.rateLimit,
        code: primary.code,
        retryable: primary.retryable,
        fallbackable: primary.fallbackable,
        cause: primary,
      },
    );
    this.name = 'ChainError';
    this.reason = reason;
    this.errors = errors;
    this.attempts = attempts;
    this.lastError = errors.at(-1);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason, attempts: this.attempts };
  }
}
