// --fix loses nothing: original bytes kept outside the edits, symlinks kept, planted temp names ignored, concurrent edits and read-only files left alone, a failed write reported while the others are written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFixedFiles } from '../../server/src/cli/write-files.js';
import { applyEditsToPieces } from '../../server/src/engine/fix.js';
import { ConfinedFolder, observeIo } from '../../server/src/host/confined-fs.js';
import { FIXABLE_INGRESS, snapshot, useSandboxes, type Sandbox } from '../helpers/hostile-workspace.js';

const FIX = ['--fix', '--unsafe-fixes', '--format', 'json'];
const FIXED_INGRESS = FIXABLE_INGRESS.replace('"2m"', '"120"');

const sandbox = useSandboxes();

const read = (s: Sandbox, file: string) => fs.readFileSync(path.join(s.root, file));

describe('--fix', () => {
  it('changes only the bytes of the edit: invalid UTF-8, CRLF and the BOM elsewhere in the file stay as they were', () => {
    const s = sandbox();
    const comment = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9, 0xff, 0xc0, 0x80]), Buffer.from(' latin-1 and junk\r\n')]);
    const original = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), comment, Buffer.from(FIXABLE_INGRESS.replace(/\n/g, '\r\n'))]);
    s.write({ 'k8s/ingress.yaml': original });
    const result = s.run(FIX);
    expect(result.stderr).toBe('');
    const expected = Buffer.from(original.toString('latin1').replace('"2m"', '"120"'), 'latin1');
    expect(read(s, 'k8s/ingress.yaml').equals(expected)).toBe(true);
  });

  it('on random files with random non-UTF-8 bytes, changes only the bytes of the edit', () => {
    let state = 12345;
    const next = () => {
      state = (state * 1103515245 + 12345) % 0x80000000;
      return state / 0x80000000;
    };
    // Printable ASCII and any high byte (lone continuations, truncated and overlong sequences); no control bytes, which would make the file binary.
    const junk = (length: number) => Buffer.from(Array.from({ length }, () => (next() < 0.6 ? 0x80 + Math.floor(next() * 128) : 0x20 + Math.floor(next() * 95))));
    const s = sandbox();
    for (let round = 0; round < 25; round++) {
      const lines = FIXABLE_INGRESS.split('\n');
      const parts: Buffer[] = [];
      for (const [index, line] of lines.entries()) {
        parts.push(Buffer.from(line));
        // A comment of random bytes after some lines (never inside the annotation being fixed).
        if (index < lines.length - 1 && !line.includes('"2m"') && next() < 0.4) parts.push(Buffer.from(' # '), junk(1 + Math.floor(next() * 12)));
        if (index < lines.length - 1) parts.push(Buffer.from(next() < 0.3 ? '\r\n' : '\n'));
      }
      const original = Buffer.concat(parts);
      s.write({ 'k8s/ingress.yaml': original });
      s.run(FIX);
      const at = original.indexOf('"2m"');
      const expected = Buffer.concat([original.subarray(0, at), Buffer.from('"120"'), original.subarray(at + 4)]);
      expect(read(s, 'k8s/ingress.yaml').equals(expected), `round ${round}`).toBe(true);
    }
  });

  it('writes through a symlink to its target inside the root and keeps the link (sites-enabled → sites-available)', () => {
    const s = sandbox();
    s.write({ 'available/ingress.yaml': FIXABLE_INGRESS });
    s.link('k8s/ingress.yaml', '../available/ingress.yaml');
    const result = s.run(FIX);
    expect(result.stderr).toBe('');
    expect(fs.lstatSync(path.join(s.root, 'k8s/ingress.yaml')).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(path.join(s.root, 'k8s/ingress.yaml'))).toBe('../available/ingress.yaml');
    expect(read(s, 'available/ingress.yaml').toString()).toBe(FIXED_INGRESS);
  });

  it('never writes through a symlink planted at the old predictable temporary name, and uses a new random name each time', () => {
    const s = sandbox();
    fs.writeFileSync(path.join(s.outside, 'victim'), 'precious\n');
    fs.chmodSync(path.join(s.outside, 'victim'), 0o600);
    s.write({ 'k8s/ingress.yaml': FIXABLE_INGRESS });
    s.link(`k8s/.ingress.yaml.timeout-lint-${process.pid}.tmp`, path.join(s.outside, 'victim'));
    const temporaries: string[] = [];
    const stop = observeIo((operation, file) => {
      if (operation === 'open-write') temporaries.push(path.basename(file));
    });
    try {
      expect(s.run(FIX).stderr).toBe('');
    } finally {
      stop();
    }
    expect(fs.readFileSync(path.join(s.outside, 'victim'), 'utf8')).toBe('precious\n');
    expect(fs.statSync(path.join(s.outside, 'victim')).mode & 0o777).toBe(0o600);
    expect(read(s, 'k8s/ingress.yaml').toString()).toBe(FIXED_INGRESS);
    expect(temporaries).toHaveLength(1);
    expect(temporaries[0]).toMatch(/^\.ingress\.yaml\.[0-9a-f]{24}\.tmp$/);
  });

  it('keeps the file mode', () => {
    const s = sandbox();
    s.write({ 'k8s/ingress.yaml': FIXABLE_INGRESS });
    fs.chmodSync(path.join(s.root, 'k8s/ingress.yaml'), 0o640);
    s.run(FIX);
    expect(fs.statSync(path.join(s.root, 'k8s/ingress.yaml')).mode & 0o7777).toBe(0o640);
    expect(read(s, 'k8s/ingress.yaml').toString()).toBe(FIXED_INGRESS);
  });

  it.skipIf(typeof process.getuid !== 'function' || process.getuid() !== 0)('run as root, gives the fixed file back to its owner', () => {
    const s = sandbox();
    s.write({ 'k8s/ingress.yaml': FIXABLE_INGRESS });
    fs.chownSync(path.join(s.root, 'k8s/ingress.yaml'), 4321, 4322);
    s.run(FIX);
    const stat = fs.statSync(path.join(s.root, 'k8s/ingress.yaml'));
    expect([stat.uid, stat.gid]).toEqual([4321, 4322]);
    expect(read(s, 'k8s/ingress.yaml').toString()).toBe(FIXED_INGRESS);
  });

  it('skips a read-only file with a message, writes the others, and exits 2', () => {
    const s = sandbox();
    s.write({ 'k8s/a.yaml': FIXABLE_INGRESS, 'k8s/b.yaml': FIXABLE_INGRESS.replace('reports', 'other') });
    fs.chmodSync(path.join(s.root, 'k8s/a.yaml'), 0o444);
    const result = s.run(FIX);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('not fixed k8s/a.yaml: it is read-only');
    expect(read(s, 'k8s/a.yaml').toString()).toBe(FIXABLE_INGRESS);
    expect(fs.statSync(path.join(s.root, 'k8s/a.yaml')).mode & 0o777).toBe(0o444);
    expect(read(s, 'k8s/b.yaml').toString()).toBe(FIXED_INGRESS.replace('reports', 'other'));
  });

  it('on a failed write goes on with the other files, names the failure, and exits 2 at the end', () => {
    const s = sandbox();
    s.write({ 'k8s/a.yaml': FIXABLE_INGRESS, 'k8s/b.yaml': FIXABLE_INGRESS.replace('reports', 'other') });
    // A disk that fails one write: the temporary file of a.yaml cannot be created.
    const stop = observeIo((operation, file) => {
      if (operation === 'open-write' && path.basename(file).startsWith('.a.yaml.')) throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
    });
    let result;
    try {
      result = s.run(FIX);
    } finally {
      stop();
    }
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('could not write k8s/a.yaml: no space left on the device (ENOSPC)');
    expect(read(s, 'k8s/a.yaml').toString()).toBe(FIXABLE_INGRESS);
    expect(read(s, 'k8s/b.yaml').toString()).toBe(FIXED_INGRESS.replace('reports', 'other'));
    expect(fs.readdirSync(path.join(s.root, 'k8s')).sort()).toEqual(['a.yaml', 'b.yaml']);
  });
});

describe('writeFixedFiles', () => {
  const fixOf = (text: string) => {
    const start = text.indexOf('"2m"');
    return applyEditsToPieces([{ start: 0, end: text.length }], [{ file: 'f', start, end: start + 4, newText: '"120"' }]);
  };

  it('skips a file edited after the fixes were computed (before the write began)', () => {
    const s = sandbox();
    s.write({ 'a.yaml': `${FIXABLE_INGRESS}# saved by the editor\n` });
    const written = writeFixedFiles(new ConfinedFolder(s.root), [{ file: 'a.yaml', original: FIXABLE_INGRESS, pieces: fixOf(FIXABLE_INGRESS) }]);
    expect(written.skipped).toEqual([{ file: 'a.yaml', reason: 'changed on disk since it was read' }]);
    expect(read(s, 'a.yaml').toString()).toBe(`${FIXABLE_INGRESS}# saved by the editor\n`);
  });

  it('skips a file edited between its read and the rename, keeping the edit', () => {
    const s = sandbox();
    s.write({ 'a.yaml': FIXABLE_INGRESS });
    // The editor saves while the temporary file is being written (same size: only the content tells).
    const stop = observeIo((operation, file) => {
      if (operation === 'open-write' && path.basename(file).startsWith('.a.yaml.')) fs.writeFileSync(path.join(s.root, 'a.yaml'), FIXABLE_INGRESS.replace('reports', 'rep0rts'));
    });
    let written;
    try {
      written = writeFixedFiles(new ConfinedFolder(s.root), [{ file: 'a.yaml', original: FIXABLE_INGRESS, pieces: fixOf(FIXABLE_INGRESS) }]);
    } finally {
      stop();
    }
    expect(written.skipped).toEqual([{ file: 'a.yaml', reason: 'changed on disk since it was read' }]);
    expect(read(s, 'a.yaml').toString()).toBe(FIXABLE_INGRESS.replace('reports', 'rep0rts'));
    expect(fs.readdirSync(s.root)).toEqual(['a.yaml']);
  });

  it('writes a file reached by two names (a link and its target) once', () => {
    const s = sandbox();
    s.write({ 'real.yaml': FIXABLE_INGRESS });
    s.link('link.yaml', 'real.yaml');
    const fixed = { original: FIXABLE_INGRESS, pieces: fixOf(FIXABLE_INGRESS) };
    const written = writeFixedFiles(new ConfinedFolder(s.root), [{ file: 'link.yaml', ...fixed }, { file: 'real.yaml', ...fixed }]);
    expect(written).toEqual({ written: ['link.yaml', 'real.yaml'], skipped: [], failed: [] });
    expect(read(s, 'real.yaml').toString()).toBe(FIXED_INGRESS);
    expect(fs.lstatSync(path.join(s.root, 'link.yaml')).isSymbolicLink()).toBe(true);
  });

  it('refuses a file whose symlink leads outside the root, leaving the outside file alone', () => {
    const s = sandbox();
    fs.writeFileSync(path.join(s.outside, 'x.yaml'), FIXABLE_INGRESS);
    s.link('x.yaml', path.join(s.outside, 'x.yaml'));
    const before = snapshot(s.outside);
    const written = writeFixedFiles(new ConfinedFolder(s.root), [{ file: 'x.yaml', original: FIXABLE_INGRESS, pieces: fixOf(FIXABLE_INGRESS) }]);
    expect(written.failed).toHaveLength(1);
    expect(snapshot(s.outside)).toEqual(before);
  });
});
