// Deadlines a function sets on its own work: `Promise.race([work, timeoutPromise])` where the other
// contender settles after a timer (`new Promise((_, reject) => setTimeout(() => reject(…), ms))`,
// inline, in a variable, or from a same-file helper `timeout(ms)`). A route handler that awaits such
// a race answers (with an error) after that many milliseconds at the latest, so the hops in front of
// it must wait at least as long.
import { isFunctionNode, memberPath, unwrap, type AstNode } from './ast.js';
import type { FactsContext } from './context.js';
import type { TsCallArguments, TsDeadline, TsImportRef, TsValue } from './types.js';
import type { RawCall } from './walk.js';
import type { Scope } from './scope.js';

/** How deep the executor's body is searched for the timer (statements, blocks, expressions). */
const MAX_SEARCH_DEPTH = 8;

/** The deadline a `Promise.race([...])` call sets, or undefined when it is not one (no contender settles on a timer). */
export function readRaceDeadline(ctx: FactsContext, call: RawCall): TsDeadline | undefined {
  const node = call.node;
  if (node.type !== 'CallExpression') return undefined;
  const library = pTimeoutDeadline(ctx, call);
  if (library) return library;
  const path = memberPath(node.callee);
  if (!path || path.length !== 2 || path[0] !== 'Promise' || path[1] !== 'race') return undefined;
  // `Promise` shadowed by a local binding is someone else's race.
  if (call.scope.lookup('Promise')) return undefined;
  const list = unwrap(node.arguments[0]);
  if (list?.type !== 'ArrayExpression') return undefined;
  for (const element of list.elements as Array<AstNode | null>) {
    if (!element || element.type === 'SpreadElement') continue;
    const timer = timerOf(ctx, element, call.scope, 0);
    if (!timer) continue;
    const deadline: TsDeadline = { value: timer.value, span: ctx.span(node), text: `Promise.race with a timer of ${ctx.tsFile.text.slice(timer.delay.start ?? 0, timer.delay.end ?? 0)} (${timer.how})` };
    const param = timer.value.kind === 'unknown' ? parameterOf(ctx, timer.delay, timer.scope) : undefined;
    if (param) deadline.param = param;
    return deadline;
  }
  return undefined;
}

/**
 * p-timeout: `pTimeout(work, { milliseconds })` (v5 and later) or `pTimeout(work, ms)` (earlier)
 * rejects with a TimeoutError after that many milliseconds, as a race against a timer does.
 */
function pTimeoutDeadline(ctx: FactsContext, call: RawCall): TsDeadline | undefined {
  const callee = unwrap(call.node.callee);
  if (callee?.type !== 'Identifier') return undefined;
  const binding = call.scope.lookup(callee.name);
  if (binding?.kind !== 'import' || binding.import!.module !== 'p-timeout' || (binding.import!.name !== 'default' && binding.import!.name !== 'pTimeout')) return undefined;
  const second = unwrap(call.node.arguments[1]);
  if (!second || second.type === 'SpreadElement') return undefined;
  let delay: AstNode | undefined = second;
  if (second.type === 'ObjectExpression') {
    const property = (second.properties as AstNode[]).find((p) => p.type === 'ObjectProperty' && !p.computed && ((p.key.type === 'Identifier' && p.key.name === 'milliseconds') || (p.key.type === 'StringLiteral' && p.key.value === 'milliseconds')));
    delay = property?.value;
  }
  if (!delay) return undefined;
  const value = ctx.values.evaluate(delay, call.scope);
  const deadline: TsDeadline = { value, span: ctx.span(call.node), text: `${callee.name}(…, ${ctx.tsFile.text.slice(delay.start ?? 0, delay.end ?? 0)} ms) (p-timeout)` };
  const param = value.kind === 'unknown' ? parameterOf(ctx, delay, call.scope) : undefined;
  if (param) deadline.param = param;
  return deadline;
}

interface Timer {
  value: TsValue;
  delay: AstNode;
  scope: Scope;
  how: string;
}

/** A race contender that settles after a timer: a `new Promise` whose executor arms `setTimeout`, a variable holding one, or a same-file helper returning one. */
function timerOf(ctx: FactsContext, expression: AstNode, scope: Scope, depth: number): Timer | undefined {
  if (depth > 3) return undefined;
  const node = unwrap(expression);
  if (!node) return undefined;
  if (node.type === 'Identifier') {
    const binding = scope.lookup(node.name);
    if (binding?.kind !== 'const' || !binding.init) return undefined;
    return timerOf(ctx, binding.init, binding.scope, depth + 1);
  }
  if (node.type === 'NewExpression') return promiseTimer(ctx, node, 'a new Promise armed with setTimeout');
  if (node.type === 'CallExpression' && node.callee.type === 'Identifier') {
    // `timeout(30_000)`: a same-file function that returns a Promise armed with setTimeout(…, ms) on its parameter.
    const binding = scope.lookup(node.callee.name);
    const fnNode = binding?.kind === 'function' ? binding.declaration : binding?.kind === 'const' ? unwrap(binding.init) : undefined;
    if (!fnNode || !isFunctionNode(fnNode)) return undefined;
    const created = returnedPromise(fnNode);
    if (!created) return undefined;
    const inner = promiseTimer(ctx, created, `${node.callee.name}(…), which returns a Promise armed with setTimeout`);
    if (!inner) return undefined;
    const delay = unwrap(inner.delay);
    const index = delay?.type === 'Identifier' ? (fnNode.params as AstNode[]).findIndex((p) => unwrap(p)?.type === 'Identifier' && unwrap(p)!.name === delay.name) : -1;
    if (index < 0) return inner;
    const argument = node.arguments[index] as AstNode | undefined;
    if (!argument || argument.type === 'SpreadElement') return undefined;
    return { value: ctx.values.evaluate(argument, scope), delay: argument, scope, how: inner.how };
  }
  return undefined;
}

/** `new Promise((resolve, reject) => { …setTimeout(cb, ms)… })`: the timer's delay, evaluated where the timer is armed. */
function promiseTimer(ctx: FactsContext, node: AstNode, how: string): Timer | undefined {
  if (node.type !== 'NewExpression' || node.callee.type !== 'Identifier' || node.callee.name !== 'Promise') return undefined;
  const executor = unwrap(node.arguments[0]);
  if (!executor || !isFunctionNode(executor)) return undefined;
  const timer = findSetTimeout(executor.body, 0);
  const delay = timer?.arguments[1] as AstNode | undefined;
  if (!timer || !delay || delay.type === 'SpreadElement') return undefined;
  const raw = rawCallOf(ctx, timer);
  if (!raw) return undefined;
  return { value: ctx.values.evaluate(delay, raw.scope), delay, scope: raw.scope, how };
}

/** The `new Promise(…)` a helper returns (`return new Promise(…)` or an arrow body). */
function returnedPromise(fn: AstNode): AstNode | undefined {
  const body = fn.body;
  if (body?.type !== 'BlockStatement') return unwrap(body)?.type === 'NewExpression' ? unwrap(body) : undefined;
  for (const statement of body.body as AstNode[]) {
    if (statement.type === 'ReturnStatement' && unwrap(statement.argument)?.type === 'NewExpression') return unwrap(statement.argument);
  }
  return undefined;
}

function findSetTimeout(node: AstNode | null | undefined, depth: number): AstNode | undefined {
  if (!node || depth > MAX_SEARCH_DEPTH) return undefined;
  if (node.type === 'CallExpression') {
    const path = memberPath(node.callee);
    if (path && ((path.length === 1 && path[0] === 'setTimeout') || (path.length === 2 && (path[0] === 'globalThis' || path[0] === 'global' || path[0] === 'window') && path[1] === 'setTimeout'))) return node;
  }
  // The timer is armed by the executor itself, not inside a callback it hands elsewhere.
  if (isFunctionNode(node) && depth > 0) return undefined;
  for (const key of SEARCHED_KEYS[node.type] ?? []) {
    const child = node[key];
    if (Array.isArray(child)) {
      for (const item of child) {
        const found = findSetTimeout(item as AstNode, depth + 1);
        if (found) return found;
      }
    } else if (child && typeof child === 'object') {
      const found = findSetTimeout(child as AstNode, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

// Where an executor arms its timer: statements, `timer = setTimeout(…)`, `const t = setTimeout(…)`, an arrow's expression body.
const SEARCHED_KEYS: Readonly<Record<string, readonly string[]>> = {
  BlockStatement: ['body'],
  ExpressionStatement: ['expression'],
  AssignmentExpression: ['right'],
  VariableDeclaration: ['declarations'],
  VariableDeclarator: ['init'],
  SequenceExpression: ['expressions'],
  ParenthesizedExpression: ['expression'],
  TSAsExpression: ['expression'],
  IfStatement: ['consequent', 'alternate'],
  TryStatement: ['block'],
};

/** The walk's record of a call node (its scope), found once per file and only when a race is read. */
function rawCallOf(ctx: FactsContext, node: AstNode): RawCall | undefined {
  let byNode = rawCallsByNode.get(ctx);
  if (!byNode) rawCallsByNode.set(ctx, (byNode = new Map(ctx.walk.calls.map((c) => [c.node, c]))));
  return byNode.get(node);
}
const rawCallsByNode = new WeakMap<FactsContext, Map<AstNode, RawCall>>();

/**
 * A delay that is a parameter of an enclosing function (`function registerRoutes(app, { timeoutMs })`,
 * `options.timeoutMs`): which function, which argument and which property of it, so that the caller's
 * argument can give the value across files (chain-values.ts).
 */
function parameterOf(ctx: FactsContext, delay: AstNode, scope: Scope): TsDeadline['param'] {
  const path = memberPath(delay);
  if (!path || path.length === 0 || path[0] === 'this') return undefined;
  const binding = scope.lookup(path[0]!);
  if (binding?.kind !== 'param') return undefined;
  for (let id = 0; id < ctx.walk.functionNodes.length; id++) {
    const fn = ctx.walk.functionNodes[id]!;
    const params = fn.params as AstNode[] | undefined;
    if (!params || (fn.start ?? 0) > (binding.id.start ?? 0) || (fn.end ?? 0) < (binding.id.end ?? 0)) continue;
    for (let index = 0; index < params.length; index++) {
      const keys = keysTo(params[index]!, binding.id);
      if (keys) return { functionId: id, index, path: [...keys, ...path.slice(1)] };
    }
  }
  return undefined;
}

/** The property keys from a parameter pattern down to `target` (`{ a: { b } }` → ['a', 'b']), or undefined when `target` is not in it. */
function keysTo(pattern: AstNode, target: AstNode): string[] | undefined {
  if (pattern === target) return [];
  if (pattern.type === 'AssignmentPattern') return keysTo(pattern.left, target);
  if (pattern.type === 'TSParameterProperty') return keysTo(pattern.parameter, target);
  if (pattern.type === 'ObjectPattern') {
    for (const property of pattern.properties as AstNode[]) {
      if (property.type !== 'ObjectProperty' || property.computed) continue;
      const key = property.key.type === 'Identifier' ? property.key.name : property.key.type === 'StringLiteral' ? property.key.value : undefined;
      if (key === undefined) continue;
      const below = keysTo(property.value, target);
      if (below) return [key, ...below];
    }
  }
  return undefined;
}

/** Arguments of calls to functions other workspace modules export (`registerRoutes(app, { DEFAULT_TIMEOUT })`), kept when one may give a parameter its value. */
export function readCallArguments(ctx: FactsContext, call: RawCall, ref: TsImportRef): TsCallArguments | undefined {
  if (!ref.module.startsWith('.') || (ref.path && ref.path.length > 0)) return undefined;
  const args = call.node.arguments as AstNode[];
  if (args.length === 0 || args.length > 6 || args.some((a) => a.type === 'SpreadElement')) return undefined;
  const values = args.map((a) => ctx.values.evaluate(a, call.scope));
  // An argument that is the caller's own parameter (`registerSessionRoutes(app, deps)` inside
  // `registerChatRoutes(app, deps)`) hands on what the caller's callers give.
  const forwarded: NonNullable<TsCallArguments['forwarded']> = [];
  values.forEach((value, index) => {
    if (value.kind !== 'unknown' || value.reason !== 'param-binding') return;
    const param = parameterOf(ctx, args[index]!, call.scope);
    if (param) forwarded.push({ index, param });
  });
  if (forwarded.length === 0 && values.every((v) => v.kind === 'unknown')) return undefined;
  return { callee: { module: ref.module, name: ref.name }, args: values, span: ctx.span(call.node), ...(forwarded.length > 0 ? { forwarded } : {}) };
}
