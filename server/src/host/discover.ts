// Finds the files to lint under the given paths, honouring .gitignore files and configured ignores.
import ignore, { type Ignore } from 'ignore';
import type { FileId } from '../engine/types.js';
import type { DirectoryEntryKind, WorkspaceFs } from '../engine/workspace-fs.js';
import { dirnameOf } from '../engine/workspace-fs.js';

/** Folders that never hold configs or sources worth linting. */
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules', '.hg', '.svn']);

export interface Discovery {
  files: FileId[];
  /** Paths the user named that do not exist inside the workspace. */
  missing: string[];
}

/**
 * Walks `targets` (FileIds of files or folders; '' is the root). Files named explicitly are kept
 * even when ignored, as ESLint does with explicit paths.
 */
export function discoverFiles(fs: WorkspaceFs, targets: FileId[], configIgnores: string[]): Discovery {
  const files = new Set<FileId>();
  const missing: string[] = [];
  // No configured patterns (the usual case): nothing to ask for each of thousands of paths.
  const configIgnore = configIgnores.length > 0 ? ignore().add(configIgnores) : undefined;
  for (const target of targets) {
    const stat = fs.stat(target);
    if (!stat) {
      missing.push(target);
      continue;
    }
    if (stat.isFile) {
      files.add(target);
      continue;
    }
    walk(fs, target, gitignoresAbove(fs, target), configIgnore, files);
  }
  return { files: [...files].sort(), missing };
}

interface ScopedIgnore {
  dir: FileId;
  rules: Ignore;
}

function gitignoresAbove(fs: WorkspaceFs, dir: FileId): ScopedIgnore[] {
  const scopes: ScopedIgnore[] = [];
  const chain: FileId[] = [];
  for (let d = dirnameOf(dir); ; d = dirnameOf(d)) {
    if (d !== dir) chain.unshift(d);
    if (d === '') break;
  }
  for (const d of chain) {
    const scope = readGitignore(fs, d);
    if (scope) scopes.push(scope);
  }
  return scopes;
}

function readGitignore(fs: WorkspaceFs, dir: FileId): ScopedIgnore | undefined {
  const bytes = fs.readFile(dir === '' ? '.gitignore' : `${dir}/.gitignore`);
  return bytes ? { dir, rules: ignore().add(new TextDecoder().decode(bytes)) } : undefined;
}

function isIgnored(scopes: ScopedIgnore[], configIgnore: Ignore | undefined, file: FileId, isDir: boolean): boolean {
  if (scopes.length === 0 && !configIgnore) return false;
  const probe = isDir ? `${file}/` : file;
  if (configIgnore?.ignores(probe)) return true;
  return scopes.some((s) => {
    const relative = s.dir === '' ? probe : probe.slice(s.dir.length + 1);
    return relative !== '' && s.rules.ignores(relative);
  });
}

function walk(fs: WorkspaceFs, dir: FileId, inherited: ScopedIgnore[], configIgnore: Ignore | undefined, out: Set<FileId>): void {
  // The listing's own entry kinds, when the file system has them, spare a stat per file.
  const entries = fs.readDirectoryKinds?.(dir) ?? (fs.readDirectory(dir) ?? []).map((name): [string, DirectoryEntryKind] => [name, 'other']);
  // Most folders have no .gitignore: the listing says so without a failing read.
  const own = entries.some(([name]) => name === '.gitignore') ? readGitignore(fs, dir) : undefined;
  const scopes = own ? [...inherited, own] : inherited;
  for (const [name, listed] of entries) {
    if (ALWAYS_SKIPPED.has(name)) continue;
    const file = dir === '' ? name : `${dir}/${name}`;
    let kind = listed;
    if (kind === 'other') {
      const stat = fs.stat(file);
      if (!stat) continue;
      kind = stat.isDirectory ? 'directory' : stat.isFile ? 'file' : 'other';
    }
    if (isIgnored(scopes, configIgnore, file, kind === 'directory')) continue;
    if (kind === 'directory') walk(fs, file, scopes, configIgnore, out);
    else if (kind === 'file') out.add(file);
  }
}
