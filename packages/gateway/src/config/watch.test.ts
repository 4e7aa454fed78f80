import { mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '@steadfast/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import type { LoadedConfig } from './load.ts';
import { chatRoute, twoProviders, yamlLines } from './test-support/config-text.ts';
import { type ConfigWatcher, watchConfig } from './watch.ts';

type WatchEvent = { type: 'change'; config: LoadedConfig } | { type: 'error'; error: unknown };

/** The watcher's reports in order; `next()` waits for the next one (failing after 5 s rather than hanging). */
function reports() {
  const queued: WatchEvent[] = [];
  const waiting: Array<(event: WatchEvent) => void> = [];
  const push = (event: WatchEvent): void => {
    const waiter = waiting.shift();
    if (waiter === undefined) queued.push(event);
    else waiter(event);
  };
  return {
    handlers: {
      onChange: (config: LoadedConfig) => push({ type: 'change', config }),
      onError: (error: unknown) => push({ type: 'error', error }),
    },
    next(): Promise<WatchEvent> {
      const event = queued.shift();
      if (event !== undefined) return Promise.resolve(event);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the watcher reported nothing within 5 s')), 5000);
        waiting.push((reported) => {
          clearTimeout(timer);
          resolve(reported);
        });
      });
    },
    /** Reports not yet taken by `next()`. */
    queued: (): readonly WatchEvent[] => queued,
  };
}

/** A clock whose timers run only when the test fires them: the debounce, under the test's control. */
function manualClock() {
  const pending = new Map<number, () => void>();
  let handles = 0;
  const clock: Clock = {
    now: () => 0,
    setTimeout(callback) {
      pending.set(++handles, callback);
      return handles;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    clock,
    /** Waits (polling, at most 5 s) until a file event has started a debounce, then ends it. */
    async fireDebounce(): Promise<void> {
      for (let waitedMs = 0; pending.size === 0; waitedMs += 5) {
        if (waitedMs >= 5000) throw new Error('no file event within 5 s');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const callbacks = [...pending.values()];
      pending.clear();
      for (const callback of callbacks) callback();
    },
  };
}

const goodConfig = (port: number) => yamlLines(...twoProviders, ...chatRoute, `server: { port: ${port} }`);
const badConfig = yamlLines(...twoProviders, 'routes:', '  chat:', '    candidates: [opnai/gpt-4o-mini]');

describe('watchConfig', () => {
  let dir: string;
  let path: string;
  let watcher: ConfigWatcher | undefined;

  /** Saves the file as editors do: a temporary file renamed over it. */
  async function save(text: string): Promise<void> {
    const temporary = join(dir, `.gateway.yaml.${Math.random().toString(36).slice(2)}`);
    await writeFile(temporary, text);
    await rename(temporary, path);
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'steadfast-watch-'));
    path = join(dir, 'gateway.yaml');
    await writeFile(path, goodConfig(9000));
  });
  afterEach(async () => {
    watcher?.close();
    watcher = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a bad save with its line and keeps quiet about the config; passes on the next good one', async () => {
    const seen = reports();
    watcher = watchConfig(path, seen.handlers, { env: {}, debounceMs: 20 });

    await save(badConfig);
    const bad = await seen.next();
    expect(bad.type).toBe('error');
    const error = bad.type === 'error' ? bad.error : undefined;
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues).toEqual([
      {
        path: 'routes.chat.candidates.0',
        line: 10,
        column: 18,
        message: 'provider "opnai" is not configured (known: openai, anthropic)',
      },
    ]);

    await save(goodConfig(9001));
    const good = await seen.next();
    expect(good.type === 'change' ? good.config.server.port : undefined).toBe(9001);
    expect(good.type === 'change' ? good.config.source : undefined).toBe(path);
  });

  it('reloads nothing for a save that leaves the text as it was', async () => {
    const seen = reports();
    const time = manualClock();
    watcher = watchConfig(path, seen.handlers, { env: {}, clock: time.clock });
    await save(goodConfig(9001));
    await time.fireDebounce();
    expect(await seen.next()).toMatchObject({ type: 'change', config: { server: { port: 9001 } } });
    await save(goodConfig(9001));
    await time.fireDebounce();
    await save(goodConfig(9002));
    await time.fireDebounce();
    // Reloads run in order: had the identical save reported anything, it would come first.
    expect(await seen.next()).toMatchObject({ type: 'change', config: { server: { port: 9002 } } });
    expect(seen.queued()).toEqual([]);
  });

  it('reloads on SIGHUP even when the file did not change', async () => {
    const seen = reports();
    watcher = watchConfig(path, seen.handlers, { env: {}, debounceMs: 20 });
    process.emit('SIGHUP', 'SIGHUP');
    expect(await seen.next()).toMatchObject({ type: 'change', config: { server: { port: 9000 } } });
    await watcher.reload();
    expect(seen.queued()).toMatchObject([{ type: 'change', config: { server: { port: 9000 } } }]);
  });

  it('reports a file that is gone, and takes it back when it returns', async () => {
    const seen = reports();
    watcher = watchConfig(path, seen.handlers, { env: {}, debounceMs: 20 });
    await unlink(path);
    expect(await seen.next()).toMatchObject({ type: 'error', error: { code: 'ENOENT' } });
    await save(goodConfig(9003));
    expect(await seen.next()).toMatchObject({ type: 'change', config: { server: { port: 9003 } } });
  });

  it('stops listening for SIGHUP when closed, and listens only when asked to', () => {
    const before = process.listenerCount('SIGHUP');
    const seen = reports();
    const listening = watchConfig(path, seen.handlers, { env: {} });
    expect(process.listenerCount('SIGHUP')).toBe(before + 1);
    listening.close();
    expect(process.listenerCount('SIGHUP')).toBe(before);
    watcher = watchConfig(path, seen.handlers, { env: {}, sighup: false });
    expect(process.listenerCount('SIGHUP')).toBe(before);
  });
});
