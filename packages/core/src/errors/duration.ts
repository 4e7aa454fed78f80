const unitMs: Readonly<Record<string, number>> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 0.000001,
};

const goDuration = /^(?:\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns))+$/;
const goDurationPart = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g;

/**
 * Parses a Go-style duration as OpenAI and Groq send in `x-ratelimit-reset-*` (`6m0s`, `2m59.56s`,
 * `20ms`, `1h2m3.5s`) or a proto Duration as Gemini sends in `RetryInfo.retryDelay` (`34.4s`).
 * Returns milliseconds, or undefined when the text is not such a duration.
 */
export function parseDurationMs(text: string): number | undefined {
  const trimmed = text.trim();
  if (!goDuration.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(goDurationPart)) {
    total += Number(match[1]) * (unitMs[match[2] as string] ?? 0);
  }
  return total;
}
