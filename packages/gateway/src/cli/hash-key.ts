import { hashKey } from '../config/keys.ts';

/** `steadfast hash-key [key]`: the SHA-256 to store in the config for a gateway key (read from stdin when not given). */
export async function hashKeyCommand(key: string | undefined): Promise<void> {
  let text = key;
  if (text === undefined) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
    text = Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  if (text === '')
    throw new UsageError('hash-key needs a key: `steadfast hash-key <key>` or on standard input');
  process.stdout.write(`${hashKey(text)}\n`);
}

/** A mistake in how the CLI was called. */
export class UsageError extends Error {}
