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

/** Where a read is made: the interceptor's fields (for a fallback `?? this.defaultTimeout`) and its `intercept` method. */
export interface ReadSite {
  thisField?: (name: string) => TsValue | undefined;
  method?: AstNode;
}

/**
 * The Reflector read a `timeout(…)` argument comes from, with its fallback: `reflector.get(K,
 * context.getHandler()) ?? D`, through `const` names, or `let t = reflector.get(…); if (!t) t = D`.
 */
export function metadataReadOf(ctx: FactsContext, raw: AstNode | undefined, scope: Scope, site: ReadSite = {}, depth = 0): TsMetadataRead | undefined {
  const evaluate = (n: AstNode | undefined, s: Scope): TsValue => {
    const e = unwrap(n);
    const field = e?.type === 'MemberExpression' && unwrap(e.object)?.type === 'ThisExpression' && !e.computed ? keyName(e.property, false) : undefined;
    return (field !== undefined ? site.thisField?.(field) : undefined) ?? ctx.values.evaluate(n, s);
  };
  const node = unwrap(raw);
  if (!node || depth > MAX_READ_DEPTH) return undefined;
  if (node.type === 'Identifier') {
    const binding = scope.lookup(node.name);
    if (!binding?.init) return undefined;
    const read = metadataReadOf(ctx, binding.init, binding.scope, site, depth + 1);
    if (!read || binding.kind === 'const') return read;
    if (binding.kind !== 'mutable') return undefined;
    const assigns = binding.events.filter((e) => e.kind === 'assign');
    if (assigns.length === 0) return read;
    // `let t = reflector.get(…); if (!t) { t = 600_000; }`: the one assignment, alone in an `if` that
    // tests `t` for a missing value, is the fallback; any other assignment (a clamp) makes it unknown.
    const assign = assigns[0]!;
    if (assigns.length > 1 || read.fallback || assign.path.length > 0 || assign.node.operator !== '=' || mentions(assign.node.right, node.name)) return undefined;
    const op = site.method ? fallbackGuardOf(site.method, assign.node, node.name) : undefined;
    return op ? { ...read, fallback: { value: evaluate(assign.node.right, assign.scope), op } } : undefined;
  }
  if (node.type === 'LogicalExpression' && (node.operator === '??' || node.operator === '||')) {
    const read = metadataReadOf(ctx, node.left, scope, site, depth + 1);
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

/**
 * How an `if` around the fallback assignment tests the name: `!t` replaces any falsy value (`||`),
 * `t === undefined` / `t == null` only a missing one (`??`). Undefined when the assignment is not
 * the whole branch of such an `if` (`if (t > 30_000) t = 30_000` is a clamp, not a fallback).
 */
function fallbackGuardOf(method: AstNode, assignment: AstNode, name: string): '??' | '||' | undefined {
  let found: '??' | '||' | undefined;
  const isName = (n: AstNode | undefined) => unwrap(n)?.type === 'Identifier' && unwrap(n)!.name === name;
  // The Reflector answers undefined for a key nothing set: `=== null` never holds, `== null` does.
  const isMissing = (n: AstNode | undefined, loose: boolean) => {
    const e = unwrap(n);
    return (e?.type === 'Identifier' && e.name === 'undefined') || (loose && e?.type === 'NullLiteral');
  };
  // Only an `if` among the method's own statements: one nested in another condition does not always run.
  for (const node of (method.body?.body ?? []) as AstNode[]) {
    if (found) break;
    if (node.type === 'IfStatement' && !node.alternate) {
      const branch = unwrap(node.consequent);
      const statements = branch?.type === 'BlockStatement' ? (branch.body as AstNode[]) : branch ? [branch] : [];
      const only = statements.length === 1 && statements[0]!.type === 'ExpressionStatement' ? unwrap(statements[0]!.expression) : undefined;
      if (only === assignment) {
        const test = unwrap(node.test);
        const loose = test?.type === 'BinaryExpression' && test.operator === '==';
        if (test?.type === 'UnaryExpression' && test.operator === '!' && isName(test.argument)) found = '||';
        else if (test?.type === 'BinaryExpression' && ['===', '=='].includes(test.operator) && ((isName(test.left) && isMissing(test.right, loose)) || (isName(test.right) && isMissing(test.left, loose)))) found = '??';
      }
    }
  }
  return found;
}

/** The statements directly inside a statement (blocks, branches, loops, try), never inside nested functions. */
function statementChildren(node: AstNode): AstNode[] {
  switch (node.type) {
    case 'BlockStatement':
      return node.body as AstNode[];
    case 'IfStatement':
      return [node.consequent, node.alternate].filter(Boolean) as AstNode[];
    case 'TryStatement':
      return [node.block, node.handler?.body, node.finalizer].filter(Boolean) as AstNode[];
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement':
    case 'WhileStatement':
    case 'DoWhileStatement':
    case 'LabeledStatement':
      return [node.body];
    case 'SwitchStatement':
      return (node.cases as AstNode[]).flatMap((c) => c.consequent as AstNode[]);
    default:
      return [];
  }
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
 * The metadata that makes `intercept` return before the timeout applies, read from its `if`s
 * (`if (this.reflector.get(NO_TIMEOUT_KEY, context.getHandler())) return next.handle();`).
 * Undefined when which routes get the timeout cannot be told: a return without it under any other
 * condition (the request's URL, a negated or combined read), one after the `if`s, or the timeout
 * under a `?:` or `&&`. A check that the context is not HTTP (`context.getType() !== 'http'`) is
 * passed over: routes are HTTP.
 */
export function skipReadsOf(ctx: FactsContext, method: AstNode, timeoutCall: AstNode, scope: Scope): TsMetadataRead[] | undefined {
  const out: TsMetadataRead[] = [];
  const topLevel = (method.body?.body ?? []) as AstNode[];
  for (const ret of returnsOf(method.body)) {
    const argument = unwrap(ret.argument);
    if (argument && within(timeoutCall, argument)) {
      if (!reachesDirectly(argument, timeoutCall)) return undefined;
      continue;
    }
    // A return without the timeout: only as the last statement of a top-level `if` with no `else`.
    const guard = topLevel.find((statement) => statement.type === 'IfStatement' && !statement.alternate && lastStatementOf(statement.consequent) === ret);
    if (!guard) return undefined;
    if (isNotHttpCheck(guard.test, paramName((method.params as AstNode[] | undefined)?.[0]))) continue;
    const read = metadataReadOf(ctx, guard.test, scope);
    if (!read || read.fallback) return undefined;
    out.push(read);
  }
  return out;
}

function within(inner: AstNode, outer: AstNode): boolean {
  return (outer.start ?? 0) <= (inner.start ?? -1) && (inner.end ?? -1) <= (outer.end ?? 0);
}

/** Every `return` of a function body, outside the functions nested in it. */
function returnsOf(body: AstNode | undefined): AstNode[] {
  const out: AstNode[] = [];
  const visit = (node: AstNode | undefined): void => {
    if (!node) return;
    if (node.type === 'ReturnStatement') out.push(node);
    else for (const child of statementChildren(node)) visit(child);
  };
  visit(body);
  return out;
}

function lastStatementOf(raw: AstNode | undefined): AstNode | undefined {
  const node = unwrap(raw);
  return node?.type === 'BlockStatement' ? (node.body as AstNode[]).at(-1) : node;
}

/** True when the returned value is the timeout's pipe itself: reached through calls and members only, never a branch of `?:`, `&&` or `||`. */
function reachesDirectly(raw: AstNode | undefined, target: AstNode): boolean {
  const node = unwrap(raw);
  if (!node) return false;
  if (node === target) return true;
  if (node.type === 'CallExpression' || node.type === 'OptionalCallExpression') {
    // Into the operators of `.pipe(…)` only: another call's arguments may be branches (`iif(test, a, b)`).
    const callee = unwrap(node.callee);
    const isPipe = (callee?.type === 'MemberExpression' || callee?.type === 'OptionalMemberExpression') && !callee.computed && keyName(callee.property, false) === 'pipe';
    return reachesDirectly(node.callee, target) || (isPipe && (node.arguments as AstNode[]).some((a) => reachesDirectly(a, target)));
  }
  if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') return reachesDirectly(node.object, target);
  if (node.type === 'AwaitExpression') return reachesDirectly(node.argument, target);
  return false;
}

/** `context.getType() !== 'http'` (either side, `!=` too). */
function isNotHttpCheck(raw: AstNode | undefined, context: string | undefined): boolean {
  const test = unwrap(raw);
  if (!context || test?.type !== 'BinaryExpression' || (test.operator !== '!==' && test.operator !== '!=')) return false;
  // `context.getType()` on intercept's own ExecutionContext parameter.
  const isGetType = (n: AstNode | undefined) => {
    const call = unwrap(n);
    const callee = call?.type === 'CallExpression' ? unwrap(call.callee) : undefined;
    const receiver = callee?.type === 'MemberExpression' ? unwrap(callee.object) : undefined;
    return callee?.type === 'MemberExpression' && !callee.computed && keyName(callee.property, false) === 'getType' && call!.arguments.length === 0 && receiver?.type === 'Identifier' && receiver.name === context;
  };
  const isHttp = (n: AstNode | undefined) => unwrap(n)?.type === 'StringLiteral' && unwrap(n)!.value === 'http';
  return (isGetType(test.left) && isHttp(test.right)) || (isGetType(test.right) && isHttp(test.left));
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
      // A TypeScript `this` parameter is a type annotation, not an argument.
      const params = ((fn.params ?? []) as AstNode[]).filter((p) => paramName(p) !== 'this');
      const applies = isNestCommon(scope, returned.callee, 'applyDecorators');
      if (!applies && !isNestCommon(scope, returned.callee, 'SetMetadata')) continue;
      // Every factory of Nest decorators is kept, even one that stores nothing: a route decorator the
      // workspace defines and that is not here is one whose metadata cannot be known (nestDelay).
      const decorator: TsMetadataDecorator = { name, exports: exportedNames(name), sets: [], interceptors: [], span: ctx.span(fn) };
      const names = params.map(paramName);
      for (const part of applies ? (returned.arguments as AstNode[]) : [returned]) {
        const call = unwrap(part);
        const callee = call?.type === 'CallExpression' ? unwrap(call.callee) : undefined;
        if (!call || call.type !== 'CallExpression' || !callee) {
          decorator.opaque ??= `it applies ${sourceOf(ctx, part)}`;
          continue;
        }
        if (isNestCommon(scope, callee, 'SetMetadata')) {
          const [keyNode, valueNode] = call.arguments as AstNode[];
          if (!keyNode) continue;
          const value = unwrap(valueNode);
          const index = value?.type === 'Identifier' ? names.indexOf(value.name) : -1;
          const key = ctx.values.evaluate(keyNode, scope);
          if (index >= 0) {
            const param = unwrap(params[index]);
            const fallback = param?.type === 'AssignmentPattern' ? { default: ctx.values.evaluate(param.right, scope) } : {};
            decorator.sets.push({ key, param: { index, ...fallback } });
          } else if (valueNode && names.some((n) => n !== undefined && mentions(valueNode, n))) {
            // `SetMetadata(KEY, seconds * 1000)`: computed from an argument, so not known here.
            decorator.sets.push({ key, value: { kind: 'unknown', span: ctx.span(valueNode), reason: 'computed-from-parameter' } });
          } else {
            // Absent (`SetMetadata(KEY)`) stores undefined; the interceptor's fallback applies.
            decorator.sets.push({ key, ...(valueNode ? { value: ctx.values.evaluate(valueNode, scope) } : {}) });
          }
        } else if (isNestCommon(scope, callee, 'UseInterceptors')) {
          for (const argument of call.arguments as AstNode[]) {
            const use = interceptorUse(argument, scope);
            if (use) decorator.interceptors.push(use);
          }
        } else if (!isNestPackage(scope, callee)) {
          decorator.opaque ??= `it applies ${sourceOf(ctx, call)}`;
        }
      }
      out.push(decorator);
    }
  }
  return out;
}

/** A decorator from one of Nest's packages (`UseGuards`, `ApiBearerAuth`): it stores nothing an interceptor of the workspace reads. */
function isNestPackage(scope: Scope, raw: AstNode): boolean {
  const callee = unwrap(raw);
  if (callee?.type !== 'Identifier') return false;
  const binding = scope.lookup(callee.name);
  return binding?.kind === 'import' && binding.import!.module.startsWith('@nestjs/');
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
    const expression = unwrap(decorator.expression);
    if (!expression) continue;
    const call = expression.type === 'CallExpression' ? expression : undefined;
    const callee = unwrap(call ? call.callee : expression);
    const args = call ? (call.arguments as AstNode[]).map((a) => ctx.values.evaluate(a, scope)) : [];
    const base = { on, span: ctx.span(decorator), text: `@${sourceOf(ctx, expression)}`, args };
    // What a decorator written another way stores is not read (`@Fast` for a SetMetadata result, `@(cond ? A : B)()`).
    const opaque = () => out.push({ ...base, opaque: true });
    if (callee?.type === 'Identifier') {
      const binding = scope.lookup(callee.name);
      if (call && isNestCommon(scope, callee, 'SetMetadata')) {
        if (args[0]) out.push({ ...base, setMetadata: { key: args[0], value: args[1] ?? { kind: 'unknown', span: base.span, reason: 'absent' } } });
        continue;
      }
      if (binding?.kind === 'import' && binding.import!.module.startsWith('@nestjs/')) continue;
      if (!call) opaque();
      else if (binding?.kind === 'import') out.push({ ...base, ref: binding.import! });
      else if (binding && binding.scope === scope && (binding.kind === 'function' || binding.kind === 'const')) out.push({ ...base, ref: { module: '.', name: binding.name } });
      else opaque();
      continue;
    }
    // `@D.Timeout(30_000)` with `import * as D from './timeout'`.
    const object = callee?.type === 'MemberExpression' && !callee.computed ? unwrap(callee.object) : undefined;
    const binding = object?.type === 'Identifier' ? scope.lookup(object.name) : undefined;
    if (binding?.kind === 'import' && binding.import!.module.startsWith('@nestjs/')) continue;
    const property = callee?.type === 'MemberExpression' ? keyName(callee.property, callee.computed) : undefined;
    if (call && binding?.kind === 'import' && binding.import!.name === '*' && property) out.push({ ...base, ref: { module: binding.import!.module, name: property } });
    else opaque();
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

/** What the route stores cannot be known: why, and the decorator (or read) that makes it so. */
interface UnknownStore {
  unknown: string;
  span: Span;
}

/**
 * What the decorators of one target store under `key`: the value (absent when stored undefined),
 * nothing, or unknown when a decorator applied after any that set it is one whose metadata cannot
 * be read (from a package outside the workspace, or one that applies such a decorator itself).
 */
function storedValue(lookup: TsLookup, file: FileId, route: TsRoute, key: string, target: 'handler' | 'class'): StoredValue | UnknownStore | undefined {
  let found: StoredValue | UnknownStore | undefined;
  // Decorators apply bottom-up, so of two that set the key, the one written first (top) is applied last and wins.
  for (const use of (route.nestDecorators ?? []).filter((u) => u.on === target).reverse()) {
    if (use.setMetadata) {
      const written = keyString(lookup, use.setMetadata.key, file);
      if (written === undefined) found = { unknown: `the key ${use.text} stores under is not known here`, span: use.span };
      else if (written === key) found = { value: use.setMetadata.value, use };
      continue;
    }
    const placed = use.opaque ? undefined : decoratorOf(lookup, file, use);
    if (!placed || placed.decorator.opaque) {
      found = { unknown: `what ${use.text} stores is not known here`, span: use.span };
      continue;
    }
    for (const set of placed.decorator.sets) {
      const written = keyString(lookup, set.key, placed.file);
      if (written === undefined) found = { unknown: `the key ${use.text} stores under is not known here`, span: use.span };
      if (written !== key) continue;
      const value = set.param ? (use.args[set.param.index] ?? set.param.default) : set.value;
      found = value ? { value, use } : { use };
    }
  }
  return found;
}

/** The first of the interceptor's targets that stores the key. */
function readFor(lookup: TsLookup, file: FileId, route: TsRoute, read: TsMetadataRead, interceptorFile: FileId): StoredValue | UnknownStore | undefined {
  const key = keyString(lookup, read.key, interceptorFile);
  if (key === undefined) return { unknown: `the key ${read.text} reads is not known here`, span: read.span };
  // getAllAndOverride passes over a target that stores undefined (`@Timeout()` with no delay) to the next.
  let storedUndefined: StoredValue | undefined;
  for (const target of read.targets) {
    const stored = storedValue(lookup, file, route, key, target);
    if (stored && 'unknown' in stored) return stored;
    if (stored?.value && !storesNothing(stored.value)) return stored;
    storedUndefined ??= stored;
  }
  return storedUndefined;
}

/**
 * A value that is surely falsy (`0`, `false`, `''`, nothing stored: `@SetMetadata(KEY)`) or surely
 * truthy (a non-zero number, a non-empty string, `true`, an object), for `||` fallbacks and skip
 * conditions; undefined when it is not known.
 */
function falsy(value: TsValue | undefined): boolean | undefined {
  if (!value) return true;
  if (storesNothing(value)) return true;
  if (value.kind === 'number' || value.kind === 'string' || value.kind === 'boolean') return !value.value;
  if (value.kind === 'object') return false;
  return undefined;
}

/** `@SetMetadata(KEY)` with no value stores undefined (read as such, and passed over by getAllAndOverride). */
function storesNothing(value: TsValue): boolean {
  return value.kind === 'unknown' && value.reason === 'absent';
}

/** A stored value as written, or the constant an imported name stands for (`export const SKIP = true`). */
function storedConstant(lookup: TsLookup, file: FileId, value: TsValue | undefined): TsValue | undefined {
  return value?.kind === 'import' ? resolveImportedValue(lookup, value.span.file || file, value) : value;
}

export interface MetadataDelay {
  value: TsValue;
  /** Where the value came from, for evidence: the decorator that stored it, or the interceptor's fallback. */
  via: { text: string; span: Span };
  /** Why the route may skip the timeout altogether (a skip flag it stores that is not known here). */
  maySkip?: { text: string; span: Span };
}

/**
 * The delay a metadata-reading interceptor applies to the route: what the route's decorators store
 * (the handler's, then the controller's, as the read asks), else the interceptor's fallback;
 * undefined when the route surely skips the timeout (any skip check it surely meets); an unknown
 * value (with why) when what the route stores under the delay's key cannot be read. A skip check
 * whose answer is not known makes the delay one the route may skip (`maySkip`).
 */
export function metadataDelay(lookup: TsLookup, file: FileId, route: TsRoute, interceptor: TsTimeoutInterceptor, interceptorFile: FileId): MetadataDelay | undefined {
  let maySkip: MetadataDelay['maySkip'];
  // Each check returns before the timeout: one the route surely meets skips it, whatever the others say.
  for (const skip of interceptor.skipWhen ?? []) {
    const stored = readFor(lookup, file, route, skip, interceptorFile);
    if (stored && 'unknown' in stored) {
      maySkip ??= { text: `the route may skip it: ${stored.unknown}`, span: stored.span };
      continue;
    }
    const isFalsy = stored ? falsy(storedConstant(lookup, file, stored.value)) : true;
    if (isFalsy === false) return undefined;
    if (isFalsy === undefined) maySkip ??= { text: `the route may skip it: ${stored!.use.text} stores a value for ${skip.text} that is not known here`, span: stored!.use.span };
  }
  const delay = delayOf(lookup, file, route, interceptor, interceptorFile);
  if (!delay) return undefined;
  return maySkip && delay.value.kind !== 'unknown' ? { ...delay, maySkip } : delay;
}

function delayOf(lookup: TsLookup, file: FileId, route: TsRoute, interceptor: TsTimeoutInterceptor, interceptorFile: FileId): MetadataDelay | undefined {
  const read = interceptor.metadata;
  if (!read) {
    // A fixed delay behind skip conditions the route does not meet.
    return interceptor.value ? { value: interceptor.value, via: { text: 'no decorator of the route skips it', span: interceptor.span } } : undefined;
  }
  const stored = readFor(lookup, file, route, read, interceptorFile);
  if (stored && 'unknown' in stored) return { value: { kind: 'unknown', span: stored.span, reason: 'metadata' }, via: { text: `the delay is not known: ${stored.unknown}`, span: stored.span } };
  // `@SetMetadata(KEY)` stores undefined: `??` and `||` both fall back.
  const nothing = !stored || !stored.value || storesNothing(stored.value);
  const useFallback = nothing || (read.fallback?.op === '||' && falsy(storedConstant(lookup, file, stored!.value)) === true);
  if (!useFallback) return { value: stored!.value!, via: { text: `${stored!.use.text} sets it (${read.text} reads it)`, span: stored!.use.span } };
  if (!read.fallback) return undefined;
  const why = stored ? `${stored.use.text} stores no delay` : 'no decorator of the route sets it';
  return { value: read.fallback.value, via: { text: `${why}, so ${read.text} falls back to ${ctxText(read.fallback.value)}`, span: stored ? stored.use.span : read.span } };
}

function ctxText(value: TsValue): string {
  return value.kind === 'number' ? value.text : value.kind === 'string' ? JSON.stringify(value.value) : value.kind === 'import' ? [value.name, ...(value.path ?? [])].join('.') : value.kind === 'env' ? `$${value.name}` : value.kind === 'env-choice' ? `the branch a $${value.name} test picks` : 'its default';
}
