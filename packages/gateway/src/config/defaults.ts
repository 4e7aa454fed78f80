/** Defaults of the gateway's config file, written once; the schema applies them. */
export const serverDefaults = {
  // Loopback: a gateway holding provider keys is reachable from elsewhere only when someone says so.
  host: '127.0.0.1',
  port: 8787,
  // 4 MiB: a long conversation with a few images inlined as base64; much more is a mistake or abuse.
  bodyLimitBytes: 4 * 1024 * 1024,
  // Ten seconds for in-flight requests to finish after SIGTERM; longer streams are cut (and resumable).
  shutdownGraceMs: 10_000,
  // Ten minutes: clients retry a lost answer within seconds or minutes, not hours.
  idempotencyWindowMs: 600_000,
} as const;

/** Defaults of the in-process fault simulator. */
export const simulatorDefaults = {
  // A free port: the providers reach it through `${simulator}`, so nobody needs to know the number.
  port: 0,
} as const;

/** Defaults of config reloading. */
export const watchDefaults = {
  // Editors write a file in several steps (truncate, write, rename); one reload after the last of them.
  debounceMs: 100,
} as const;
