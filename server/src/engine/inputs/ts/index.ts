// The TypeScript/JavaScript input: sources read lazily (a text pre-scan skips files that cannot hold facts), per-file facts, and the packages they belong to.
import { resolveInjectedCalls } from './injections.js';
import { applyAppFactories } from './app-factories.js';
import { extractTsFacts } from './facts.js';
import { relinkImportedCallees } from './imports.js';
import { resolveModulePath } from './resolve.js';
import { applyPackageAxiosDefaults } from './axios-defaults.js';
import { applyNestHttpModules } from './nest-http.js';
import { resolveWorkspaceSpecifiers, workspaceSpecifierResolver } from './workspace-specifiers.js';
import { decideByImporters } from './runtime-importers.js';
import { readCodePackages, type CodePackage } from './packages.js';
import { isTsSource, shouldParseTs } from './select.js';
import { parseTsText } from './file.js';
import type { TsFileFacts } from './types.js';
import { tsLinker } from './chain.js';
import { tsDatabaseSettings } from './db/server-settings.js';
import { defineInput, type ReadContext } from '../input.js';
import { rethrowStop } from '../../run-deadline.js';
import { decodeText, keepDecodedText, keptDecodedText } from '../../text.js';
import type { FileId } from '../../types.js';
import type { FileStat } from '../../workspace-fs.js';

export type { TsWorkspace } from './packages.js';
import type { TsWorkspace } from './packages.js';
import { attachFrameworkServers } from './framework-servers/attach.js';

declare module '../../workspace-model.js' {
  interface InputModels {
    ts: TsWorkspace;
  }
}

export const tsInput = defineInput({
  id: 'ts',
  language: 'typescript',
  claim: (file) => (isTsSource(file) ? 'name' : undefined),
  precompute: { wants: shouldParseTs, compute: (file, text) => extractTsFacts(parseTsText(file, text)) },
  reader(context) {
    const files = new Map<FileId, TsFileFacts>();
    /** Sources the pre-scan skipped that import workspace modules, with those specifiers. */
    const skipped = new Map<FileId, readonly string[]>();
    return {
      take(file) {
        // Source files are read only when an enabled rule looks at them: most repositories hold far more code than configs.
        if (context.wanted) readTs(file, files, skipped, context);
      },
      build() {
        // Every package asks for the same root manifest and pins: each small file is decoded once.
        const smallTexts = new Map<FileId, string | undefined>();
        const readSmall = (file: FileId): string | undefined => {
          if (!smallTexts.has(file)) smallTexts.set(file, readSmallText(file, context));
          return smallTexts.get(file);
        };
        // A skipped file that calls what another module exports (an axios instance, a fetch wrapper) names no library itself.
        readImportersOfCallables(files, skipped, context);
        const packages = readPackages(files.keys(), readSmall, context);
        // A full-stack package with no server of its own runs its framework's: how it starts (package.json, Dockerfile, framework config) gives its keep-alive.
        attachFrameworkServers(packages, readSmall, context);
        // `@/lib/http` (tsconfig paths) and `@acme/shared` (a workspace package) name workspace files too.
        resolveWorkspaceSpecifiers(files, packages, readSmall);
        // `this.useCase.execute()` on a member typed by an interface: the class a provider binds, or the one that implements it.
        resolveInjectedCalls(files, (file) => files.has(file) || context.fs.stat(file)?.isFile === true);
        // Calls through a library or client another module exports need the other module's facts: read those files again.
        relinkImportedCallees(files, (file) => context.sourceText(file));
        // `app.listen` on what `createApp()` of another module returns: a server when that function returns an app.
        applyAppFactories(files, packages, (file) => files.has(file) || context.fs.stat(file)?.isFile === true);
        // NestJS's HttpService calls use the axios instance the package's HttpModule provides (before the defaults: a registered instance has its own).
        applyNestHttpModules(files, packages);
        // `axios.defaults` set in one module applies to the axios calls of the package's other modules.
        applyPackageAxiosDefaults(files, packages);
        // A module of a Next.js or SvelteKit app runs where the code that imports it runs.
        decideRuntimeByImporters(files, packages, readSmall, context);
        for (const facts of files.values()) context.reportProblems(facts.problems);
        return { files, packages };
      },
    };
  },
  empty: () => ({ files: new Map(), packages: [] }),
  present: (model) => model.files.size > 0,
  databaseSettings: (model) => tsDatabaseSettings(model.files),
  linker: tsLinker,
});

/** Size and modification time, when the file system knows both (an editor buffer has no modification time). */
function stampOf(stat: FileStat | undefined): string | undefined {
  return stat?.isFile && stat.mtimeMs !== undefined ? `${stat.size}:${stat.mtimeMs}` : undefined;
}

/** Reads a TypeScript/JavaScript file; the text pre-scan skips the many files that call no HTTP API. */
function readTs(file: FileId, out: Map<FileId, TsFileFacts>, skipped: Map<FileId, readonly string[]>, context: ReadContext): void {
  // Most sources are skipped by the pre-scan. A long-lived front end remembers which (by size and
  // modification time) and lets its file cache drop their bytes: neither read nor kept again.
  const cache = context.cache;
  const stamp = cache ? stampOf(context.stat(file)) : undefined;
  const skippedBefore = stamp !== undefined ? cache!.skippedImports(file, stamp) : undefined;
  if (skippedBefore) {
    if (skippedBefore.length > 0) skipped.set(file, skippedBefore);
    return;
  }
  const bytes = context.fs.readFile(file);
  if (!bytes) return;
  // Only sources the pre-scan kept have their text kept: a kept text means these bytes passed before.
  let decoded = keptDecodedText(bytes);
  if (!decoded) {
    const fresh = decodeText(bytes);
    if (!shouldParseTs(file, fresh.text)) {
      const imports = relativeImports(fresh.text);
      if (imports.length > 0) skipped.set(file, imports);
      if (stamp !== undefined) {
        cache!.markSkipped(file, stamp, imports);
        context.release(file);
      }
      return;
    }
    decoded = keepDecodedText(bytes, fresh);
  }
  parseTsSource(file, decoded, out, context);
}

function parseTsSource(file: FileId, decoded: ReturnType<typeof decodeText>, out: Map<FileId, TsFileFacts>, context: ReadContext): void {
  const cache = context.cache;
  let facts: TsFileFacts;
  try {
    const extract = () => (context.precomputed(file, decoded.text) as TsFileFacts | undefined) ?? extractTsFacts(parseTsText(file, decoded.text));
    facts = cache ? cache.byText(file, decoded.text, extract) : extract();
  } catch (error) {
    rethrowStop(error);
    // Both promise never to throw; if they do, the file is listed, not lost.
    context.notAnalysed(file, `the TypeScript reader failed: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  out.set(file, facts);
  context.addSource(file, decoded);
}

/**
 * Skipped sources that import a workspace module exporting something callable that makes calls (an
 * axios instance, an SDK client, a fetch wrapper) are parsed after all: `billing.post('/invoices')`
 * names no library in its own file. Only relative specifiers are followed (aliases need the file's
 * facts, which a skipped file has none of).
 */
function readImportersOfCallables(files: Map<FileId, TsFileFacts>, skipped: ReadonlyMap<FileId, readonly string[]>, context: ReadContext): void {
  if (skipped.size === 0) return;
  const wanted = new Set<FileId>();
  for (const [file, facts] of files) if (exportsCallable(facts) || exportsParameterUse(facts)) wanted.add(file);
  if (wanted.size === 0) return;
  const exists = (file: FileId) => files.has(file);
  const left = new Map(skipped);
  // A module that hands its own parameter on to such a function (`registerChatRoutes(app, deps)`) is
  // wanted in turn: its importers give the value. Bounded: each skipped file is parsed once at most.
  for (let grew = true; grew && left.size > 0; ) {
    grew = false;
    for (const [file, imports] of left) {
      if (!imports.some((specifier) => {
        const target = resolveModulePath(file, specifier, exists);
        return target !== undefined && wanted.has(target);
      })) continue;
      left.delete(file);
      const bytes = context.fs.readFile(file);
      if (!bytes) continue;
      parseTsSource(file, keepDecodedText(bytes, decodeText(bytes)), files, context);
      const facts = files.get(file);
      if (facts && exportsParameterUse(facts) && !wanted.has(file)) {
        wanted.add(file);
        grew = true;
      }
    }
  }
}

/** Exports a client, or a function that makes calls: its importers' calls through it are facts. */
function exportsCallable(facts: TsFileFacts): boolean {
  return facts.exports.some((e) => e.clientIndex !== undefined || (e.functionId !== undefined && (facts.functions[e.functionId]?.callIndices.length ?? 0) > 0));
}

/** Exports a function whose parameter sets a deadline, or is handed on to such a function: its callers give the value (handler-deadlines.ts). */
function exportsParameterUse(facts: TsFileFacts): boolean {
  const exported = new Set<number>();
  for (const e of facts.exports) if (e.functionId !== undefined) exported.add(e.functionId);
  if (exported.size === 0) return false;
  return facts.functions.some((f) => f.deadlines?.some((d) => d.param !== undefined && exported.has(d.param.functionId)))
    || (facts.callArguments?.some((c) => c.forwarded?.some((f) => exported.has(f.param.functionId))) ?? false);
}

/** Relative module specifiers a source imports or requires (`from './lib/clients'`, `require('../http')`). */
export function relativeImports(text: string): string[] {
  if (!text.includes('./')) return [];
  const out: string[] = [];
  for (const match of text.matchAll(RELATIVE_IMPORT)) if (!out.includes(match[1]!)) out.push(match[1]!);
  return out;
}

const RELATIVE_IMPORT = /(?:\bfrom|\bimport\s*\(?|\brequire\s*\()\s*['"](\.{1,2}\/[^'"\n]*)['"]/g;

/** A small workspace file's text (manifests, pins, tsconfig, CI files); undefined when absent, odd or over 1 MiB. */
function readSmallText(file: FileId, context: ReadContext): string | undefined {
  let stat: FileStat | undefined;
  try {
    stat = context.fs.stat(file);
  } catch {
    return undefined;
  }
  // Pins and manifests are small; a huge or odd one is not worth reading (or reporting).
  if (!stat?.isFile || stat.size > 1024 * 1024) return undefined;
  const bytes = context.fs.readFile(file);
  return bytes ? decodeText(bytes).text : undefined;
}

const COMPONENT_SOURCE = /\.(?:svelte|vue|astro)$/;

/** Runtime decisions from importers, for files with calls whose own evidence is unknown; skipped files are read for their imports only then. */
function decideRuntimeByImporters(files: ReadonlyMap<FileId, TsFileFacts>, packages: CodePackage[], readSmall: (file: FileId) => string | undefined, context: ReadContext): void {
  const targets = [...files.values()].filter((facts) => facts.calls.length > 0).map((facts) => facts.file);
  if (targets.length === 0) return;
  const sources = context.candidates.filter((file) => isTsSource(file) || (COMPONENT_SOURCE.test(file) && !file.includes('node_modules/')));
  const text = (file: FileId) => context.sourceText(file) ?? context.readText(file)?.text;
  const exists = new Set(sources);
  decideByImporters({
    packages,
    targets,
    sources,
    parsed: (file) => files.get(file),
    text,
    resolveBare: workspaceSpecifierResolver(packages, readSmall, (file) => exists.has(file)),
  });
}

/** The packages of the analysed sources: package.json names and Node pins, read through the same confined file system; CI workflows that build images are found by listing their folder. */
function readPackages(files: Iterable<FileId>, readSmall: (file: FileId) => string | undefined, context: ReadContext): CodePackage[] {
  return readCodePackages(files, readSmall, (dir) => {
    try {
      return context.fs.readDirectory(dir);
    } catch (error) {
      rethrowStop(error);
      return undefined;
    }
  });
}
