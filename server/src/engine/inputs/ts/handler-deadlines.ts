// A route handler's own deadline for the chain: the `Promise.race` timers of its functions and of the
// functions they call, with the timer's delay resolved through constants, imports, the environment
// and, for a delay that is a parameter of the function registering the routes, its one caller's argument.
import type { HopEvidence, HopTimeout } from '../../chain/chain-types.js';
import type { EnvContext } from '../../chain/environment.js';
import type { FileId } from '../../types.js';
import { resolveTsTimeout, type TsLookup } from './chain-values.js';
import { fromFactory } from './deadline-middlewares.js';
import { resolveExportTarget, resolveImportedFunction } from './resolve.js';
import { testCodeEvidence } from './runtime.js';
import type { TsCallArguments, TsDeadline, TsFileFacts, TsFunction, TsMiddlewareDeadline, TsRoute, TsValue } from './types.js';

/** How deep calls from the handler are followed for deadlines, as for calls and streaming evidence. */
const MAX_DEPTH = 8;

export interface HandlerDeadline {
  timeout: HopTimeout;
  evidence: HopEvidence[];
}

/**
 * The longest known deadline the handler's code sets on its work (several races in a row take at
 * least the longest of them), or undefined when it sets none or none is known. A race of unknown
 * delay is left out rather than taken to bound the handler: it may wrap only part of the work (a
 * `withTimeout(loadUser(), ms)` helper before an un-raced call), so it says nothing about the rest.
 */
export function handlerDeadline(lookup: TsLookup, file: FileId, facts: TsFileFacts, route: TsRoute, env: EnvContext): HandlerDeadline | undefined {
  // Most workspaces race nothing against a timer: then no handler's calls are walked for one.
  if (!holdsDeadlines(lookup)) return undefined;
  const found: Array<{ file: FileId; facts: TsFileFacts; deadline: TsDeadline }> = [];
  const seen = new Set<string>();
  const visit = (f: FileId, ff: TsFileFacts, fn: TsFunction, depth: number) => {
    if (depth > MAX_DEPTH || seen.has(`${f}:${fn.id}`)) return;
    seen.add(`${f}:${fn.id}`);
    for (const deadline of fn.deadlines ?? []) found.push({ file: f, facts: ff, deadline });
    for (const id of fn.calleeIds) {
      const callee = ff.functions[id];
      if (callee) visit(f, ff, callee, depth + 1);
    }
    for (const ref of fn.importedCalls) {
      const target = resolveImportedFunction(lookup, f, ref);
      if (target) visit(target.file, target.facts, target.fn, depth + 1);
    }
  };
  for (const id of route.handlerIds) {
    const fn = facts.functions[id];
    if (fn) visit(file, facts, fn, 0);
  }
  for (const ref of route.importedCalls) {
    const target = resolveImportedFunction(lookup, file, ref);
    if (target) visit(target.file, target.facts, target.fn, 1);
  }
  let best: HandlerDeadline | undefined;
  for (const { file: f, facts: ff, deadline } of found) {
    const resolved = resolveDeadline(lookup, f, ff, deadline, env);
    if (resolved?.timeout.ms === undefined) continue;
    if (!best || resolved.timeout.ms > best.timeout.ms!) best = resolved;
  }
  return best;
}

/**
 * The deadlines of the middlewares and interceptors that run around the handler (`connect-timeout`,
 * `hono/timeout`, a NestJS rxjs `timeout()`): the shortest known one (the response, a 503 or 504 of
 * the middleware's own, comes by then at the latest) and one whose delay is not known, if any. They
 * stop once the response has started, so the timeouts are of the time-to-headers kind.
 */
export function middlewareDeadlines(lookup: TsLookup, file: FileId, route: TsRoute, env: EnvContext): HandlerDeadline[] {
  let best: HandlerDeadline | undefined;
  let conditional: HandlerDeadline | undefined;
  let unknown: HandlerDeadline | undefined;
  for (const deadline of route.deadlines ?? []) {
    const resolved = resolveMiddlewareDeadline(lookup, deadline.file ?? file, deadline, env);
    if (!resolved || resolved.timeout.disabled) continue;
    if (resolved.timeout.ms === undefined) {
      unknown ??= resolved;
      continue;
    }
    if (resolved.timeout.ms <= 0) continue;
    if (resolved.timeout.mayNotApply !== undefined) {
      if (!conditional || resolved.timeout.ms < conditional.timeout.ms!) conditional = resolved;
    } else if (!best || resolved.timeout.ms < best.timeout.ms!) best = resolved;
  }
  // A deadline whose delay is not known may end the request at any time: the hop carries it (a timer
  // of unknown value) beside the shortest known one, rather than claiming that nothing else ends it.
  // One the route may skip counts only where it is shorter than the sure ones.
  if (conditional && best && conditional.timeout.ms! >= best.timeout.ms!) conditional = undefined;
  return [...(best ? [best] : []), ...(conditional ? [conditional] : []), ...(unknown ? [unknown] : [])];
}

function resolveMiddlewareDeadline(lookup: TsLookup, file: FileId, deadline: TsMiddlewareDeadline, env: EnvContext, depth = 0): HandlerDeadline | undefined {
  if (deadline.middleware === 'imported') {
    // `timeoutMiddleware('120s')` from another module: a deadline only when that function returns a deadline middleware.
    const target = deadline.factory && depth === 0 ? resolveImportedFunction(lookup, file, deadline.factory.ref) : undefined;
    const factory = target?.fn.deadlineFactory;
    const made = factory ? fromFactory(factory, deadline.factory!.args, deadline.span, deadline.text) : undefined;
    if (!made) return undefined;
    const fromArgument = factory!.param !== undefined && deadline.factory!.args[factory!.param.index] !== undefined;
    const resolved = resolveMiddlewareDeadline(lookup, fromArgument ? file : target!.file, made, env, depth + 1);
    if (resolved && deadline.via) resolved.evidence.push({ text: deadline.via.text, span: deadline.via.span });
    return resolved;
  }
  const knob = deadline.middleware === 'connect-timeout' ? 'connect-timeout timeout()' : deadline.middleware === 'hono/timeout' ? 'hono/timeout timeout()' : 'rxjs timeout() in an interceptor';
  const evidence: HopEvidence[] = [{ text: `deadline: ${deadline.text}`, span: deadline.span }];
  if (deadline.via) evidence.push({ text: deadline.via.text, span: deadline.via.span });
  const factsRef = deadline.middleware === 'connect-timeout' ? '§11.2' : '§0 (time-to-headers)';
  const timeout: HopTimeout | undefined = deadline.source === 'default' && deadline.value.kind === 'number'
    ? { kind: 'time-to-headers' as const, knob, text: `${deadline.value.value} ms`, ms: deadline.value.value, source: 'default' as const, span: deadline.span, factsRef }
    : resolveTsTimeout({ kind: 'time-to-headers', option: knob, source: 'set', value: deadline.value, span: deadline.span, factsRef }, file, lookup, env);
  if (timeout && deadline.maySkip) timeout.mayNotApply = deadline.maySkip.text;
  return timeout ? { timeout, evidence } : undefined;
}

const deadlinesByLookup = new WeakMap<TsLookup, boolean>();

function holdsDeadlines(lookup: TsLookup): boolean {
  let known = deadlinesByLookup.get(lookup);
  if (known === undefined) {
    known = false;
    for (const facts of lookup.values()) if (facts.functions.some((f) => f.deadlines !== undefined)) known = true;
    deadlinesByLookup.set(lookup, known);
  }
  return known;
}

function resolveDeadline(lookup: TsLookup, file: FileId, facts: TsFileFacts, deadline: TsDeadline, env: EnvContext): HandlerDeadline | undefined {
  const evidence: HopEvidence[] = [{ text: `deadline: ${deadline.text}`, span: deadline.span }];
  let value: TsValue = deadline.value;
  let valueFile = file;
  if (deadline.param) {
    const argument = callerArgument(lookup, file, facts, deadline.param);
    if (!argument) return undefined;
    value = argument.value;
    valueFile = argument.file;
    evidence.push(argument.evidence);
  }
  const timeout = resolveTsTimeout({ kind: 'total', option: 'Promise.race timer', source: 'set', value, span: deadline.span, factsRef: '§1 (total / deadline)' }, valueFile, lookup, env);
  return timeout ? { timeout, evidence } : undefined;
}

/**
 * The value a parameter has where the function is called: the function must be exported and called
 * from exactly one place in the workspace (a `registerRoutes(app, { timeoutMs })` in the server's
 * entry), else the value is not known.
 */
function callerArgument(lookup: TsLookup, file: FileId, facts: TsFileFacts, param: NonNullable<TsDeadline['param']>, depth = 0): { value: TsValue; file: FileId; evidence: HopEvidence } | undefined {
  if (depth > 3) return undefined;
  const exportNames = facts.exports.filter((e) => e.functionId === param.functionId && !e.reexport).map((e) => e.name);
  if (exportNames.length === 0) return undefined;
  const fnName = facts.functions[param.functionId]?.name ?? exportNames[0]!;
  const sites: Array<{ file: FileId; facts: TsFileFacts; site: TsCallArguments }> = [];
  for (const [caller, callerFacts] of lookup) {
    for (const site of callerFacts.callArguments ?? []) {
      const target = resolveExportTarget(lookup, caller, site.callee);
      if (target?.file === file && exportNames.includes(target.name)) sites.push({ file: caller, facts: callerFacts, site });
    }
  }
  // Tests call route registrations with values of their own; only the calls that run in production count.
  const production = sites.filter((s) => testCodeEvidence(s.file) === undefined);
  if (production.length !== 1) return undefined;
  const { file: siteFile, facts: siteFacts, site } = production[0]!;
  const besideTests = production.length < sites.length ? ' outside tests' : '';
  const forwarded = site.forwarded?.find((f) => f.index === param.index);
  if (forwarded) {
    const outer = callerArgument(lookup, siteFile, siteFacts, { ...forwarded.param, path: [...forwarded.param.path, ...param.path] }, depth + 1);
    return outer && { ...outer, evidence: { text: `${outer.evidence.text}, which hands it on to ${fnName} (${siteFile}${besideTests ? `; other calls are in tests` : ''})`, ...(outer.evidence.span ? { span: outer.evidence.span } : {}) } };
  }
  const argument = site.args[param.index];
  const value = argument ? propertyAt(argument, param.path) : undefined;
  if (!value || value.kind === 'unknown') return undefined;
  const what = param.path.length > 0 ? param.path.join('.') : `argument ${param.index + 1}`;
  return { value, file: siteFile, evidence: { text: `${what} comes from the one call of ${fnName}${besideTests}`, span: site.span } };
}

/** The value at a property path of an argument: an object literal's property, or a path read on an imported value. */
function propertyAt(value: TsValue, path: readonly string[]): TsValue | undefined {
  if (path.length === 0) return value;
  if (value.kind === 'object') {
    const property = [...value.properties].reverse().find((p) => p.name === path[0]);
    if (!property) return undefined;
    return propertyAt(property.value, path.slice(1));
  }
  if (value.kind === 'import') return { ...value, path: [...(value.path ?? []), ...path] };
  return undefined;
}
