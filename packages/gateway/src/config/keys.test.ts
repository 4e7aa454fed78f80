import { describe, expect, it } from 'vitest';
import { buildGateway } from './build.ts';
import { hashKey } from './keys.ts';
import { parseConfig } from './load.ts';
import { chatRoute, problemsOf, twoProviders, yamlLines } from './test-support/config-text.ts';

const teamAKey = 'sfk_team_a_0123456789';
const teamAHash = hashKey(teamAKey);

/** The test providers and route, then `keys:` from line 11, its entries from line 12. */
function withKeys(...entries: string[]): string {
  return yamlLines(...twoProviders, ...chatRoute, 'keys:', ...entries);
}

describe('hashKey', () => {
  it('is the SHA-256 of the key, lowercase hex (FIPS 180-2 test vectors)', () => {
    expect(hashKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashKey('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes the UTF-8 bytes of the key', () => {
    // `printf %s 'clé' | sha256sum`, in a UTF-8 terminal: what an operator hashing by hand gets.
    expect(hashKey('clé')).toBe('51cbcf30514d0802eb5c60a018f384ea3fb9b69307c554ee63ecb43177594de4');
  });
});

describe('keys in the config', () => {
  it('are stored hashed; the built keys have lowercase hashes and a cache scope of their own by default', () => {
    const text = withKeys(
      `  - { name: team-a, sha256: ${teamAHash.toUpperCase()}, routes: [chat], requestsPerMinute: 600 }`,
      `  - { name: team-b, sha256: ${hashKey('sfk_team_b')}, cacheScope: shared }`,
    );
    const { keys } = buildGateway(parseConfig(text, 'test.yaml', { env: {} }));
    expect(keys).toEqual([
      { name: 'team-a', sha256: teamAHash, routes: ['chat'], requestsPerMinute: 600, cacheScope: 'team-a' },
      { name: 'team-b', sha256: hashKey('sfk_team_b'), cacheScope: 'shared' },
    ]);
  });

  it('refuses a key written in clear, saying how to hash it, without repeating it', () => {
    const problems = problemsOf(withKeys(`  - { name: team-a, sha256: ${teamAHash}, key: ${teamAKey} }`));
    expect(problems).toEqual([
      'test.yaml:12:95 keys.0.key: "key" is not allowed here: the config never holds a gateway key in clear text. ' +
        'Store its SHA-256 as `sha256:` instead: run `steadfast hash-key`, or `printf %s "$KEY" | sha256sum`, and remove the `key:` line',
    ]);
    expect(problems.join('\n')).not.toContain(teamAKey);
  });

  it('refuses a clear key given instead of a hash as missing the hash, too', () => {
    const problems = problemsOf(withKeys('  - name: team-a', `    apiKey: ${teamAKey}`));
    expect(problems).toEqual([
      'test.yaml:12:5 keys.0.sha256: missing (expected string)',
      'test.yaml:13:5 keys.0.apiKey: "apiKey" is not allowed here: the config never holds a gateway key in clear text. ' +
        'Store its SHA-256 as `sha256:` instead: run `steadfast hash-key`, or `printf %s "$KEY" | sha256sum`, and remove the `key:` line',
    ]);
  });

  it.each([
    ['a key pasted where the hash goes', teamAKey],
    ['a hash one character short', teamAHash.slice(1)],
    ['a hash with a character that is not hex', `${teamAHash.slice(1)}g`],
  ])('refuses %s, without repeating it', (_name, sha256) => {
    const problems = problemsOf(withKeys(`  - { name: team-a, sha256: ${sha256} }`));
    expect(problems).toEqual([
      'test.yaml:12:29 keys.0.sha256: must be 64 hexadecimal characters: the SHA-256 of the key, not the key (`steadfast hash-key`)',
    ]);
    expect(problems.join('\n')).not.toContain(sha256.slice(0, 12));
  });

  it('refuses a key for a route that does not exist, two keys of one name, and one key given twice', () => {
    const text = withKeys(
      `  - { name: team-a, sha256: ${teamAHash}, routes: [chat, chatt] }`,
      `  - { name: team-a, sha256: ${hashKey('other')} }`,
      `  - { name: team-c, sha256: ${teamAHash.toUpperCase()} }`,
    );
    expect(problemsOf(text)).toEqual([
      'test.yaml:12:110 keys.0.routes.1: route "chatt" is not configured (known: chat)',
      'test.yaml:13:13 keys.1.name: "team-a" is already the name of keys.0',
      'test.yaml:14:29 keys.2.sha256: the same key as keys.0',
    ]);
  });
});
