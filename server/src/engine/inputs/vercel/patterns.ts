// Whether a `functions` glob of a vercel.json matches any file below the file's folder. Vercel stops a
// deployment on a pattern that matches no function ("doesn't match any Serverless Functions"), and a
// vercel.json outside the project's root directory is not read at all: either way its settings do not
// apply. The walk starts at the pattern's static prefix (`app/api` of `app/api/**/*`) and is bounded;
// past the bound the answer is unknown, never "no match".
import picomatch from 'picomatch';
import type { FileId } from '../../types.js';

export type PatternMatch = { kind: 'matched'; file: FileId } | { kind: 'unmatched'; missingFolder?: FileId } | { kind: 'unknown'; reason: string };

export interface FolderReader {
  list(dir: FileId): string[] | undefined;
  isDirectory(file: FileId): boolean;
}

/** Folders never holding function sources (dependencies, build output, VCS data). */
const SKIPPED = new Set(['node_modules', '.git', '.next', '.vercel', '.turbo', 'dist', 'build', 'out', 'coverage']);
/** At most this many folder entries are looked at per pattern. */
const MAX_ENTRIES = 20_000;

export function matchFunctionPattern(dir: FileId, pattern: string, reader: FolderReader): PatternMatch {
  let matcher: picomatch.Matcher;
  try {
    matcher = picomatch(pattern.replace(/^\.?\//, ''), { dot: false });
  } catch (error) {
    return { kind: 'unknown', reason: `the pattern cannot be read (${error instanceof Error ? error.message : String(error)})` };
  }
  const prefix = staticPrefix(pattern);
  const join = (a: FileId, b: string) => (a === '' ? b : `${a}/${b}`);
  const start = prefix === '' ? dir : join(dir, prefix);
  if (prefix !== '' && !reader.isDirectory(start)) return { kind: 'unmatched', missingFolder: start };
  let seen = 0;
  const stack = [start];
  while (stack.length > 0) {
    const folder = stack.pop()!;
    const names = reader.list(folder);
    if (!names) continue;
    for (const name of names) {
      if (++seen > MAX_ENTRIES) return { kind: 'unknown', reason: `more than ${MAX_ENTRIES} entries below ${start || 'the workspace root'}` };
      if (SKIPPED.has(name)) continue;
      const file = join(folder, name);
      if (reader.isDirectory(file)) stack.push(file);
      else if (matcher(dir === '' ? file : file.slice(dir.length + 1))) return { kind: 'matched', file };
    }
  }
  return { kind: 'unmatched' };
}

/** The folders before the first segment with a glob character (`app/api` of `app/api/**\/*`). */
function staticPrefix(pattern: string): string {
  const segments = pattern.replace(/^\.?\//, '').split('/');
  const fixed: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (/[*?[\]{}()!+@]/.test(segment)) break;
    fixed.push(segment);
  }
  return fixed.join('/');
}

