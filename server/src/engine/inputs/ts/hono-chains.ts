// Hono apps written as one chain, as Hono's RPC client needs for its types:
// `const app = new Hono().basePath('/api').get('/health', h).post('/report', h)`. Every method of
// the chain returns the app (`basePath` a copy under the prefix), so each link registers on the
// variable the chain is stored in, or on the app a chain starts from (`app.basePath('/v1').get(…)`).
import { keyName, unwrap, unwrapAwait, type AstNode } from './ast.js';
import type { FactsContext } from './context.js';
import type { Binding, Scope } from './scope.js';

/** Hono methods that return the app (or, for `basePath`, the app under a prefix), so a chain can go on. */
const HONO_CHAIN_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'options', 'all', 'on', 'use', 'route', 'basePath', 'onError', 'notFound', 'mount']);

/** The root of a method chain and its links from the root outwards; undefined when `node` is no chain of app methods. */
export function chainOf(node: AstNode | undefined): { root: AstNode; links: AstNode[] } | undefined {
  const links: AstNode[] = [];
  let current = unwrapAwait(node);
  while (current?.type === 'CallExpression') {
    const callee = unwrap(current.callee);
    if (callee?.type !== 'MemberExpression' || callee.computed || !HONO_CHAIN_METHODS.has(keyName(callee.property, false) ?? '')) break;
    links.unshift(current);
    current = unwrap(callee.object);
  }
  return current && links.length > 0 ? { root: current, links } : undefined;
}

/** A chained registration: the app variable it registers on and the prefix `basePath` links before it add. */
export interface ChainedReceiver {
  binding: Binding;
  verb: string;
  /** `basePath` prefixes between the chain's root variable and this link (none for a chain stored in the variable: its own prefix covers them). */
  prefix: string;
  prefixSpan?: AstNode;
}

/**
 * The receiver of a call that is a link of a chain: after the first one when the chain starts from a
 * variable (`app.basePath('/v1').get(…)`: that variable; `app.get(…)` is an ordinary call), any link
 * when it starts from `new Hono()` (the const the whole chain is stored in). Undefined otherwise.
 */
export function chainedReceiver(ctx: FactsContext, call: { node: AstNode; scope: Scope }): ChainedReceiver | undefined {
  const callee = unwrap(call.node.callee);
  const object = callee?.type === 'MemberExpression' && !callee.computed ? unwrap(callee.object)?.type : undefined;
  if (object !== 'CallExpression' && object !== 'NewExpression') return undefined;
  const verb = keyName(callee!.property, false);
  if (!verb || !HONO_CHAIN_METHODS.has(verb)) return undefined;
  const chain = chainOf(call.node);
  if (!chain) return undefined;
  if (chain.root.type === 'Identifier') {
    // `app.get(…)` itself is an ordinary registration; the links after it are read here.
    if (chain.links.length < 2) return undefined;
    const binding = call.scope.lookup(chain.root.name);
    if (!binding) return undefined;
    let prefix = '';
    let prefixSpan: AstNode | undefined;
    for (const link of chain.links) {
      if (link === call.node) break;
      if (keyName(unwrap(link.callee)?.property, false) !== 'basePath') continue;
      const value = ctx.values.evaluate(link.arguments[0], call.scope);
      // A prefix not known statically leaves the paths after it unknown: no route is read from them.
      if (value.kind !== 'string') return undefined;
      prefix = `${prefix.replace(/\/+$/, '')}/${value.value.replace(/^\/+/, '')}`;
      prefixSpan ??= link;
    }
    return { binding, verb, prefix: prefix === '/' ? '' : prefix, ...(prefixSpan ? { prefixSpan } : {}) };
  }
  if (chain.root.type !== 'NewExpression') return undefined;
  const holder = outermostChain(ctx, call.node);
  const binding = holder ? constHolding(call.scope, holder) : undefined;
  return binding ? { binding, verb, prefix: '' } : undefined;
}

/** The whole chain expression a link belongs to (going up while the link is the object of the next call). */
function outermostChain(ctx: FactsContext, node: AstNode): AstNode {
  let current = node;
  for (;;) {
    const member = ctx.walk.parents.get(current);
    if (member?.type !== 'MemberExpression' || unwrap(member.object) !== current) return current;
    const next = ctx.walk.parents.get(member);
    if (next?.type !== 'CallExpression' || next.callee !== member) return current;
    current = next;
  }
}

/** The const (in this scope or one around it) whose initialiser is `node`. */
function constHolding(scope: Scope, node: AstNode): Binding | undefined {
  for (let current: Scope | undefined = scope; current; current = current.parent) {
    for (const binding of current.bindings.values()) if (binding.kind === 'const' && unwrapAwait(binding.init) === node) return binding;
  }
  return undefined;
}
