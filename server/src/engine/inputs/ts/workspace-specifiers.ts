// Non-relative import specifiers that name workspace files: tsconfig `paths` aliases (`@/lib/http`) and workspace packages imported by name (`@acme/shared`).
import { normaliseSegments } from './path-segments.js';
import { parseJsonc } from './runtime.js';
import type { CodePackage, TextReader } from './packages.js';
import type { TsFileFacts } from './types.js';
import type { FileId } from '../../types.js';
import { dirnameOf } from '../../workspace-fs.js';
import { packageEntry, sourceFile } from './package-exports.js';

// tsconfig `extends` chains longer than this are not followed (they are short in practice; a loop must end).
const MAX_EXTENDS = 4;

interface PathAlias {
  /** The pattern before its `*` (`@/`), or the whole pattern when it has none. */
  prefix: string;
  wildcard: boolean;
  /** Target patterns, workspace-relative, with `*` where the matched part goes. */
  targets: string[];
}

/**
 * Adds to each file's facts the workspace file every non-relative import of it names (`moduleFiles`), so the
 * cross-file readers follow `@/lib/http` and `@acme/shared` like `./lib/http`. Aliases come from the
 * `compilerOptions.paths` (with `baseUrl`) of the tsconfig.json of the file's package, following `extends`;
 * a package name resolves through its `exports` map or its `source`/`types`/`module`/`main` entry (package-exports.ts),
 * else to `src/index.*` or `index.*` of its folder. Facts are replaced, not changed (they may be cached by text).
 */
export function resolveWorkspaceSpecifiers(files: Map<FileId, TsFileFacts>, packages: readonly CodePackage[], read: TextReader): void {
  const byName = new Map<string, CodePackage>();
  for (const pkg of packages) if (pkg.name) byName.set(pkg.name, pkg);
  const aliasesOf = new Map<FileId, PathAlias[]>();
  const exists = (file: FileId) => files.has(file);
  for (const pkg of packages) {
    let aliases = aliasesOf.get(pkg.dir);
    if (!aliases) aliasesOf.set(pkg.dir, (aliases = readPathAliases(pkg.dir, read)));
    for (const file of pkg.files) {
      const facts = files.get(file);
      if (!facts) continue;
      const moduleFiles: Record<string, FileId> = {};
      const moduleEvidence: Record<string, string> = {};
      const specifiers = new Set([...facts.imports.map((i) => i.module), ...facts.exports.flatMap((e) => (e.reexport ? [e.reexport.module] : []))]);
      for (const specifier of specifiers) {
        if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
        const aliased = viaAliases(specifier, aliases, exists);
        const target = aliased ? { file: aliased } : viaPackageName(specifier, byName, read, exists);
        if (!target) continue;
        moduleFiles[specifier] = target.file;
        if (target.evidence) moduleEvidence[specifier] = target.evidence;
      }
      if (Object.keys(moduleFiles).length > 0) files.set(file, { ...facts, moduleFiles, ...(Object.keys(moduleEvidence).length > 0 ? { moduleEvidence } : {}) });
    }
  }
}

/** The file a specifier names through `paths`: the first target that exists, as TypeScript tries them in order. */
function viaAliases(specifier: string, aliases: readonly PathAlias[], exists: (file: FileId) => boolean): FileId | undefined {
  // The longest matching prefix wins, as in TypeScript's pattern matching.
  const matching = aliases.filter((a) => (a.wildcard ? specifier.startsWith(a.prefix) : specifier === a.prefix)).sort((a, b) => b.prefix.length - a.prefix.length);
  for (const alias of matching) {
    const rest = alias.wildcard ? specifier.slice(alias.prefix.length) : '';
    for (const target of alias.targets) {
      const found = sourceFile(target.replace('*', rest), exists);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * `@acme/shared` → its entry; `@acme/shared/http` → the file its `exports` map names for `./http` (package-exports.ts),
 * else `http` under its folder (or its `src/`) when the manifest has no `exports`.
 */
function viaPackageName(specifier: string, byName: ReadonlyMap<string, CodePackage>, read: TextReader, exists: (file: FileId) => boolean): { file: FileId; evidence?: string } | undefined {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const pkg = byName.get(parts.slice(0, nameLength).join('/'));
  if (!pkg) return undefined;
  const at = (path: string) => (pkg.dir === '' ? path : `${pkg.dir}/${path}`);
  const sub = parts.slice(nameLength).join('/');
  const manifest = parseJsonc(pkg.manifest ? read(pkg.manifest) : undefined);
  if (manifest && typeof manifest === 'object' && !Array.isArray(manifest)) {
    const entry = packageEntry(manifest as Record<string, unknown>, sub, at, exists, pkg.manifest!);
    if (entry) return { file: entry.file, evidence: `${specifier} is ${entry.file} by ${entry.evidence}` };
    // A package with `exports` exposes only what the map names (Node refuses other subpaths); one without falls back to its folders.
    if ((manifest as { exports?: unknown }).exports !== undefined) return undefined;
  }
  const found = sub ? sourceFile(at(sub), exists) ?? sourceFile(at(`src/${sub}`), exists) : sourceFile(at('src/index'), exists) ?? sourceFile(at('index'), exists);
  return found ? { file: found } : undefined;
}

/** `compilerOptions.paths` of the package's tsconfig.json (or what it extends), workspace-relative. */
function readPathAliases(dir: FileId, read: TextReader): PathAlias[] {
  let file: FileId | undefined = dir === '' ? 'tsconfig.json' : `${dir}/tsconfig.json`;
  for (let depth = 0; file && depth < MAX_EXTENDS; depth++) {
    const config = parseJsonc(read(file)) as { extends?: unknown; compilerOptions?: { baseUrl?: unknown; paths?: unknown } } | undefined;
    if (!config) return [];
    const options = config.compilerOptions ?? {};
    const base = dirnameOf(file);
    if (options.paths && typeof options.paths === 'object') {
      // Targets are relative to baseUrl when it is set, else to the tsconfig that declares `paths`.
      const root = typeof options.baseUrl === 'string' ? join(base, options.baseUrl) : base;
      return Object.entries(options.paths as Record<string, unknown>).flatMap(([pattern, targets]) => {
        if (!Array.isArray(targets) || (pattern.match(/\*/g)?.length ?? 0) > 1) return [];
        const wildcard = pattern.includes('*');
        return [{ prefix: wildcard ? pattern.slice(0, pattern.indexOf('*')) : pattern, wildcard, targets: targets.filter((t): t is string => typeof t === 'string').map((t) => join(root, t)) }];
      });
    }
    // Only a relative `extends` is a workspace file; a package name (`@tsconfig/node20`) holds no project aliases.
    file = typeof config.extends === 'string' && config.extends.startsWith('.') ? normaliseSegments(join(base, config.extends.endsWith('.json') ? config.extends : `${config.extends}.json`)) : undefined;
  }
  return [];
}

function join(dir: FileId, path: string): string {
  return dir === '' ? path : `${dir}/${path}`;
}


/**
 * A resolver for any non-relative specifier from any file, over files that `exists` accepts (which may
 * include files the facts pass skipped): the same aliases and package names as {@link resolveWorkspaceSpecifiers}.
 */
export function workspaceSpecifierResolver(packages: readonly CodePackage[], read: TextReader, exists: (file: FileId) => boolean): (fromPackageDir: FileId, specifier: string) => FileId | undefined {
  const byName = new Map<string, CodePackage>();
  for (const pkg of packages) if (pkg.name) byName.set(pkg.name, pkg);
  const aliasesOf = new Map<FileId, PathAlias[]>();
  return (dir, specifier) => {
    let aliases = aliasesOf.get(dir);
    if (!aliases) aliasesOf.set(dir, (aliases = readPathAliases(dir, read)));
    return viaAliases(specifier, aliases, exists) ?? viaPackageName(specifier, byName, read, exists)?.file;
  };
}
