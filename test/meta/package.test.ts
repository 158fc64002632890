// The npm package: `npm pack` ships only the bundles and the documents, and the tarball installed in
// an empty folder runs `npx timeout-lint` on a copy of examples/ exactly as the built CLI does.
// The tarball is packed from the bundles now in dist/ (`--ignore-scripts`: the `prepack` production
// build would rewrite dist/ under the other test files); a release packs the minified build.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const built = ['cli.js', 'server.js', 'client.js'].every((f) => fs.existsSync(path.join(ROOT, 'dist', f)));
if (!built) console.warn('SKIPPED: dist/ is not built; `npm test` builds it first.');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageManifest;

interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  files?: string[];
  dependencies?: Record<string, string>;
}

interface JsonReport {
  findings: Array<{ ruleId: string; file: string; line: number; column: number; severity: string }>;
}

const ruleDocs = fs.readdirSync(path.join(ROOT, 'rules')).filter((f) => f.endsWith('.md')).map((f) => `rules/${f}`);
const grammar = fs.readdirSync(path.join(ROOT, 'syntaxes')).map((f) => `syntaxes/${f}`);
const EXPECTED_FILES = [
  'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'timeout-lint.schema.json',
  'dist/cli.js', 'dist/cli-main.js', 'dist/cli-main.js.v8cache', 'dist/server.js', 'dist/client.js', ...grammar, ...ruleDocs,
].sort();

function npm(args: string[], cwd: string, timeoutMs = 120_000) {
  // A private cache-free environment would defeat --offline: the user's npm cache and configuration are used as they are.
  return spawnSync(NPM, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });
}

describe.skipIf(!built)('npm package', () => {
  let work: string;
  let tarball: string;
  let packedFiles: string[];

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-pack-'));
    const packed = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
    if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = path.join(work, info!.filename);
    packedFiles = info!.files.map((f) => f.path).sort();
  }, 120_000);

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('is publishable: not private, a bin, and no runtime dependency (the bundles hold everything but vscode)', () => {
    expect(manifest.private).toBeUndefined();
    expect(manifest.bin).toEqual({ 'timeout-lint': 'dist/cli.js' });
    expect(manifest.dependencies ?? {}).toEqual({});
    // The client bundle leaves only `vscode` out (the editor provides it); the CLI and server bundles leave out nothing.
    const esbuild = fs.readFileSync(path.join(ROOT, 'esbuild.mjs'), 'utf8');
    expect([...esbuild.matchAll(/external:\s*\[([^\]]*)\]/g)].map((m) => m[1]!.trim())).toEqual(["'vscode'"]);
    expect(fs.readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('the tarball holds exactly the bundles, the grammar, the rule docs, the schema and the top-level documents', () => {
    expect(packedFiles).toEqual(EXPECTED_FILES);
    expect(ruleDocs.length).toBeGreaterThan(10);
    expect(packedFiles.filter((f) => /\.map$|^test\/|^server\/|^client\/|^examples\//.test(f))).toEqual([]);
  });

  it('installed from the tarball in an empty folder, `npx timeout-lint` lints a copy of examples/ as the built CLI does', (ctx) => {
    const app = path.join(work, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
    // The package has no dependencies, so an offline install needs nothing from the registry; the
    // registry is asked only if this npm refuses to install offline at all.
    let installed = npm(['install', '--offline', '--no-save', tarball], app);
    if (installed.status !== 0) installed = npm(['install', '--prefer-offline', '--no-save', tarball], app);
    if (installed.status !== 0) {
      ctx.skip(`npm install of the tarball failed offline and online (no registry?): ${installed.stderr.trim().split('\n').slice(-3).join(' ')}`);
      return;
    }
    const workspace = path.join(work, 'examples');
    fs.cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });

    const viaNpx = spawnSync(NPM, ['exec', '--no', '--', 'timeout-lint', '--root', workspace, '--format', 'json'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    const direct = spawnSync(process.execPath, [CLI, '--root', workspace, '--format', 'json'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    expect(viaNpx.stderr).toBe('');
    expect(viaNpx.status).toBe(1);
    const report = JSON.parse(viaNpx.stdout) as JsonReport;
    const expected = JSON.parse(direct.stdout) as JsonReport;
    const summary = (r: JsonReport) => r.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.ruleId}`);
    expect(summary(report)).toEqual(summary(expected));
    // The examples show the chain rules across files (test/cli/examples.test.ts says which).
    expect(new Set(report.findings.map((f) => f.ruleId))).toContain('outer-timeout-below-inner');
    expect(report.findings.some((f) => f.severity === 'error')).toBe(true);

    // The language server ships in the package too: `timeout-lint lsp` loads dist/server.js beside the CLI.
    expect(fs.existsSync(path.join(app, 'node_modules/timeout-lint/dist/server.js'))).toBe(true);
    const version = spawnSync(path.join(app, 'node_modules/.bin/timeout-lint'), ['--version'], { encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(manifest.version);
  }, 180_000);
});
