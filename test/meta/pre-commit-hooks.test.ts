// The pre-commit hook (.pre-commit-hooks.yaml): it runs the package's command, and its `files`
// pattern matches every file an input of the engine claims, over examples/ and every fixture.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { INPUTS } from '../../server/src/engine/inputs/index.js';

const ROOT = path.resolve(__dirname, '../..');

interface Hook { id: string; name: string; entry: string; language: string; files: string; pass_filenames?: boolean; require_serial?: boolean }

const hooks = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };

/**
 * pre-commit matches `files` with Python's `re.search` on the path from the repository root. The
 * pattern keeps to syntax Python and JavaScript read alike; a leading `(?i)` becomes the `i` flag.
 */
function hookPattern(files: string): RegExp {
  const caseless = files.startsWith('(?i)');
  const body = caseless ? files.slice(4) : files;
  expect(body, 'no other inline flag or Python-only group').not.toMatch(/\(\?[aiLmsux]|\(\?P/);
  return new RegExp(body, caseless ? 'i' : '');
}

/** Every file under a folder, as a path from the repository root with '/' separators. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const child = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...filesUnder(child));
    else if (entry.isFile()) out.push(child);
  }
  return out;
}

describe('.pre-commit-hooks.yaml', () => {
  const hook = hooks.find((h) => h.id === 'timeout-lint')!;

  it('declares one node hook running the package command over the whole repository', () => {
    expect(hooks.map((h) => h.id)).toEqual(['timeout-lint']);
    expect(hook.language).toBe('node');
    expect(Object.keys(manifest.bin)).toContain(hook.entry);
    // Findings link files: linting only the staged ones would miss the chains they take part in.
    expect(hook.pass_filenames).toBe(false);
    expect(hook.require_serial).toBe(true);
  });

  it('matches every file an input claims, in examples/ and every fixture workspace', () => {
    const pattern = hookPattern(hook.files);
    const config = defaultConfig(allRules);
    const candidates = [...filesUnder('examples'), ...filesUnder('test/fixtures')];
    // Inside a fixture, paths are read from the fixture's own root; the pattern must match both ways.
    const claimed = candidates.filter((file) => INPUTS.some((input) => input.claim(file, { config, explicit: false }) !== undefined));
    expect(claimed.length).toBeGreaterThan(100);
    // Every input reads some file here, except the one read from the configuration (`chains.frontedBy`), which claims nothing under the defaults.
    for (const input of INPUTS.filter((i) => i.id !== 'frontedBy')) expect(claimed.some((file) => input.claim(file, { config, explicit: false }) !== undefined), input.id).toBe(true);
    expect(claimed.filter((file) => !pattern.test(file))).toEqual([]);
  });

  it.each([
    'nginx.conf', 'etc/nginx/conf.d/api.conf', 'gateway.nginx', 'templates/default.conf.template',
    'k8s/deployment.yaml', 'charts/app/values.yml', 'compose.yaml', 'src/server.ts', 'app/page.tsx',
    'lib/client.mjs', 'lib/client.cjs', 'web/App.jsx', 'services/api/package.json', 'timeout-lint.config.json',
    'haproxy/haproxy.cfg', 'infra/alb.tf', '.ebextensions/01-alb.config', 'deploy/stack.template', 'cfn/api-template.json', 'traefik/dynamic.toml',
  ])('matches %s', (file) => {
    expect(hookPattern(hook.files).test(file)).toBe(true);
  });

  it.each(['README.md', 'rules/parse-error.md', 'main.py', 'Cargo.toml', 'sub/pyproject.toml', 'logo.png', 'nginx.conf.md', 'tsconfig.json'])('does not match %s', (file) => {
    expect(hookPattern(hook.files).test(file)).toBe(false);
  });
});

describe('.npmrc', () => {
  const temps: string[] = [];
  afterAll(() => {
    for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
  });

  // pre-commit installs a node hook repository with `npm pack` and takes all of stdout as the tarball's name.
  it('keeps the prepack build off stdout, so `npm pack` prints only the tarball name', (ctx) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-npmrc-'));
    temps.push(dir);
    fs.copyFileSync(path.join(ROOT, '.npmrc'), path.join(dir, '.npmrc'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'probe', version: '1.0.0', scripts: { prepack: 'node -e "console.log(\'building\')"' } }));
    const packed = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['pack', '--dry-run'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    if (packed.error) {
      ctx.skip(`npm is not available: ${packed.error.message}`);
      return;
    }
    expect(packed.status).toBe(0);
    expect(packed.stdout).toBe('probe-1.0.0.tgz\n');
  });
});
