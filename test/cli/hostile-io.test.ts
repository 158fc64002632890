// What the CLI reads and writes in a hostile workspace: committed symlinks, FIFOs, huge and oddly named files, forged caches.
import { useTemporaryCacheSecretHome } from '../helpers/cache-secret.js';
import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXABLE_INGRESS, snapshot, useSandboxes, withSecretHome, type Sandbox } from '../helpers/hostile-workspace.js';

// A workspace that fails: the annotation's unit is ignored by ingress-nginx (an error finding).
const sandbox = useSandboxes((s) => s.write({ 'k8s/ingress.yaml': FIXABLE_INGRESS }));

const secretHome = useTemporaryCacheSecretHome();

const hasMkfifo = (() => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return process.platform !== 'win32';
  } catch {
    return false;
  }
})();

describe('--output-file', () => {
  it('refuses a committed symlink at the report name and leaves its target alone', () => {
    const s = sandbox();
    fs.writeFileSync(path.join(s.outside, 'authorized_keys'), 'ssh-ed25519 AAAA\n');
    s.link('report.json', path.join(s.outside, 'authorized_keys'));
    const result = s.run(['--format', 'json', '--output-file', 'report.json']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/cannot write --output-file report\.json: it is reached through a symlink/);
    expect(fs.readFileSync(path.join(s.outside, 'authorized_keys'), 'utf8')).toBe('ssh-ed25519 AAAA\n');
  });

  it('refuses a symlink inside the root even when it points inside', () => {
    const s = sandbox();
    s.write({ 'notes.md': 'mine\n' });
    s.link('report.json', 'notes.md');
    expect(s.run(['--format', 'json', '-o', 'report.json']).status).toBe(2);
    expect(fs.readFileSync(path.join(s.root, 'notes.md'), 'utf8')).toBe('mine\n');
  });

  it('writes where the user pointed outside the root, and inside the root to a plain name', () => {
    const s = sandbox();
    const outsideReport = path.join(s.outside, 'report.json');
    expect(s.run(['--format', 'json', '-o', outsideReport]).status).toBe(1);
    expect(JSON.parse(fs.readFileSync(outsideReport, 'utf8')).findings.length).toBeGreaterThan(0);
    expect(s.run(['--format', 'json', '-o', 'out/report.json']).status).toBe(2);
    fs.mkdirSync(path.join(s.root, 'out'));
    expect(s.run(['--format', 'json', '-o', 'out/report.json']).status).toBe(1);
    expect(fs.existsSync(path.join(s.root, 'out/report.json'))).toBe(true);
  });
  it('writes -o /dev/stdout to its own standard output, and to a named pipe the user gives outside the root', () => {
    const s = sandbox();
    const stdout = s.run(['--format', 'json', '-o', '/dev/stdout']);
    expect(stdout.status).toBe(1);
    expect(JSON.parse(stdout.stdout).findings.length).toBeGreaterThan(0);
    // A FIFO outside the workspace, read by a child process: a stream, written directly.
    const fifo = path.join(s.outside, 'report.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let received = '';
    reader.stdout.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const done = new Promise<void>((resolve) => reader.on('close', () => resolve()));
    const result = s.run(['--format', 'json', '-o', fifo]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    return done.then(() => expect(JSON.parse(received).findings.length).toBeGreaterThan(0));
  });
});

describe('configuration file', () => {
  it('refuses a symlink that leads outside the root and never prints the target', () => {
    const s = sandbox();
    fs.writeFileSync(path.join(s.outside, 'credentials'), 'aws_secret_access_key=TOPSECRET123\n');
    s.link('timeout-lint.config.json', path.join(s.outside, 'credentials'));
    const result = s.run([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('cannot read configuration timeout-lint.config.json: it is a symlink that leads outside the workspace root');
    expect(result.stderr + result.stdout).not.toContain('TOPSECRET');
  });

  it('reports a file that is not JSON by position only, never quoting it', () => {
    const s = sandbox();
    s.write({ 'secret.env': 'TOKEN=TOPSECRET123\n' });
    s.link('timeout-lint.config.json', 'secret.env');
    const result = s.run([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/invalid configuration timeout-lint\.config\.json:\n  1:1: invalid JSON/);
    expect(result.stderr).not.toContain('TOPSECRET');
  });

  it.skipIf(!hasMkfifo)('refuses a FIFO at once instead of waiting for a writer', () => {
    const s = sandbox();
    execFileSync('mkfifo', [path.join(s.root, 'timeout-lint.config.json')]);
    const started = Date.now();
    const result = s.run([]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('is not a regular file');
  });

  it('refuses /dev/zero given with --config without reading it', () => {
    const s = sandbox();
    const result = s.run(['--config', '/dev/zero']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('is not a regular file');
  });
});

describe('--cache', () => {
  const cacheDir = (s: Sandbox) => path.join(s.root, '.timeout-lint-cache');

  it('refuses a committed .timeout-lint-cache symlink: nothing is written or deleted through it', () => {
    const s = sandbox();
    fs.writeFileSync(path.join(s.outside, 'entry-keep.txt'), 'keep\n');
    fs.writeFileSync(path.join(s.outside, 'lint-report.json'), 'not a cache\n');
    s.link('.timeout-lint-cache', s.outside);
    const before = snapshot(s.outside);
    const uncached = s.run(['--format', 'json']);
    for (let i = 0; i < 2; i++) {
      const result = s.run(['--format', 'json', '--cache']);
      expect(result.stderr).toContain('--cache not used: .timeout-lint-cache is reached through a symlink');
      expect(result.status).toBe(uncached.status);
      expect(result.stdout).toBe(uncached.stdout);
    }
    expect(snapshot(s.outside)).toEqual(before);
  });

  it.each(['.', 'src'])('with --cache-location %s never deletes entry-* files it did not create', (location) => {
    const s = sandbox();
    s.write({ 'src/entry-server.ts': 'export const server = 1;\n', 'src/entry-client.ts': 'export const client = 1;\n', 'entry-main.ts': 'export {};\n' });
    const before = { ...snapshot(path.join(s.root, 'src')), main: fs.readFileSync(path.join(s.root, 'entry-main.ts'), 'utf8') };
    s.run(['--format', 'json', '--cache', '--cache-location', location]);
    // A change makes a new entry, which removes the old entry's files (and only those).
    fs.appendFileSync(path.join(s.root, 'k8s/ingress.yaml'), '# changed\n');
    s.run(['--format', 'stylish', '--cache', '--cache-location', location]);
    s.run(['--format', 'json', '--cache', '--cache-location', location]);
    const after = snapshot(path.join(s.root, 'src'));
    for (const [file, hash] of Object.entries(before)) if (file !== 'main') expect(after[file]).toBe(hash);
    expect(fs.readFileSync(path.join(s.root, 'entry-main.ts'), 'utf8')).toBe(before.main);
  });

  it('never overwrites a lint-report.json of the user in a folder given with --cache-location', () => {
    const s = sandbox();
    s.write({ 'reports/lint-report.json': '{"mine": true}\n' });
    const result = s.run(['--format', 'json', '--cache', '--cache-location', 'reports']);
    expect(result.stderr).toContain('is not a timeout-lint cache file');
    expect(fs.readFileSync(path.join(s.root, 'reports/lint-report.json'), 'utf8')).toBe('{"mine": true}\n');
  });

  it('does not trust a forged cache: a committed entry claiming no findings is a miss, signed by another secret', () => {
    const s = sandbox();
    const uncached = s.run(['--format', 'json']);
    expect(uncached.status).toBe(1);
    // The forger runs the tool on the same workspace with a secret of their own, then edits the entry to "no findings".
    const forgerHome = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-forger-'));
    try {
      withSecretHome(forgerHome, () => s.run(['--format', 'json', '--cache']));
      forge(cacheDir(s), forgerHome);
      const result = s.run(['--format', 'json', '--cache']);
      expect(result.status).toBe(1);
      expect(result.stdout).toBe(uncached.stdout);
      // The same forgery signed with the victim's own secret would have been a hit: the signature is what stops it.
      s.run(['--format', 'json', '--cache']);
      forge(cacheDir(s), secretHome());
      expect(s.run(['--format', 'json', '--cache']).status).toBe(0);
    } finally {
      fs.rmSync(forgerHome, { recursive: true, force: true });
    }
  });

  it('is a miss, never a crash, in odd states: a file where the folder should be, a folder or a FIFO where a file should be', () => {
    const s = sandbox();
    const uncached = s.run(['--format', 'json']);
    s.write({ '.timeout-lint-cache': 'a file\n' });
    let result = s.run(['--format', 'json', '--cache']);
    expect([result.status, result.stdout]).toEqual([uncached.status, uncached.stdout]);
    fs.rmSync(cacheDir(s));
    fs.mkdirSync(path.join(cacheDir(s), 'lint-report.json'), { recursive: true });
    result = s.run(['--format', 'json', '--cache']);
    expect([result.status, result.stdout]).toEqual([uncached.status, uncached.stdout]);
    if (hasMkfifo) {
      fs.rmSync(cacheDir(s), { recursive: true });
      fs.mkdirSync(cacheDir(s));
      execFileSync('mkfifo', [path.join(cacheDir(s), 'lint-report.json')]);
      const started = Date.now();
      result = s.run(['--format', 'json', '--cache']);
      expect(Date.now() - started).toBeLessThan(5000);
      expect([result.status, result.stdout]).toEqual([uncached.status, uncached.stdout]);
    }
  });
});

describe('discovery', () => {
  it('lists a file with a backslash in its name as not analysed, and the report is not complete', () => {
    const s = sandbox();
    s.write({ 'k8s\\evil.yaml': FIXABLE_INGRESS });
    const report = JSON.parse(s.run(['--format', 'json']).stdout);
    expect(report.complete).toBe(false);
    expect(report.notAnalysed).toContainEqual({ file: 'k8s\\evil.yaml', reason: expect.stringContaining('backslash') });
  });

  it('analyses a symlinked manifest inside the root and lists one that leads outside', () => {
    const s = sandbox();
    fs.rmSync(path.join(s.root, 'k8s/ingress.yaml'));
    s.write({ 'manifests/real.yaml': FIXABLE_INGRESS });
    s.link('k8s/linked.yaml', '../manifests/real.yaml');
    fs.writeFileSync(path.join(s.outside, 'far.yaml'), FIXABLE_INGRESS);
    s.link('k8s/far.yaml', path.join(s.outside, 'far.yaml'));
    const report = JSON.parse(s.run(['--format', 'json']).stdout);
    // Its finding is reported at the link's own name.
    expect(JSON.stringify(report.findings)).toContain('"k8s/linked.yaml"');
    expect(report.notAnalysed).toContainEqual({ file: 'k8s/far.yaml', reason: 'is a symlink that leads outside the workspace root' });
    expect(report.complete).toBe(false);
  });

  it('does not read a 600 MB .gitignore whole: it is listed and the run finishes', () => {
    const s = sandbox();
    const gitignore = path.join(s.root, '.gitignore');
    // Sparse: no disk space used, but 600 MB to anyone who reads it.
    fs.writeFileSync(gitignore, '');
    fs.truncateSync(gitignore, 600 * 1024 * 1024);
    const started = Date.now();
    const report = JSON.parse(s.run(['--format', 'json']).stdout);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.notAnalysed).toContainEqual({ file: '.gitignore', reason: expect.stringContaining('larger than') });
    expect(report.complete).toBe(false);
  });

  it('does not read a .gitignore that is a symlink out of the root, and says so', () => {
    const s = sandbox();
    fs.writeFileSync(path.join(s.outside, 'ignore'), '*.yaml\n');
    s.link('.gitignore', path.join(s.outside, 'ignore'));
    const report = JSON.parse(s.run(['--format', 'json']).stdout);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.notAnalysed).toContainEqual({ file: '.gitignore', reason: 'is a symlink that leads outside the workspace root: its ignore rules are not applied' });
  });

  it('works with the workspace root /', () => {
    const s = sandbox();
    const result = s.run(['--root', '/', '--format', 'json', s.root]);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(JSON.stringify(report.findings)).toContain(`${path.relative('/', s.root)}/k8s/ingress.yaml`);
  });
});

/** Rewrites the committed cache to claim a clean run, signing each file with the secret under `home`. */
function forge(cacheFolder: string, home: string): void {
  const secret = Buffer.from(fs.readFileSync(path.join(home, 'timeout-lint', 'cache-secret'), 'utf8').trim(), 'hex');
  const sign = (name: string, payload: string) => `timeout-lint-hmac-sha256:${createHmac('sha256', secret).update(name).update('\0').update(payload).digest('hex')}\n${payload}`;
  const payload = (name: string) => {
    const text = fs.readFileSync(path.join(cacheFolder, name), 'utf8');
    return text.slice(text.indexOf('\n') + 1);
  };
  const entry = JSON.parse(payload('lint-report.json'));
  entry.counts = { errors: 0, warnings: 0, internalError: false };
  fs.writeFileSync(path.join(cacheFolder, 'lint-report.json'), sign('lint-report.json', JSON.stringify(entry)));
  for (const name of fs.readdirSync(cacheFolder).filter((n) => n.startsWith('entry-'))) {
    const body = payload(name);
    const clean = name.endsWith('.report.json') ? JSON.stringify({ ...JSON.parse(body), findings: [] }) : JSON.stringify({ ...JSON.parse(body), findings: [] }, null, 2);
    fs.writeFileSync(path.join(cacheFolder, name), sign(name, clean));
  }
}
