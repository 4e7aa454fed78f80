import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

/** A place in the file, 1-based. */
export interface Position {
  line: number;
  column: number;
}

/** Where a field is, and whether it is there at all. */
export interface Located extends Position {
  /** False when the field is missing: the position is then its nearest parent's. */
  found: boolean;
}

/**
 * Finds a field of a parsed document by its path. A scalar is pointed at where its value starts; a
 * map or list at its key (its value starts on the next line); a missing field at the key of its
 * nearest parent that exists. `at: 'key'` points at the key itself (for a key that should not be there).
 */
export function locate(
  document: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  at: 'key' | 'value' = 'value',
): Located {
  const position = (offset: number | undefined): Position => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { line, column: col };
  };
  let node: unknown = document.contents;
  let owner: Position = position(isNode(node) ? node.range?.[0] : 0);
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair === undefined) return { ...owner, found: false };
      const keyAt = position(isNode(pair.key) ? pair.key.range?.[0] : undefined);
      const value = pair.value;
      if (last) {
        const pointAtKey = at === 'key' || !isScalar(value) || value.value === null;
        return { ...(pointAtKey ? keyAt : position(value.range?.[0])), found: true };
      }
      owner = keyAt;
      node = value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!isNode(item)) return { ...owner, found: false };
      owner = position(item.range?.[0]);
      if (last) return { ...owner, found: true };
      node = item;
    } else {
      return { ...owner, found: false };
    }
  }
  return { ...owner, found: true };
}

function isNode(value: unknown): value is Node {
  return isMap(value) || isSeq(value) || isScalar(value);
}
