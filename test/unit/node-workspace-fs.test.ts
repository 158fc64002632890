// The disk WorkspaceFs never reads outside its root: no `..`, no symlink that leaves it, in either cache mode.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeWorkspaceFs } from '../../server/src/host/node-workspace-fs.js';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-confine-'));
const root = path.join(base, 'workspace');
const outside = path.join(base, 'outside');
fs.mkdirSync(path.join(root, 'conf.d'), { recursive: true });
fs.mkdirSync(outside);
fs.writeFileSync(path.join(outside, 'secret.conf'), 'proxy_read_timeout 1.5s;\n');
fs.writeFileSync(path.join(root, 'inside.conf'), 'server { listen 80; }\n');
fs.symlinkSync(path.join(outside, 'secret.conf'), path.join(root, 'conf.d', 'linked.conf'));
fs.symlinkSync(outside, path.join(root, 'linked-dir'));
fs.symlinkSync(path.join(root, 'inside.conf'), path.join(root, 'alias.conf'));
fs.writeFileSync(path.join(root, 'nginx.conf'), 'events {}\nhttp {\n    include ../outside/secret.conf;\n    include linked-dir/secret.conf;\n    include conf.d/*.conf;\n}\n');
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe.each([false, true])('NodeWorkspaceFs (rememberFolders: %s)', (rememberFolders) => {
  const workspace = new NodeWorkspaceFs(root, { rememberFolders });

  it.each(['../outside/secret.conf', 'conf.d/linked.conf', 'linked-dir/secret.conf'])('refuses %s', (file) => {
    expect(workspace.readFile(file)).toBeUndefined();
  });

  it('reads files inside, also through a symlink that stays inside', () => {
    expect(new TextDecoder().decode(workspace.readFile('alias.conf'))).toContain('listen 80');
  });

  it('maps paths outside the root to no FileId', () => {
    expect(workspace.fileIdOf(path.join(outside, 'secret.conf'))).toBeUndefined();
  });

  it('lints nothing from outside: the escaping includes are reported, never read', () => {
    const report = lint({ fs: workspace, files: ['nginx.conf'], config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' });
    expect(report.findings.filter((f) => f.ruleId === 'invalid-timeout-value')).toEqual([]);
    expect(report.files.map((f) => f.file)).not.toContain('conf.d/linked.conf');
    expect(report.findings.some((f) => f.ruleId === 'include-error' || f.ruleId === 'not-analysed')).toBe(true);
  });
});

describe('NodeWorkspaceFs reads', () => {
  const workspace = new NodeWorkspaceFs(root, { rememberFolders: true });

  it('reads a file with its stat in one go, and gives only the stat for a file over the limit or a folder', () => {
    const text = fs.readFileSync(path.join(root, 'inside.conf'));
    const read = workspace.readFileBounded('inside.conf', 1024);
    expect(read?.stat).toMatchObject({ isFile: true, isDirectory: false, size: text.length });
    expect(Buffer.from(read!.bytes!).equals(text)).toBe(true);
    expect(workspace.readFileBounded('inside.conf', 4)).toEqual({ stat: expect.objectContaining({ size: text.length, isFile: true }) });
    expect(workspace.readFileBounded('conf.d', 1024)?.bytes).toBeUndefined();
    expect(workspace.readFileBounded('conf.d', 1024)?.stat.isDirectory).toBe(true);
    expect(workspace.readFileBounded('missing.conf', 1024)).toBeUndefined();
    expect(workspace.readFileBounded('../outside/secret.conf', 1024)).toBeUndefined();
  });

  it.skipIf(process.platform === 'win32')('refuses a named pipe at once instead of waiting for a writer', () => {
    const fifo = path.join(root, 'pipe.conf');
    fs.rmSync(fifo, { force: true });
    // mkfifo(1) is in coreutils; nothing ever writes to the pipe, so a blocking open would hang the test.
    execFileSync('mkfifo', [fifo]);
    try {
      expect(workspace.readFile('pipe.conf')).toBeUndefined();
      expect(workspace.readFileBounded('pipe.conf', 1024)?.stat.isFile).toBe(false);
    } finally {
      fs.rmSync(fifo, { force: true });
    }
  });
});

describe('NodeWorkspaceFs with remembered folders answers from its listings', () => {
  it('a name its listed folder lacks is missing without asking the disk again (one run sees one snapshot)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-listing-'));
    try {
      fs.writeFileSync(path.join(dir, 'package.json'), '{}');
      const remembering = new NodeWorkspaceFs(dir, { rememberFolders: true });
      const fresh = new NodeWorkspaceFs(dir);
      expect(remembering.readDirectoryKinds('')?.map(([name]) => name)).toEqual(['package.json']);
      expect(remembering.stat('.nvmrc')).toBeUndefined();
      fs.writeFileSync(path.join(dir, '.nvmrc'), '20\n');
      // Listed before the pin appeared: the short-lived run keeps its snapshot; a fresh one sees it.
      expect(remembering.stat('.nvmrc')).toBeUndefined();
      expect(fresh.stat('.nvmrc')?.isFile).toBe(true);
      expect(remembering.stat('package.json')?.isFile).toBe(true);
      // A folder never listed is asked as before.
      fs.mkdirSync(path.join(dir, 'sub'));
      fs.writeFileSync(path.join(dir, 'sub', 'a.conf'), 'x');
      expect(remembering.stat('sub/a.conf')?.isFile).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
