// Explicit retries around outbound calls in one file: p-retry, async-retry and `retry` operations, and hand-written retry loops.
import { unwrap, type AstNode } from './ast.js';
import { lookupOption, type FactsContext } from './context.js';
import type { TsOutboundCall, TsRetryWrapper } from './types.js';
import type { RawCall } from './walk.js';

/** Same-file functions followed from a wrapped function; more is left out rather than walked. */
const MAX_WRAPPED_FUNCTIONS = 64;

/** Records on each outbound call the retry wrappers around it: directly, or through same-file functions the wrapped code calls. */
export function readRetryWrappers(ctx: FactsContext, read: ReadonlyArray<{ raw: RawCall; call: TsOutboundCall }>): void {
  const wrappedFunctions = new Map<number, TsRetryWrapper[]>();
  const wrap = (functionId: number, wrapper: TsRetryWrapper) => {
    for (const id of reachable(ctx, functionId)) {
      const list = wrappedFunctions.get(id) ?? [];
      list.push(wrapper);
      wrappedFunctions.set(id, list);
    }
  };
  for (const raw of ctx.walk.calls) {
    const found = packageWrapper(ctx, raw);
    if (found) {
      const id = functionIdOf(ctx, found.fn, raw);
      if (id !== undefined) wrap(id, found.wrapper);
    }
    // A same-file function called inside a retry loop's `try` runs once per attempt too.
    if (raw.retryLoop) {
      const { root } = ctx.callee(raw);
      if (root.kind === 'function') wrap(root.functionId, loopWrapper(ctx, raw.retryLoop));
    }
  }
  for (const { raw, call } of read) {
    const wrappers: TsRetryWrapper[] = [];
    if (raw.retryLoop) wrappers.push(loopWrapper(ctx, raw.retryLoop));
    if (raw.functionId !== undefined) wrappers.push(...(wrappedFunctions.get(raw.functionId) ?? []));
    const unique = wrappers.filter((w, i) => wrappers.findIndex((o) => o.span.start === w.span.start && o.kind === w.kind) === i);
    if (unique.length > 0) call.retryWrappers = unique;
  }
}

/** `pRetry(fn, { retries })`, `retry(fn, { retries })` from async-retry, `operation.attempt(fn)` with `operation = retry.operation({ retries })`. */
function packageWrapper(ctx: FactsContext, raw: RawCall): { fn: AstNode | undefined; wrapper: TsRetryWrapper } | undefined {
  const { root, path, binding } = ctx.callee(raw);
  const args = raw.node.arguments as AstNode[];
  let kind: TsRetryWrapper['kind'] | undefined;
  let options: AstNode | undefined;
  let scope = raw.scope;
  if (root.kind === 'imported' && path.length === 0 && root.ref.name === 'default' && (root.ref.module === 'p-retry' || root.ref.module === 'async-retry')) {
    kind = root.ref.module;
    options = args[1];
  } else if (path.length === 1 && path[0] === 'attempt' && binding?.kind === 'const' && binding.init) {
    const created = unwrap(binding.init);
    const maker = created?.type === 'CallExpression' ? ctx.callee({ node: created, scope: binding.scope }) : undefined;
    if (maker?.root.kind === 'imported' && maker.root.ref.module === 'retry' && maker.path.join('.') === 'operation') {
      kind = 'retry';
      options = created!.arguments[0] as AstNode | undefined;
      scope = binding.scope;
    }
  }
  if (!kind) return undefined;
  const wrapper: TsRetryWrapper = { kind, span: ctx.span(raw.node) };
  const retries = lookupOption(options ? ctx.values.evaluate(options, scope) : undefined, 'retries');
  if (retries.state === 'present') {
    wrapper.value = retries.property.value;
    if (retries.property.value.kind === 'number') wrapper.count = retries.property.value.value;
  }
  return { fn: args[0], wrapper };
}

function functionIdOf(ctx: FactsContext, argument: AstNode | undefined, raw: RawCall): number | undefined {
  const node = unwrap(argument);
  if (!node) return undefined;
  const direct = ctx.walk.functionIdByNode.get(node);
  if (direct !== undefined) return direct;
  if (node.type !== 'Identifier') return undefined;
  const binding = raw.scope.lookup(node.name);
  const root = binding ? ctx.bindingRoot(binding) : undefined;
  return root?.kind === 'function' ? root.functionId : undefined;
}

/** The function and every same-file function it calls, breadth first, up to {@link MAX_WRAPPED_FUNCTIONS}. */
function reachable(ctx: FactsContext, start: number): number[] {
  const seen = [start];
  for (let i = 0; i < seen.length && seen.length < MAX_WRAPPED_FUNCTIONS; i++) {
    for (const callee of ctx.facts.functions[seen[i]!]?.calleeIds ?? []) if (!seen.includes(callee)) seen.push(callee);
  }
  return seen;
}

/** A retry loop with its header as the span; `for (let i = 0; i < 3; i++)` gives 2 retries, a `while` loop an unknown count. */
function loopWrapper(ctx: FactsContext, loop: AstNode): TsRetryWrapper {
  const text = ctx.tsFile.text;
  const whole = ctx.span(loop);
  let end = loop.type === 'DoWhileStatement' ? whole.start + 2 : ctx.span(loop.body as AstNode).start;
  while (end > whole.start && /\s/.test(text[end - 1]!)) end--;
  const wrapper: TsRetryWrapper = { kind: 'loop', span: { file: ctx.file, start: whole.start, end } };
  const attempts = loop.type === 'ForStatement' ? forLoopAttempts(ctx, loop) : undefined;
  if (attempts !== undefined && attempts >= 1) wrapper.count = attempts - 1;
  return wrapper;
}

/** `for (let i = a; i < b; i++)` runs b − a times (`<=`: b − a + 1) when a and b are known. */
function forLoopAttempts(ctx: FactsContext, loop: AstNode): number | undefined {
  const init = loop.init?.type === 'VariableDeclaration' ? (loop.init.declarations as AstNode[])[0] : undefined;
  const test = unwrap(loop.test);
  const update = unwrap(loop.update);
  if (!init || init.id?.type !== 'Identifier' || test?.type !== 'BinaryExpression' || (test.operator !== '<' && test.operator !== '<=')) return undefined;
  if (unwrap(test.left)?.type !== 'Identifier' || unwrap(test.left)!.name !== init.id.name) return undefined;
  if (update?.type !== 'UpdateExpression' || update.operator !== '++') return undefined;
  const scope = ctx.walk.moduleScope;
  const from = init.init ? ctx.values.evaluate(init.init, scope) : undefined;
  const to = ctx.values.evaluate(test.right, scope);
  if (from?.kind !== 'number' || to.kind !== 'number') return undefined;
  return to.value - from.value + (test.operator === '<=' ? 1 : 0);
}
