// Finds the files to lint under the given paths, honouring .gitignore files and configured ignores; lists what it had to leave out.
import ignore, { type Ignore } from 'ignore';
import type { NotAnalysed } from '../engine/report.js';
import type { FileId } from '../engine/types.js';
import type { DirectoryEntryKind, WorkspaceFs } from '../engine/workspace-fs.js';
import { dirnameOf, readFileBounded, resolveFileId } from '../engine/workspace-fs.js';

/** Folders that never hold configs or sources worth linting. */
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules', '.hg', '.svn']);

/** A .gitignore larger than this is not read (real ones are kilobytes; a huge one is an attack on memory). */
export const MAX_GITIGNORE_BYTES = 1024 * 1024;

export interface Discovery {
  files: FileId[];
  /** Paths the user named that do not exist inside the workspace. */
  missing: string[];
  /**
   * Entries the walk could not take, with the reason: names that are no FileId (a backslash),
   * symlinks out of the root or dangling, symlinked folders (not followed, so a link to an ancestor
   * cannot make the walk endless), and .gitignore files too large to apply. A run with any of these
   * is not complete.
   */
  notAnalysed: NotAnalysed[];
}

/**
 * Walks `targets` (FileIds of files or folders; '' is the root). Files named explicitly are kept
 * even when ignored, as ESLint does with explicit paths.
 */
export function discoverFiles(fs: WorkspaceFs, targets: FileId[], configIgnores: string[]): Discovery {
  const walker: Walker = { fs, files: new Set(), notAnalysed: [], configIgnore: configIgnores.length > 0 ? ignore().add(configIgnores) : undefined };
  const missing: string[] = [];
  for (const target of targets) {
    const stat = fs.stat(target);
    if (!stat) {
      missing.push(target);
      continue;
    }
    if (stat.isFile) {
      walker.files.add(target);
      continue;
    }
    walk(walker, target, gitignoresAbove(walker, target));
  }
  return { files: [...walker.files].sort(), missing, notAnalysed: walker.notAnalysed };
}

interface Walker {
  fs: WorkspaceFs;
  files: Set<FileId>;
  notAnalysed: NotAnalysed[];
  /** No configured patterns (the usual case): nothing to ask for each of thousands of paths. */
  configIgnore: Ignore | undefined;
}

interface ScopedIgnore {
  dir: FileId;
  rules: Ignore;
}

function gitignoresAbove(walker: Walker, dir: FileId): ScopedIgnore[] {
  const scopes: ScopedIgnore[] = [];
  const chain: FileId[] = [];
  for (let d = dirnameOf(dir); ; d = dirnameOf(d)) {
    if (d !== dir) chain.unshift(d);
    if (d === '') break;
  }
  for (const d of chain) {
    const scope = readGitignore(walker, d);
    if (scope) scopes.push(scope);
  }
  return scopes;
}

function readGitignore(walker: Walker, dir: FileId): ScopedIgnore | undefined {
  const file = dir === '' ? '.gitignore' : `${dir}/.gitignore`;
  const read = readFileBounded(walker.fs, file, MAX_GITIGNORE_BYTES);
  if (!read) {
    // Absent (the usual case), or refused: a symlink out of the root is not read, and says so.
    const why = walker.fs.whyUnavailable?.(file);
    if (why) walker.notAnalysed.push({ file, reason: `${why}: its ignore rules are not applied` });
    return undefined;
  }
  if (!read.bytes) {
    if (read.stat.isFile) walker.notAnalysed.push({ file, reason: read.stat.size > MAX_GITIGNORE_BYTES ? `larger than ${MAX_GITIGNORE_BYTES} bytes: its ignore rules are not applied` : 'cannot be read: its ignore rules are not applied' });
    return undefined;
  }
  return { dir, rules: ignore().add(new TextDecoder().decode(read.bytes)) };
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

/** Iterative (a folder stack, not recursion), so that a deep tree cannot overflow the stack. */
function walk(walker: Walker, start: FileId, inherited: ScopedIgnore[]): void {
  const { fs, configIgnore } = walker;
  const pending: Array<[FileId, ScopedIgnore[]]> = [[start, inherited]];
  while (pending.length > 0) {
    const [dir, above] = pending.pop()!;
    // The listing's own entry kinds, when the file system has them, spare a stat per file.
    const entries = fs.readDirectoryKinds?.(dir) ?? (fs.readDirectory(dir) ?? []).map((name): [string, DirectoryEntryKind] => [name, 'other']);
    // Most folders have no .gitignore: the listing says so without a failing read.
    const own = entries.some(([name]) => name === '.gitignore') ? readGitignore(walker, dir) : undefined;
    const scopes = own ? [...above, own] : above;
    const folders: FileId[] = [];
    for (const [name, listed] of entries) {
      if (ALWAYS_SKIPPED.has(name)) continue;
      const file = dir === '' ? name : `${dir}/${name}`;
      // A backslash is a separator to resolveFileId, so such a name would read another file, or none.
      if (resolveFileId(file) !== file) {
        if (!isIgnored(scopes, configIgnore, file, false)) walker.notAnalysed.push({ file, reason: 'its name cannot be a workspace path (a backslash or a climbing segment)' });
        continue;
      }
      let kind = listed;
      if (kind === 'other') {
        const stat = fs.stat(file);
        if (!stat) {
          if (!isIgnored(scopes, configIgnore, file, false)) walker.notAnalysed.push({ file, reason: fs.whyUnavailable?.(file) ?? 'cannot be read (its name may not be valid UTF-8, or it vanished)' });
          continue;
        }
        kind = stat.isDirectory ? 'directory' : stat.isFile ? 'file' : 'other';
        // A listing that knows kinds said "other" for a folder: it is a symlink to one. Not followed,
        // so that a link to an ancestor cannot make the walk endless; its files are reached by their real path.
        if (kind === 'directory' && fs.readDirectoryKinds) {
          if (!isIgnored(scopes, configIgnore, file, true)) walker.notAnalysed.push({ file, reason: 'is a symlink to a folder; symlinked folders are not followed' });
          continue;
        }
      }
      if (isIgnored(scopes, configIgnore, file, kind === 'directory')) continue;
      if (kind === 'directory') folders.push(file);
      else if (kind === 'file') walker.files.add(file);
    }
    // Reversed onto the stack, so folders are walked in listing order (the order tests and users see).
    for (let i = folders.length - 1; i >= 0; i--) pending.push([folders[i]!, scopes]);
  }
}
