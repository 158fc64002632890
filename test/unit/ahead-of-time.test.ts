// Per-file work computed ahead on worker threads (host/ahead-of-time.ts) never changes a report:
// results are used only for the exact text the run read, and everything else is computed by the run.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { INPUTS } from '../../server/src/engine/inputs/index.js';
import { tsInput } from '../../server/src/engine/inputs/ts/index.js';
import { lint, type LintOptions } from '../../server/src/engine/run.js';
import { OverlayFs } from '../../server/src/engine/workspace-fs.js';
import { AheadOfTime, workerCount } from '../../server/src/host/ahead-of-time.js';
import { NodeWorkspaceFs } from '../../server/src/host/node-workspace-fs.js';
import { discoverFiles } from '../../server/src/host/discover.js';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const built = fs.existsSync(CLI);
if (!built) console.warn('SKIPPED (worker runs): dist/cli.js is not built; `npm test` builds it first.');

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-ahead-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// 320 handlers behind one nginx: enough files for a worker, each with calls, a server and a route.
const SERVICES = 320;
fs.mkdirSync(path.join(root, 'gateway'), { recursive: true });
let locations = '';
for (let i = 0; i < SERVICES; i++) {
  const dir = path.join(root, 'services', `svc-${i}`, 'src');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(root, 'services', `svc-${i}`, 'package.json'), JSON.stringify({ name: `svc-${i}`, dependencies: { express: '^4' } }));
  fs.writeFileSync(
    path.join(dir, 'server.ts'),
    [
      "import express from 'express';",
      'const app = express();',
      `app.post('/api/svc-${i}/run', async (req, res) => {`,
      `  const r = await fetch('http://upstream-${i}:8080/work', { signal: AbortSignal.timeout(${(i % 7) * 10_000 + 30_000}) });`,
      '  res.json(await r.json());',
      '});',
      `app.listen(${3000 + i});`,
      '',
    ].join('\n'),
  );
  locations += `    location /api/svc-${i}/ { proxy_pass http://127.0.0.1:${3000 + i}; proxy_read_timeout ${(i % 5) * 20 + 20}s; }\n`;
}
fs.writeFileSync(path.join(root, 'gateway', 'nginx.conf'), `events {}\nhttp {\n  server {\n    listen 80;\n${locations}  }\n}\n`);

const workspace = new NodeWorkspaceFs(root, { rememberFolders: true });
const files = discoverFiles(workspace, [''], []).files;
const config = defaultConfig(allRules);
const base: LintOptions = { fs: workspace, files, config, rules: allRules, toolVersion: 'test' };

function start(concurrency: number): AheadOfTime {
  const ahead = AheadOfTime.start({ root, files, inputs: INPUTS, claim: { config, explicit: false }, concurrency, workerScript: CLI });
  if (!ahead) throw new Error('no worker started');
  return ahead;
}

describe('workerCount', () => {
  it('starts none when asked for one thread or for few files, and never more than the files justify', () => {
    expect(workerCount('off', 10_000)).toBe(0);
    expect(workerCount(1, 10_000)).toBe(0);
    expect(workerCount(2, 10_000)).toBe(1);
    expect(workerCount(4, 100)).toBe(0);
    expect(workerCount(4, 320)).toBe(2);
  });
});

describe.runIf(built)('results computed ahead', () => {
  const plain = lint(base);

  it('the workspace is the kind the workers are for (handlers with findings)', () => {
    expect(plain.findings.length).toBeGreaterThan(0);
    expect(files.filter((f) => f.endsWith('.ts'))).toHaveLength(SERVICES);
  });

  it('give the same report when the workers computed every file', () => {
    const ahead = start(3);
    try {
      expect(ahead.settle(60_000)).toBe(true);
      const report = lint({ ...base, precomputed: (input, file, text) => ahead.get(input, file, text) });
      expect(ahead.counts).toEqual({ fromWorkers: SERVICES, byRun: 0 });
      expect(report).toStrictEqual(plain);
    } finally {
      ahead.close();
    }
  });

  it('give the same report when the run and the workers race for the files', () => {
    const ahead = start(2);
    try {
      const report = lint({ ...base, precomputed: (input, file, text) => ahead.get(input, file, text) });
      expect(ahead.counts.fromWorkers + ahead.counts.byRun).toBe(SERVICES);
      expect(report).toStrictEqual(plain);
    } finally {
      ahead.close();
    }
  });

  it('are not used for a text the run reads differently (an unsaved or fixed text), which the run computes itself', () => {
    const changed = 'services/svc-3/src/server.ts';
    const text = fs.readFileSync(path.join(root, changed), 'utf8').replace('AbortSignal.timeout(60000)', 'AbortSignal.timeout(900000)');
    const overlay = new OverlayFs(workspace, new Map([[changed, text]]));
    const expected = lint({ ...base, fs: overlay });
    const ahead = start(2);
    try {
      expect(ahead.settle(60_000)).toBe(true);
      const report = lint({ ...base, fs: overlay, precomputed: (input, file, t) => ahead.get(input, file, t) });
      expect(ahead.counts).toEqual({ fromWorkers: SERVICES - 1, byRun: 1 });
      expect(report).toStrictEqual(expected);
    } finally {
      ahead.close();
    }
  });

  it('after close, the run computes what it has not received', () => {
    const ahead = start(2);
    ahead.close();
    const report = lint({ ...base, precomputed: (input, file, text) => ahead.get(input, file, text) });
    expect(report).toStrictEqual(plain);
  });
});

describe('TypeScript facts survive a structured clone unchanged (what a worker posts is what the run would compute)', () => {
  const fixtures = path.resolve(__dirname, '../fixtures');
  const sources: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(?:[cm]?[jt]sx?)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) sources.push(full);
    }
  };
  walk(fixtures);

  it('over every TypeScript/JavaScript fixture', () => {
    expect(sources.length).toBeGreaterThan(100);
    let computed = 0;
    for (const file of sources) {
      const text = fs.readFileSync(file, 'utf8');
      const id = path.relative(fixtures, file).split(path.sep).join('/');
      if (!tsInput.precompute!.wants(id, text)) continue;
      const facts = tsInput.precompute!.compute(id, text);
      expect(structuredClone(facts), id).toStrictEqual(facts);
      computed++;
    }
    expect(computed).toBeGreaterThan(50);
  });
});

describe('--concurrency', () => {
  it('takes off (the default), auto or a whole number of threads, and refuses anything else', async () => {
    const { parseCliArgs } = await import('../../server/src/cli/args.js');
    expect(parseCliArgs([]).options?.concurrency).toBe('off');
    expect(parseCliArgs(['--concurrency', 'auto']).options?.concurrency).toBe('auto');
    expect(parseCliArgs(['--concurrency', 'off']).options?.concurrency).toBe('off');
    expect(parseCliArgs(['--concurrency', '3']).options?.concurrency).toBe(3);
    for (const bad of ['0', '1.5', 'many', '']) expect(parseCliArgs(['--concurrency', bad]).error).toMatch(/--concurrency takes auto, off or a whole number/);
  });
});
