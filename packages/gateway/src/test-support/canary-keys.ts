/**
 * Fake keys a reader recognises on sight, one per credential, so that a leak names its source. Three
 * are in shapes the built-in redaction patterns know (`sk-…`, `AIza…`); the Azure, Groq and gateway keys
 * are in shapes no pattern knows, so only code that knows the configured key can keep them out.
 */
export const canaryKeys = {
  openai: 'sk-canary-OPENAI-0123456789abcdef',
  anthropic: 'sk-ant-canary-ANTHROPIC-0123456789abcdef',
  gemini: 'AIzaCanaryGemini0123456789abcdefXYZ',
  // Azure keys are 32 hexadecimal characters: this is 32 letters and digits.
  azure: 'AzureCanaryKey0123456789abcdef00',
  groq: 'gsk_canaryGroq0123456789abcdefghijklmnop',
  gateway: 'sfgw_canary_GATEWAY_0123456789abcdef',
} as const;

export type CanaryKeyName = keyof typeof canaryKeys;

/** The shortest start of a key that must not appear on its own: 8 characters, as the redactor reads it. */
export const prefixChars = 8;

/** Where a key, or its first 8 characters, appears in `text`: the names of the keys found. */
export function keysIn(text: string): CanaryKeyName[] {
  const found: CanaryKeyName[] = [];
  for (const [name, key] of Object.entries(canaryKeys) as Array<[CanaryKeyName, string]>) {
    if (text.includes(key.slice(0, prefixChars))) found.push(name);
  }
  return found;
}
