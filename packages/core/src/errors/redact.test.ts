import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact.ts';

describe('redactSecrets', () => {
  it.each([
    [
      'an OpenAI key echoed in a 401',
      'Incorrect API key provided: sk-proj-abc123XYZ789secretKEYvalue0000. You can find your API key at https://platform.openai.com/account/api-keys.',
      'sk-proj-abc123XYZ789secretKEYvalue0000',
      'Incorrect API key provided: [redacted]',
    ],
    [
      'a masked OpenAI key',
      'Incorrect API key provided: sk-abc12*********************wxyz.',
      'sk-abc12',
      'provided: [redacted]',
    ],
    [
      'an Anthropic key',
      'key sk-ant-api03-Zx9_abcdEFGH-1234 was revoked',
      'sk-ant-api03-Zx9_abcdEFGH-1234',
      'key [redacted] was revoked',
    ],
    [
      'a Google key in a ?key= query',
      'POST https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent?key=AIzaSyD3adb33fC0ffee1234567890abcdefXYZ&alt=sse failed',
      'AIzaSyD3adb33fC0ffee1234567890abcdefXYZ',
      'generateContent?key=[redacted]&alt=sse failed',
    ],
    [
      'a key-like query parameter that is not a Google key',
      'GET https://example.test/v1/chat?api_key=abc123def456&x=1',
      'abc123def456',
      '?api_key=[redacted]&x=1',
    ],
    [
      'a bearer token',
      'sent Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig and got 401',
      'eyJhbGciOiJIUzI1NiJ9',
      'Authorization: Bearer [redacted] and got 401',
    ],
    [
      'an x-api-key header dump',
      '{"x-api-key": "sk-ant-api03-secret-value", "anthropic-version": "2023-06-01"}',
      'secret-value',
      '"anthropic-version": "2023-06-01"',
    ],
    [
      'an Azure api-key header dump',
      'headers: api-key=0123456789abcdef0123456789abcdef, content-type=application/json',
      '0123456789abcdef0123456789abcdef',
      'api-key=[redacted]',
    ],
  ])('removes %s', (_label, text, secret, kept) => {
    const redacted = redactSecrets(text);
    expect(redacted).not.toContain(secret);
    expect(redacted).toContain(kept);
  });

  it('leaves text without credentials as it is', () => {
    const text =
      "This model's maximum context length is 128000 tokens. See https://platform.openai.com/docs?linkid=2198766 (task-runner, risk-model).";
    expect(redactSecrets(text)).toBe(text);
  });
});
