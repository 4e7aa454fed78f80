import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postJson, readAll } from './test-support/sse.ts';

// The built CLI, as `npx steadfast-sim` runs it; `npm test` builds it first (pretest).
const cliPath = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const demoScenario = 'examples/demo-scenario.yaml';

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const children: ChildProcess[] = [];

function spawnCli(args: readonly string[]): ChildProcess {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: repoRoot, stdio: 'pipe' });
  children.push(child);
  return child;
}

/** Collects the output of a child until it exits. */
function finished(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs the CLI to its end. */
function runCli(args: readonly string[]): Promise<Finished> {
  return finished(spawnCli(args));
}

/** Resolves with the URL the CLI prints once it listens; rejects if it exits first. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      seen += text;
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the CLI exited (${code}) before listening:\n${seen}`)));
  });
}

beforeAll(() => {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` first`);
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('steadfast-sim', () => {
  it('serves the scenario on the port it prints (a free one for --port 0) and stops on SIGTERM', async () => {
    const child = spawnCli(['--port', '0', '--scenario', demoScenario]);
    const exited = finished(child);
    const url = await listeningUrl(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new URL(url).port).not.toBe('0');

    const models = await fetch(`${url}/v1/models`);
    expect(await models.json()).toMatchObject({
      object: 'list',
      data: expect.arrayContaining([expect.objectContaining({ id: 'gpt-4o-mini' })]),
    });
    // The demo scenario answers the first gpt-4o-mini attempt with a rate limit (retry after 1 s).
    const first = await postJson(`${url}/v1/chat/completions`, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    await readAll(first);

    child.kill('SIGTERM');
    const result = await exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`scenario: ${demoScenario}`);
    expect(result.stdout).toContain(`curl ${url}/v1/chat/completions`);
  });

  it('prints usage and exits 0 for --help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: steadfast-sim');
    expect(result.stdout).toContain('--scenario');
  });

  it('exits 1 naming --port when the port is not a number', async () => {
    const result = await runCli(['--port', 'abc']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--port must be a whole number from 0 to 65535, got "abc"');
  });

  it.each(['', '1e3', '70000', '-1'])('exits 1 for --port=%j', async (port) => {
    const result = await runCli([`--port=${port}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--port');
  });

  it('exits 1 with the usage for an unknown flag', async () => {
    const result = await runCli(['--bogus']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--bogus');
    expect(result.stderr).toContain('Usage: steadfast-sim');
  });

  describe('with a scenario file', () => {
    let directory: string;
    beforeAll(async () => {
      directory = await mkdtemp(join(tmpdir(), 'steadfast-cli-'));
    });
    afterAll(async () => {
      await rm(directory, { recursive: true, force: true });
    });

    it('exits 1 naming the bad field when the scenario is invalid', async () => {
      const path = join(directory, 'bad.yaml');
      await writeFile(path, 'models:\n  gpt-4o-mini:\n    faults:\n      - fault: exploded\n');
      const result = await runCli(['--port', '0', '--scenario', path]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Invalid scenario ${path}:`);
      expect(result.stderr).toContain('models.gpt-4o-mini.faults.0.fault: unknown fault "exploded"');
      expect(result.stdout).toBe('');
    });

    it('exits 1 when the scenario file does not exist', async () => {
      const path = join(directory, 'missing.yaml');
      const result = await runCli(['--port', '0', '--scenario', path]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('ENOENT');
      expect(result.stderr).toContain(path);
    });
  });
});
