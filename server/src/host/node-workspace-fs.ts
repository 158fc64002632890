// A WorkspaceFs over the disk, confined to one root folder (shared by the CLI and the language server).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileStat, WorkspaceFs } from '../engine/workspace-fs.js';
import { resolveFileId } from '../engine/workspace-fs.js';
import type { FileId } from '../engine/types.js';

export class NodeWorkspaceFs implements WorkspaceFs {
  readonly root: string;
  private readonly realRoot: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.realRoot = fs.realpathSync(this.root);
  }

  /** The absolute path of a FileId, or undefined when it (or a symlink on the way) leaves the root. */
  absolutePath(file: FileId): string | undefined {
    const id = resolveFileId(file);
    if (id === undefined) return undefined;
    const absolute = path.join(this.root, id);
    try {
      const real = fs.realpathSync(absolute);
      if (real !== this.realRoot && !real.startsWith(this.realRoot + path.sep)) return undefined;
    } catch {
      // A missing file cannot escape; the read below fails on its own.
    }
    return absolute;
  }

  /** The FileId of an absolute or cwd-relative path, or undefined when it is outside the root. */
  fileIdOf(somePath: string): FileId | undefined {
    const relative = path.relative(this.root, path.resolve(somePath));
    if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    return relative.split(path.sep).join('/');
  }

  readFile(file: FileId): Uint8Array | undefined {
    const absolute = this.absolutePath(file);
    if (!absolute) return undefined;
    try {
      return fs.readFileSync(absolute);
    } catch {
      return undefined;
    }
  }

  stat(file: FileId): FileStat | undefined {
    const absolute = this.absolutePath(file);
    if (!absolute) return undefined;
    try {
      const stat = fs.statSync(absolute);
      return { size: stat.size, isFile: stat.isFile(), isDirectory: stat.isDirectory() };
    } catch {
      return undefined;
    }
  }

  readDirectory(dir: FileId): string[] | undefined {
    const absolute = this.absolutePath(dir);
    if (!absolute) return undefined;
    try {
      return fs.readdirSync(absolute).sort();
    } catch {
      return undefined;
    }
  }
}
