import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { type Clock, systemClock } from '@steadfast/core';
import { watchDefaults } from './defaults.ts';
import { type LoadedConfig, type ParseConfigOptions, parseConfig } from './load.ts';

/** What a watcher tells its owner. */
export interface ConfigWatchHandlers {
  /** A new valid config: the server swaps it in (in-flight requests finish on the old one). */
  onChange(config: LoadedConfig): void;
  /**
   * A reload that failed: a `ConfigError` naming each problem's line, or the file could not be read.
   * The old config stays in force.
   */
  onError(error: unknown): void;
}

/** Options of `watchConfig`. */
export interface WatchConfigOptions extends ParseConfigOptions {
  /** Quiet time after the last change before reloading, in ms. @default 100 */
  debounceMs?: number;
  /** Reload on SIGHUP too. @default true */
  sighup?: boolean;
  /** Times the debounce. @default the system clock (its timers never keep the process alive) */
  clock?: Clock;
}

/** A running watcher. */
export interface ConfigWatcher {
  /** Reloads now, even if the file did not change (what SIGHUP does); resolves once the handlers ran. */
  reload(): Promise<void>;
  /** Stops watching and listening for SIGHUP. */
  close(): void;
}

/**
 * Reloads a config file when it changes or the process gets SIGHUP. The folder is watched rather than
 * the file, so that an editor's save by rename (write a temporary file, rename it over the old one) is
 * seen too. Changes are debounced; a change that leaves the text as it was last read reloads nothing;
 * reloads never overlap (one asked for during another runs after it).
 */
export function watchConfig(
  path: string,
  handlers: ConfigWatchHandlers,
  options: WatchConfigOptions = {},
): ConfigWatcher {
  const {
    debounceMs = watchDefaults.debounceMs,
    sighup = true,
    clock = systemClock,
    ...parseOptions
  } = options;
  const file = resolve(path);
  const name = basename(file);
  let lastText: string | undefined;
  let timer: unknown;
  let running: Promise<void> | undefined;
  let queued: { force: boolean } | undefined;
  let closed = false;

  async function loadOnce(force: boolean): Promise<void> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      handlers.onError(error);
      return;
    }
    // Several events for one save, or a save that changed nothing: the file is as it was last read.
    if (!force && text === lastText) return;
    lastText = text;
    let config: LoadedConfig;
    try {
      config = parseConfig(text, path, parseOptions);
    } catch (error) {
      handlers.onError(error);
      return;
    }
    handlers.onChange(config);
  }

  function reload(force: boolean): Promise<void> {
    if (running !== undefined) {
      queued = { force: force || (queued?.force ?? false) };
      return running;
    }
    running = (async () => {
      let next: { force: boolean } | undefined = { force };
      while (next !== undefined && !closed) {
        queued = undefined;
        await loadOnce(next.force);
        next = queued;
      }
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  function onFileEvent(_event: string, changed: string | Buffer | null): void {
    // Some platforms give no name; then any change in the folder may be ours.
    if (changed !== null && changed.toString() !== name) return;
    clock.clearTimeout(timer);
    timer = clock.setTimeout(() => void reload(false).catch(handlers.onError), debounceMs);
  }

  function onSighup(): void {
    void reload(true).catch(handlers.onError);
  }

  // Not persistent: watching a file is no reason to keep the process alive.
  const watcher: FSWatcher = watch(dirname(file), { persistent: false }, onFileEvent);
  watcher.on('error', handlers.onError);
  if (sighup) process.on('SIGHUP', onSighup);

  return {
    reload: () => reload(true),
    close() {
      closed = true;
      clock.clearTimeout(timer);
      watcher.close();
      process.off('SIGHUP', onSighup);
    },
  };
}
