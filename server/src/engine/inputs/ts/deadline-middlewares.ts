// Middlewares that answer a request themselves once a timer runs out, whatever the handler is still
// doing: `connect-timeout` (Express, 503 "Response timeout", facts §11.2) and Hono's built-in
// `timeout` from `hono/timeout` (504 "Gateway Timeout" by default). Both stop waiting once the
// response has started (connect-timeout clears its timer when headers are sent; Hono's races the
// handler's returned Response, which a stream returns at once), so they bound the time to the
// response headers, not a stream's body.
import { unwrap, type AstNode } from './ast.js';
import type { FactsContext } from './context.js';
import type { Scope } from './scope.js';
import type { TsMiddlewareDeadline } from './types.js';
import { parseMsPackage } from './values.js';

/** connect-timeout's delay when `timeout()` is called without one (facts §11.2). */
const CONNECT_TIMEOUT_DEFAULT_MS = 5000;

/** The deadline a middleware expression sets (`timeout('30s')`), or undefined when it is not one of the known deadline middlewares. */
export function readDeadlineMiddleware(ctx: FactsContext, raw: AstNode | undefined, scope: Scope): TsMiddlewareDeadline | undefined {
  const node = unwrap(raw);
  if (node?.type !== 'CallExpression') return undefined;
  const callee = ctx.callee({ node, scope });
  if (callee.root.kind !== 'imported' || callee.path.length > 0) return undefined;
  const { module, name } = callee.root.ref;
  const span = ctx.span(node);
  const written = ctx.tsFile.text.slice(node.start ?? 0, node.end ?? 0);
  const first = unwrap(node.arguments[0] as AstNode | undefined);
  if (module === 'connect-timeout' && (name === 'default' || name === '*')) {
    if (!first) {
      return { middleware: 'connect-timeout', value: { kind: 'number', value: CONNECT_TIMEOUT_DEFAULT_MS, text: `${CONNECT_TIMEOUT_DEFAULT_MS}`, span }, source: 'default', span, text: `${written} (connect-timeout, 5 s when no time is given)` };
    }
    if (first.type === 'SpreadElement') return undefined;
    let value = ctx.values.evaluate(first, scope);
    // connect-timeout reads a string with the `ms` package ('30s', '2m'); one it cannot read makes its timer NaN, so no deadline is known.
    if (value.kind === 'string') {
      const ms = parseMsPackage(value.value);
      value = ms === undefined ? { kind: 'unknown', span: value.span, reason: `"${value.value}" is no time the ms package reads` } : { kind: 'number', value: ms, text: JSON.stringify(value.value), span: value.span };
    }
    return { middleware: 'connect-timeout', value, source: 'set', span, text: `${written} (connect-timeout)` };
  }
  if (module === 'hono/timeout' && name === 'timeout') {
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
