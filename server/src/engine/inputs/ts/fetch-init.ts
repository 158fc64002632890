// Where a fetch's init comes from when the function around it takes it as a parameter: what makes a function a fetch helper (helper-calls.ts).
import { unwrap, type AstNode } from './ast.js';
import type { FactsContext } from './context.js';
import type { TsOutboundCall } from './types.js';
import type { RawCall } from './walk.js';

/**
 * Where a fetch's init and URL come from when they are parameters of the function the fetch is in: the init
 * itself (`fetch(url, init)`) or spread into an object that sets no `signal` (`{ ...init, method: 'POST' }`).
 */
export function readInitFrom(ctx: FactsContext, call: RawCall, urlNode: AstNode | undefined, initNode: AstNode | undefined): TsOutboundCall['initFrom'] {
  if (call.functionId === undefined) return undefined;
  const fn = ctx.walk.functionNodes[call.functionId];
  const params = (fn?.params ?? []) as AstNode[];
  const indexOf = (raw: AstNode | undefined): number | undefined => {
    const node = unwrap(raw);
    if (node?.type !== 'Identifier') return undefined;
    const binding = call.scope.lookup(node.name);
    if (binding?.kind !== 'param') return undefined;
    const index = params.findIndex((p) => p === binding.id || (p.type === 'AssignmentPattern' && p.left === binding.id));
    return index >= 0 ? index : undefined;
  };
  const init = unwrap(initNode);
  let param = indexOf(init);
  if (param === undefined && init?.type === 'ObjectExpression') {
    const spreads = (init.properties as AstNode[]).filter((p) => p.type === 'SpreadElement').map((p) => indexOf(p.argument)).filter((i): i is number => i !== undefined);
    if (spreads.length === 1) param = spreads[0];
  }
  if (param === undefined) return undefined;
  const urlParam = indexOf(urlNode);
  return urlParam === undefined ? { param } : { param, urlParam };
}

