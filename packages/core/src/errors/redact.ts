/**
 * Credentials that provider error bodies, URLs and headers are known to echo back: OpenAI
 * `Incorrect API key provided: sk-…`, Anthropic `sk-ant-…`, Google `AIza…` keys (also in `?key=`),
 * bearer tokens, and key-like query parameters or header dumps.
 */
const secretPatterns: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bsk-[A-Za-z0-9_*.-]{6,}/g, '[redacted]'],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, '[redacted]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  [/([?&](?:key|api[-_]?key|access_token|token|sig)=)[^&\s"']+/gi, '$1[redacted]'],
  [/\b((?:x-api-key|api-key|x-goog-api-key)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1[redacted]'],
];

/** Replaces anything that looks like a credential with `[redacted]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of secretPatterns) out = out.replace(pattern, replacement);
  return out;
}
