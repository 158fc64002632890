// NestJS's injected HttpService (@nestjs/axios): `this.httpService.get(url)` and
// `this.httpService.axiosRef.post(url, data)` are axios calls on the instance the package's HttpModule
// provides. In @nestjs/axios, `HttpModule.register(config)` provides `axios.create(config)` and the
// bare `HttpModule` the default axios instance; the module that registers it is usually another file
// than the service that calls it, so the instance is applied by a package-level pass.
import type { FileId } from '../../types.js';
import { HTTP_SPECS } from './clients.js';
import type { Callee, FactsContext } from './context.js';
import { readHttpCall } from './http.js';
import { layeredTimeouts } from './options.js';
import type { CodePackage } from './packages.js';
import type { TsFileFacts, TsNestHttpModule, TsOutboundCall, TsTimeout } from './types.js';
import type { RawCall } from './walk.js';

const NEST_AXIOS = '@nestjs/axios';
const VERBS = new Set(['request', 'get', 'delete', 'head', 'post', 'put', 'patch']);

/** Reads `this.httpService.<verb>(…)` (or `.axiosRef.<verb>(…)`) on an injected HttpService as an axios call, or returns undefined. */
export function readNestHttpServiceCall(ctx: FactsContext, call: RawCall, callee: Callee): TsOutboundCall | undefined {
  const { root, path } = callee;
  if (root.kind !== 'imported' || root.ref.module !== NEST_AXIOS || root.ref.name !== 'HttpService') return undefined;
  const verb = path.length === 1 ? path[0]! : path.length === 2 && path[0] === 'axiosRef' ? path[1]! : undefined;
  if (!verb || !VERBS.has(verb)) return undefined;
  // Read as a call on axios itself: the same arguments, and this module's own `axios.defaults` for the
  // default instance; the package pass replaces the instance's settings when HttpModule.register gives them.
  const out = readHttpCall(ctx, call, { root: { kind: 'library', library: 'axios', module: 'axios', name: 'default' }, path: [verb] });
  if (!out) return undefined;
  out.nestHttpService = true;
  out.evidence = [...(out.evidence ?? []), { text: 'HttpService from @nestjs/axios: an axios instance its HttpModule provides', span: ctx.span(call.node) }];
  return out;
}

/** How this module uses HttpModule: `HttpModule.register(…)`, `.registerAsync(…)`, or the module as imported. */
export function readNestHttpModules(ctx: FactsContext): TsNestHttpModule[] {
  const out: TsNestHttpModule[] = [];
  for (const call of ctx.walk.calls) {
    const { root, path } = ctx.callee(call);
    if (root.kind !== 'library' || root.module !== NEST_AXIOS || root.name !== 'HttpModule' || path.length !== 1) continue;
    if (path[0] === 'register') {
      const argument = call.node.arguments[0];
      out.push({ kind: 'register', ...(argument ? { options: ctx.values.evaluate(argument, call.scope) } : {}), span: ctx.span(call.node) });
    } else if (path[0] === 'registerAsync') out.push({ kind: 'register-async', span: ctx.span(call.node) });
  }
  if (out.length > 0) return out;
  // Imported and never registered here: the module lists the bare HttpModule (the default axios instance).
  const imported = ctx.facts.imports.find((entry) => entry.module === NEST_AXIOS && entry.imported === 'HttpModule');
  return imported ? [{ kind: 'bare', span: imported.span }] : [];
}

/**
 * Gives every HttpService call of a package the instance its HttpModule provides: the one
 * `register(config)` when that is the only way the package uses HttpModule, the default axios
 * instance when it only imports the bare module. Several registrations (which one a service gets
 * depends on the module that provides it), a factory, or no HttpModule in the package at all leave the
 * instance's settings unknown, never a default. Facts are replaced, not changed: they may be cached.
 */
export function applyNestHttpModules(files: Map<FileId, TsFileFacts>, packages: readonly CodePackage[]): void {
  for (const pkg of packages) {
    const users = pkg.files.filter((file) => files.get(file)?.calls.some((call) => call.nestHttpService));
    if (users.length === 0) continue;
    const modules = pkg.files.flatMap((file) => files.get(file)?.nestHttpModules ?? []);
    const registrations = modules.filter((m) => m.kind !== 'bare');
    const instance: Instance = registrations.length === 1 && registrations[0]!.kind === 'register' && !modules.some((m) => m.kind === 'bare')
      ? { kind: 'register', module: registrations[0]! }
      : registrations.length === 0 && modules.length > 0 ? { kind: 'default' } : { kind: 'unknown' };
    for (const file of users) {
      const facts = files.get(file)!;
      files.set(file, { ...facts, calls: facts.calls.map((call) => (call.nestHttpService ? withInstance(call, instance) : call)) });
    }
  }
}

type Instance = { kind: 'register'; module: TsNestHttpModule } | { kind: 'default' } | { kind: 'unknown' };

function withInstance(call: TsOutboundCall, instance: Instance): TsOutboundCall {
  // The call's own config wins over the instance's, as axios merges them.
  const own = (t: TsTimeout) => t.source === 'set' && t.level === 'call';
  if (instance.kind === 'default') return call;
  if (instance.kind === 'unknown') {
    return { ...call, timeouts: call.timeouts.filter(own), optionsUnknown: true };
  }
  const registered = layeredTimeouts(HTTP_SPECS.axios, [{ options: instance.module.options, level: 'instance' }]);
  const timeouts = [...call.timeouts.filter(own)];
  for (const timeout of registered.timeouts) if (!timeouts.some((t) => t.option === timeout.option)) timeouts.push(timeout);
  return {
    ...call,
    timeouts,
    optionsUnknown: call.optionsUnknown || registered.unknown,
    evidence: [...(call.evidence ?? []), { text: 'its instance: HttpModule.register(…) of the package', span: instance.module.span }],
  };
}
