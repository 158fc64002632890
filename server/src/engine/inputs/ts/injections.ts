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
export function resolveInjectedCalls(files: Map<FileId, TsFileFacts>): void {
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
        if (ref.path?.length !== 1 || ref.via || resolveImportedFunction(files, file, ref)) continue;
        const found = implementationOf(file, ref);
        if (!found) continue;
        const method = methodOf(found, ref.path[0]!, files);
        if (!method) continue;
        const exportName = found.cls.exports[0];
        if (!exportName) continue;
        refs[i] = { module: relativeSpecifier(file, found.file), name: exportName, path: [method.name], via: { text: `${ref.name}.${ref.path[0]} runs ${found.cls.name}.${method.name}: ${found.why}${method.why}`, span: found.cls.span } };
      }
    };
    for (const fn of facts.functions) if (fn.importedCalls.length > 0) rewrite(fn.importedCalls);
    for (const route of facts.routes) if (route.importedCalls.length > 0) rewrite(route.importedCalls);
  }
}

/** The method a call of `name` runs on the class: its own, else (inherited from a base outside the workspace) its one public method. */
function methodOf(found: Implementation, name: string, files: Map<FileId, TsFileFacts>): { name: string; why: string } | undefined {
  if (found.cls.methods.includes(name)) return { name, why: '' };
  const base = found.cls.extends;
  if (!base) return undefined;
  const baseFile = base.module === '.' ? found.file : resolveModulePath(found.file, base.module, (f) => files.has(f), files.get(found.file)?.moduleFiles);
  // A base class the workspace holds would say what its method does; it is not guessed past.
  if (baseFile !== undefined) return undefined;
  if (found.cls.publicMethods.length !== 1) return undefined;
  const only = found.cls.publicMethods[0]!;
  return { name: only, why: `; ${name} is inherited from ${found.cls.extendsName ?? base.name}, which is not in the workspace, and ${only} is the class's one public method` };
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
