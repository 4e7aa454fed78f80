/**
 * Content cost: `npm run bench:content`.
 *
 * What the content checks cost per answer, for a ~5 KB JSON object (a reading list of 18 books), in µs:
 *   1. `JSON.parse` alone, the floor;
 *   2. `JSON.parse` + validation through Steadfast's `validate()` (what the engine calls) with zod 4,
 *      valibot and ajv (a plain JSON Schema, compiled once and cached, as `validate()` does);
 *   3. the path an answer takes in the engine: `jsonCandidates()` (lazy) and then `validate()` (zod) of each
 *      candidate until one validates, for (a) clean JSON, (b) the same JSON in a ```json fence between
 *      two lines of prose, (c) a near miss that only `jsonrepair` can parse (trailing commas, and the
 *      closing brace missing).
 * Each case runs in a fresh process, warms up for one round, then runs in rounds, every call timed alone
 * with `performance.now()` (its own cost, well under 1 µs, is noise at these sizes); it reports the mean,
 * p50 and p99 over every call of every round, and the spread of the round means.
 * Options: --rounds, --calls (per round), --case <name> (run one case here and print its stats as JSON;
 * with `node --cpu-prof` to profile it). Results and how to read them: bench/RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { z } from 'zod';
import { type JsonCandidate, jsonCandidates } from '../packages/core/src/content/extract-json.ts';
import { jsonSchema, type ObjectSchema, validate } from '../packages/core/src/content/schema.ts';
import { type Stats, stats } from './support/stats.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    calls: { type: 'string', default: '2000' },
    case: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const callsPerRound = Number(values.calls);

// ---- The object, its three schemas, and the three answers it can arrive in. ----

const genres = ['science fiction', 'fantasy', 'history', 'essays', 'poetry', 'crime', 'travel', 'science'];

const readingList = {
  name: 'Steadfast team reading list',
  updatedAt: '2026-12-01',
  owner: { name: 'Platform team', email: 'platform@example.com' },
  books: Array.from({ length: 18 }, (_, i) => ({
    title: `The ${['Quiet', 'Long', 'Broken', 'Hidden', 'Last', 'Open'][i % 6]} ${['River', 'Circuit', 'Garden', 'Archive'][i % 4]} volume ${i + 1}`,
    author: `${['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald'][i % 6]} ${['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth'][(i + 2) % 6]}`,
    year: 1950 + ((i * 7) % 75),
    isbn: `978-0-${String(100_000 + i * 7_919).padStart(6, '0')}-${i % 10}`,
    pages: 180 + i * 23,
    rating: Math.round((3 + (i % 5) * 0.45) * 10) / 10,
    available: i % 3 !== 0,
    tags: [genres[i % 8] as string, genres[(i + 3) % 8] as string, `shelf-${(i % 4) + 1}`],
    summary: 'A readable account of how systems fail, and how careful people keep them working anyway.',
  })),
};

const zodSchema = z.object({
  name: z.string(),
  updatedAt: z.string(),
  owner: z.object({ name: z.string(), email: z.string() }),
  books: z.array(
    z.object({
      title: z.string(),
      author: z.string(),
      year: z.number().int(),
      isbn: z.string(),
      pages: z.number().int().positive(),
      rating: z.number().min(0).max(5),
      available: z.boolean(),
      tags: z.array(z.string()),
      summary: z.string(),
    }),
  ),
});

const valibotSchema = v.object({
  name: v.string(),
  updatedAt: v.string(),
  owner: v.object({ name: v.string(), email: v.string() }),
  books: v.array(
    v.object({
      title: v.string(),
      author: v.string(),
      year: v.pipe(v.number(), v.integer()),
      isbn: v.string(),
      pages: v.pipe(v.number(), v.integer(), v.minValue(1)),
      rating: v.pipe(v.number(), v.minValue(0), v.maxValue(5)),
      available: v.boolean(),
      tags: v.array(v.string()),
      summary: v.string(),
    }),
  ),
});

const plainSchema = jsonSchema<typeof readingList>({
  type: 'object',
  required: ['name', 'updatedAt', 'owner', 'books'],
  properties: {
    name: { type: 'string' },
    updatedAt: { type: 'string' },
    owner: {
      type: 'object',
      required: ['name', 'email'],
      properties: { name: { type: 'string' }, email: { type: 'string' } },
    },
    books: {
      type: 'array',
      items: {
        type: 'object',
        required: ['title', 'author', 'year', 'isbn', 'pages', 'rating', 'available', 'tags', 'summary'],
        properties: {
          title: { type: 'string' },
          author: { type: 'string' },
          year: { type: 'integer' },
          isbn: { type: 'string' },
          pages: { type: 'integer', minimum: 1 },
          rating: { type: 'number', minimum: 0, maximum: 5 },
          available: { type: 'boolean' },
          tags: { type: 'array', items: { type: 'string' } },
          summary: { type: 'string' },
        },
      },
    },
  },
});

const clean = JSON.stringify(readingList);
const fenced = `Here is the reading list you asked for:\n\n\`\`\`json\n${clean}\n\`\`\`\n\nLet me know if you want more books.`;
// What a model gets slightly wrong: a trailing comma closing every tag list, and the last brace missing.
const nearMiss = clean.replaceAll('"]', '",]').slice(0, -1);

// ---- The cases. ----

interface Case {
  name: string;
  /** The answer's text. */
  text: string;
  /** One answer's work; resolves to the validated value. */
  run(text: string): Promise<unknown>;
  /** What the answer must have gone through, checked once before measuring. */
  expect?: (found: JsonCandidate) => boolean;
  notes: string;
}

/** Parses and validates, throwing when the value does not validate (a benchmark that fails is no figure). */
async function parseAndValidate(schema: ObjectSchema, text: string): Promise<unknown> {
  const checked = await validate(schema, JSON.parse(text));
  if (!checked.ok) throw new Error(`does not validate: ${checked.issues.slice(0, 3).join('; ')}`);
  return checked.value;
}

/** The engine's path (`checked-attempt.ts`): the candidates jsonCandidates yields, lazily, until one validates. */
async function extractAndValidate(text: string): Promise<unknown> {
  for (const found of jsonCandidates(text)) {
    const checked = await validate(zodSchema, found.value);
    if (checked.ok) return checked.value;
  }
  throw new Error('no candidate validates');
}

/** The candidate that validates, for the one-off check of what path an answer took. */
async function validatingCandidate(text: string): Promise<JsonCandidate | undefined> {
  for (const found of jsonCandidates(text)) {
    if ((await validate(zodSchema, found.value)).ok) return found;
  }
  return undefined;
}

const cases: Case[] = [
  {
    name: 'JSON.parse alone',
    text: clean,
    run: async (text) => JSON.parse(text),
    notes: 'the floor',
  },
  {
    name: 'JSON.parse + zod',
    text: clean,
    run: (text) => parseAndValidate(zodSchema, text),
    notes: 'zod 4 via Standard Schema',
  },
  {
    name: 'JSON.parse + valibot',
    text: clean,
    run: (text) => parseAndValidate(valibotSchema, text),
    notes: 'valibot 1 via Standard Schema',
  },
  {
    name: 'JSON.parse + ajv (JSON Schema)',
    text: clean,
    run: (text) => parseAndValidate(plainSchema, text),
    notes: 'ajv 8, compiled once',
  },
  {
    name: 'jsonCandidates + zod: (a) clean JSON',
    text: clean,
    run: extractAndValidate,
    expect: (found) => found.source === 'whole' && !found.repaired,
    notes: 'parses as a whole',
  },
  {
    name: 'jsonCandidates + zod: (b) code fence in prose',
    text: fenced,
    run: extractAndValidate,
    expect: (found) => found.source === 'fence' && !found.repaired,
    notes: 'the whole fails, then the fence parses',
  },
  {
    name: 'jsonCandidates + zod: (c) near miss, jsonrepair',
    text: nearMiss,
    run: extractAndValidate,
    expect: (found) => found.source === 'whole' && found.repaired,
    notes: 'JSON.parse fails, jsonrepair mends it',
  },
];

// ---- Measuring. ----

// Keeps the results alive, so that no work can be optimised away.
let sink = 0;

async function measure(c: Case): Promise<Stats> {
  if (c.expect !== undefined) {
    const found = await validatingCandidate(c.text);
    if (found === undefined || !c.expect(found)) {
      throw new Error(`${c.name}: took another path than intended: ${JSON.stringify(found?.source)}`);
    }
  }
  for (let i = 0; i < callsPerRound; i++) sink += (await c.run(c.text)) === undefined ? 0 : 1;
  const samples = new Float64Array(rounds * callsPerRound);
  const roundMeans: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const roundStart = performance.now();
    for (let i = 0; i < callsPerRound; i++) {
      const start = performance.now();
      sink += (await c.run(c.text)) === undefined ? 0 : 1;
      samples[round * callsPerRound + i] = performance.now() - start;
    }
    roundMeans.push((performance.now() - roundStart) / callsPerRound);
  }
  return stats(samples, roundMeans);
}

const us = (value: number): string => value.toFixed(value < 100 ? 1 : 0);

if (values.case !== undefined) {
  const c = cases.find((candidate) => candidate.name === values.case);
  if (c === undefined) throw new Error(`unknown case ${values.case}`);
  console.log(JSON.stringify({ ...(await measure(c)), sink }));
} else {
  // Each case runs in a fresh process, so that one case's JIT and heap state do not colour the next.
  console.log(
    `Node ${process.version}; object ${(clean.length / 1024).toFixed(1)} KiB of JSON (18 books); each case in its own process; ${rounds} rounds of ${callsPerRound} calls after a warm-up round.\n`,
  );
  console.log(
    '| case | answer bytes | calls measured | mean µs | p50 µs | p99 µs | round means µs | notes |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const c of cases) {
    const output = execFileSync(process.execPath, [
      fileURLToPath(import.meta.url),
      '--case',
      c.name,
      '--rounds',
      String(rounds),
      '--calls',
      String(callsPerRound),
    ]);
    const s = JSON.parse(output.toString()) as Stats;
    const range = `${us(s.roundMeansUs[0])}–${us(s.roundMeansUs[1])}`;
    console.log(
      `| ${c.name} | ${c.text.length.toLocaleString('en')} | ${s.iterations.toLocaleString('en')} | ${us(s.meanUs)} | ${us(s.p50Us)} | ${us(s.p99Us)} | ${range} | ${c.notes} |`,
    );
  }
}
