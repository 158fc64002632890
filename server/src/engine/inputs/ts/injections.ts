// Calls on injected dependencies typed by an interface (`@Inject(UseCaseType.CHAT) private readonly
// chat: IChatUseCase` … `this.chat.execute(input)`): the class behind the interface is the one a
// NestJS provider binds to the token (`{ provide: UseCaseType.CHAT, useClass: ChatUseCase }`), else
// the one class of the workspace that implements the interface. Its method is followed like any
// imported function (for calls, streaming evidence, deadlines); a method the class inherits from a
// base class outside the workspace leads to the class's one public method (the template-method
// pattern of use-case base classes), with that evidence, and nowhere when there are several.
import { resolveImportedFunction, resolveModulePath } from './resolve.js';
import type { TsClassFact, TsFileFacts, TsImportRef } from './types.js';
import type { FileId } from '../../types.js';

/** Where the class behind an injected member is, and why. */
interface Implementation {
  file: FileId;
  cls: TsClassFact;
  why: string;
}

/**
 * Rewrites calls on interface-typed injected members to the class behind them (a post-pass over the
 * package's facts, before calls through imports are followed): each `importedCalls` entry that does
 * not resolve as written and names an interface (or a token) a single class stands behind becomes a
 * call of that class's method, with the evidence kept on the reference.
 */
export function resolveInjectedCalls(files: Map<FileId, TsFileFacts>, inWorkspace: (file: FileId) => boolean = (file) => files.has(file)): void {
  const implementers = new Map<string, Array<{ file: FileId; cls: TsClassFact }>>();
  const providers = new Map<string, Array<{ file: FileId; useClass: TsImportRef }>>();
  const exists = (file: FileId) => files.has(file);
  for (const [file, facts] of files) {
    for (const cls of facts.classes ?? []) {
      for (const ref of cls.implements) {
        const key = interfaceKey(file, ref);
        let list = implementers.get(key);
        if (!list) implementers.set(key, (list = []));
        list.push({ file, cls });
      }
    }
    for (const provider of facts.nestProviders ?? []) {
      let list = providers.get(provider.token);
      if (!list) providers.set(provider.token, (list = []));
      list.push({ file, useClass: provider.useClass });
    }
  }
  if (implementers.size === 0 && providers.size === 0) return;
  const classAt = (file: FileId, ref: TsImportRef): { file: FileId; cls: TsClassFact } | undefined => {
    const target = ref.module === '.' ? file : resolveModulePath(file, ref.module, exists, files.get(file)?.moduleFiles);
    const facts = target ? files.get(target) : undefined;
    const cls = facts?.classes?.find((c) => (ref.module === '.' ? c.name === ref.name : c.exports.includes(ref.name)));
    return cls && target ? { file: target, cls } : undefined;
  };
  const implementationOf = (file: FileId, ref: TsImportRef): Implementation | undefined => {
    if (ref.token) {
      const bound = providers.get(ref.token) ?? [];
      const classes = bound.flatMap((p) => classAt(p.file, p.useClass) ?? []);
      if (bound.length === 1 && classes.length === 1) return { ...classes[0]!, why: `the provider for ${ref.token} uses ${classes[0]!.cls.name} (${bound[0]!.file})` };
      if (bound.length > 0) return undefined;
    }
    const candidates = implementers.get(interfaceKey(file, ref)) ?? [];
    if (candidates.length !== 1) return undefined;
    return { ...candidates[0]!, why: `${candidates[0]!.cls.name} is the one class that implements ${ref.name}` };
  };
  for (const [file, facts] of files) {
    const rewrite = (refs: TsImportRef[]) => {
      for (let i = 0; i < refs.length; i++) {
        const ref = refs[i]!;
        if (ref.path?.length !== 1 || ref.via) continue;
        // The interface or token lookup is a map read; resolving the call as written walks re-exports, so it comes second.
        const found = implementationOf(file, ref);
        if (!found || resolveImportedFunction(files, file, ref)) continue;
        const called = ref.path[0]!;
        const targets = methodsRun(found, called, files, inWorkspace);
        if (!targets) continue;
        const replaced = targets.map((t) => ({ module: relativeSpecifier(file, t.file), name: t.exportName, path: [t.method], via: { text: `${ref.name}.${called} runs ${t.className}.${t.method}: ${found.why}${t.why}`, span: found.cls.span } }));
        refs.splice(i, 1, ...replaced);
        i += replaced.length - 1;
      }
    };
    for (const fn of facts.functions) if (fn.importedCalls.length > 0) rewrite(fn.importedCalls);
    for (const route of facts.routes) if (route.importedCalls.length > 0) rewrite(route.importedCalls);
  }
}

interface MethodTarget {
  file: FileId;
  exportName: string;
  className: string;
  method: string;
  why: string;
}

/**
 * The methods a call of `name` on the class runs: its own method; else the base class's (read from
 * the workspace) with the hooks it calls that the class implements (`execute` in the base calling
 * `this.implementation()`); else, when the base's code is not read (outside the workspace, or a file
 * with nothing the pre-scan keeps, so no calls of its own), the class's one public method.
 */
function methodsRun(found: Implementation, name: string, files: Map<FileId, TsFileFacts>, inWorkspace: (file: FileId) => boolean): MethodTarget[] | undefined {
  const own = found.cls.exports[0];
  if (!own) return undefined;
  if (found.cls.methods.includes(name)) return [{ file: found.file, exportName: own, className: found.cls.name, method: name, why: '' }];
  const base = found.cls.extends;
  if (!base) return undefined;
  const baseName = found.cls.extendsName ?? base.name;
  const baseFile = base.module === '.' ? found.file : resolveModulePath(found.file, base.module, (f) => files.has(f), files.get(found.file)?.moduleFiles);
  if (baseFile !== undefined) {
    const baseClass = files.get(baseFile)?.classes?.find((c) => (base.module === '.' ? c.name === base.name : c.exports.includes(base.name)));
    const baseExport = baseClass?.exports[0];
    if (!baseClass || !baseExport || !baseClass.methods.includes(name)) return undefined;
    const hooks = (baseClass.hooks?.[name] ?? []).filter((h) => found.cls.methods.includes(h));
    return [
      { file: baseFile, exportName: baseExport, className: baseName, method: name, why: `; ${name} is inherited from ${baseName}` },
      ...hooks.map((h) => ({ file: found.file, exportName: own, className: found.cls.name, method: h, why: `; ${name} is inherited from ${baseName}, which calls this.${h}()` })),
    ];
  }
  if (found.cls.publicMethods.length !== 1) return undefined;
  const only = found.cls.publicMethods[0]!;
  const onDisk = base.module.startsWith('.') && resolveModulePath(found.file, base.module, inWorkspace) !== undefined;
  const where = onDisk ? 'whose file makes no calls of its own (the pre-scan did not read it)' : 'which is not in the workspace';
  return [{ file: found.file, exportName: own, className: found.cls.name, method: only, why: `; ${name} is inherited from ${baseName}, ${where}, and ${only} is the class's one public method` }];
}

/** The key of an interface: the module it is declared in (resolved from the naming file, whether or not the workspace holds it) and its name. */
function interfaceKey(file: FileId, ref: TsImportRef): string {
  if (ref.module === '.') return `${stripExtension(file)}#${ref.name}`;
  if (!ref.module.startsWith('.')) return `${ref.module}#${ref.name}`;
  return `${stripExtension(joinRelative(file, ref.module))}#${ref.name}`;
}

function stripExtension(path: string): string {
  return path.replace(/\.(?:[cm]?[jt]sx?)$/, '').replace(/\/index$/, '');
}

function joinRelative(fromFile: FileId, specifier: string): string {
  const parts = fromFile.split('/');
  parts.pop();
  for (const segment of specifier.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') parts.pop();
    else parts.push(segment);
  }
  return parts.join('/');
}

function relativeSpecifier(fromFile: FileId, toFile: FileId): string {
  const from = fromFile.split('/');
  from.pop();
  const to = toFile.split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.length - common;
  const rest = to.slice(common).join('/');
  return `${up === 0 ? './' : '../'.repeat(up)}${rest}`;
}
