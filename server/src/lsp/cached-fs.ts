// A per-file cache over the disk WorkspaceFs, invalidated by watched-file events, so re-lints skip the disk.
import type { DirectoryEntryKind, FileStat, WorkspaceFs } from '../engine/workspace-fs.js';
import { dirnameOf } from '../engine/workspace-fs.js';
import type { FileId } from '../engine/types.js';

/**
 * Caches reads, stats and directory listings. The cache is only as fresh as the file events the
 * client sends; that is the usual contract of a language server (the editor owns file watching).
 */
export class CachedFs implements WorkspaceFs {
  private readonly bytes = new Map<FileId, Uint8Array | undefined>();
  private readonly stats = new Map<FileId, FileStat | undefined>();
  private readonly listings = new Map<FileId, string[] | undefined>();
  private readonly kinds = new Map<FileId, Array<[string, DirectoryEntryKind]> | undefined>();

  constructor(private readonly base: WorkspaceFs) {}

  // One map lookup on a hit (every re-lint reads and stats each file of its unit): has() only for a missing entry.
  readFile(file: FileId): Uint8Array | undefined {
    const known = this.bytes.get(file);
    if (known !== undefined || this.bytes.has(file)) return known;
    const read = this.base.readFile(file);
    this.bytes.set(file, read);
    return read;
  }

  stat(file: FileId): FileStat | undefined {
    const known = this.stats.get(file);
    if (known !== undefined || this.stats.has(file)) return known;
    const stat = this.base.stat(file);
    this.stats.set(file, stat);
    return stat;
  }

  readDirectory(dir: FileId): string[] | undefined {
    if (!this.listings.has(dir)) this.listings.set(dir, this.base.readDirectory(dir));
    return this.listings.get(dir);
  }

  readDirectoryKinds(dir: FileId): Array<[string, DirectoryEntryKind]> | undefined {
    if (!this.base.readDirectoryKinds) return undefined;
    if (!this.kinds.has(dir)) this.kinds.set(dir, this.base.readDirectoryKinds(dir));
    return this.kinds.get(dir);
  }

  /** Why the disk refused a file (a symlink out of the root, a FIFO, too large): asked only after a failed read, so not cached. */
  whyUnavailable(file: FileId): string | undefined {
    return this.base.whyUnavailable?.(file);
  }

  /** Drops a file's bytes but keeps its stat: the engine judged it by them and keeps the verdict while the stat is unchanged. */
  release(file: FileId): void {
    this.bytes.delete(file);
  }

  /** Forgets a changed file. `structural` (created or deleted) also forgets its folder's listing. */
  invalidate(file: FileId, structural: boolean): void {
    this.bytes.delete(file);
    this.stats.delete(file);
    if (!structural) return;
    this.listings.delete(file);
    this.kinds.delete(file);
    // A folder created or deleted with files in it changes listings and stats below it too.
    for (const key of [...this.stats.keys()]) if (key.startsWith(`${file}/`)) this.stats.delete(key);
    for (const key of [...this.bytes.keys()]) if (key.startsWith(`${file}/`)) this.bytes.delete(key);
    for (const key of [...this.listings.keys()]) if (key.startsWith(`${file}/`)) this.listings.delete(key);
    for (const key of [...this.kinds.keys()]) if (key.startsWith(`${file}/`)) this.kinds.delete(key);
    for (let dir = dirnameOf(file); ; dir = dirnameOf(dir)) {
      this.listings.delete(dir);
      this.kinds.delete(dir);
      this.stats.delete(dir);
      if (dir === '') break;
    }
  }

  clear(): void {
    this.bytes.clear();
    this.stats.clear();
    this.listings.clear();
    this.kinds.clear();
  }
}
