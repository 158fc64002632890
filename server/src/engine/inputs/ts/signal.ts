// Reads an AbortSignal expression as a total timeout: AbortSignal.timeout(n), AbortSignal.any([...]), or an AbortController aborted by setTimeout.
import { memberPath, unwrap, type AstNode } from './ast.js';
import type { FactsContext } from './context.js';
import type { Scope } from './scope.js';
import type { TsProperty, TsTimeout, TsValue } from './types.js';

const MAX_ALIASES = 8;

/**
 * The timeout a `signal` option sets (timeout-facts.md §12: `AbortSignal.timeout` bounds the whole
 * exchange, body included). A signal the reader cannot trace is `set` with an unknown value, never `none`.
 */
export function signalTimeout(ctx: FactsContext, node: AstNode | undefined, property: TsProperty | undefined, scope: Scope, option = 'signal'): TsTimeout {
  const at = property?.span ?? (node ? ctx.span(node) : { file: ctx.file, start: 0, end: 0 });
  const found = findTimer(ctx, node, scope, 0);
  const timeout: TsTimeout = { kind: 'total', option, source: 'set', level: 'call', span: at, factsRef: '§12', value: found?.value ?? { kind: 'unknown', span: at, reason: 'signal' } };
  if (found?.value.kind === 'number') timeout.ms = found.value.value;
  if (found?.via) timeout.option = `${option} (${found.via})`;
  return timeout;
}

interface FoundTimer {
  value: TsValue;
  via: 'AbortSignal.timeout' | 'setTimeout abort';
}

function findTimer(ctx: FactsContext, raw: AstNode | undefined, scope: Scope, depth: number): FoundTimer | undefined {
  const node = unwrap(raw);
  if (!node || depth > MAX_ALIASES) return undefined;
  if (node.type === 'CallExpression') {
    const path = memberPath(node.callee)?.join('.');
    if (path === 'AbortSignal.timeout' && !scope.lookup('AbortSignal')) return { value: ctx.values.evaluate(node.arguments[0], scope), via: 'AbortSignal.timeout' };
    if (path === 'AbortSignal.any') {
      const list = unwrap(node.arguments[0]);
      for (const element of (list?.type === 'ArrayExpression' ? list.elements : []) as Array<AstNode | null>) {
        const found = element ? findTimer(ctx, element, scope, depth + 1) : undefined;
        if (found) return found;
      }
    }
    return undefined;
  }
  if (node.type === 'Identifier') {
    const binding = scope.lookup(node.name);
    return binding?.kind === 'const' && binding.init ? findTimer(ctx, binding.init, binding.scope, depth + 1) : undefined;
  }
  const path = memberPath(node);
  if (path && path.length === 2 && path[1] === 'signal') {
    // `controller.signal` with `setTimeout(() => controller.abort(), n)` somewhere in scope.
    const binding = scope.lookup(path[0]!);
    const created = unwrap(binding?.init);
    if (binding?.kind !== 'const' || created?.type !== 'NewExpression' || created.callee.type !== 'Identifier' || created.callee.name !== 'AbortController') return undefined;
    for (const event of binding.events) {
      if (event.kind === 'call' && event.path.join('.') === 'abort' && event.timerDelay) return { value: ctx.values.evaluate(event.timerDelay, event.scope), via: 'setTimeout abort' };
    }
  }
  return undefined;
}
