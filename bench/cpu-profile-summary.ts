/**
 * Summarises a V8 CPU profile (`node --cpu-prof` writes them) as Markdown tables: the functions with the
 * most self time; the most inclusive time (each function counted once per stack, so recursion does not
 * inflate it; an async function's time after its first `await` shows under the microtask queue, not its
 * caller); and self time by file. Used for bench/RESULTS.md; for the whole picture, open the file in Chrome
 * DevTools (Performance, "Load profile").
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/engine-overhead.ts --case steadfast
 *   node bench/cpu-profile-summary.ts /tmp/prof/CPU.*.cpuprofile --top 25
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '20' } },
  allowPositionals: true,
});
const file = positionals[0];
if (file === undefined)
  throw new Error('usage: node bench/cpu-profile-summary.ts <file.cpuprofile> [--top N]');
const top = Number(values.top);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const root = fileURLToPath(new URL('..', import.meta.url));

/** Where a function is: a path relative to the repository, a `node:` module, or '' for V8's own entries. */
function fileOf(node: ProfileNode): string {
  const { url } = node.callFrame;
  return url.startsWith('file://') ? relative(root, fileURLToPath(url)) : url;
}

/** A function's name and where it is, short enough for a table. */
function label(node: ProfileNode): string {
  const { functionName, lineNumber } = node.callFrame;
  const name = functionName === '' ? '(anonymous)' : functionName;
  const file = fileOf(node);
  return file === '' ? name : `${name} ${file}:${lineNumber + 1}`;
}

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const totalUs = [...selfUs.values()].reduce((sum, us) => sum + us, 0);

const selfByLabel = new Map<string, number>();
const selfByFile = new Map<string, number>();
const inclusiveByLabel = new Map<string, number>();
/** Walks the tree; returns the node's inclusive time, adding it once per stack to its label. */
function walk(node: ProfileNode, onStack: Set<string>): number {
  const name = label(node);
  const own = selfUs.get(node.id) ?? 0;
  selfByLabel.set(name, (selfByLabel.get(name) ?? 0) + own);
  const file = fileOf(node) || name;
  selfByFile.set(file, (selfByFile.get(file) ?? 0) + own);
  const outermost = !onStack.has(name);
  if (outermost) onStack.add(name);
  let inclusive = own;
  for (const child of node.children ?? []) {
    const childNode = byId.get(child);
    if (childNode !== undefined) inclusive += walk(childNode, onStack);
  }
  if (outermost) {
    onStack.delete(name);
    inclusiveByLabel.set(name, (inclusiveByLabel.get(name) ?? 0) + inclusive);
  }
  return inclusive;
}
const rootNode = profile.nodes[0];
if (rootNode !== undefined) walk(rootNode, new Set());

function table(title: string, entries: Map<string, number>): string {
  const rows = [...entries]
    .filter(([name]) => name !== '(root)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => `| ${name} | ${((us / totalUs) * 100).toFixed(1)} % |`);
  return [`| ${title} | share of samples |`, '|---|---:|', ...rows].join('\n');
}

console.log(`${(totalUs / 1000).toFixed(0)} ms sampled\n`);
console.log(table('self time', selfByLabel));
console.log('');
console.log(table('inclusive time', inclusiveByLabel));
console.log('');
console.log(table('self time by file', selfByFile));
