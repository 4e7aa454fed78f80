import { describe, expect, it } from 'vitest';
import { SteadfastError } from '../errors/steadfast-error.ts';
import { credentialScrubber, credentialsIn } from './credentials.ts';

// An Azure-shaped key: 32 characters no built-in pattern recognises.
const azureKey = 'AzureCanaryKey0123456789abcdef00';

describe('credentialsIn', () => {
  it('reads the key of each credential header, whatever its case, and the token after an auth scheme', () => {
    expect(
      credentialsIn({
        'content-type': 'application/json',
        Authorization: 'Bearer gsk_token0123456789',
        'api-key': azureKey,
        'x-goog-api-key': 'AIzaKey',
        'anthropic-version': '2023-06-01',
      }),
    ).toEqual(['gsk_token0123456789', azureKey, 'AIzaKey']);
  });

  it('finds none in headers without credentials', () => {
    expect(credentialsIn({ 'content-type': 'application/json', authorization: 'Bearer ' })).toEqual([]);
  });
});

describe('credentialScrubber', () => {
  const scrub = credentialScrubber({ 'api-key': azureKey });

  it("removes the adapter's own key from an error's message and stack, keeping every other fact", () => {
    const quoted = new SteadfastError(
      'auth',
      `azure answered HTTP 401 invalid_api_key: Incorrect API key provided: ${azureKey}.`,
      { status: 401, provider: 'azure', model: 'gpt-4o', requestId: 'req_1', code: 'invalid_api_key' },
    );

    const scrubbed = scrub(quoted);

    expect(scrubbed.message).toBe(
      'azure answered HTTP 401 invalid_api_key: Incorrect API key provided: [redacted].',
    );
    expect(scrubbed.stack).not.toContain(azureKey.slice(0, 8));
    expect(scrubbed).toMatchObject({
      kind: 'auth',
      status: 401,
      provider: 'azure',
      model: 'gpt-4o',
      requestId: 'req_1',
      code: 'invalid_api_key',
      retryable: quoted.retryable,
      fallbackable: quoted.fallbackable,
    });
  });

  it('removes a quote of the key masked after its first 8 characters', () => {
    const masked = `${azureKey.slice(0, 8)}********************ef00`;

    const scrubbed = scrub(new SteadfastError('auth', `Incorrect API key provided: ${masked}.`));

    expect(scrubbed.message).toBe('Incorrect API key provided: [redacted]********************ef00.');
  });

  it('returns an error that does not quote the key as it is', () => {
    const unrelated = new SteadfastError('server', 'azure answered HTTP 500');

    expect(scrub(unrelated)).toBe(unrelated);
  });

  it('is the identity for an adapter without credentials', () => {
    const quoted = new SteadfastError('auth', `key ${azureKey}`);

    expect(credentialScrubber({ 'content-type': 'application/json' })(quoted)).toBe(quoted);
  });
});
