// Cross-file resolution over per-file TypeScript facts: relative module specifiers, imported constants, and imported functions.
import type { FileId } from '../../types.js';
import type { TsExport, TsFileFacts, TsFunction, TsImportRef, TsValue } from './types.js';
import { findProperty } from './values.js';

/**
 * Facts by file: a map, or a function (which may parse a file on demand, e.g. one the pre-scan
 * skipped because it only passes values or calls through).
 */
export type TsFactsLookup = ReadonlyMap<FileId, TsFileFacts> | ((file: FileId) => TsFileFacts | undefined);

export interface TsResolveOptions {
  /** Whether a workspace file exists; defaults to "has facts in the lookup". */
  exists?: (file: FileId) => boolean;
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const MAX_HOPS = 16;

/**
 * Resolves a relative specifier (`./config`, `../lib/llm.js`) from `fromFile` to a workspace file:
 * the exact path, then each source extension, then `index.*`; a `.js` specifier also tries `.ts`
 * (TypeScript's ESM convention). A bare specifier gives the file `moduleFiles` maps it to (tsconfig `paths`, a
 * workspace package by name), else undefined; so do paths outside the workspace.
 */
export function resolveModulePath(fromFile: FileId, specifier: string, exists: (file: FileId) => boolean, moduleFiles?: Readonly<Record<string, FileId>>): FileId | undefined {
  // An alias or a workspace package by name, resolved for this file beforehand (workspace-specifiers.ts).
  const mapped = moduleFiles && Object.hasOwn(moduleFiles, specifier) ? moduleFiles[specifier] : undefined;
  if (mapped !== undefined) return exists(mapped) ? mapped : undefined;
  if (!specifier.startsWith('./') && !specifier.startsWith('../') && specifier !== '.' && specifier !== '..') return undefined;
  const base = normalise([...fromFile.split('/').slice(0, -1), ...specifier.split('/')]);
  if (base === undefined) return undefined;
  const stem = base.replace(/\.(?:[cm]?js|jsx)$/, '');
  const candidates = [base, ...EXTENSIONS.map((e) => stem + e), ...EXTENSIONS.map((e) => `${base}/index${e}`)];
  return candidates.find((candidate) => candidate !== '' && exists(candidate));
}

/** The value of `ref` imported into `fromFile`, following re-exports and imported constants; `unknown` when it cannot be found. */
export function resolveImportedValue(lookup: TsFactsLookup, fromFile: FileId, ref: TsImportRef, options: TsResolveOptions = {}): TsValue {
  const found = resolveExport(lookup, fromFile, ref, options, 0);
  const fallback: TsValue = { kind: 'unknown', span: { file: fromFile, start: 0, end: 0 }, reason: 'unresolved-import' };
  if (!found?.entry.value) return fallback;
  return resolveValue(lookup, found.file, found.entry.value, ref.path ?? [], options, 0) ?? fallback;
}

/** The function `ref` names (`import { ask } from '../../model/llm'`), with the file that defines it. */
export function resolveImportedFunction(lookup: TsFactsLookup, fromFile: FileId, ref: TsImportRef, options: TsResolveOptions = {}): { file: FileId; fn: TsFunction; facts: TsFileFacts } | undefined {
  const found = resolveExport(lookup, fromFile, { module: ref.module, name: ref.name }, options, 0);
  if (!found) return undefined;
  if (found.entry.functionId === undefined) {
    // A method of an exported class (`new OpenRouterClient().complete()`): the function of that name declared inside the class.
    const method = ref.path?.length === 1 ? found.facts.functions.find((f) => f.name === ref.path![0] && f.span.start >= found.entry.span.start && f.span.end <= found.entry.span.end) : undefined;
    return method ? { file: found.file, fn: method, facts: found.facts } : undefined;
  }
  const fn = found.facts.functions[found.entry.functionId];
  return fn ? { file: found.file, fn, facts: found.facts } : undefined;
}

/** The file and export name `ref` finally names after re-exports (`import { users } from '../../model/routes'` → `routes/users.ts#default`). */
export function resolveExportTarget(lookup: TsFactsLookup, fromFile: FileId, ref: TsImportRef, options: TsResolveOptions = {}): { file: FileId; name: string } | undefined {
  const found = resolveExport(lookup, fromFile, { module: ref.module, name: ref.name }, options, 0);
  return found ? { file: found.file, name: found.entry.name } : undefined;
}

interface FoundExport {
  file: FileId;
  facts: TsFileFacts;
  entry: TsExport;
}

/**
 * The export `ref` names, after re-exports. `seen` holds the (file, name) pairs this question has
 * already looked in, with the hops spent to get there: barrels that `export *` from barrels reach the same module along many paths,
 * and a name none of them exports was otherwise looked for along every one of them.
 */
function resolveExport(lookup: TsFactsLookup, fromFile: FileId, ref: TsImportRef, options: TsResolveOptions, hops: number, seen?: Map<string, number>): FoundExport | undefined {
  if (hops > MAX_HOPS) return undefined;
  const get = typeof lookup === 'function' ? lookup : (file: FileId) => lookup.get(file);
  const exists = options.exists ?? (typeof lookup === 'function' ? (file: FileId) => lookup(file) !== undefined : (file: FileId) => lookup.has(file));
  const file = resolveModulePath(fromFile, ref.module, exists, get(fromFile)?.moduleFiles);
  const facts = file ? get(file) : undefined;
  if (!file || !facts) return undefined;
  const direct = facts.exports.find((e) => e.name === ref.name && !(e.reexport && e.name === '*'));
  if (direct && !direct.reexport) return { file, facts, entry: direct };
  // Going on through re-exports: made on the first one, so a name exported where it is asked for costs no map.
  const key = `${file}\u0000${ref.name}`;
  // Looked in already with as many hops left or more: nothing new to find there.
  if ((seen?.get(key) ?? Infinity) <= hops) return undefined;
  (seen ??= new Map()).set(key, hops);
  if (direct?.reexport) return resolveExport(lookup, file, direct.reexport, options, hops + 1, seen);
  for (const star of facts.exports) {
    if (star.name !== '*' || !star.reexport) continue;
    const found = resolveExport(lookup, file, { module: star.reexport.module, name: ref.name }, options, hops + 1, seen);
    if (found) return found;
  }
  return undefined;
}

/** Follows a value that is itself an import, an env default or a property path. */
function resolveValue(lookup: TsFactsLookup, file: FileId, value: TsValue, path: string[], options: TsResolveOptions, hops: number): TsValue | undefined {
  if (hops > MAX_HOPS) return undefined;
  if (value.kind === 'import') {
    const found = resolveExport(lookup, file, value, options, 0);
    if (!found?.entry.value) return undefined;
    return resolveValue(lookup, found.file, found.entry.value, [...(value.path ?? []), ...path], options, hops + 1);
  }
  if (path.length === 0) {
    if (value.kind === 'env' && value.default?.kind === 'import') {
      const resolved = resolveValue(lookup, file, value.default, [], options, hops + 1);
      return resolved ? { ...value, default: resolved } : value;
    }
    return value;
  }
  const property = findProperty(value, path[0]!);
  return property ? resolveValue(lookup, file, property.value, path.slice(1), options, hops + 1) : undefined;
}

function normalise(parts: string[]): string | undefined {
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}
