// Middlewares that answer a request themselves once a timer runs out, whatever the handler is still
// doing: `connect-timeout` (Express, 503 "Response timeout", facts §11.2) and Hono's built-in
// `timeout` from `hono/timeout` (504 "Gateway Timeout" by default). Both stop waiting once the
// response has started (connect-timeout clears its timer when headers are sent; Hono's races the
// handler's returned Response, which a stream returns at once), so they bound the time to the
// response headers, not a stream's body.
import { unwrap, type AstNode } from './ast.js';
import type { FactsContext } from './context.js';
import type { Scope } from './scope.js';
import type { TsFunction, TsMiddlewareDeadline, TsValue } from './types.js';
import type { Span } from '../../types.js';
import { parseMsPackage } from './values.js';

/** connect-timeout's delay when `timeout()` is called without one (facts §11.2). */
const CONNECT_TIMEOUT_DEFAULT_MS = 5000;

/**
 * The deadline a middleware expression sets (`timeout('30s')`), or undefined when it is not one of the
 * known deadline middlewares. A call of a same-file function that returns one (a deadline factory) is
 * read with its arguments; a call of an imported workspace function is left for the link step.
 */
export function readDeadlineMiddleware(ctx: FactsContext, raw: AstNode | undefined, scope: Scope): TsMiddlewareDeadline | undefined {
  const node = unwrap(raw);
  if (node?.type !== 'CallExpression') return undefined;
  const callee = ctx.callee({ node, scope });
  const span = ctx.span(node);
  const written = ctx.tsFile.text.slice(node.start ?? 0, node.end ?? 0);
  const args = () => (node.arguments as AstNode[]).map((a) => ctx.values.evaluate(a, scope));
  if (callee.root.kind === 'function' && callee.path.length === 0) {
    const factory = ctx.facts.functions[callee.root.functionId]?.deadlineFactory;
    return factory ? fromFactory(factory, args(), span, written) : undefined;
  }
  if (callee.root.kind !== 'imported' || callee.path.length > 0) return undefined;
  const { module, name } = callee.root.ref;
  // A workspace module's function (`timeoutMiddleware('120s')`, imported from a file of the workspace): the link step reads it.
  if (module.startsWith('.') || module.startsWith('/')) {
    return { middleware: 'imported', factory: { ref: callee.root.ref, args: args() }, value: { kind: 'unknown', span }, source: 'set', span, text: written };
  }
  const first = unwrap(node.arguments[0] as AstNode | undefined);
  const middleware = middlewareOfImport(module, name);
  if (middleware === 'connect-timeout') {
    if (!first) {
      return { middleware: 'connect-timeout', value: { kind: 'number', value: CONNECT_TIMEOUT_DEFAULT_MS, text: `${CONNECT_TIMEOUT_DEFAULT_MS}`, span }, source: 'default', span, text: `${written} (connect-timeout, 5 s when no time is given)` };
    }
    if (first.type === 'SpreadElement') return undefined;
    return { middleware: 'connect-timeout', value: connectTimeoutValue(ctx.values.evaluate(first, scope)), source: 'set', span, text: `${written} (connect-timeout)` };
  }
  if (middleware === 'hono/timeout') {
    if (!first || first.type === 'SpreadElement') return undefined;
    return { middleware: 'hono/timeout', value: ctx.values.evaluate(first, scope), source: 'set', span, text: `${written} (hono/timeout, milliseconds)` };
  }
  return undefined;
}

/**
 * Whether a middleware mounted at `prefix` runs for a route at `path`. Express and Koa mount by
 * whole path segments (`/api` runs for `/api/chat`, not `/apis`); Hono matches the pattern (`/api/*`
 * for everything below, a plain path for that path only). Unknown paths never match: no guess.
 */
export function middlewareCovers(framework: string, prefix: string, path: string | undefined): boolean {
  if (prefix === '' || prefix === '/' || prefix === '*' || prefix === '/*') return true;
  if (path === undefined) return false;
  if (framework === 'hono') {
    if (prefix.endsWith('/*')) {
      const base = prefix.slice(0, -2);
      return path === base || path.startsWith(`${base}/`);
    }
    return path === prefix;
  }
  const base = prefix.replace(/\/+$/, '');
  return path === base || path.startsWith(`${base}/`);
}

/** The deadline a factory's call gives: the factory's own value, else the argument for its parameter, else the parameter's default. */
export function fromFactory(factory: NonNullable<TsFunction['deadlineFactory']>, args: readonly TsValue[], span: Span, written: string): TsMiddlewareDeadline | undefined {
  const argument = factory.param ? args[factory.param.index] : undefined;
  const given = factory.value ?? argument ?? factory.param?.default;
  if (!given) return undefined;
  const value = factory.middleware === 'connect-timeout' ? connectTimeoutValue(given) : given;
  return { middleware: factory.middleware, value, source: 'set', span: factory.span, text: factory.text, via: { text: `${written} returns it`, span } };
}

/**
 * Functions of this file that return a deadline middleware: `(ms = '30s') => [timeout(ms), halt]`,
 * `function withTimeout() { return timeout(60_000); }`. Only files that import one are looked at.
 */
export function readDeadlineFactories(ctx: FactsContext, modules: ReadonlySet<string>): void {
  if (!modules.has('connect-timeout') && !modules.has('hono/timeout')) return;
  for (const call of ctx.walk.calls) {
    if (call.functionId === undefined) continue;
    const fnNode = ctx.walk.functionNodes[call.functionId];
    if (!fnNode || !returnedBy(fnNode, call.node)) continue;
    const first = unwrap(call.node.arguments[0] as AstNode | undefined);
    const paramIndex = first?.type === 'Identifier' ? (fnNode.params as AstNode[]).findIndex((p) => paramName(p) === first.name) : -1;
    const deadline = paramIndex >= 0 ? undefined : readDeadlineMiddleware(ctx, call.node, call.scope);
    const middleware = deadline?.middleware ?? knownMiddleware(ctx, call.node, call.scope);
    if (middleware !== 'connect-timeout' && middleware !== 'hono/timeout') continue;
    const fn = ctx.facts.functions[call.functionId];
    if (!fn) continue;
    const text = `${ctx.tsFile.text.slice(call.node.start ?? 0, call.node.end ?? 0)} (${middleware})`;
    if (paramIndex >= 0) {
      const param = (fnNode.params as AstNode[])[paramIndex]!;
      const fallback = param.type === 'AssignmentPattern' ? ctx.values.evaluate(param.right, ctx.walk.moduleScope) : undefined;
      fn.deadlineFactory = { middleware, param: { index: paramIndex, ...(fallback ? { default: fallback } : {}) }, span: ctx.span(call.node), text };
    } else if (deadline) fn.deadlineFactory = { middleware, value: deadline.value, span: deadline.span, text };
  }
}

function knownMiddleware(ctx: FactsContext, node: AstNode, scope: Scope): 'connect-timeout' | 'hono/timeout' | undefined {
  const callee = ctx.callee({ node, scope });
  return callee.root.kind === 'imported' && callee.path.length === 0 ? middlewareOfImport(callee.root.ref.module, callee.root.ref.name) : undefined;
}

/** The deadline middleware an import names: connect-timeout's default export, or `timeout` of `hono/timeout`. */
function middlewareOfImport(module: string, name: string): 'connect-timeout' | 'hono/timeout' | undefined {
  if (module === 'connect-timeout' && (name === 'default' || name === '*')) return 'connect-timeout';
  return module === 'hono/timeout' && name === 'timeout' ? 'hono/timeout' : undefined;
}

/**
 * connect-timeout reads a string with the `ms` package ('30s', '2m'), however it arrives; one the package
 * cannot read makes its timer NaN, so no deadline is known.
 */
function connectTimeoutValue(value: TsValue): TsValue {
  if (value.kind !== 'string') return value;
  const ms = parseMsPackage(value.value);
  return ms === undefined ? { kind: 'unknown', span: value.span, reason: `"${value.value}" is no time the ms package reads` } : { kind: 'number', value: ms, text: JSON.stringify(value.value), span: value.span };
}

function paramName(param: AstNode): string | undefined {
  const pattern = param.type === 'AssignmentPattern' ? param.left : param;
  return pattern?.type === 'Identifier' ? pattern.name : undefined;
}

/** True when the function gives back `call` as its value: its expression body or a `return`, directly or as an element of an array. */
function returnedBy(fn: AstNode, call: AstNode): boolean {
  const gives = (value: AstNode | undefined): boolean => {
    const node = unwrap(value);
    return node === call || (node?.type === 'ArrayExpression' && (node.elements as AstNode[]).some((e) => unwrap(e) === call));
  };
  const body = fn.body as AstNode | undefined;
  if (body?.type !== 'BlockStatement') return gives(body);
  return (body.body as AstNode[]).some((statement) => statement.type === 'ReturnStatement' && gives(statement.argument));
}
