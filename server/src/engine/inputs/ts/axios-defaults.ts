// `axios.defaults.<option> = value` is process-wide: set in one module, it applies to the axios calls of every other module of the package.
import { unwrap, type AstNode } from './ast.js';
import { defaultsOverrides, HTTP_SPECS } from './clients.js';
import type { FactsContext } from './context.js';
import { layeredTimeouts } from './options.js';
import type { CodePackage } from './packages.js';
import type { Binding } from './scope.js';
import type { FileId } from '../../types.js';
import type { TsAxiosDefault, TsFileFacts, TsOutboundCall } from './types.js';

/** The `axios.defaults.*` assignments of one file, on the default export of `axios` (import or `require`). */
export function readAxiosDefaults(ctx: FactsContext): TsAxiosDefault[] {
  const out: TsAxiosDefault[] = [];
  for (const binding of ctx.walk.moduleScope.bindings.values()) {
    if (!isAxiosModule(binding)) continue;
    for (const [option, property] of defaultsOverrides(ctx, binding)) out.push({ option, property });
  }
  return out;
}

function isAxiosModule(binding: Binding): boolean {
  if (binding.kind === 'import') return binding.import!.module === 'axios' && binding.import!.name === 'default';
  const init: AstNode | undefined = binding.kind === 'const' ? unwrap(binding.init) : undefined;
  return init?.type === 'CallExpression' && init.callee.type === 'Identifier' && init.callee.name === 'require' && init.arguments[0]?.type === 'StringLiteral' && init.arguments[0].value === 'axios';
}

/**
 * Applies each package's `axios.defaults` assignments made in other modules to the axios calls that set
 * none of their own (timeout-facts.md §12: per-request config wins over `axios.defaults`). Calls through
 * an `axios.create` instance are left as read: the instance copies the defaults when it is created, and
 * which module runs first is not known. Two modules that set the same option leave it unknown (their load
 * order decides). Facts are replaced, never changed in place: the originals may be cached by text.
 */
export function applyPackageAxiosDefaults(files: Map<FileId, TsFileFacts>, packages: readonly CodePackage[]): void {
  for (const pkg of packages) {
    const setters = pkg.files.filter((file) => (files.get(file)?.axiosDefaults?.length ?? 0) > 0);
    if (setters.length === 0) continue;
    for (const spec of HTTP_SPECS.axios) {
      const writers = setters.filter((file) => files.get(file)!.axiosDefaults!.some((d) => d.option === spec.option));
      if (writers.length === 0) continue;
      for (const file of pkg.files) {
        const facts = files.get(file);
        if (!facts) continue;
        let changed = false;
        const calls = facts.calls.map((call) => {
          const updated = withPackageDefault(call, spec.option, file, writers, files);
          if (updated !== call) changed = true;
          return updated;
        });
        if (changed) files.set(file, { ...facts, calls });
      }
    }
  }
}

function withPackageDefault(call: TsOutboundCall, option: string, file: FileId, writers: readonly FileId[], files: ReadonlyMap<FileId, TsFileFacts>): TsOutboundCall {
  if (call.library !== 'axios' || call.clientIndex !== undefined) return call;
  const index = call.timeouts.findIndex((t) => t.option === option);
  // No entry: the option could not be read (`optionsUnknown`), so nothing is added.
  if (index < 0) return call;
  const current = call.timeouts[index]!;
  // Only calls that set nothing themselves, or that take the value from their own module's defaults.
  if (current.source === 'set' && current.level !== 'global') return call;
  const others = writers.filter((w) => w !== file);
  if (others.length === 0) return call;
  if (writers.length > 1) {
    const list = writers.join(', ');
    return { ...call, optionsUnknown: true, evidence: [...(call.evidence ?? []), { text: `axios.defaults.${option} is set in several modules of the package (${list}): which one applies depends on the order they load`, span: call.span }] };
  }
  if (current.source === 'set') return call;
  const writer = others[0]!;
  const setting = files.get(writer)!.axiosDefaults!.find((d) => d.option === option)!;
  const spec = HTTP_SPECS.axios.filter((s) => s.option === option);
  const timeouts = layeredTimeouts(spec, [{ options: undefined, level: 'global', overrides: new Map([[option, setting.property]]) }]).timeouts;
  const next = [...call.timeouts];
  next.splice(index, 1, ...timeouts);
  return { ...call, timeouts: next, evidence: [...(call.evidence ?? []), { text: `axios.defaults.${option} set in ${writer} applies to every axios call of the package`, span: setting.property.span }] };
}
