// Callees imported from workspace modules that stand for a known library or client: a module re-exporting fetch/axios, an SDK client or axios instance created in one module and used in another.
import { parseTsText } from './file.js';
import type { FileId, Span } from '../../types.js';
import { libraryOfModule } from './context.js';
import { extractTsFacts, type TsFactsOptions } from './facts.js';
import { resolveModulePath } from './resolve.js';
import { applyFetchSuppliers } from './supplied-fetch.js';
import type { ImportedCallee, ImportResolver, TsFileFacts, TsImportRef } from './types.js';

export type { ImportedCallee, ImportResolver } from './types.js';

const MAX_HOPS = 16;

/**
 * What one pass over a fixed lookup has resolved: a barrel module (`export * from …` of dozens of
 * files, themselves barrels) is asked for every name every importer takes from it, and without this
 * each question walked every star re-export again.
 */
interface ResolveMemo {
  /** Module paths by importing file and specifier. */
  paths: Map<string, FileId | undefined>;
  /** What a name exported by a file stands for, by file and name. */
  exports: Map<string, ImportedCallee | undefined>;
  /** The (file, name) questions being answered, for re-export loops. */
  active: Set<string>;
  /** Set when an answer was cut short (a loop or the hop limit): such an answer is not remembered. */
  cut: boolean;
}

const memos = new WeakMap<ReadonlyMap<FileId, TsFileFacts>, ResolveMemo>();

function memoFor(lookup: ReadonlyMap<FileId, TsFileFacts>): ResolveMemo {
  let memo = memos.get(lookup);
  if (!memo) {
    memo = { paths: new Map(), exports: new Map(), active: new Set(), cut: false };
    memos.set(lookup, memo);
  }
  return memo;
}

/**
 * Follows `ref` imported into `fromFile` through workspace modules (re-exports, `export default fetch`,
 * `export const http = axios.create(…)`) to a library export or a client; undefined for anything else,
 * a module outside the workspace, or a loop of re-exports. Answers are remembered per `lookup`, which
 * must not change once asked.
 */
export function resolveImportedCallee(lookup: ReadonlyMap<FileId, TsFileFacts>, fromFile: FileId, ref: TsImportRef, hops = 0): ImportedCallee | undefined {
  const found = resolveOnce(lookup, memoFor(lookup), fromFile, ref, hops);
  // A workspace package imported by name through its manifest's `exports` (or entry fields): the link says which file that is and why.
  const via = found ? lookup.get(fromFile)?.moduleEvidence?.[ref.module] : undefined;
  return found && via ? { ...found, evidence: { ...found.evidence, text: `${found.evidence.text} (${via})` } } : found;
}

function resolveOnce(lookup: ReadonlyMap<FileId, TsFileFacts>, memo: ResolveMemo, fromFile: FileId, ref: TsImportRef, hops: number): ImportedCallee | undefined {
  if (hops > MAX_HOPS) {
    memo.cut = true;
    return undefined;
  }
  const pathKey = `${fromFile}\u0000${ref.module}`;
  let file: FileId | undefined;
  if (memo.paths.has(pathKey)) file = memo.paths.get(pathKey);
  else {
    file = resolveModulePath(fromFile, ref.module, (f) => lookup.has(f), lookup.get(fromFile)?.moduleFiles);
    memo.paths.set(pathKey, file);
  }
  const facts = file ? lookup.get(file) : undefined;
  if (!file || !facts) return undefined;
  const key = `${file}\u0000${ref.name}`;
  if (memo.exports.has(key)) return memo.exports.get(key);
  if (memo.active.has(key)) {
    memo.cut = true;
    return undefined;
  }
  memo.active.add(key);
  const cutBefore = memo.cut;
  memo.cut = false;
  let found: ImportedCallee | undefined;
  try {
    found = exportedCallee(lookup, file, facts, ref, hops);
  } finally {
    memo.active.delete(key);
  }
  // An answer reached on a path cut short by a loop or the hop limit depends on where the question
  // started (nothing here may be something from elsewhere, and the first of two findings may differ).
  if (!memo.cut) memo.exports.set(key, found);
  memo.cut = cutBefore || memo.cut;
  return found;
}

/** What the export `ref.name` of `file` stands for. */
function exportedCallee(lookup: ReadonlyMap<FileId, TsFileFacts>, file: FileId, facts: TsFileFacts, ref: TsImportRef, hops: number): ImportedCallee | undefined {
  const entry = facts.exports.find((e) => e.name === ref.name && !(e.reexport && e.name === '*'));
  const stars = entry ? [] : facts.exports.filter((e) => e.name === '*' && e.reexport);
  for (const candidate of entry ? [entry] : stars) {
    const target = candidate.reexport ? { module: candidate.reexport.module, name: candidate.name === '*' ? ref.name : candidate.reexport.name } : undefined;
    if (target) {
      const library = libraryOfModule(target.module);
      if (library && library !== 'framework') return { kind: 'library', module: target.module, name: target.name, evidence: { text: `${target.name === 'default' ? target.module : target.name} re-exported by ${file}`, span: candidate.span } };
      const found = resolveImportedCallee(lookup, file, target, hops + 1);
      if (found) return found;
      continue;
    }
    if (candidate.functionId !== undefined) {
      const calls = facts.calls.filter((c) => c.functionId === candidate.functionId && c.initFrom);
      const name = facts.functions[candidate.functionId]?.name ?? ref.name;
      const fn = facts.functions[candidate.functionId];
      // Nothing else happens in it: the calls read at the call site stand for the whole helper.
      const onlyThese = !!fn && fn.callIndices.every((i) => facts.calls[i]?.initFrom) && fn.calleeIds.length === 0 && fn.importedCalls.length === 0 && !fn.streamEvidence;
      if (calls.length > 0) return { kind: 'helper', name, calls, evidence: { text: `fetch helper ${name} in ${file}`, span: candidate.span }, onlyThese };
    }
    if (candidate.clientIndex !== undefined) {
      const client = facts.clients[candidate.clientIndex];
      if (client) return { kind: 'client', client, evidence: { text: `${client.constructorName} client ${client.variable ? `${client.variable} ` : ''}created in ${file}`, span: client.span } };
    }
    const value = candidate.value;
    if (value?.kind === 'import' && !value.path?.length) {
      const library = libraryOfModule(value.module);
      if (library && library !== 'framework') return { kind: 'library', module: value.module, name: value.name, evidence: { text: `${value.name === 'default' ? value.module : value.name} re-exported by ${file}`, span: candidate.span } };
      return resolveImportedCallee(lookup, file, value, hops + 1);
    }
  }
  return undefined;
}

/**
 * Reads again, with cross-file callees, every file that imports a re-exported library or a client from
 * another workspace module. Facts read this way depend on other files, so they are never cached by text.
 */
export function relinkImportedCallees(files: Map<FileId, TsFileFacts>, textOf: (file: FileId) => string | undefined, options: TsFactsOptions = {}): void {
  const snapshot = new Map(files);
  for (const [file, facts] of snapshot) {
    const inWorkspace = (module: string) => module.startsWith('.') || (facts.moduleFiles !== undefined && Object.hasOwn(facts.moduleFiles, module));
    const relative = facts.imports.filter((i) => inWorkspace(i.module) && !libraryOfModule(i.module));
    if (!relative.some((i) => resolveImportedCallee(snapshot, file, { module: i.module, name: i.imported }))) continue;
    const text = textOf(file);
    if (text === undefined) continue;
    const memo = new Map<string, ImportedCallee | undefined>();
    const resolver: ImportResolver = (ref) => {
      if (!inWorkspace(ref.module)) return undefined;
      const key = `${ref.module}\u0000${ref.name}`;
      if (!memo.has(key)) memo.set(key, resolveImportedCallee(snapshot, file, ref));
      return memo.get(key);
    };
    const relinked = extractTsFacts(parseTsText(file, text), { ...options, importResolver: resolver });
    if (facts.moduleFiles) relinked.moduleFiles = facts.moduleFiles;
    if (facts.moduleEvidence) relinked.moduleEvidence = facts.moduleEvidence;
    files.set(file, relinked);
  }
  // A fetch function callers supply takes the timeout of the project wrapper they pass (supplied-fetch.ts).
  applyFetchSuppliers(files);
}
