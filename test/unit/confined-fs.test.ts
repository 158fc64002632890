// The confined I/O layer: path containment (root / included), refusals, and an instrumented proof that a workspace full of planted symlinks makes no run touch anything outside it.
import { useTemporaryCacheSecretHome } from '../helpers/cache-secret.js';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfinedFolder, isPathInside, observeIo, type IoOperation } from '../../server/src/host/confined-fs.js';
import { NodeWorkspaceFs } from '../../server/src/host/node-workspace-fs.js';
import { FIXABLE_INGRESS, makeSandbox, snapshot, type Sandbox } from '../helpers/hostile-workspace.js';

const sandboxes: Sandbox[] = [];
afterEach(() => {
  for (const s of sandboxes.splice(0)) s.remove();
});
function sandbox(): Sandbox {
  const s = makeSandbox('timeout-lint-confined-');
  sandboxes.push(s);
  return s;
}

const secretHome = useTemporaryCacheSecretHome();

describe('isPathInside', () => {
  it.each<[string, string, boolean]>([
    ['/work/a', '/work/a', true],
    ['/work/a', '/work/a/b.conf', true],
    ['/work/a', '/work/ab/c.conf', false],
    ['/work/a', '/work', false],
    ['/', '/', true],
    ['/', '/etc/nginx/nginx.conf', true],
    ['/work/a/', '/work/a/b', true],
  ])('%s contains %s: %s', (root, candidate, inside) => {
    expect(isPathInside(root, candidate)).toBe(inside);
  });
});

describe('ConfinedFolder', () => {
  it('reads inside, through a symlink that stays inside, and refuses one that leaves', () => {
    const s = sandbox();
    s.write({ 'a.conf': 'a;\n' });
    s.link('inside.conf', 'a.conf');
    fs.writeFileSync(path.join(s.outside, 'secret'), 'secret\n');
    s.link('out.conf', path.join(s.outside, 'secret'));
    s.link('outdir', s.outside);
    const folder = new ConfinedFolder(s.root);
    expect(folder.read(path.join(s.root, 'inside.conf'), 100)).toMatchObject({ ok: true, viaSymlink: true });
    expect(folder.read(path.join(s.root, 'out.conf'), 100)).toMatchObject({ ok: false, missing: false });
    expect(folder.read(path.join(s.root, 'outdir/secret'), 100)).toMatchObject({ ok: false });
    expect(folder.read(path.join(s.root, 'a.conf'), 2)).toEqual({ ok: false, reason: 'is larger than 2 bytes', missing: false });
    expect(folder.read(path.join(s.root, 'nope'), 2)).toMatchObject({ ok: false, missing: true });
  });

  it('works with the root / (every absolute path is inside)', () => {
    const s = sandbox();
    s.write({ 'a.conf': 'a;\n' });
    const folder = new ConfinedFolder('/');
    expect(folder.read(path.join(s.root, 'a.conf'), 100)).toMatchObject({ ok: true });
    const workspace = new NodeWorkspaceFs('/', { rememberFolders: true });
    const id = workspace.fileIdOf(path.join(s.root, 'a.conf'))!;
    expect(id).toBe(path.relative('/', path.join(s.root, 'a.conf')));
    expect(new TextDecoder().decode(workspace.readFile(id))).toBe('a;\n');
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO and a device without blocking', () => {
    const s = sandbox();
    execFileSync('mkfifo', [path.join(s.root, 'pipe')]);
    expect(new ConfinedFolder(s.root).read(path.join(s.root, 'pipe'), 100)).toEqual({ ok: false, reason: 'is not a regular file', missing: false });
    expect(new ConfinedFolder('/dev').read('/dev/zero', 100)).toEqual({ ok: false, reason: 'is not a regular file', missing: false });
  });

  it('never writes, creates folders or deletes through a symlink that leaves', () => {
    const s = sandbox();
    s.link('outdir', s.outside);
    s.link('out.json', path.join(s.outside, 'target.json'));
    fs.writeFileSync(path.join(s.outside, 'target.json'), 'keep\n');
    const before = snapshot(s.outside);
    const folder = new ConfinedFolder(s.root);
    expect(folder.writeAtomically(path.join(s.root, 'outdir/x.json'), Buffer.from('x'))).toMatchObject({ ok: false });
    expect(folder.writeAtomically(path.join(s.root, 'out.json'), Buffer.from('x'))).toMatchObject({ ok: false });
    expect(folder.makeFolder(path.join(s.root, 'outdir/sub'))).toBe(false);
    expect(folder.unlink(path.join(s.root, 'outdir/target.json'))).toBe(false);
    expect(snapshot(s.outside)).toEqual(before);
    expect(folder.makeFolder(path.join(s.root, 'a/b'))).toBe(true);
    expect(folder.writeAtomically(path.join(s.root, 'a/b/c.json'), Buffer.from('c'))).toMatchObject({ ok: true });
    expect(fs.readFileSync(path.join(s.root, 'a/b/c.json'), 'utf8')).toBe('c');
  });
});

describe('a workspace full of planted symlinks', () => {
  /** Every path the layer opened, renamed, deleted, created or listed during `body`, with where it really was at that moment. */
  function observed(body: () => void): Array<[IoOperation, string, string]> {
    const seen: Array<[IoOperation, string, string]> = [];
    const stop = observeIo((operation, file) => seen.push([operation, file, realLocation(file)]));
    try {
      body();
    } finally {
      stop();
    }
    return seen;
  }

  /** Where a path really is: its real path, or its folder's real path joined with its name when it does not exist (yet or any more). */
  function realLocation(file: string): string {
    try {
      return fs.realpathSync(file);
    } catch {
      return path.join(realLocation(path.dirname(file)), path.basename(file));
    }
  }

  it('makes no run open, rename, unlink, create or list anything outside the root (its secret and its own code aside)', () => {
    const s = sandbox();
    s.write({
      'k8s/ingress.yaml': FIXABLE_INGRESS,
      'nginx.conf': 'http {\n    include linked/*.conf;\n    include secret.conf;\n    include loop/nginx.conf;\n}\n',
    });
    for (const [name, content] of Object.entries({ 'secret.conf': 'server { proxy_read_timeout 1s; }\n', 'far.yaml': FIXABLE_INGRESS, 'app.ts': 'await fetch(url);\n', 'package.json': '{"name":"x"}\n', '.gitignore': '*.yaml\n', 'victim': 'precious\n', 'report.json': 'keep\n', 'a.conf': 'server {}\n' })) {
      fs.writeFileSync(path.join(s.outside, name), content);
    }
    s.link('secret.conf', path.join(s.outside, 'secret.conf'));
    s.link('linked', s.outside);
    s.link('loop', '.');
    s.link('k8s/far.yaml', path.join(s.outside, 'far.yaml'));
    s.link('src/app.ts', path.join(s.outside, 'app.ts'));
    s.link('package.json', path.join(s.outside, 'package.json'));
    s.link('.gitignore', path.join(s.outside, '.gitignore'));
    s.link('.timeout-lint-cache', s.outside);
    s.link('report.json', path.join(s.outside, 'report.json'));
    s.link(`k8s/.ingress.yaml.timeout-lint-${process.pid}.tmp`, path.join(s.outside, 'victim'));
    s.link('dangling.yaml', path.join(s.outside, 'missing.yaml'));
    const before = snapshot(s.outside);

    const runs = [
      ['--format', 'json', '--cache', '--output-file', 'report.json'],
      ['--format', 'sarif', '--cache', '--cache-location', 'cache-here'],
      ['--format', 'stylish', '--cache', '--cache-location', 'linked/cache'],
      ['--fix', '--unsafe-fixes', '--format', 'json'],
      ['chains', '--format', 'json'],
    ];
    const seen = observed(() => {
      for (const args of runs) s.run(args);
      s.link('timeout-lint.config.json', path.join(s.outside, 'report.json'));
      s.run(['--format', 'json']);
    });

    const realRoot = fs.realpathSync(s.root);
    const ownCode = fs.realpathSync(path.resolve('server'));
    const escapes = seen.filter(([, , real]) => {
      return !isPathInside(realRoot, real) && !isPathInside(secretHome(), real) && !isPathInside(ownCode, real);
    });
    expect(escapes).toEqual([]);
    // The runs did real work inside: they read files, wrote the fix and the cache.
    expect(seen.some(([op, file]) => op === 'rename' && file === path.join(realRoot, 'k8s/ingress.yaml'))).toBe(true);
    expect(seen.some(([op, file]) => op === 'rename' && file.startsWith(path.join(realRoot, 'cache-here')))).toBe(true);
    expect(snapshot(s.outside)).toEqual(before);
  });
});
