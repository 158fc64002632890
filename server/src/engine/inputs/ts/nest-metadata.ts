// NestJS per-route timeouts through metadata: a decorator stores a delay on the handler or the
// controller (`SetMetadata(TIMEOUT_KEY, ms)`, usually wrapped as `@Timeout(300_000)`), and a timeout
// interceptor reads it back with the Reflector (`this.reflector.get(TIMEOUT_KEY, context.getHandler())
// ?? DEFAULT`) before it applies rxjs `timeout(…)`. Facts are read per file; the route's delay is
// put together at link time, when the decorator's and the interceptor's files are known.
import { keyName, unwrap, type AstNode } from './ast.js';
import type { FactsContext } from './context.js';
import type { Scope } from './scope.js';
import { resolveExportTarget, resolveImportedValue } from './resolve.js';
import type { TsLookup } from './chain-values.js';
import type { TsDecoratorUse, TsImportRef, TsInterceptorUse, TsMetadataDecorator, TsMetadataRead, TsRoute, TsTimeoutInterceptor, TsValue } from './types.js';
import type { FileId, Span } from '../../types.js';

const NEST_COMMON = '@nestjs/common';
/** How deep `const a = b; const b = c ?? d` chains are followed to the Reflector read. */
const MAX_READ_DEPTH = 6;

/** True when `name` in `scope` is the export `name` of `@nestjs/common` (SetMetadata, applyDecorators, UseInterceptors). */
function isNestCommon(scope: Scope, node: AstNode | undefined, name: string): boolean {
  const callee = unwrap(node);
  if (callee?.type !== 'Identifier') return false;
  const binding = scope.lookup(callee.name);
  return binding?.kind === 'import' && binding.import!.module === NEST_COMMON && binding.import!.name === name;
}

/**
 * The Reflector read a `timeout(…)` argument comes from, with its fallback: `reflector.get(K,
 * context.getHandler()) ?? D`, through `const` names, or `let t = reflector.get(…); if (!t) t = D`.
 */
export function metadataReadOf(ctx: FactsContext, raw: AstNode | undefined, scope: Scope, thisField?: (name: string) => TsValue | undefined, depth = 0): TsMetadataRead | undefined {
  // A fallback in a field of the interceptor (`?? this.defaultTimeout`) is read from the class.
  const evaluate = (n: AstNode | undefined, s: Scope): TsValue => {
    const e = unwrap(n);
    const field = e?.type === 'MemberExpression' && unwrap(e.object)?.type === 'ThisExpression' && !e.computed ? keyName(e.property, false) : undefined;
    return (field !== undefined ? thisField?.(field) : undefined) ?? ctx.values.evaluate(n, s);
  };
  const node = unwrap(raw);
  if (!node || depth > MAX_READ_DEPTH) return undefined;
  if (node.type === 'Identifier') {
    const binding = scope.lookup(node.name);
    if (!binding?.init) return undefined;
    const read = metadataReadOf(ctx, binding.init, binding.scope, thisField, depth + 1);
    if (!read || binding.kind === 'const') return read;
    if (binding.kind !== 'mutable') return undefined;
    // `let t = reflector.get(…); if (!t) { t = 600_000; }`: one plain assignment that does not read `t` again is the fallback.
    const assigns = binding.events.filter((e) => e.kind === 'assign');
    if (assigns.length === 0) return read;
    const assign = assigns[0]!;
    if (assigns.length > 1 || read.fallback || assign.path.length > 0 || assign.node.operator !== '=' || mentions(assign.node.right, node.name)) return undefined;
    return { ...read, fallback: { value: evaluate(assign.node.right, assign.scope), op: '||' } };
  }
  if (node.type === 'LogicalExpression' && (node.operator === '??' || node.operator === '||')) {
    const read = metadataReadOf(ctx, node.left, scope, thisField, depth + 1);
    if (!read || read.fallback) return undefined;
    return { ...read, fallback: { value: evaluate(node.right, scope), op: node.operator }, span: ctx.span(node), text: sourceOf(ctx, node) };
  }
  if (node.type !== 'CallExpression') return undefined;
  const callee = unwrap(node.callee);
  if (callee?.type !== 'MemberExpression' || callee.computed) return undefined;
  const method = keyName(callee.property, false);
  const isReflectApi = unwrap(callee.object)?.type === 'Identifier' && unwrap(callee.object)!.name === 'Reflect' && method === 'getMetadata';
  if (method !== 'get' && method !== 'getAllAndOverride' && !isReflectApi) return undefined;
  const [keyNode, targetNode] = node.arguments as AstNode[];
  const targets = metadataTargets(targetNode, method === 'getAllAndOverride');
  if (!keyNode || !targets) return undefined;
  return { key: ctx.values.evaluate(keyNode, scope), targets, span: ctx.span(node), text: sourceOf(ctx, node) };
}

/** `context.getHandler()` → handler; `context.getClass()` → class; `[context.getHandler(), context.getClass()]` (getAllAndOverride) → both, in order. */
function metadataTargets(raw: AstNode | undefined, list: boolean): Array<'handler' | 'class'> | undefined {
  const one = (n: AstNode | undefined): 'handler' | 'class' | undefined => {
    const call = unwrap(n);
    const callee = call?.type === 'CallExpression' ? unwrap(call.callee) : undefined;
    const name = callee?.type === 'MemberExpression' ? keyName(callee.property, callee.computed) : undefined;
    return name === 'getHandler' ? 'handler' : name === 'getClass' ? 'class' : undefined;
  };
  const node = unwrap(raw);
  if (list && node?.type === 'ArrayExpression') {
    const targets = (node.elements as AstNode[]).map(one);
    return targets.length > 0 && targets.every((t) => t !== undefined) ? (targets as Array<'handler' | 'class'>) : undefined;
  }
  const target = one(node);
  return target ? [target] : undefined;
}

function sourceOf(ctx: FactsContext, node: AstNode): string {
  return ctx.tsFile.text.slice(node.start ?? 0, node.end ?? 0);
}

function mentions(raw: AstNode | undefined, name: string): boolean {
  const node = unwrap(raw);
  if (!node || typeof node !== 'object') return false;
  if (node.type === 'Identifier') return node.name === name;
  for (const key of Object.keys(node)) {
    if (key === 'loc' || key === 'start' || key === 'end' || key === 'leadingComments' || key === 'trailingComments') continue;
    const child = (node as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      if (child.some((c) => c && typeof c === 'object' && mentions(c as AstNode, name))) return true;
    } else if (child && typeof child === 'object' && (child as AstNode).type && mentions(child as AstNode, name)) return true;
  }
  return false;
}

/**
 * The statements of `intercept` that return before the timeout applies, with the metadata their
 * condition reads (`if (this.reflector.get(NO_TIMEOUT_KEY, context.getHandler())) return next.handle();`).
 * Undefined when an early return depends on something else (then which routes get the delay is not known).
 * A check of `context.getType()` only tells HTTP from RPC and websockets: routes are HTTP.
 */
export function skipReadsOf(ctx: FactsContext, method: AstNode, timeoutCall: AstNode, scope: Scope): TsMetadataRead[] | undefined {
  const out: TsMetadataRead[] = [];
  for (const statement of (method.body?.body ?? []) as AstNode[]) {
    if (statement.type !== 'IfStatement') continue;
    if (!returnsEarly(statement.consequent, timeoutCall)) continue;
    // `if (reflector.get(NO_TIMEOUT_KEY, …))`: a negated or combined condition is not read.
    const read = metadataReadOf(ctx, statement.test, scope);
    if (read && !read.fallback) {
      out.push(read);
      continue;
    }
    if (/\bgetType\s*\(/.test(sourceOf(ctx, statement.test))) continue;
    return undefined;
  }
  return out;
}

/** True when the branch returns without going through the timeout call. */
function returnsEarly(raw: AstNode | undefined, timeoutCall: AstNode): boolean {
  const node = unwrap(raw);
  if (!node) return false;
  const statements = node.type === 'BlockStatement' ? (node.body as AstNode[]) : [node];
  const last = statements[statements.length - 1];
  if (last?.type !== 'ReturnStatement') return false;
  const start = timeoutCall.start ?? -1;
  return !((last.start ?? 0) <= start && start < (last.end ?? 0));
}

/**
 * The file's functions that make metadata decorators: `export const Timeout = (ms: number) =>
 * SetMetadata(TIMEOUT_KEY, ms)`, `export function Timeout(ms?: number) { return
 * applyDecorators(SetMetadata(TIMEOUT_KEY, ms), UseInterceptors(TimeoutInterceptor)); }`.
 */
export function readMetadataDecorators(ctx: FactsContext, exportedNames: (name: string) => string[], interceptorUse: (node: AstNode, scope: Scope) => TsInterceptorUse | undefined): TsMetadataDecorator[] {
  const out: TsMetadataDecorator[] = [];
  const scope = ctx.walk.moduleScope;
  for (const raw of (ctx.tsFile.program?.body ?? []) as AstNode[]) {
    const statement = raw.type === 'ExportNamedDeclaration' || raw.type === 'ExportDefaultDeclaration' ? raw.declaration : raw;
    if (!statement) continue;
    const candidates: Array<{ name: string; fn: AstNode }> = [];
    if (statement.type === 'FunctionDeclaration' && statement.id) candidates.push({ name: statement.id.name, fn: statement });
    if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations as AstNode[]) {
        const init = unwrap(declarator.init);
        if (declarator.id?.type === 'Identifier' && (init?.type === 'ArrowFunctionExpression' || init?.type === 'FunctionExpression')) candidates.push({ name: declarator.id.name, fn: init });
      }
    }
    for (const { name, fn } of candidates) {
      const returned = returnedExpression(fn);
      if (!returned) continue;
      const params = (fn.params ?? []) as AstNode[];
      const decorator: TsMetadataDecorator = { name, exports: exportedNames(name), sets: [], interceptors: [], span: ctx.span(fn) };
      const parts = isNestCommon(scope, returned.callee, 'applyDecorators') ? (returned.arguments as AstNode[]) : [returned];
      for (const part of parts) {
        const call = unwrap(part);
        if (call?.type !== 'CallExpression') continue;
        if (isNestCommon(scope, call.callee, 'SetMetadata')) {
          const [keyNode, valueNode] = call.arguments as AstNode[];
          if (!keyNode) continue;
          const value = unwrap(valueNode);
          const index = value?.type === 'Identifier' ? params.findIndex((p) => paramName(p) === value.name) : -1;
          if (index >= 0) {
            const param = unwrap(params[index]);
            const fallback = param?.type === 'AssignmentPattern' ? { default: ctx.values.evaluate(param.right, scope) } : {};
            decorator.sets.push({ key: ctx.values.evaluate(keyNode, scope), param: { index, ...fallback } });
          } else {
            // Absent (`SetMetadata(KEY)`) stores undefined; the interceptor's fallback applies.
            decorator.sets.push({ key: ctx.values.evaluate(keyNode, scope), ...(valueNode ? { value: ctx.values.evaluate(valueNode, scope) } : {}) });
          }
        } else if (isNestCommon(scope, call.callee, 'UseInterceptors')) {
          for (const argument of call.arguments as AstNode[]) {
            const use = interceptorUse(argument, scope);
            if (use) decorator.interceptors.push(use);
          }
        }
      }
      if (decorator.sets.length > 0 || decorator.interceptors.length > 0) out.push(decorator);
    }
  }
  return out;
}

function paramName(raw: AstNode | undefined): string | undefined {
  let node = unwrap(raw);
  if (node?.type === 'AssignmentPattern') node = unwrap(node.left);
  return node?.type === 'Identifier' ? node.name : undefined;
}

/** The call a decorator factory returns: its expression body, or the last statement of its block when that is a return. */
function returnedExpression(fn: AstNode): AstNode | undefined {
  const body = fn.body;
  const expression = body?.type === 'BlockStatement' ? ((body.body as AstNode[]).at(-1)?.type === 'ReturnStatement' ? (body.body as AstNode[]).at(-1)!.argument : undefined) : body;
  const call = unwrap(expression);
  return call?.type === 'CallExpression' ? call : undefined;
}

/**
 * Decorators on a controller class or a handler that may set metadata: calls of a function of the
 * workspace (imported or this file's own; never one of a `@nestjs/` package) and `@SetMetadata(key, value)`.
 */
export function decoratorUsesOf(ctx: FactsContext, node: AstNode, on: 'handler' | 'class'): TsDecoratorUse[] {
  const out: TsDecoratorUse[] = [];
  const scope = ctx.walk.moduleScope;
  for (const decorator of (node.decorators ?? []) as AstNode[]) {
    const call = unwrap(decorator.expression);
    if (call?.type !== 'CallExpression') continue;
    const callee = unwrap(call.callee);
    if (callee?.type !== 'Identifier') continue;
    const binding = scope.lookup(callee.name);
    const args = (call.arguments as AstNode[]).map((a) => ctx.values.evaluate(a, scope));
    const base = { on, span: ctx.span(decorator), text: `@${sourceOf(ctx, call)}` };
    if (isNestCommon(scope, callee, 'SetMetadata')) {
      if (args[0]) out.push({ ...base, args, setMetadata: { key: args[0], value: args[1] ?? { kind: 'unknown', span: base.span, reason: 'absent' } } });
      continue;
    }
    let ref: TsImportRef | undefined;
    if (binding?.kind === 'import') ref = binding.import!.module.startsWith('@nestjs/') ? undefined : binding.import!;
    else if (binding && binding.scope === scope && (binding.kind === 'function' || binding.kind === 'const')) ref = { module: '.', name: binding.name };
    if (ref) out.push({ ...base, ref, args });
  }
  return out;
}

/** A metadata decorator a use names, with the file it is written in. */
interface PlacedDecorator {
  file: FileId;
  decorator: TsMetadataDecorator;
}

function decoratorOf(lookup: TsLookup, file: FileId, use: TsDecoratorUse): PlacedDecorator | undefined {
  if (!use.ref) return undefined;
  const local = use.ref.module === '.';
  const target = local ? { file, name: use.ref.name } : resolveExportTarget(lookup, file, use.ref);
  if (!target) return undefined;
  const decorator = lookup.get(target.file)?.metadataDecorators?.find((d) => (local ? d.name === target.name : d.exports.includes(target.name)));
  return decorator ? { file: target.file, decorator } : undefined;
}

/** Interceptors that decorators of the route apply along with their metadata (`applyDecorators(SetMetadata(…), UseInterceptors(TimeoutInterceptor))`). */
export function decoratorInterceptors(lookup: TsLookup, file: FileId, route: TsRoute): Array<{ file: FileId; use: TsInterceptorUse; by: TsDecoratorUse }> {
  const out: Array<{ file: FileId; use: TsInterceptorUse; by: TsDecoratorUse }> = [];
  // Nest runs the controller's interceptors before the handler's.
  const uses = [...(route.nestDecorators ?? [])].sort((a, b) => (a.on === b.on ? 0 : a.on === 'class' ? -1 : 1));
  for (const use of uses) {
    const placed = decoratorOf(lookup, file, use);
    for (const interceptor of placed?.decorator.interceptors ?? []) out.push({ file: placed!.file, use: interceptor, by: use });
  }
  return out;
}

/** A key as a string, following imported constants (`TIMEOUT_KEY` from the decorator's module). */
function keyString(lookup: TsLookup, value: TsValue, file: FileId): string | undefined {
  const resolved = value.kind === 'import' ? resolveImportedValue(lookup, value.span.file || file, value) : value;
  return resolved.kind === 'string' ? resolved.value : undefined;
}

/** What the route's decorators store under `key` on one target: found (the value, absent when stored undefined) or not. */
interface StoredValue {
  value?: TsValue;
  use: TsDecoratorUse;
}

function storedValue(lookup: TsLookup, file: FileId, route: TsRoute, key: string, target: 'handler' | 'class'): StoredValue | undefined {
  let found: StoredValue | undefined;
  // Decorators apply bottom-up, so of two that set the key, the one written first (top) is applied last and wins.
  for (const use of (route.nestDecorators ?? []).filter((u) => u.on === target).reverse()) {
    if (use.setMetadata) {
      if (keyString(lookup, use.setMetadata.key, file) === key) found = { value: use.setMetadata.value, use };
      continue;
    }
    const placed = decoratorOf(lookup, file, use);
    for (const set of placed?.decorator.sets ?? []) {
      if (keyString(lookup, set.key, placed!.file) !== key) continue;
      const value = set.param ? (use.args[set.param.index] ?? set.param.default) : set.value;
      found = value ? { value, use } : { use };
    }
  }
  return found;
}

/** The first of the interceptor's targets that stores the key. */
function readFor(lookup: TsLookup, file: FileId, route: TsRoute, read: TsMetadataRead, interceptorFile: FileId): StoredValue | 'unknown-key' | undefined {
  const key = keyString(lookup, read.key, interceptorFile);
  if (key === undefined) return 'unknown-key';
  // getAllAndOverride passes over a target that stores undefined (`@Timeout()` with no delay) to the next.
  let storedUndefined: StoredValue | undefined;
  for (const target of read.targets) {
    const stored = storedValue(lookup, file, route, key, target);
    if (stored?.value) return stored;
    storedUndefined ??= stored;
  }
  return storedUndefined;
}

/** A value that is surely falsy (`0`, `false`, `''`), for `||` fallbacks and skip conditions. */
function falsy(value: TsValue | undefined): boolean | undefined {
  if (!value) return true;
  if (value.kind === 'number' || value.kind === 'string' || value.kind === 'boolean') return !value.value;
  return undefined;
}

export interface MetadataDelay {
  value: TsValue;
  /** Where the value came from, for evidence: the decorator that stored it, or the interceptor's fallback. */
  via: { text: string; span: Span };
}

/**
 * The delay a metadata-reading interceptor applies to the route: what the route's decorators store
 * (the handler's, then the controller's, as the read asks), else the interceptor's fallback.
 * Undefined when the route skips the interceptor, or when the delay cannot be known (a key or a
 * stored value that cannot be read).
 */
export function metadataDelay(lookup: TsLookup, file: FileId, route: TsRoute, interceptor: TsTimeoutInterceptor, interceptorFile: FileId): MetadataDelay | undefined {
  const read = interceptor.metadata;
  if (!read) return undefined;
  for (const skip of interceptor.skipWhen ?? []) {
    const stored = readFor(lookup, file, route, skip, interceptorFile);
    if (stored === 'unknown-key') return undefined;
    const isFalsy = stored ? falsy(stored.value) : true;
    // A route that stores a truthy (or unknown) value may skip the timeout: no deadline is claimed.
    if (isFalsy !== true) return undefined;
  }
  const stored = readFor(lookup, file, route, read, interceptorFile);
  if (stored === 'unknown-key') return undefined;
  const useFallback = !stored || !stored.value || (read.fallback?.op === '||' && falsy(stored.value) === true);
  if (!useFallback) return { value: stored!.value!, via: { text: `${stored!.use.text} sets it (${read.text} reads it)`, span: stored!.use.span } };
  if (!read.fallback) return undefined;
  const why = stored ? `${stored.use.text} stores no delay` : 'no decorator of the route sets it';
  return { value: read.fallback.value, via: { text: `${why}, so ${read.text} falls back to ${ctxText(read.fallback.value)}`, span: stored ? stored.use.span : read.span } };
}

function ctxText(value: TsValue): string {
  return value.kind === 'number' ? value.text : value.kind === 'string' ? JSON.stringify(value.value) : value.kind === 'import' ? [value.name, ...(value.path ?? [])].join('.') : value.kind === 'env' ? `$${value.name}` : 'its default';
}
