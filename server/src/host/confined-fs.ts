// The one door to the disk for the CLI and the language server: reads and writes confined to a folder (no symlink out, regular files only, bounded reads, unguessable temporary files), observable by tests.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What the layer does to a path; the observer sees each one before it happens. */
export type IoOperation = 'open-read' | 'open-write' | 'rename' | 'unlink' | 'mkdir' | 'list';
export type IoObserver = (operation: IoOperation, absolutePath: string) => void;

const observers = new Set<IoObserver>();

/**
 * Calls `observer` for every open, rename, unlink, mkdir and listing the layer makes, until the
 * returned function is called. Tests use it to prove that a hostile workspace makes the tool touch
 * nothing outside the root (an strace without strace).
 */
export function observeIo(observer: IoObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

export function notifyIo(operation: IoOperation, absolutePath: string): void {
  for (const observer of observers) observer(operation, absolutePath);
}

/** Not every platform has these (Windows); 0 then means "no such protection", never a failure. */
export const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
export const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;

/** Whether `candidate` is `root` or below it (both absolute and normalised); the root `/` contains every absolute path. */
export function isPathInside(root: string, candidate: string): boolean {
  if (candidate === root) return true;
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return candidate.startsWith(prefix);
}

export type ReadOutcome =
  | { ok: true; bytes: Buffer; stat: fs.Stats; realPath: string; viaSymlink: boolean }
  | { ok: false; reason: string; missing: boolean };

export type WriteOutcome = { ok: true; realPath: string } | { ok: false; reason: string; skipped: boolean };

export interface WriteOptions {
  /** Permission bits for the new file (default: 0o666 less the umask, as any new file). */
  mode?: number;
  /** Owner to give the new file (only honoured when running as root, who alone may chown). */
  owner?: { uid: number; gid: number };
  /** Write to the target of a symlink that stays inside the folder, keeping the link (fixes); otherwise a symlink at the target is refused. */
  throughSymlink?: boolean;
  /** Called after the temporary file is complete and before the rename: a reason string skips the write. */
  beforeRename?: (realPath: string) => string | undefined;
}

/**
 * A folder the tool may read and write in. Every path handed in is absolute; the lexical check
 * (the path is under the folder) and the real check (its real path, every symlink on the way
 * resolved, is under the folder's real path) must both pass. Opens use O_NOFOLLOW on the resolved
 * path, so a symlink swapped in for the last component after the check makes the open fail
 * instead of following it. A symlink swapped in for a middle folder between check and open is the
 * race this cannot close without openat2 (RESOLVE_BENEATH), which Node does not offer.
 */
export class ConfinedFolder {
  readonly root: string;
  readonly realRoot: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.realRoot = fs.realpathSync.native(this.root);
  }

  /** Lexically inside (as the user names paths) or really inside (as the disk resolves them). */
  contains(absolute: string): boolean {
    const normal = path.resolve(absolute);
    return isPathInside(this.root, normal) || isPathInside(this.realRoot, normal);
  }

  /**
   * The real path of `absolute` (or, when it does not exist yet, of its folder joined with its name),
   * or why it is refused. `viaSymlink` says whether any component was a symlink.
   */
  resolve(absolute: string): { real: string; viaSymlink: boolean; exists: boolean } | { reason: string; missing: boolean } {
    const normal = path.resolve(absolute);
    if (!this.contains(normal)) return { reason: `is outside ${this.root}`, missing: false };
    let real: string;
    let exists = true;
    try {
      real = fs.realpathSync.native(normal);
    } catch (error) {
      if (!isMissing(error)) return { reason: describeError(error), missing: false };
      // A file about to be created: its folder must exist and be inside.
      exists = false;
      try {
        real = path.join(fs.realpathSync.native(path.dirname(normal)), path.basename(normal));
      } catch (inner) {
        return { reason: isMissing(inner) ? 'does not exist' : describeError(inner), missing: isMissing(inner) };
      }
    }
    if (!isPathInside(this.realRoot, real)) return { reason: 'is reached through a symlink that leads outside the folder it must stay in', missing: false };
    const lexicalReal = path.join(this.realRoot, path.relative(isPathInside(this.root, normal) ? this.root : this.realRoot, normal));
    return { real, viaSymlink: real !== lexicalReal, exists };
  }

  /** Reads a regular file of at most `maxBytes`; FIFOs, devices and folders are refused without blocking. */
  read(absolute: string, maxBytes: number): ReadOutcome {
    const resolved = this.resolve(absolute);
    if ('reason' in resolved) return { ok: false, reason: resolved.reason, missing: resolved.missing };
    if (!resolved.exists) return { ok: false, reason: 'does not exist', missing: true };
    const read = readRegularFile(resolved.real, maxBytes);
    return read.ok ? { ...read, realPath: resolved.real, viaSymlink: resolved.viaSymlink } : read;
  }

  /**
   * Writes `bytes` to `absolute` through a temporary file with an unpredictable name, created
   * exclusively next to the target, then renamed over it: a crash leaves the old file or the new
   * one, never half, and a planted file or symlink at a guessable name cannot be written through.
   */
  writeAtomically(absolute: string, bytes: Uint8Array, options: WriteOptions = {}): WriteOutcome {
    const resolved = this.resolve(absolute);
    if ('reason' in resolved) return { ok: false, reason: resolved.reason, skipped: false };
    if (resolved.viaSymlink && !options.throughSymlink) {
      let isLink = false;
      try {
        isLink = fs.lstatSync(absolute).isSymbolicLink();
      } catch {
        isLink = false;
      }
      if (isLink) return { ok: false, reason: 'is a symlink; refusing to write through it', skipped: false };
    }
    const target = resolved.real;
    const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(12).toString('hex')}.tmp`);
    let fd: number | undefined;
    let renamed = false;
    try {
      notifyIo('open-write', temporary);
      // Exclusive create without following: a name planted in the meantime fails the open.
      fd = fs.openSync(temporary, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW, options.mode === undefined ? 0o666 : 0o600);
      let written = 0;
      while (written < bytes.byteLength) written += fs.writeSync(fd, bytes, written, bytes.byteLength - written);
      if (options.mode !== undefined) fs.fchmodSync(fd, options.mode & 0o7777);
      if (options.owner && typeof process.getuid === 'function' && process.getuid() === 0) fs.fchownSync(fd, options.owner.uid, options.owner.gid);
      fs.closeSync(fd);
      fd = undefined;
      const skip = options.beforeRename?.(target);
      if (skip !== undefined) {
        this.unlinkQuietly(temporary);
        return { ok: false, reason: skip, skipped: true };
      }
      notifyIo('rename', temporary);
      notifyIo('rename', target);
      fs.renameSync(temporary, target);
      renamed = true;
      return { ok: true, realPath: target };
    } catch (error) {
      return { ok: false, reason: describeError(error), skipped: false };
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
      if (!renamed) this.unlinkQuietly(temporary);
    }
  }

  /** Removes a file (never a folder) inside the folder; a symlink is removed itself, never its target. */
  unlink(absolute: string): boolean {
    const normal = path.resolve(absolute);
    const parent = this.resolve(path.dirname(normal));
    if ('reason' in parent || !parent.exists) return false;
    const real = path.join(parent.real, path.basename(normal));
    try {
      if (fs.lstatSync(real).isDirectory()) return false;
      notifyIo('unlink', real);
      fs.unlinkSync(real);
      return true;
    } catch {
      return false;
    }
  }

  /** Creates a folder (and its missing parents) inside the folder; refuses to create through a symlink that leaves it. */
  makeFolder(absolute: string): boolean {
    const normal = path.resolve(absolute);
    if (!this.contains(normal)) return false;
    const chain: string[] = [];
    for (let dir = normal; this.contains(dir) && dir !== this.root && dir !== this.realRoot; dir = path.dirname(dir)) chain.unshift(dir);
    for (const dir of chain) {
      const resolved = this.resolve(dir);
      if ('reason' in resolved) return false;
      if (resolved.exists) {
        try {
          if (!fs.statSync(resolved.real).isDirectory()) return false;
        } catch {
          return false;
        }
        continue;
      }
      try {
        notifyIo('mkdir', resolved.real);
        fs.mkdirSync(resolved.real);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
      }
    }
    return true;
  }

  /** Entry names of a folder inside, or undefined. */
  list(absolute: string): string[] | undefined {
    const resolved = this.resolve(absolute);
    if ('reason' in resolved || !resolved.exists) return undefined;
    try {
      notifyIo('list', resolved.real);
      return fs.readdirSync(resolved.real);
    } catch {
      return undefined;
    }
  }

  private unlinkQuietly(file: string): void {
    try {
      notifyIo('unlink', file);
      fs.unlinkSync(file);
    } catch {
      // Already gone (or never created): nothing to clean up.
    }
  }
}

/**
 * Opens a path that must already be free of symlinks (a real path) without following one, without
 * waiting on a FIFO, and reads it when it is a regular file of at most `maxBytes`.
 */
export function readRegularFile(realPath: string, maxBytes: number): { ok: true; bytes: Buffer; stat: fs.Stats } | { ok: false; reason: string; missing: boolean } {
  let fd: number;
  try {
    notifyIo('open-read', realPath);
    fd = fs.openSync(realPath, fs.constants.O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
  } catch (error) {
    return { ok: false, reason: describeError(error), missing: isMissing(error) };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: 'is not a regular file', missing: false };
    if (stat.size > maxBytes) return { ok: false, reason: `is larger than ${maxBytes} bytes`, missing: false };
    return { ok: true, bytes: readOpenFile(fd, stat.size), stat };
  } catch (error) {
    return { ok: false, reason: describeError(error), missing: false };
  } finally {
    fs.closeSync(fd);
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** A reason without the message's path (callers name the path themselves): "permission denied (EACCES)". */
export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'does not exist';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'ELOOP':
      return 'is a symlink (ELOOP)';
    case 'EISDIR':
      return 'is a folder';
    case 'ENOSPC':
      return 'no space left on the device (ENOSPC)';
    case 'EROFS':
      return 'read-only file system (EROFS)';
    case 'EEXIST':
      return 'already exists (EEXIST)';
    default:
      return code ? `failed (${code})` : error instanceof Error ? error.message : String(error);
  }
}

/**
 * The bytes of an open file whose size fstat gave: read until that size or the end, whichever comes
 * first (a file that shrank meanwhile gives fewer). Unpooled: a long-lived cache keeps some files'
 * bytes and drops others, and a pooled buffer would keep its whole 8 KB slab (and the other files in
 * it) alive.
 */
export function readOpenFile(fd: number, size: number): Buffer {
  const bytes = Buffer.allocUnsafeSlow(size);
  let filled = 0;
  while (filled < bytes.length) {
    const read = fs.readSync(fd, bytes, filled, bytes.length - filled, filled);
    if (read === 0) break;
    filled += read;
  }
  return filled === bytes.length ? bytes : bytes.subarray(0, filled);
}
