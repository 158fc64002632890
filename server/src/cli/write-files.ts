// Writes fixed files without losing anything: original bytes kept outside the edits, symlinks kept, mode and owner kept, concurrent edits and read-only files left alone, every failure reported.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TextPiece } from '../engine/fix.js';
import type { FileId } from '../engine/types.js';
import { bytesOfPieces } from '../host/byte-pieces.js';
import { readRegularFile, type ConfinedFolder } from '../host/confined-fs.js';
import { MAX_READ_BYTES } from '../host/node-workspace-fs.js';

export interface FixedFile {
  file: FileId;
  /** The decoded text (BOM stripped) the first fix was made on. */
  original: string;
  /** The fixed text as pieces of `original` and inserted text. */
  pieces: TextPiece[];
}

export interface FixWriteReport {
  written: FileId[];
  /** Left as they are on purpose (read-only, changed since read): nothing is lost, but the fixes are not applied. */
  skipped: Array<{ file: FileId; reason: string }>;
  /** Writes that were tried and failed (permissions of the folder, full disk…). */
  failed: Array<{ file: FileId; reason: string }>;
}

/**
 * Writes every fixed file, each on its own: one failure never stops the others. A file is written
 * where it really is (through a symlink that stays inside the root, so `sites-enabled/x` stays a
 * link to `sites-available/x`), from its original bytes with only the fixed ranges replaced, with
 * its mode and (as root) its owner, and only if it still holds what the fixes were computed from,
 * checked once when read and again just before the rename.
 */
export function writeFixedFiles(folder: ConfinedFolder, files: readonly FixedFile[]): FixWriteReport {
  const report: FixWriteReport = { written: [], skipped: [], failed: [] };
  // Two names for one file (a symlink and its target) are written once, and only when they agree.
  const byRealPath = new Map<string, FixedFile[]>();
  for (const fixed of files) {
    const resolved = folder.resolve(path.join(folder.root, fixed.file));
    if ('reason' in resolved) {
      report.failed.push({ file: fixed.file, reason: resolved.reason });
      continue;
    }
    const group = byRealPath.get(resolved.real) ?? [];
    group.push(fixed);
    byRealPath.set(resolved.real, group);
  }
  for (const group of byRealPath.values()) {
    const first = group[0]!;
    const agree = group.every((g) => g.original === first.original && sameText(g, first));
    if (!agree) {
      for (const g of group) report.skipped.push({ file: g.file, reason: `is the same file as ${group.filter((o) => o !== g).map((o) => o.file).join(', ')} and the fixes differ` });
      continue;
    }
    const outcome = writeOne(folder, first);
    for (const g of group) {
      if (outcome === undefined) report.written.push(g.file);
      else if (outcome.skipped) report.skipped.push({ file: g.file, reason: outcome.reason });
      else report.failed.push({ file: g.file, reason: outcome.reason });
    }
  }
  return report;
}

/** undefined when written, else why not. */
function writeOne(folder: ConfinedFolder, fixed: FixedFile): { reason: string; skipped: boolean } | undefined {
  const absolute = path.join(folder.root, fixed.file);
  const read = folder.read(absolute, MAX_READ_BYTES);
  if (!read.ok) return { reason: read.reason, skipped: false };
  const { stat } = read;
  // Root may write anything: the mode bits, not access(), say whether the owner meant it read-only.
  if ((stat.mode & 0o222) === 0) return { reason: 'is read-only', skipped: true };
  if (!isRoot()) {
    try {
      fs.accessSync(read.realPath, fs.constants.W_OK);
    } catch {
      return { reason: 'is not writable by this user', skipped: true };
    }
  }
  const bytes = bytesOfPieces(read.bytes, fixed.original, fixed.pieces);
  if (!bytes) return { reason: 'changed on disk since it was read', skipped: true };
  const readHash = sha256(read.bytes);
  const outcome = folder.writeAtomically(absolute, bytes, {
    mode: stat.mode,
    owner: { uid: stat.uid, gid: stat.gid },
    throughSymlink: true,
    // An editor may save the file while the run was linting: its edit wins, the fix waits for the next run.
    beforeRename: (realPath) => changedSince(realPath, stat, readHash),
  });
  return outcome.ok ? undefined : { reason: outcome.reason, skipped: outcome.skipped };
}

function changedSince(realPath: string, before: fs.Stats, hash: string): string | undefined {
  let now: fs.Stats;
  try {
    now = fs.lstatSync(realPath);
  } catch {
    return 'was removed since it was read';
  }
  if (!now.isFile() || now.ino !== before.ino || now.size !== before.size || now.mtimeMs !== before.mtimeMs) return 'changed on disk since it was read';
  // Same size and time can hide a quick second edit: the content decides.
  const again = readRegularFile(realPath, MAX_READ_BYTES);
  if (!again.ok) return 'cannot be read again before writing';
  return sha256(again.bytes) === hash ? undefined : 'changed on disk since it was read';
}

function sameText(a: FixedFile, b: FixedFile): boolean {
  return JSON.stringify(a.pieces) === JSON.stringify(b.pieces);
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
