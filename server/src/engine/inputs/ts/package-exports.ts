// The file a workspace package's manifest names for an import of it by name: the `exports` map (subpaths, patterns, conditions) or `source`/`types`/`module`/`main`, with build outputs traced back to their sources.
import { normaliseSegments } from './path-segments.js';
import type { FileId } from '../../types.js';

/** A manifest entry resolved to a workspace file, and how. */
export interface PackageEntry {
  file: FileId;
  /** How the manifest named it, for the link's evidence: `exports["./client"].import dist/client.js → src/client.ts`. */
  evidence: string;
}

// Conditions a server-side import may take, in no order of their own: the map's order decides, as in Node.
const CONDITIONS = new Set(['source', 'development', 'node', 'import', 'require', 'module', 'default', 'types', 'typescript']);
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
// Folders compilers write their output to: `dist/x.js` is compiled from `src/x.ts` in nearly every package.
const BUILD_DIRS = /^(?:dist|build|lib|out|esm|cjs)(?:\/(?:esm|cjs|src))?\//;
const MAX_NESTING = 6;

/**
 * The workspace file `sub` (`''` for the package itself, `client` for `@acme/llm/client`) names through the
 * manifest: its `exports` map when it has one (Node: a package with `exports` exposes nothing else), else its
 * `source`/`types`/`module`/`main` entry. A target under a build folder that is not in the workspace is traced to
 * the same path under `src/`, and the evidence says so. Undefined when nothing names an existing file.
 */
export function packageEntry(manifest: Record<string, unknown>, sub: string, at: (path: string) => string, exists: (file: FileId) => boolean, manifestFile: FileId): PackageEntry | undefined {
  const exported = manifest.exports;
  if (exported !== undefined && exported !== null) {
    const found = exportsTarget(exported, sub === '' ? '.' : `./${sub}`);
    if (!found) return undefined;
    for (const { target, how } of found) {
      const file = existing(at(target.replace(/^\.\//, '')), exists);
      if (file) return { file: file.file, evidence: `${how} of ${manifestFile}${file.traced ? ` names ${target}, a build output: read from its source ${file.file}` : ''}` };
    }
    return undefined;
  }
  if (sub !== '') return undefined;
  for (const key of ['source', 'types', 'module', 'main'] as const) {
    const entry = manifest[key];
    if (typeof entry !== 'string') continue;
    const file = existing(at(entry.replace(/^\.\//, '')), exists);
    if (file) return { file: file.file, evidence: `"${key}" of ${manifestFile}${file.traced ? ` names ${entry}, a build output: read from its source ${file.file}` : ''}` };
  }
  return undefined;
}

/** The targets the exports map gives for a subpath (`.` or `./client`), in the order to try them, each with how it was picked. */
function exportsTarget(exported: unknown, subpath: string): Array<{ target: string; how: string }> | undefined {
  // `"exports": "./dist/index.js"` or a conditions object without subpaths stands for `.` alone.
  const isSubpathMap = typeof exported === 'object' && exported !== null && !Array.isArray(exported) && Object.keys(exported).some((k) => k.startsWith('.'));
  if (!isSubpathMap) return subpath === '.' ? conditionTargets(exported, 'exports', '', 0) : undefined;
  const map = exported as Record<string, unknown>;
  if (Object.hasOwn(map, subpath)) return conditionTargets(map[subpath], `exports["${subpath}"]`, '', 0);
  // Pattern keys with one `*`: the longest prefix wins (Node's PATTERN_KEY_COMPARE); the match replaces every `*` of the target.
  const patterns = Object.keys(map).filter((k) => k.split('*').length === 2).map((k) => ({ key: k, prefix: k.slice(0, k.indexOf('*')), suffix: k.slice(k.indexOf('*') + 1) }));
  const matching = patterns.filter((p) => subpath.startsWith(p.prefix) && subpath.endsWith(p.suffix) && subpath.length >= p.prefix.length + p.suffix.length).sort((a, b) => b.prefix.length - a.prefix.length);
  const best = matching[0];
  if (!best) return undefined;
  const match = subpath.slice(best.prefix.length, subpath.length - best.suffix.length);
  return conditionTargets(map[best.key], `exports["${best.key}"]`, match, 0);
}

/** A target: a string, an array (the first that works), a conditions object (its order), or null (excluded). */
function conditionTargets(value: unknown, how: string, match: string, depth: number): Array<{ target: string; how: string }> | undefined {
  if (depth > MAX_NESTING) return undefined;
  if (typeof value === 'string') return value.startsWith('./') ? [{ target: value.replaceAll('*', match), how }] : undefined;
  if (Array.isArray(value)) return value.flatMap((v) => conditionTargets(v, how, match, depth + 1) ?? []);
  if (typeof value !== 'object' || value === null) return undefined;
  const out: Array<{ target: string; how: string }> = [];
  for (const [condition, inner] of Object.entries(value)) {
    if (!CONDITIONS.has(condition)) continue;
    out.push(...(conditionTargets(inner, `${how}.${condition}`, match, depth + 1) ?? []));
  }
  return out;
}

/** The workspace file a manifest path names: itself (with a source extension), else its source under `src/` when it is a build output. */
function existing(path: string, exists: (file: FileId) => boolean): { file: FileId; traced: boolean } | undefined {
  const clean = normaliseSegments(path);
  if (clean === undefined) return undefined;
  const direct = sourceFile(clean.replace(/\.d\.[cm]?ts$/, ''), exists);
  if (direct) return { file: direct, traced: false };
  // `packages/llm/dist/client.js` → `packages/llm/src/client.ts`: the build folder is the first segment after the package folder.
  const parts = clean.split('/');
  for (let i = 0; i < parts.length; i++) {
    const rest = parts.slice(i).join('/');
    const build = BUILD_DIRS.exec(rest);
    if (!build) continue;
    const source = [...parts.slice(0, i), 'src', rest.slice(build[0].length)].join('/').replace(/\.d\.[cm]?ts$/, '');
    const found = sourceFile(source, exists);
    if (found) return { file: found, traced: true };
  }
  return undefined;
}

/** The workspace source file a path names: itself, with a source extension, or its `index`. */
export function sourceFile(path: string, exists: (file: FileId) => boolean): FileId | undefined {
  const clean = normaliseSegments(path);
  if (clean === undefined) return undefined;
  const stem = clean.replace(/\.(?:[cm]?js|jsx)$/, '');
  return [clean, ...EXTENSIONS.map((e) => stem + e), ...EXTENSIONS.map((e) => `${clean}/index${e}`)].find((c) => c !== '' && exists(c));
}

