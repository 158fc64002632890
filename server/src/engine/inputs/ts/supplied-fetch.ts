// Fetch functions callers supply (`options.fetch(url)`, `this.fetch(url)`, a `fetchFn` parameter): the call is an HTTP call whose
// timeout comes from its own init, and from the project wrapper callers pass in (`new Client({ fetch: fetchWithTimeout })`) when it is one.
import { memberPath, unwrap, type AstNode } from './ast.js';
import type { Callee, FactsContext } from './context.js';
import { readFetch } from './http.js';
import { readInitFrom } from './fetch-init.js';
import { resolveExportTarget, resolveImportedFunction } from './resolve.js';
import { exportedNames } from './routes.js';
import type { FileId, Span } from '../../types.js';
import type { TsFetchSupplier, TsFileFacts, TsOutboundCall, TsTimeout } from './types.js';
import type { RawCall } from './walk.js';
import type { Binding } from './scope.js';

/** Names a function-valued fetch option goes by in SDK-like clients. */
export const FETCH_OPTION_NAMES: ReadonlySet<string> = new Set(['fetch', 'fetchImpl', 'fetchFn', 'fetchFunction', 'fetchImplementation', 'customFetch', '_fetch', 'fetchApi']);
// Objects that hold options (`options.fetch`, `this.config.fetchImpl`): a `fetch` member of anything else (an LRU cache's `cache.fetch(key)`) is not this.
const OPTION_HOLDER = /^_?(?:options|opts|config|cfg|conf|settings|init|params|deps|dependencies|props|ctx|context|args|clientOptions|httpOptions)$/i;

/**
 * Reads `call` as a call of a fetch function its callers supply, or undefined. The timers of native fetch are not
 * assumed (the function may be anything): without a signal in the call's own init, its timeout is unknown.
 */
export function readSuppliedFetchCall(ctx: FactsContext, call: RawCall, callee: Callee): TsOutboundCall | undefined {
  if (call.node.type === 'NewExpression' || callee.root.kind !== 'unknown' || !(call.node.arguments as AstNode[])[0]) return undefined;
  const path = aliasedPath(ctx, call) ?? calleePath(unwrap(call.node.callee));
  const name = path?.at(-1);
  if (!path || !name || !FETCH_OPTION_NAMES.has(name)) return undefined;
  const owner = ownerOf(ctx, call, path);
  if (!owner) return undefined;
  const out = asSuppliedFetch(readFetch(ctx, call, 'fetch'), { path: path.join('.'), ...(owner.localName ? { localName: owner.localName } : {}), exports: owner.exports, ...(owner.viaParam ? { viaParam: owner.viaParam } : {}) });
  const args = call.node.arguments as AstNode[];
  const initFrom = out.timeouts.some((t) => t.value) ? undefined : readInitFrom(ctx, call, args[0], args[1]);
  if (initFrom) out.initFrom = initFrom;
  return out;
}

/**
 * A fetch read as native fetch, made a call of a supplied function: only a signal of the call's own init is known to
 * bound it; without one its timeout is unknown (never none), and native fetch's defaults are not assumed.
 */
export function asSuppliedFetch(out: TsOutboundCall, supplied: NonNullable<TsOutboundCall['suppliedFetch']>): TsOutboundCall {
  out.timeouts = out.timeouts.filter((t) => t.source === 'set' && t.option.startsWith('signal'));
  if (out.timeouts.length === 0) out.timeouts.push(unknownTimeout(supplied.path, out.span));
  out.optionsUnknown = true;
  out.suppliedFetch = supplied;
  out.evidence = [{ text: `${supplied.path} is a fetch function its callers supply`, span: out.span }];
  return out;
}

/**
 * A fetch function passed to a call or constructor: a `{ fetch: fn }` option (`new Client({ fetch: fetchWithTimeout })`) or an
 * argument whose name says it is one (`new OpenRouterClient(key, url, fetchWithTimeout)`), for the package pass.
 */
export function readFetchSupplier(ctx: FactsContext, call: RawCall, callee: Callee): TsFetchSupplier | undefined {
  const args = call.node.arguments as AstNode[];
  let found: { argIndex: number; property?: string; value: AstNode | undefined; at: AstNode } | undefined;
  for (const [argIndex, raw] of args.entries()) {
    const arg = unwrap(raw);
    if (arg?.type === 'ObjectExpression') {
      const property = (arg.properties as AstNode[]).find((p) => (p.type === 'ObjectProperty' || p.type === 'ObjectMethod') && !p.computed && FETCH_OPTION_NAMES.has(p.key?.name ?? p.key?.value));
      if (property) found = { argIndex, property: (property.key.name ?? property.key.value) as string, value: property.type === 'ObjectMethod' ? property : unwrap(property.value), at: property };
    } else if ((arg?.type === 'Identifier' || arg?.type === 'MemberExpression') && /fetch/i.test(memberPath(arg)?.at(-1) ?? '')) found = { argIndex, value: arg, at: arg };
    if (found) break;
  }
  if (!found) return undefined;
  const target = callee.root.kind === 'imported' ? { ref: callee.path.length > 0 && callee.root.ref.name === '*' ? { module: callee.root.ref.module, name: callee.path[0]! } : callee.root.ref } : localTarget(ctx, call);
  if (!target || (callee.root.kind === 'imported' && callee.path.length > (callee.root.ref.name === '*' ? 1 : 0))) return undefined;
  const value = found.value;
  const text = ctx.tsFile.text.slice(found.at.start ?? 0, found.at.end ?? 0).replace(/\s+/g, ' ').slice(0, 80);
  const base = { target, argIndex: found.argIndex, ...(found.property ? { property: found.property } : {}), span: ctx.span(found.at), text };
  const direct = value ? ctx.walk.functionIdByNode.get(value) : undefined;
  if (direct !== undefined) return { ...base, fn: { functionId: direct } };
  if (value?.type === 'Identifier') {
    const binding = call.scope.lookup(value.name);
    if (!binding) return { ...base, fn: value.name === 'fetch' ? { native: true } : { unknown: value.name } };
    if (binding.kind === 'import') return { ...base, fn: { ref: binding.import! } };
    const declared = binding.declaration ?? unwrap(binding.init);
    const id = declared ? ctx.walk.functionIdByNode.get(declared) : undefined;
    if (id !== undefined) return { ...base, fn: { functionId: id } };
  }
  const path = value ? memberPath(value)?.join('.') : undefined;
  if (path === 'globalThis.fetch' || path === 'window.fetch') return { ...base, fn: { native: true } };
  return { ...base, fn: { unknown: text } };
}

/**
 * Gives every supplied-fetch call the timeout of the wrapper its callers pass, when they all pass the same project
 * function and its fetch sets its own signal (`AbortSignal.timeout(n)`). Facts are replaced, not changed.
 */
export function applyFetchSuppliers(files: Map<FileId, TsFileFacts>): void {
  const suppliers: Array<{ file: FileId; supplier: TsFetchSupplier; owner: string }> = [];
  for (const [file, facts] of files) {
    for (const supplier of facts.fetchSuppliers ?? []) {
      const target = 'ref' in supplier.target ? resolveExportTarget(files, file, supplier.target.ref) : { file, name: supplier.target.local };
      if (target) suppliers.push({ file, supplier, owner: `${target.file}#${target.name}` });
    }
  }
  if (suppliers.length === 0) return;
  for (const [file, facts] of [...files]) {
    if (!facts.calls.some((c) => c.suppliedFetch)) continue;
    let changed = false;
    const calls = facts.calls.map((call) => {
      const supplied = call.suppliedFetch;
      if (!supplied) return call;
      const keys = new Set([...supplied.exports, ...(supplied.localName ? [supplied.localName] : [])].map((n) => `${file}#${n}`));
      // Where the class or function takes it from, when known: that argument (and option) of each caller; else any `fetch`-named option.
      const via = supplied.viaParam;
      const mine = suppliers.filter((s) => keys.has(s.owner) && (via ? s.supplier.argIndex === via.index && s.supplier.property === via.property : s.supplier.property !== undefined));
      const wrapper = mine.length > 0 ? sameWrapper(files, mine) : undefined;
      if (!wrapper) return call;
      changed = true;
      const own = call.timeouts.filter((t) => t.value !== undefined);
      const evidence = { text: `${supplied.path} is ${wrapper.name} (${wrapper.file}), passed as ${mine[0]!.supplier.text} at ${mine[0]!.file}; it sets its own signal`, span: mine[0]!.supplier.span };
      return { ...call, timeouts: [...own, ...wrapper.timeouts], optionsUnknown: false, evidence: [...(call.evidence ?? []), evidence] };
    });
    if (changed) files.set(file, { ...facts, calls });
  }
}

/** The one project function every supplier passes, with the signal timeouts its fetch sets; undefined when they differ or it sets none. */
function sameWrapper(files: ReadonlyMap<FileId, TsFileFacts>, suppliers: ReadonlyArray<{ file: FileId; supplier: TsFetchSupplier }>): { file: FileId; name: string; timeouts: TsTimeout[] } | undefined {
  let found: { file: FileId; id: number; name: string; timeouts: TsTimeout[] } | undefined;
  for (const { file, supplier } of suppliers) {
    const fn = supplier.fn;
    let at: { file: FileId; facts: TsFileFacts; id: number } | undefined;
    if ('functionId' in fn) at = { file, facts: files.get(file)!, id: fn.functionId };
    else if ('ref' in fn) {
      const resolved = resolveImportedFunction(files, file, fn.ref);
      if (resolved) at = { file: resolved.file, facts: resolved.facts, id: resolved.fn.id };
    }
    if (!at) return undefined;
    if (found && (found.file !== at.file || found.id !== at.id)) return undefined;
    const timeouts = at.facts.calls.filter((c) => c.functionId === at!.id && (c.library === 'fetch' || c.library === 'undici' || c.library === 'node-fetch')).flatMap((c) => c.timeouts.filter((t) => t.source === 'set' && t.option.startsWith('signal')));
    if (timeouts.length === 0) return undefined;
    found = { file: at.file, id: at.id, name: at.facts.functions[at.id]?.name ?? 'a fetch wrapper', timeouts: timeouts.map((t) => ({ ...t, level: 'instance' })) };
  }
  return found;
}

/** The callee's member path, with a private field read as its name (`this.#fetch` → ['this', 'fetch']). */
function calleePath(callee: AstNode | undefined): string[] | undefined {
  if ((callee?.type === 'MemberExpression' || callee?.type === 'OptionalMemberExpression') && callee.property?.type === 'PrivateName' && unwrap(callee.object)?.type === 'ThisExpression') return ['this', callee.property.id.name as string];
  return memberPath(callee);
}

function unknownTimeout(written: string, span: Span): TsTimeout {
  return { kind: 'total', option: `${written} (supplied by callers)`, source: 'set', level: 'instance', span, factsRef: '§12' };
}

interface Owner {
  localName?: string;
  exports: string[];
  viaParam?: { index: number; property?: string };
}

/** What callers name to supply the function: the class of `this.fetch`/`this.options.fetch`, or the function whose parameter holds it, and which parameter. */
function ownerOf(ctx: FactsContext, call: RawCall, path: string[]): Owner | undefined {
  const [root, ...rest] = path;
  const holders = path.slice(root === 'this' ? 1 : 0, -1);
  if (holders.some((h) => !OPTION_HOLDER.test(h))) return undefined;
  if (root === 'this') {
    if (!call.classNode) return undefined;
    // `this.fetch = new Fetcher()` or a method named fetch is not a supplied function.
    const member = ctx.walk.thisMembers.get(call.classNode)?.get(rest[0]!);
    if (member?.init && unwrap(member.init)?.type === 'NewExpression') return undefined;
    const owner = classOwner(ctx, call.classNode);
    // `this.customFetch = customFetch` (or `opts.fetch ?? fetch`) in the constructor: callers pass it as that argument.
    const source = member?.init ? fetchSource(unwrap(member.init)) : undefined;
    const param = source ? paramOf(ctx, member!.scope.lookup(source[0]!)) : undefined;
    const viaParam = param?.constructor && rest.length === 1 ? viaParamOf(param.index, param.property, source!.slice(1)) : rest.length === 2 && param?.constructor && member?.init && unwrap(member.init)?.type === 'Identifier' ? { index: param.index, ...(param.property ? {} : { property: rest[1]! }) } : undefined;
    return viaParam ? { ...owner, viaParam } : owner;
  }
  const param = paramOf(ctx, call.scope.lookup(root!));
  if (!param) return undefined;
  const fn = ctx.walk.functionNodes[param.functionId]!;
  const viaParam = viaParamOf(param.index, param.property, rest);
  if (fn.type === 'ClassMethod' && fn.kind === 'constructor' && call.classNode) return { ...classOwner(ctx, call.classNode), ...(viaParam ? { viaParam } : {}) };
  const name = ctx.facts.functions[param.functionId]?.name;
  return { ...(name ? { localName: name, exports: exportedNames(ctx.tsFile.program, name) } : { exports: [] }), ...(viaParam ? { viaParam } : {}) };
}

/** The argument (and option) a path below a parameter reads: `opts.fetch` → the parameter's `fetch`; deeper paths are not followed. */
function viaParamOf(index: number, property: string | undefined, rest: string[]): Owner['viaParam'] {
  if (property !== undefined) return rest.length === 0 ? { index, property } : undefined;
  if (rest.length === 0) return { index };
  return rest.length === 1 ? { index, property: rest[0]! } : undefined;
}

/** The member path a fetch function is read from: `customFetch`, `opts.fetch`, `opts.fetch ?? fetch`, `options?.customFetch || globalThis.fetch`. */
function fetchSource(node: AstNode | undefined): string[] | undefined {
  const read = node?.type === 'LogicalExpression' && (node.operator === '??' || node.operator === '||') ? unwrap(node.left) : node;
  const path = memberPath(read);
  return path && path[0] !== 'this' ? path : undefined;
}

/** The parameter a binding is: its function, its position, and the key when it is destructured from an object parameter. */
function paramOf(ctx: FactsContext, binding: Binding | undefined): { functionId: number; index: number; property?: string; constructor: boolean } | undefined {
  if (binding?.kind !== 'param') return undefined;
  const within = (node: AstNode) => (node.start ?? 0) <= (binding.id.start ?? -1) && (binding.id.end ?? 0) <= (node.end ?? 0);
  const functionId = ctx.walk.functionNodes.findIndex((fn) => ((fn.params ?? []) as AstNode[]).some(within));
  if (functionId < 0) return undefined;
  const fn = ctx.walk.functionNodes[functionId]!;
  const params = (fn.params ?? []) as AstNode[];
  const index = params.findIndex(within);
  let pattern = params[index];
  if (pattern?.type === 'TSParameterProperty') pattern = pattern.parameter;
  if (pattern?.type === 'AssignmentPattern') pattern = pattern.left;
  const property = pattern?.type === 'ObjectPattern' ? ((pattern.properties as AstNode[]).find((p) => p.type === 'ObjectProperty' && within(p))?.key?.name as string | undefined) : undefined;
  return { functionId, index, ...(property ? { property } : {}), constructor: fn.type === 'ClassMethod' && fn.kind === 'constructor' };
}

/** `const fetchFn = this.customFetch || fetch; fetchFn(url)`: the member path the alias reads. */
function aliasedPath(ctx: FactsContext, call: RawCall): string[] | undefined {
  const callee = unwrap(call.node.callee);
  if (callee?.type !== 'Identifier') return undefined;
  const binding = call.scope.lookup(callee.name);
  if (binding?.kind !== 'const' || !binding.init) return undefined;
  const init = unwrap(binding.init);
  const read = init?.type === 'LogicalExpression' && (init.operator === '??' || init.operator === '||') ? unwrap(init.left) : init;
  const path = calleePath(read);
  return path && path.length > 1 && FETCH_OPTION_NAMES.has(path.at(-1)!) ? path : undefined;
}

function classOwner(ctx: FactsContext, classNode: AstNode): Owner {
  const name = classNode.id?.name as string | undefined;
  return name ? { localName: name, exports: exportedNames(ctx.tsFile.program, name) } : { exports: [] };
}

/** A same-file class or function a supplier constructs or calls. */
function localTarget(ctx: FactsContext, call: RawCall): { local: string } | undefined {
  const callee = unwrap(call.node.callee);
  if (callee?.type !== 'Identifier') return undefined;
  const binding = call.scope.lookup(callee.name);
  return binding && (binding.kind === 'class' || binding.kind === 'function' || binding.kind === 'const') ? { local: callee.name } : undefined;
}
