// Where the CLI writes besides fixed files: the --output-file and the cache folder, each confined to the root or to the place the user named.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfinedFolder, notifyIo } from '../host/confined-fs.js';
import { cacheSecretPath, loadCacheSecret } from '../host/signed-files.js';
import { LintCache } from './cache.js';

/**
 * Writes the report file. Inside the root it must be reached without a symlink (a committed link
 * named like the report would otherwise redirect the write anywhere); outside, only where the user
 * pointed, and never through a symlink at the name itself. It is written to a new file and renamed,
 * so a hard link planted at the name is not written through either.
 */
export function writeOutputFile(target: string, workspaceRoot: string, output: string): { ok: true } | { ok: false; reason: string } {
  let folder: ConfinedFolder;
  try {
    const workspaceFolder = new ConfinedFolder(workspaceRoot);
    if (!workspaceFolder.contains(target) && isStreamOutsideWorkspace(target)) return writeStream(target, output);
    folder = workspaceFolder.contains(target) ? workspaceFolder : new ConfinedFolder(path.dirname(target));
  } catch {
    return { ok: false, reason: 'is in a folder that does not exist' };
  }
  const written = folder.writeAtomically(target, Buffer.from(output, 'utf8'));
  return written.ok ? { ok: true } : { ok: false, reason: written.reason };
}

/**
 * `-o /dev/stdout`, `-o /dev/stderr` or a named pipe the user created outside the workspace: a
 * stream, not a file, so there is nothing to replace atomically (and no folder to rename in). The
 * user named it and it is outside the root, so nothing in the workspace can have planted it.
 */
function isStreamOutsideWorkspace(target: string): boolean {
  try {
    const stat = fs.statSync(target);
    return stat.isCharacterDevice() || stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

function writeStream(target: string, output: string): { ok: true } | { ok: false; reason: string } {
  try {
    notifyIo('open-write', target);
    fs.writeFileSync(target, output);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
}

/**
 * The cache, or a note saying why it is not used. A cache folder inside the root that is (or is
 * reached through) a symlink is refused, so a committed `.timeout-lint-cache` link cannot make the
 * run write or delete elsewhere; a folder outside the root is used only because --cache-location
 * named it. Without the signing secret (see host/signed-files.ts) there is no cache either.
 */
export function openCache(location: string, workspaceRoot: string): { cache: LintCache } | { note: string } {
  const workspaceFolder = new ConfinedFolder(workspaceRoot);
  let folder = workspaceFolder;
  if (workspaceFolder.contains(location)) {
    const resolved = workspaceFolder.resolve(location);
    let isLink = false;
    try {
      isLink = fs.lstatSync(location).isSymbolicLink();
    } catch {
      isLink = false;
    }
    // A folder not created yet is fine (it is created through the confined layer); one reached through a link is not.
    if ('reason' in resolved ? !resolved.missing : resolved.viaSymlink || isLink) return { note: `${location} is reached through a symlink` };
  } else {
    try {
      notifyIo('mkdir', location);
      fs.mkdirSync(location, { recursive: true });
      folder = new ConfinedFolder(location);
    } catch {
      return { note: `cannot create ${location}` };
    }
  }
  const secret = loadCacheSecret(cacheSecretPath(), workspaceFolder);
  if ('reason' in secret) return { note: secret.reason };
  return { cache: new LintCache(location, folder, secret.secret) };
}
