// A WorkspaceFs over the disk, confined to one root folder (shared by the CLI and the language server).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BoundedRead, DirectoryEntryKind, FileStat, WorkspaceFs } from '../engine/workspace-fs.js';
import { dirnameOf, resolveFileId } from '../engine/workspace-fs.js';
import type { FileId } from '../engine/types.js';
import { isPathInside, notifyIo, O_NOFOLLOW, O_NONBLOCK, readOpenFile } from './confined-fs.js';

/** No workspace file is read whole above this (readFile without a bound): a 2 GB file is refused, never loaded. */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

export class NodeWorkspaceFs implements WorkspaceFs {
  readonly root: string;
  private readonly realRoot: string;

  /** Folder or file → whether its real path is inside the root; only kept when the owner asked (short-lived CLI runs). */
  private readonly folderVerdicts: Map<FileId, boolean> | undefined;
  /** The names in each folder listed so far, kept with the verdicts (short-lived runs only): a missing name needs no stat. */
  private readonly listings = new Map<FileId, Set<string>>();

  /**
   * `rememberFolders` caches, per folder, whether it resolves inside the root, so that a file whose
   * own name is not a symlink costs one lstat instead of a realpath. For one-shot runs (the CLI):
   * a long-lived process (the language server) would miss a folder later replaced by a symlink.
   */
  constructor(root: string, options: { rememberFolders?: boolean } = {}) {
    this.root = path.resolve(root);
    this.realRoot = fs.realpathSync(this.root);
    this.folderVerdicts = options.rememberFolders ? new Map() : undefined;
  }

  /** The absolute path of a FileId, or undefined when it (or a symlink on the way) leaves the root. */
  absolutePath(file: FileId): string | undefined {
    const id = resolveFileId(file);
    if (id === undefined) return undefined;
    const absolute = path.join(this.root, id);
    return id === '' || this.staysInside(id, absolute) ? absolute : undefined;
  }

  private staysInside(id: FileId, absolute: string): boolean {
    if (this.folderVerdicts) {
      const known = this.folderVerdicts.get(id);
      if (known !== undefined) return known;
      let stat: fs.Stats | undefined;
      try {
        stat = fs.lstatSync(absolute, { throwIfNoEntry: false });
      } catch {
        stat = undefined;
      }
      // A missing file cannot escape; the read fails on its own.
      if (!stat) return true;
      // Not a symlink itself: it is where its folder is.
      if (!stat.isSymbolicLink()) return this.folderInside(dirnameOf(id));
    }
    try {
      return isPathInside(this.realRoot, fs.realpathSync.native(absolute));
    } catch {
      // A missing file cannot escape; the read below fails on its own.
      return true;
    }
  }

  private folderInside(dir: FileId): boolean {
    if (dir === '') return true;
    let verdict = this.folderVerdicts!.get(dir);
    if (verdict === undefined) {
      verdict = this.staysInside(dir, path.join(this.root, dir));
      this.folderVerdicts!.set(dir, verdict);
    }
    return verdict;
  }

  /** The FileId of an absolute or cwd-relative path, or undefined when it is outside the root. */
  fileIdOf(somePath: string): FileId | undefined {
    const relative = path.relative(this.root, path.resolve(somePath));
    // '..foo' is a name inside; only '..' itself or '../…' climbs out.
    if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return undefined;
    return relative.split(path.sep).join('/');
  }

  readFile(file: FileId): Uint8Array | undefined {
    return this.readFileBounded(file, MAX_READ_BYTES)?.bytes;
  }

  readFileBounded(file: FileId, maxBytes: number): BoundedRead | undefined {
    const absolute = this.absolutePath(file);
    if (!absolute) return undefined;
    let fd: number;
    try {
      fd = openNoFollow(absolute);
    } catch (error) {
      // The name itself is a symlink (checked above to stay inside): open its real path, again without following.
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') return this.readRealPath(file, absolute, maxBytes);
      // Missing, or unreadable: a plain stat tells the two apart for the caller.
      const stat = this.stat(file);
      return stat ? { stat } : undefined;
    }
    return this.readOpened(fd, maxBytes);
  }

  private readRealPath(file: FileId, absolute: string, maxBytes: number): BoundedRead | undefined {
    let fd: number;
    try {
      const real = fs.realpathSync.native(absolute);
      if (!isPathInside(this.realRoot, real)) return undefined;
      fd = openNoFollow(real);
    } catch {
      // Missing, or unreadable: a plain stat tells the two apart for the caller.
      const stat = this.stat(file);
      return stat ? { stat } : undefined;
    }
    return this.readOpened(fd, maxBytes);
  }

  private readOpened(fd: number, maxBytes: number): BoundedRead | undefined {
    try {
      const info = fs.fstatSync(fd);
      const stat: FileStat = { size: info.size, isFile: info.isFile(), isDirectory: info.isDirectory(), mtimeMs: info.mtimeMs };
      if (!stat.isFile || stat.size > maxBytes) return { stat };
      return { stat, bytes: readOpenFile(fd, stat.size) };
    } catch {
      return undefined;
    } finally {
      fs.closeSync(fd);
    }
  }

  stat(file: FileId): FileStat | undefined {
    if (this.folderVerdicts) {
      // One lstat answers both questions when the name is not a symlink (the common case).
      const id = resolveFileId(file);
      if (id === undefined) return undefined;
      // A name its folder's listing lacks is missing: no syscall (packages probe a dozen pin and config names each).
      if (this.knownMissing(id)) return undefined;
      let stat: fs.Stats | undefined;
      try {
        stat = fs.lstatSync(path.join(this.root, id), { throwIfNoEntry: false });
      } catch {
        stat = undefined;
      }
      if (!stat) return undefined;
      if (!stat.isSymbolicLink()) {
        if (id !== '' && !this.folderInside(dirnameOf(id))) return undefined;
        this.folderVerdicts.set(id, true);
        return { size: stat.size, isFile: stat.isFile(), isDirectory: stat.isDirectory(), mtimeMs: stat.mtimeMs };
      }
    }
    const absolute = this.absolutePath(file);
    if (!absolute) return undefined;
    try {
      const stat = fs.statSync(absolute);
      return { size: stat.size, isFile: stat.isFile(), isDirectory: stat.isDirectory(), mtimeMs: stat.mtimeMs };
    } catch {
      return undefined;
    }
  }

  readDirectory(dir: FileId): string[] | undefined {
    const absolute = this.absolutePath(dir);
    if (!absolute) return undefined;
    notifyIo('list', absolute);
    try {
      return fs.readdirSync(absolute).sort();
    } catch {
      return undefined;
    }
  }

  readDirectoryKinds(dir: FileId): Array<[string, DirectoryEntryKind]> | undefined {
    const absolute = this.absolutePath(dir);
    if (!absolute) return undefined;
    let entries: fs.Dirent[];
    notifyIo('list', absolute);
    try {
      entries = fs.readdirSync(absolute, { withFileTypes: true });
    } catch {
      return undefined;
    }
    const inside = this.folderVerdicts ? this.folderInside(dir) : undefined;
    if (this.folderVerdicts) this.listings.set(dir, new Set(entries.map((entry) => entry.name)));
    return entries
      .map((entry): [string, DirectoryEntryKind] => {
        // A symlink may point anywhere: the caller stats it, which checks where it leads.
        const kind: DirectoryEntryKind = entry.isSymbolicLink() ? 'other' : entry.isFile() ? 'file' : entry.isDirectory() ? 'directory' : 'other';
        // Not a symlink: it is where its folder is, so later reads need no lstat to stay confined.
        if (kind !== 'other' && inside !== undefined) this.folderVerdicts!.set(dir === '' ? entry.name : `${dir}/${entry.name}`, inside);
        return [entry.name, kind];
      })
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private knownMissing(id: FileId): boolean {
    const slash = id.lastIndexOf('/');
    const names = this.listings.get(slash < 0 ? '' : id.slice(0, slash));
    return names !== undefined && !names.has(slash < 0 ? id : id.slice(slash + 1));
  }

  /** Why an existing entry gives no stat or bytes: a symlink out of the root, a dangling one, or a name that is no FileId. */
  whyUnavailable(file: FileId): string | undefined {
    const id = resolveFileId(file);
    if (id === undefined || id !== file) return 'its name cannot be a workspace path (a backslash or a climbing segment)';
    let stat: fs.Stats | undefined;
    try {
      stat = fs.lstatSync(path.join(this.root, id), { throwIfNoEntry: false });
    } catch {
      return 'cannot be read';
    }
    // Missing: nothing to explain (the caller says "does not exist" or, for a listed name, "cannot be read").
    if (!stat) return undefined;
    if (!stat.isSymbolicLink()) return this.absolutePath(file) ? undefined : 'is inside a folder reached through a symlink that leaves the workspace root';
    try {
      const real = fs.realpathSync.native(path.join(this.root, id));
      return isPathInside(this.realRoot, real) ? undefined : 'is a symlink that leads outside the workspace root';
    } catch {
      return 'is a symlink that leads nowhere (dangling or a loop)';
    }
  }
}

/** Opens for reading without following a symlink at the last component, and without waiting on a named pipe (it is then refused as not a file). */
function openNoFollow(absolute: string): number {
  notifyIo('open-read', absolute);
  return fs.openSync(absolute, fs.constants.O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
}
