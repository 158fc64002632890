// The only way the engine reads files: an injected, workspace-confined file system.
import type { FileId } from './types.js';

export interface FileStat {
  size: number;
  isFile: boolean;
  isDirectory: boolean;
  /** Last modification time, when the file system knows it (the CLI cache's metadata check). */
  mtimeMs?: number;
}

/**
 * A read-only view of the workspace. Paths are FileIds (workspace-relative, '/'-separated).
 * Implementations must refuse anything outside the workspace roots and never follow a path
 * out of them: the engine never asks for such a path, and a front end must not serve one.
 */
export interface WorkspaceFs {
  /** Raw bytes, or undefined when the file does not exist or cannot be read. */
  readFile(file: FileId): Uint8Array | undefined;
  stat(file: FileId): FileStat | undefined;
  /** Entry names (not paths) of a directory, or undefined when it does not exist. */
  readDirectory(dir: FileId): string[] | undefined;
  /**
   * Optional: the listing with each entry's kind as the directory itself records it, so that a walk
   * over thousands of files needs no stat per file. `other` (a symlink, a socket, an unknown kind)
   * is stat'ed by the caller.
   */
  readDirectoryKinds?(dir: FileId): Array<[string, DirectoryEntryKind]> | undefined;
  /**
   * Optional: the stat and, for a regular file of at most `maxBytes`, the bytes, from one open
   * file (no separate stat call per file read). Undefined when the file does not exist.
   */
  readFileBounded?(file: FileId, maxBytes: number): BoundedRead | undefined;
  /**
   * Optional: the caller will not read these bytes again while the file is unchanged (a source the
   * pre-scan skipped); a caching file system may let go of them.
   */
  release?(file: FileId): void;
  /**
   * Optional: why a name a listing gave cannot be read (a symlink out of the root, a dangling one, a
   * name that is no FileId), so that discovery lists it as not analysed with a reason.
   */
  whyUnavailable?(file: FileId): string | undefined;
}

export interface BoundedRead {
  stat: FileStat;
  /** Absent when the entry is not a regular file, is larger than asked, or could not be read. */
  bytes?: Uint8Array;
}

/** `fs.readFileBounded` when the file system has it, else a stat and a read. */
export function readFileBounded(fs: WorkspaceFs, file: FileId, maxBytes: number): BoundedRead | undefined {
  if (fs.readFileBounded) return fs.readFileBounded(file, maxBytes);
  const stat = fs.stat(file);
  if (!stat) return undefined;
  if (!stat.isFile || stat.size > maxBytes) return { stat };
  return { stat, bytes: fs.readFile(file) };
}

export type DirectoryEntryKind = 'file' | 'directory' | 'other';

/** A WorkspaceFs over a map of file contents, for tests and editor buffers. */
export class MemoryFs implements WorkspaceFs {
  private readonly files = new Map<FileId, Uint8Array>();

  constructor(files: Record<FileId, string | Uint8Array> = {}) {
    for (const [file, content] of Object.entries(files)) this.write(file, content);
  }

  write(file: FileId, content: string | Uint8Array): void {
    this.files.set(normalizeFileId(file), typeof content === 'string' ? new TextEncoder().encode(content) : content);
  }

  delete(file: FileId): void {
    this.files.delete(normalizeFileId(file));
  }

  list(): FileId[] {
    return [...this.files.keys()].sort();
  }

  readFile(file: FileId): Uint8Array | undefined {
    return this.files.get(normalizeFileId(file));
  }

  stat(file: FileId): FileStat | undefined {
    const id = normalizeFileId(file);
    const content = this.files.get(id);
    if (content) return { size: content.byteLength, isFile: true, isDirectory: false };
    return this.readDirectory(id) ? { size: 0, isFile: false, isDirectory: true } : undefined;
  }

  readDirectory(dir: FileId): string[] | undefined {
    const prefix = dir === '' || dir === '.' ? '' : `${normalizeFileId(dir)}/`;
    const names = new Set<string>();
    for (const file of this.files.keys()) {
      if (!file.startsWith(prefix)) continue;
      const rest = file.slice(prefix.length);
      names.add(rest.split('/')[0]!);
    }
    return names.size > 0 ? [...names].sort() : undefined;
  }
}

const NEEDS_RESOLVING = /\\|\/\/|^\/|\/$|(?:^|\/)\.\.?(?:\/|$)/;

/**
 * Normalises a workspace-relative path: '/' separators, no '.' segments, '..' folded.
 * Returns undefined for a path that climbs out of the workspace.
 */
export function resolveFileId(path: string): FileId | undefined {
  // Almost every id the engine passes around is already normal: no work, no allocation.
  if (!NEEDS_RESOLVING.test(path)) return path;
  const parts: string[] = [];
  for (const segment of path.replace(/\\/g, '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(segment);
  }
  return parts.join('/');
}

function normalizeFileId(path: string): FileId {
  return resolveFileId(path) ?? path;
}

/** Directory part of a FileId ('' for a top-level file). */
export function dirnameOf(file: FileId): FileId {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

export function joinFileId(dir: FileId, relative: string): FileId | undefined {
  return resolveFileId(dir === '' ? relative : `${dir}/${relative}`);
}

/** A WorkspaceFs whose listed files read from in-memory text (editor buffers, fixed files). */
export class OverlayFs implements WorkspaceFs {
  private readonly encoded = new Map<FileId, Uint8Array>();

  constructor(private readonly base: WorkspaceFs, overrides: ReadonlyMap<FileId, string> = new Map()) {
    for (const [file, text] of overrides) this.set(file, text);
  }

  set(file: FileId, text: string): void {
    this.encoded.set(file, new TextEncoder().encode(text));
  }

  readFile(file: FileId): Uint8Array | undefined {
    return this.encoded.get(file) ?? this.base.readFile(file);
  }

  stat(file: FileId): FileStat | undefined {
    const overridden = this.encoded.get(file);
    if (overridden) return { size: overridden.byteLength, isFile: true, isDirectory: false };
    return this.base.stat(file);
  }

  readDirectory(dir: FileId): string[] | undefined {
    return this.base.readDirectory(dir);
  }

  release(file: FileId): void {
    if (!this.encoded.has(file)) this.base.release?.(file);
  }
}
