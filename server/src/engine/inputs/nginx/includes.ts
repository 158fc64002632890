// Resolves one nginx include pattern to workspace files the way crossplane does, never leaving the workspace.
import type { FileId } from '../../types.js';
import { resolveFileId, type FileStat, type WorkspaceFs } from '../../workspace-fs.js';
import type { NginxDirective } from './ast.js';
import { NGINX_CONF_PREFIX, normalise, type ContainerLayout } from './container-paths.js';
import { hasMagic, pyGlob, pyJoin, type GlobTree } from './glob.js';

export interface IncludeTarget {
  /** The path as crossplane spells it (pattern joined to the entry's directory, or a glob match). */
  spelled: string;
  file: FileId;
}

export interface IncludeResolution {
  targets: IncludeTarget[];
  /** Why an explicit (non-glob) path could not be opened, in crossplane's words. */
  error?: string;
  /** Other things worth reporting (a glob match that is a directory, a path outside the workspace). */
  notes: string[];
  /** An absolute path that no evidence maps to the workspace: what it holds is unknown. */
  unmapped?: true;
  /** How the include was found in the container layout (a mount, a rendered template), when it was. */
  via?: string;
}

/** How absolute and container-relative include paths map to the workspace. */
export interface IncludeMapping {
  /** Workspace folder standing in for `/` (the plain `nginx.includePrefix`). */
  absolutePrefix?: FileId;
  /** Container paths of mounts, image copies and rendered templates. */
  layout?: ContainerLayout;
  /** The entry file's own path in the container, when the layout places it: relative includes then resolve against /etc/nginx. */
  entryInContainer?: string;
}

/**
 * Resolves an include the way the container sees it, then the way crossplane does: an absolute
 * path a mount, copy or rendered template covers is read from there; a relative one that the
 * entry's folder does not hold is tried against nginx's prefix (/etc/nginx) when the entry sits
 * in a container. An absolute path nothing maps is `unmapped`, never read from this machine.
 */
export function resolveMappedInclude(fs: WorkspaceFs, entryDir: FileId, pattern: string, mapping: IncludeMapping): IncludeResolution {
  const { layout } = mapping;
  if (layout && pattern.startsWith('/') && layout.covers(containerDirOf(pattern))) {
    const found = resolveInContainer(fs, layout, pattern);
    // Say where the path was looked for: the mount is evidence, the missing file may be made at deploy time.
    const mount = layout.mountOf(containerDirOf(pattern));
    return found.error === undefined || !mount ? found : { ...found, error: `${found.error} (${MAPPED_MARK} ${mount.workspace || 'the workspace root'} by ${mount.evidence})` };
  }
  const plain = resolveInclude(fs, entryDir, pattern, mapping.absolutePrefix);
  if (pattern.startsWith('/')) {
    if (mapping.absolutePrefix !== undefined) return plain;
    return { ...plain, unmapped: true };
  }
  const missed = plain.error !== undefined || (plain.targets.length === 0 && hasMagic(pattern));
  if (!missed || !layout || mapping.entryInContainer === undefined) return plain;
  const inContainer = resolveInContainer(fs, layout, `${NGINX_CONF_PREFIX}/${pattern}`);
  return inContainer.targets.length > 0 ? inContainer : plain;
}

/** Marks the error of a container path that a mount maps to a workspace folder that lacks the file. */
export const MAPPED_MARK = 'the container path maps to';

/** The folder part of a pattern before its first glob character, where a mount must be. */
function containerDirOf(pattern: string): string {
  const magic = pattern.search(/[*?[]/);
  const fixed = magic < 0 ? pattern : pattern.slice(0, magic);
  return magic < 0 ? fixed : fixed.slice(0, fixed.lastIndexOf('/')) || '/';
}

/** Resolves an absolute container path (or glob) through the layout; spelled paths are container paths. */
function resolveInContainer(fs: WorkspaceFs, layout: ContainerLayout, pattern: string): IncludeResolution {
  const notes: string[] = [];
  const viaOf = (spelled: string): string => {
    const render = layout.renderOf(spelled);
    const mount = layout.mountOf(render?.template ?? spelled);
    return [render?.evidence, mount?.evidence].filter((e) => e !== undefined).join('; ');
  };
  if (!hasMagic(pattern)) {
    const path = normalise(pattern);
    const found = layout.stat(fs, path);
    const file = layout.workspaceOf(path);
    if (!found || file === undefined) return { targets: [], error: osError(2, pattern), notes };
    if (found.isDirectory) return { targets: [], error: osError(21, pattern), notes };
    if (!found.isFile) return { targets: [], error: notRegular(pattern), notes };
    return { targets: [{ spelled: pattern, file }], notes, via: viaOf(path) };
  }
  const tree: GlobTree = {
    exists: (p) => layout.stat(fs, p) !== undefined,
    isDirectory: (p) => layout.stat(fs, p)?.isDirectory === true,
    list: (p) => layout.list(fs, p),
  };
  const targets: IncludeTarget[] = [];
  const vias = new Set<string>();
  for (const spelled of pyGlob(pattern, tree).sort()) {
    const found = layout.stat(fs, spelled);
    const file = layout.workspaceOf(spelled);
    if (file === undefined || !found) continue;
    if (found.isDirectory) notes.push(osError(21, spelled));
    else if (!found.isFile) notes.push(notRegular(spelled));
    else {
      targets.push({ spelled, file });
      vias.add(viaOf(spelled));
    }
  }
  return { targets, notes, via: [...vias].join('; ') };
}

/**
 * Files every nginx package and the official image ship in /etc/nginx, holding MIME types and
 * FastCGI/uWSGI/SCGI parameters only: an include of one that the workspace does not hold changes
 * no timeout, so the block's settings stay known.
 */
const STOCK_FILES = new Set(['mime.types', 'fastcgi_params', 'fastcgi.conf', 'scgi_params', 'uwsgi_params', 'koi-utf', 'koi-win', 'win-utf', 'proxy_params']);

export function isStockInclude(pattern: string): boolean {
  return STOCK_FILES.has(pattern.slice(pattern.lastIndexOf('/') + 1));
}

/** An include whose content nobody can read (missing, or an unmapped container path): it may set anything. */
export function includeIsUnknown(directive: NginxDirective): boolean {
  const pattern = directive.args[0]?.value;
  if (pattern === undefined || isStockInclude(pattern)) return false;
  return directive.includeError !== undefined || directive.includeUnmapped === true;
}

/**
 * Resolves `pattern` like crossplane: a relative pattern is joined to the directory of the ENTRY
 * file (not of the including file); `*`, `?` and `[` make it a glob whose matches are sorted and
 * may be empty; anything else must name a readable file. Absolute paths resolve against
 * `absolutePrefix`, a workspace folder standing in for `/`, and match nothing without one.
 */
export function resolveInclude(
  fs: WorkspaceFs,
  entryDir: FileId,
  pattern: string,
  absolutePrefix: FileId | undefined,
): IncludeResolution {
  const spelledPattern = pyJoin(entryDir, pattern);
  let outside = false;
  const locate = (spelled: string): FileId | undefined => {
    const id = toFileId(spelled, absolutePrefix);
    if (id === OUTSIDE) {
      outside = true;
      return undefined;
    }
    return id;
  };
  const stat = (spelled: string): FileStat | undefined => {
    const id = locate(spelled);
    return id === undefined ? undefined : safeStat(fs, id);
  };
  const notes: string[] = [];
  const outsideNote = `include "${pattern}" points outside the workspace; it was not read`;

  if (!hasMagic(spelledPattern)) {
    // Python's open() refuses such a path before looking at the disk.
    if (spelledPattern.includes('\0')) return { targets: [], error: 'embedded null byte', notes };
    const file = locate(spelledPattern);
    if (outside || file === undefined) {
      if (outside) return { targets: [], error: outsideNote, notes };
      return { targets: [], error: osError(2, spelledPattern), notes };
    }
    const found = safeStat(fs, file);
    if (!found) return { targets: [], error: osError(2, spelledPattern), notes };
    if (found.isDirectory) return { targets: [], error: osError(21, spelledPattern), notes };
    if (!found.isFile) return { targets: [], error: notRegular(pattern), notes };
    return { targets: [{ spelled: spelledPattern, file }], notes };
  }

  const tree: GlobTree = {
    exists: (p) => stat(p) !== undefined,
    isDirectory: (p) => stat(p)?.isDirectory === true,
    list: (p) => {
      const id = locate(p);
      if (id === undefined) return [];
      try {
        return fs.readDirectory(id) ?? [];
      } catch {
        return [];
      }
    },
  };
  const targets: IncludeTarget[] = [];
  // Python sorts by code point; the file names seen here do not differ between the two orders
  // except for astral characters, which no include glob in practice matches.
  for (const spelled of pyGlob(spelledPattern, tree).sort()) {
    const file = locate(spelled);
    if (file === undefined) continue;
    // crossplane would try to read a matched directory and fail; nginx fails on it as well.
    const found = safeStat(fs, file);
    if (found?.isDirectory) notes.push(osError(21, spelled));
    else if (found && !found.isFile) notes.push(notRegular(spelled));
    else targets.push({ spelled, file });
  }
  if (outside) notes.push(outsideNote);
  return { targets, notes };
}

const OUTSIDE = Symbol('outside');

/** A FIFO, device or socket: reading one could block forever or never end (`/dev/zero`), so it is never read. */
function notRegular(name: string): string {
  return `include "${name}" is not a regular file (a FIFO, a device or a socket); it was not read`;
}

/** Maps a spelled path to a FileId: relative to the workspace root, or absolute under the prefix. */
function toFileId(spelled: string, absolutePrefix: FileId | undefined): FileId | undefined | typeof OUTSIDE {
  // On POSIX a backslash is an ordinary file-name character, but FileIds treat it as a separator;
  // such names do not occur in practice, so they name nothing rather than some other file.
  if (spelled.includes('\\')) return undefined;
  if (spelled.startsWith('/')) {
    if (absolutePrefix === undefined) return undefined;
    // `/..` is `/` on POSIX, so an absolute path can never climb out of the prefix.
    const parts: string[] = [];
    for (const segment of spelled.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') parts.pop();
      else parts.push(segment);
    }
    return resolveFileId(absolutePrefix === '' ? parts.join('/') : `${absolutePrefix}/${parts.join('/')}`) ?? OUTSIDE;
  }
  return resolveFileId(spelled) ?? OUTSIDE;
}

function safeStat(fs: WorkspaceFs, file: FileId): FileStat | undefined {
  try {
    if (file === '') return fs.readDirectory('') ? { size: 0, isFile: false, isDirectory: true } : undefined;
    return fs.stat(file);
  } catch {
    return undefined;
  }
}

/** Python's OSError text, e.g. `[Errno 2] No such file or directory: 'missing.conf'`. */
export function osError(errno: 2 | 21, spelled: string): string {
  const reason = errno === 2 ? 'No such file or directory' : 'Is a directory';
  return `[Errno ${errno}] ${reason}: ${pyRepr(spelled)}`;
}

/** Characters Python's str.isprintable() rejects: control, format, surrogate, private, unassigned, separators. */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's repr() of a str, for the file names in OSError messages. */
export function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === q || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NOT_PRINTABLE.test(ch)) {
      const hex = cp.toString(16);
      out += cp < 0x100 ? `\\x${hex.padStart(2, '0')}` : cp < 0x10000 ? `\\u${hex.padStart(4, '0')}` : `\\U${hex.padStart(8, '0')}`;
    } else out += ch;
  }
  return out + q;
}
