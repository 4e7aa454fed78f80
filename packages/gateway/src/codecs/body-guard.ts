import { indexPath, keyPath } from './body-reader.ts';
import { CodecError } from './codec.ts';

/**
 * Deepest nesting of objects and arrays a body may have; the body itself is level 1. Real requests
 * stay under 20 (a tool schema inside a tool inside the body); 64 leaves room for deep schemas while a
 * body built to exhaust the stack of whatever reads it after us is refused first.
 */
export const maxNestingDepth = 64;

/**
 * Keys that would let a client choose where its request goes or with which credentials (issue 7):
 * upstream URLs and provider keys, as LiteLLM-, Portkey- and SDK-style proxies read them from a body. The
 * gateway sends the original body upstream, so such a field would reach any proxy behind it. Compared
 * without case, `_` and `-`: `api_base`, `apiBase` and `API-BASE` are one key.
 */
const forbiddenKeys: ReadonlySet<string> = new Set([
  'apibase',
  'baseurl',
  'apiurl',
  'apikey',
  'apitoken',
  'endpoint',
  'azureendpoint',
  'azureadtoken',
  'customhost',
  'awsaccesskeyid',
  'awssecretaccesskey',
  'awssessiontoken',
  'vertexcredentials',
]);
/** Portkey reads its whole routing config (`x-portkey-config`) and its siblings from these. */
const forbiddenPrefix = 'xportkey';
const separators = /[-_]/g;

function isForbidden(key: string): boolean {
  const normal = key.toLowerCase().replace(separators, '');
  return forbiddenKeys.has(normal) || normal.startsWith(forbiddenPrefix);
}

/**
 * Where a body holds data rather than settings: JSON Schemas and tool-call arguments, whose keys are the
 * caller's property names (a webhook tool may well take an `endpoint`). `'*'` stands for any array index.
 * Depth still counts inside them.
 */
export type DataPath = ReadonlyArray<string>;

type Segment = string | number;

function formatPath(segments: readonly Segment[]): string {
  let path = '';
  for (const segment of segments) {
    path = typeof segment === 'number' ? indexPath(path, segment) : keyPath(path, segment);
  }
  return path;
}

function isDataPath(segments: readonly Segment[], dataPaths: readonly DataPath[]): boolean {
  for (const pattern of dataPaths) {
    if (pattern.length !== segments.length) continue;
    let match = true;
    for (let i = 0; i < pattern.length && match; i++) {
      const segment = segments[i];
      match = pattern[i] === '*' ? typeof segment === 'number' : pattern[i] === segment;
    }
    if (match) return true;
  }
  return false;
}

function walk(
  value: unknown,
  depth: number,
  segments: Segment[],
  inData: boolean,
  dataPaths: readonly DataPath[],
): void {
  if (typeof value !== 'object' || value === null) return;
  if (depth > maxNestingDepth) {
    const path = formatPath(segments);
    throw new CodecError(`${path}: nested deeper than ${maxNestingDepth} levels`, path);
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      segments.push(index);
      walk(value[index], depth + 1, segments, inData || isDataPath(segments, dataPaths), dataPaths);
      segments.pop();
    }
    return;
  }
  for (const key of Object.keys(value)) {
    segments.push(key);
    if (!inData && isForbidden(key)) {
      const path = formatPath(segments);
      throw new CodecError(
        `${path}: not accepted; upstream URLs and credentials are the gateway's configuration, never the client's`,
        path,
      );
    }
    const child = (value as Record<string, unknown>)[key];
    walk(child, depth + 1, segments, inData || isDataPath(segments, dataPaths), dataPaths);
    segments.pop();
  }
}

/**
 * Refuses, with a 400 naming the path, a body that tries to set an upstream URL or credential at any
 * depth outside `dataPaths`, or that nests deeper than `maxNestingDepth`.
 */
export function guardBody(body: unknown, dataPaths: readonly DataPath[]): void {
  walk(body, 1, [], false, dataPaths);
}
