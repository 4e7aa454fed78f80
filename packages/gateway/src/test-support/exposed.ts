/**
 * Everything a value would show to whoever prints, logs or serialises it, as one text: every own
 * property (enumerable or not, so an error's `message`, `stack` and `cause` too), every getter on its
 * class (`userMessage`), what `toJSON()` returns, the entries of Maps, Sets and `Headers`, and
 * `JSON.stringify` of the whole. A leak check reads this text, so that no way of printing a value can
 * show more than was checked.
 */
export function exposed(value: unknown): string {
  const parts: string[] = [];
  walk(value, parts, new Set());
  try {
    parts.push(JSON.stringify(value) ?? '');
  } catch {
    // A circular value: its parts were walked above.
  }
  return parts.join('\n');
}

function walk(value: unknown, parts: string[], seen: Set<object>): void {
  if (typeof value === 'string') {
    parts.push(value);
    return;
  }
  // A function's text is its source, not data it holds.
  if (typeof value === 'function') return;
  if (typeof value !== 'object' || value === null) {
    if (value !== undefined) parts.push(String(value));
    return;
  }
  if (seen.has(value)) return;
  seen.add(value);
  if (value instanceof Map || value instanceof Headers) {
    for (const [key, item] of value.entries()) {
      walk(key, parts, seen);
      walk(item, parts, seen);
    }
    return;
  }
  if (value instanceof Set) {
    for (const item of value) walk(item, parts, seen);
    return;
  }
  if (value instanceof URL) {
    parts.push(value.href);
    return;
  }
  for (const key of Reflect.ownKeys(value)) {
    parts.push(String(key));
    walk((value as Record<PropertyKey, unknown>)[key], parts, seen);
  }
  // Getters and `toJSON` live on the prototype chain (`SteadfastError.userMessage`, `.category`).
  for (let proto = Object.getPrototypeOf(value); proto !== null && proto !== Object.prototype; ) {
    for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (descriptor.get !== undefined)
        walk(
          read(() => descriptor.get?.call(value)),
          parts,
          seen,
        );
      if (key === 'toJSON' && typeof descriptor.value === 'function') {
        walk((descriptor.value as () => unknown).call(value), parts, seen);
      }
    }
    proto = Object.getPrototypeOf(proto);
  }
}

/** What a getter returns, or nothing when it throws (a getter that needs state this value lacks). */
function read(get: () => unknown): unknown {
  try {
    return get();
  } catch {
    return undefined;
  }
}
