// Python's glob.glob and fnmatch over a virtual directory tree, so include globs match what crossplane matches.
import { compileSafeRegex, type SafeRegex } from '../../safe-regex.js';

/** What glob needs to know about the tree; paths are spelled the way the pattern spells them. */
export interface GlobTree {
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  /** Entry names of a directory ('' is the current directory), or [] when it cannot be listed. */
  list(path: string): string[];
}

/** glob.has_magic */
export function hasMagic(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/** os.path.join for two POSIX paths. */
export function pyJoin(a: string, b: string): string {
  if (b.startsWith('/')) return b;
  if (a === '' || a.endsWith('/')) return a + b;
  return `${a}/${b}`;
}

/** os.path.split for a POSIX path. */
function pySplit(p: string): [string, string] {
  const i = p.lastIndexOf('/') + 1;
  let head = p.slice(0, i);
  const tail = p.slice(i);
  if (head !== '' && !/^\/+$/.test(head)) head = head.replace(/\/+$/, '');
  return [head, tail];
}

/** glob.glob(pattern) (Python 3.11, not recursive, hidden files excluded), unsorted. */
export function pyGlob(pattern: string, tree: GlobTree): string[] {
  return iglob(pattern, false, tree);
}

function iglob(pathname: string, dirOnly: boolean, tree: GlobTree): string[] {
  const [dirname, basename] = pySplit(pathname);
  if (!hasMagic(pathname)) {
    if (basename !== '') return tree.exists(pathname) ? [pathname] : [];
    return tree.isDirectory(dirname) ? [pathname] : [];
  }
  if (dirname === '') return glob1('', basename, dirOnly, tree);
  const dirs = dirname !== pathname && hasMagic(dirname) ? iglob(dirname, true, tree) : [dirname];
  const out: string[] = [];
  for (const dir of dirs) {
    const names = hasMagic(basename) ? glob1(dir, basename, dirOnly, tree) : glob0(dir, basename, tree);
    for (const name of names) out.push(pyJoin(dir, name));
  }
  return out;
}

function glob1(dir: string, pattern: string, dirOnly: boolean, tree: GlobTree): string[] {
  let names = tree.list(dir);
  if (dirOnly) names = names.filter((name) => tree.isDirectory(pyJoin(dir, name)));
  if (!pattern.startsWith('.')) names = names.filter((name) => !name.startsWith('.'));
  const re = fnmatchRegExp(pattern);
  return names.filter((name) => re.testExact(name));
}

function glob0(dir: string, basename: string, tree: GlobTree): string[] {
  if (basename !== '') return tree.exists(pyJoin(dir, basename)) ? [basename] : [];
  return tree.isDirectory(dir) ? [basename] : [];
}

/**
 * fnmatch.translate: `*`, `?`, `[seq]`, `[!seq]`; everything else is literal. Matched by RE2 in
 * linear time: a pattern such as `*a*a*a*a*b` would make a backtracking engine crawl.
 */
export function fnmatchRegExp(pattern: string): SafeRegex {
  const chars = Array.from(pattern);
  const n = chars.length;
  let re = '';
  let i = 0;
  while (i < n) {
    const c = chars[i++]!;
    if (c === '*') {
      if (!re.endsWith('.*')) re += '.*';
    } else if (c === '?') {
      re += '.';
    } else if (c === '[') {
      let j = i;
      if (j < n && chars[j] === '!') j++;
      if (j < n && chars[j] === ']') j++;
      while (j < n && chars[j] !== ']') j++;
      if (j >= n) {
        re += literal('[');
        continue;
      }
      let set = chars.slice(i, j);
      i = j + 1;
      const negate = set[0] === '!';
      if (negate) set = set.slice(1);
      let items = '';
      for (let k = 0; k < set.length;) {
        const a = set[k]!;
        const b = set[k + 2];
        if (set[k + 1] === '-' && b !== undefined) {
          // Python drops reversed ranges such as `z-a`.
          if (a.codePointAt(0)! <= b.codePointAt(0)!) items += `${literal(a)}-${literal(b)}`;
          k += 3;
        } else {
          items += literal(a);
          k++;
        }
      }
      // Python writes `(?!)` (never matches) for an empty set; RE2 has no lookahead.
      if (items === '') re += negate ? '.' : NOTHING;
      else re += `[${negate ? '^' : ''}${items}]`;
    } else {
      re += literal(c);
    }
  }
  const compiled = compileSafeRegex(re, { dotAll: true });
  // Every piece above is valid RE2; a failure would be a bug here, and matching nothing is the safe answer.
  return compiled.ok ? compiled.regex : (compileSafeRegex(NOTHING) as { ok: true; regex: SafeRegex }).regex;
}

const NOTHING = '[^\\x{0}-\\x{10FFFF}]';

function literal(c: string): string {
  return `\\x{${c.codePointAt(0)!.toString(16)}}`;
}
