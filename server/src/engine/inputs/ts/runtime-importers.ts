// Browser or server for a file whose own evidence leaves it unknown, from the code that imports it: a module imported only from browser code runs in the browser, only from server code on the server, from both or from code of unknown side: unknown.
import type { FileId } from '../../types.js';
import { resolveModulePath } from './resolve.js';
import { CLIENT_HOOKS, decideRuntime, isNodeOnly, isTestFile, SERVER_DEPS, type PackageLike, type RuntimeDecision, type TsFileRuntime } from './runtime.js';

/** What the importer walk reads of the workspace. */
export interface ImporterWorkspace {
  /** The packages of the model; `runtimeByImporters` is set on those that hold a decided file. */
  packages: Array<PackageLike & { runtimeByImporters?: ReadonlyMap<FileId, RuntimeDecision> }>;
  /** Files that need a decision (their calls are reported or chained); only those whose own evidence is unknown are walked. */
  targets: Iterable<FileId>;
  /** Every source file of the workspace, parsed or skipped by the pre-scan (`.svelte` and `.vue` components included). */
  sources: readonly FileId[];
  /** The runtime facts of a file the facts pass parsed; undefined for a skipped file (its text is read instead). */
  parsed: (file: FileId) => { runtime?: TsFileRuntime } | undefined;
  text: (file: FileId) => string | undefined;
  /** Non-relative specifiers (tsconfig `paths`, workspace package names) from a file of package `dir`. */
  resolveBare: (dir: FileId, specifier: string) => FileId | undefined;
}

/** How many importers one decision may visit: a file imported through a long chain stays unknown beyond it. */
const MAX_VISITS = 5_000;
/** Specifiers of static imports, re-exports, dynamic imports and requires; `import type` and `export type` carry no code. */
const SPECIFIER = /\b(import|export)\s+(type\s+)?(?:([\w$*{}\s,]*?)\s*from\s*)?['"]([^'"\n]+)['"]|\b(?:import|require)\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g;
/** `{ type A, type B }`: every name is a type, so TypeScript drops the import from the output. */
const TYPES_ONLY = /^\{\s*type\s+[\w$]+(?:\s+as\s+[\w$]+)?(?:\s*,\s*type\s+[\w$]+(?:\s+as\s+[\w$]+)?)*\s*,?\s*\}$/;

/** The specifier of a match, or undefined for an import that carries no code. */
function codeSpecifier(match: RegExpExecArray): string | undefined {
  if (match[2] || (match[3] && TYPES_ONLY.test(match[3].trim()))) return undefined;
  return match[4] ?? match[5];
}
const COMPONENT = /\.(svelte|vue|astro)$/;

/**
 * Sets `runtimeByImporters` on the packages. Walks up from each unknown target through the files that
 * import it (test files left out) to the nearest files with a decision of their own: every one browser
 * gives browser, every one server gives server, both give unknown naming one of each. A file with no
 * importer, a component of a framework that renders on both sides (`.svelte`, `.vue`) or a file of
 * unknown side on the way keeps the target unknown, with its own evidence.
 */
export function decideByImporters(workspace: ImporterWorkspace): void {
  const byFile = new Map<FileId, PackageLike>();
  const dirs = [...workspace.packages].sort((a, b) => b.dir.length - a.dir.length);
  const packageOf = (file: FileId) => byFile.get(file) ?? dirs.find((p) => p.dir === '' || file.startsWith(`${p.dir}/`));
  for (const pkg of workspace.packages) for (const file of pkg.files) byFile.set(file, pkg);
  const own = new Map<FileId, RuntimeDecision>();
  const ownOf = (file: FileId): RuntimeDecision => {
    let decision = own.get(file);
    if (!decision) {
      if (COMPONENT.test(file)) decision = { runtime: 'unknown', evidence: `${file} is a component its framework may render on the server and in the browser` };
      else {
        const pkg = packageOf(file);
        const facts = workspace.parsed(file)?.runtime ?? textRuntime(workspace.text(file) ?? '');
        decision = decideRuntime({ file, facts, pkg: pkg ? { dir: pkg.dir, runtime: pkg.runtime } : undefined });
      }
      own.set(file, decision);
    }
    return decision;
  };
  // Only a package whose framework or bundler blurs the answer (Next.js, SvelteKit, a bundler beside a server
  // framework) is worth reading every importer for; a package that says nothing at all stays unknown, unread.
  const pending = [...workspace.targets].filter((file) => packageOf(file)?.runtime !== undefined && !isConflict(ownOf(file)) && ownOf(file).runtime === 'unknown');
  if (pending.length === 0) return;

  const sources = new Set(workspace.sources);
  const exists = (file: FileId) => sources.has(file);
  const importers = new Map<FileId, FileId[]>();
  for (const file of workspace.sources) {
    if (isTestFile(file)) continue;
    const text = workspace.text(file);
    if (text === undefined) continue;
    const dir = packageOf(file)?.dir ?? '';
    for (const specifier of importSpecifiers(text)) {
      const target = resolveModulePath(file, specifier, exists) ?? (specifier.startsWith('.') ? undefined : svelteKitLib(dir, specifier, exists) ?? workspace.resolveBare(dir, specifier));
      if (target === undefined || target === file) continue;
      const list = importers.get(target);
      if (!list) importers.set(target, [file]);
      else if (list[list.length - 1] !== file) list.push(file);
    }
  }

  const decided = new Map<PackageLike, Map<FileId, RuntimeDecision>>();
  for (const target of pending) {
    const decision = walkImporters(target, importers, ownOf);
    const pkg = packageOf(target);
    if (!decision || !pkg) continue;
    let map = decided.get(pkg);
    if (!map) decided.set(pkg, (map = new Map()));
    map.set(target, decision);
  }
  for (const [pkg, map] of decided) (pkg as { runtimeByImporters?: ReadonlyMap<FileId, RuntimeDecision> }).runtimeByImporters = map;
}

/** SvelteKit's `$lib` alias (declared in the generated `.svelte-kit/tsconfig.json`, not in the project's): `src/lib` of the package. */
function svelteKitLib(dir: FileId, specifier: string, exists: (file: FileId) => boolean): FileId | undefined {
  if (specifier !== '$lib' && !specifier.startsWith('$lib/')) return undefined;
  const lib = dir === '' ? 'src/lib' : `${dir}/src/lib`;
  return resolveModulePath(`${lib}/_`, `./${specifier.slice(5) || 'index'}`, exists);
}

function isConflict(decision: RuntimeDecision): boolean {
  return decision.evidence.startsWith('conflicting');
}

/** The decision the importers of `target` give, or undefined when one of them (or the lack of any) leaves it unknown. */
function walkImporters(target: FileId, importers: ReadonlyMap<FileId, readonly FileId[]>, ownOf: (file: FileId) => RuntimeDecision): RuntimeDecision | undefined {
  // Breadth first, so the importer named is the nearest one; `via` remembers the path back to the target.
  const via = new Map<FileId, FileId>();
  const queue: FileId[] = [target];
  const roots: { browser?: FileId; server?: FileId } = {};
  let visits = 0;
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i]!;
    const above = importers.get(file) ?? [];
    if (above.length === 0) return undefined;
    for (const importer of above) {
      if (via.has(importer) || importer === target) continue;
      if (++visits > MAX_VISITS) return undefined;
      via.set(importer, file);
      const decision = ownOf(importer);
      if (decision.runtime === 'browser') roots.browser ??= importer;
      else if (decision.runtime === 'server') roots.server ??= importer;
      else if (isConflict(decision) || COMPONENT.test(importer)) return undefined;
      else queue.push(importer);
    }
  }
  const words = (root: FileId) => {
    const path: FileId[] = [];
    for (let at = via.get(root); at !== undefined && at !== target; at = via.get(at)) path.push(at);
    const through = path.length > 0 ? `${path.reverse().join(', imported by ')}, imported by ` : '';
    return `${through}${root} (${ownOf(root).evidence})`;
  };
  if (roots.browser && roots.server) return { runtime: 'unknown', evidence: `imported by browser code (${words(roots.browser)}) and by server code (${words(roots.server)})` };
  if (roots.browser) return { runtime: 'browser', evidence: `only browser code imports it: ${words(roots.browser)}` };
  if (roots.server) return { runtime: 'server', evidence: `only server code imports it: ${words(roots.server)}` };
  return undefined;
}

/** Module specifiers a source imports with code (static, dynamic, re-exports, `require`); type-only imports left out. */
export function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  SPECIFIER.lastIndex = 0;
  for (let match = SPECIFIER.exec(text); match; match = SPECIFIER.exec(text)) {
    const specifier = codeSpecifier(match);
    if (specifier) out.push(specifier);
  }
  return out;
}

const DIRECTIVE = /^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*(['"])use (client|server)\1/;
const REACT_NAMED = /\bimport\s+(?:[\w$]+\s*,\s*)?\{([^}]*)\}\s*from\s*['"]react['"]/;
const REACT_MEMBER = /\bReact\.(useState|useEffect|useLayoutEffect|useReducer)\s*[<(]/;

/**
 * The runtime evidence of a file the facts pass skipped, read from its text (no parse): the directive,
 * the `server-only`/`client-only` markers, Node-only and server-framework imports, React state hooks.
 * Browser globals need the syntax tree and are not read here.
 */
export function textRuntime(text: string): TsFileRuntime | undefined {
  const out: TsFileRuntime = {};
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  const directive = DIRECTIVE.exec(text);
  if (directive) out.directive = { value: `use ${directive[2]}` as 'use client' | 'use server', line: lineOf(directive[0].length) };
  SPECIFIER.lastIndex = 0;
  for (let match = SPECIFIER.exec(text); match; match = SPECIFIER.exec(text)) {
    const module = codeSpecifier(match);
    if (!module) continue;
    const line = () => lineOf(match!.index);
    if ((module === 'server-only' || module === 'client-only') && !out.marker) out.marker = { module, line: line() };
    if (!out.nodeImport && isNodeOnly(module)) out.nodeImport = { module, line: line() };
    if (!out.serverImport && SERVER_DEPS.includes(module)) out.serverImport = { module, line: line() };
  }
  const named = REACT_NAMED.exec(text);
  const hook = named?.[1]!.split(',').map((s) => s.trim()).find((s) => CLIENT_HOOKS.has(s));
  if (hook) out.clientHook = { name: hook, line: lineOf(named!.index) };
  else {
    const member = REACT_MEMBER.exec(text);
    if (member) out.clientHook = { name: member[1]!, line: lineOf(member.index) };
  }
  return out.directive || out.nodeImport || out.serverImport || out.marker || out.clientHook ? out : undefined;
}
