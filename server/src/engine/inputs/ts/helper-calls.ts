// Fetch helpers that take the caller's init (`function getJson(url, init) { return fetch(url, init) }`): each call site is read with its own arguments.
import { unwrap, type AstNode } from './ast.js';
import type { Callee, FactsContext } from './context.js';
import { readFetch } from './http.js';
import { readInitFrom } from './fetch-init.js';
import { asSuppliedFetch } from './supplied-fetch.js';
import type { TsOutboundCall } from './types.js';
import type { RawCall } from './walk.js';

/** The helper's fetch calls that take their init from a parameter, for a callee that is a same-file function or a helper another module exports. */
export interface HelperTarget {
  name: string;
  calls: readonly TsOutboundCall[];
  /** True when the helper does nothing but these calls: following it further would only repeat them without the caller's init. */
  onlyThese?: boolean;
}

/**
 * The helper's fetch calls read again at `call` with the caller's arguments: the caller's init decides the
 * signal (a caller passing `AbortSignal.timeout(n)` bounds that call, one passing nothing leaves it
 * unbounded). A URL that is a parameter is the caller's argument; otherwise it is the helper's own.
 */
export function readHelperCall(ctx: FactsContext, call: RawCall, target: HelperTarget): TsOutboundCall[] {
  const args = call.node.arguments as AstNode[];
  const out: TsOutboundCall[] = [];
  for (const inner of target.calls) {
    if (!inner.initFrom || (inner.library !== 'fetch' && inner.library !== 'undici' && inner.library !== 'node-fetch')) continue;
    // A spread argument shifts positions: which argument is the init is not known.
    if (args.slice(0, inner.initFrom.param + 1).some((a) => a?.type === 'SpreadElement')) continue;
    const urlNode = inner.initFrom.urlParam !== undefined ? args[inner.initFrom.urlParam] : undefined;
    const initNode = args[inner.initFrom.param];
    const read = readFetch(ctx, call, inner.library, urlNode, initNode);
    if (inner.initFrom.urlParam === undefined) {
      if (inner.url) read.url = inner.url;
      else delete read.url;
    }
    // A fetch function the helper's own callers supply stays one: its timeout is unknown unless this init bounds it.
    if (inner.suppliedFetch) asSuppliedFetch(read, inner.suppliedFetch);
    read.viaHelper = { name: target.name, initIndex: inner.initFrom.param, span: inner.span };
    read.evidence = [...(read.evidence ?? []), { text: `fetch in ${target.name} (${inner.span.file}) with this call's ${initNode ? 'init' : 'arguments (no init)'}`, span: inner.span }];
    const chained = readInitFrom(ctx, call, urlNode, initNode);
    if (chained) read.initFrom = chained;
    out.push(read);
  }
  return out;
}

/** The helper a callee names in this file: a same-file function whose fetch calls take a parameter as init. */
export function sameFileHelper(ctx: FactsContext, callee: Callee): HelperTarget | undefined {
  if (callee.root.kind !== 'function' || callee.path.length > 0) return undefined;
  const functionId = callee.root.functionId;
  const calls = ctx.facts.calls.filter((c) => c.functionId === functionId && c.initFrom);
  if (calls.length === 0) return undefined;
  return { name: ctx.facts.functions[functionId]?.name ?? 'a helper', calls };
}
