// NestJS timeout interceptors: a class whose `intercept` pipes the handler's observable through rxjs
// `timeout(ms)` (the pattern of Nest's interceptor documentation), applied with `@UseInterceptors`
// on a controller or a handler, `app.useGlobalInterceptors(new …())`, or an `APP_INTERCEPTOR`
// provider. rxjs errors when no value comes within `ms` (a number is `each`, the first value
// included), and a handler's one value is its response, so the route answers with an error after
// `ms` at the latest unless it has started to respond: a time-to-headers deadline.
import { keyName, unwrap, type AstNode } from './ast.js';
import type { FactsContext } from './context.js';
import type { Scope } from './scope.js';
import type { TsFileFacts, TsInterceptorUse, TsMiddlewareDeadline, TsRoute, TsTimeoutInterceptor, TsValue } from './types.js';
import type { FileId } from '../../types.js';
import type { TsLookup } from './chain-values.js';
import { resolveExportTarget } from './resolve.js';
import { decoratorInterceptors, metadataDelay, metadataReadOf, skipReadsOf } from './nest-metadata.js';

const RXJS_MODULES = new Set(['rxjs', 'rxjs/operators']);

/** The classes of this file that are timeout interceptors. */
export function readTimeoutInterceptors(ctx: FactsContext, exportedNames: (name: string) => string[]): TsTimeoutInterceptor[] {
  const out: TsTimeoutInterceptor[] = [];
  for (const [classNode, methods] of ctx.walk.classMethods) {
    const interceptId = methods.get('intercept');
    if (interceptId === undefined || !classNode.id) continue;
    const timeouts = ctx.walk.calls.filter((call) => {
      if (call.functionId !== interceptId) return false;
      const callee = unwrap(call.node.callee);
      const binding = callee?.type === 'Identifier' ? call.scope.lookup(callee.name) : undefined;
      return binding?.kind === 'import' && RXJS_MODULES.has(binding.import!.module) && binding.import!.name === 'timeout';
    });
    // Two timeouts in one intercept (one per branch): which a route gets is not read.
    if (timeouts.length !== 1) continue;
    const interceptMethod = ctx.walk.functionNodes[interceptId]!;
    for (const call of timeouts) {
      // An early return on a condition not read leaves the delay unknown for every route.
      const skipWhen = skipReadsOf(ctx, interceptMethod, call.node, call.scope);
      if (!skipWhen) continue;
      const argument = unwrap(call.node.arguments[0] as AstNode | undefined);
      if (!argument) continue;
      const interceptor: TsTimeoutInterceptor = { className: classNode.id.name, exports: exportedNames(classNode.id.name), span: ctx.span(call.node), text: `${ctx.tsFile.text.slice(call.node.start ?? 0, call.node.end ?? 0)} (rxjs, in ${classNode.id.name}.intercept)` };
      const field = argument.type === 'MemberExpression' && unwrap(argument.object)?.type === 'ThisExpression' && !argument.computed ? keyName(argument.property, false) : undefined;
      // Routes whose metadata makes intercept return first get no deadline (nest-metadata.ts).
      if (skipWhen.length > 0) interceptor.skipWhen = skipWhen;
      const metadata = field ? undefined : metadataReadOf(ctx, argument, call.scope, { thisField: (name) => fieldSource(ctx, classNode, name).value, method: interceptMethod });
      if (metadata) {
        // The delay each route stores (nest-metadata.ts).
        interceptor.metadata = metadata;
        out.push(interceptor);
        continue;
      }
      if (field) Object.assign(interceptor, fieldSource(ctx, classNode, field));
      else if (argument.type !== 'ObjectExpression') interceptor.value = ctx.values.evaluate(argument, call.scope);
      // `timeout({ first, each, with })`: its own fields, not read here.
      if (interceptor.value || interceptor.param) out.push(interceptor);
    }
  }
  return out;
}

/** Where `this.<field>` gets its value: a field initialiser, a constructor parameter property, or a constructor parameter assigned to it. */
function fieldSource(ctx: FactsContext, classNode: AstNode, field: string): { value?: TsValue; param?: { index: number; default?: TsValue } } {
  const members = (classNode.body?.body ?? []) as AstNode[];
  const constructor = members.find((m) => m.type === 'ClassMethod' && m.kind === 'constructor');
  const params = (constructor?.params ?? []) as AstNode[];
  const paramInfo = (index: number, param: AstNode): { index: number; default?: TsValue } => {
    const pattern = param.type === 'TSParameterProperty' ? param.parameter : param;
    return pattern?.type === 'AssignmentPattern' ? { index, default: ctx.values.evaluate(pattern.right, ctx.walk.moduleScope) } : { index };
  };
  const nameOf = (param: AstNode): string | undefined => {
    let pattern = param.type === 'TSParameterProperty' ? param.parameter : param;
    if (pattern?.type === 'AssignmentPattern') pattern = pattern.left;
    return pattern?.type === 'Identifier' ? pattern.name : undefined;
  };
  // `constructor(private readonly timeoutMs = 30_000)`
  const property = params.findIndex((p) => p.type === 'TSParameterProperty' && nameOf(p) === field);
  if (property >= 0) return { param: paramInfo(property, params[property]!) };
  // `this.timeoutMs = milliseconds` in the constructor
  for (const statement of (constructor?.body?.body ?? []) as AstNode[]) {
    const expression = statement.type === 'ExpressionStatement' ? unwrap(statement.expression) : undefined;
    if (expression?.type !== 'AssignmentExpression' || expression.operator !== '=') continue;
    const left = unwrap(expression.left);
    if (left?.type !== 'MemberExpression' || unwrap(left.object)?.type !== 'ThisExpression' || keyName(left.property, left.computed) !== field) continue;
    const right = unwrap(expression.right);
    const index = right?.type === 'Identifier' ? params.findIndex((p) => nameOf(p) === right.name) : -1;
    if (index >= 0) return { param: paramInfo(index, params[index]!) };
    return right ? { value: ctx.values.evaluate(right, ctx.walk.moduleScope) } : {};
  }
  // `private readonly timeoutMs = 5000;`
  const initialised = members.find((m) => m.type === 'ClassProperty' && !m.static && keyName(m.key, m.computed) === field);
  return initialised?.value ? { value: ctx.values.evaluate(initialised.value, ctx.walk.moduleScope) } : {};
}

/** The interceptors an expression names: a class (`TimeoutInterceptor`) or an instance (`new TimeoutInterceptor(5000)`). */
export function interceptorUse(ctx: FactsContext, raw: AstNode | undefined, scope: Scope, how: string): TsInterceptorUse | undefined {
  const node = unwrap(raw);
  if (!node) return undefined;
  const classNode = node.type === 'NewExpression' ? unwrap(node.callee) : node;
  if (classNode?.type !== 'Identifier') return undefined;
  const binding = scope.lookup(classNode.name);
  const ref = binding?.kind === 'import' ? binding.import! : binding?.kind === 'class' ? { module: '.', name: binding.name } : undefined;
  if (!ref) return undefined;
  const args = node.type === 'NewExpression' ? (node.arguments as AstNode[]).map((a) => ctx.values.evaluate(a, scope)) : [];
  return { ref, args, span: ctx.span(node), text: `${how}(${ctx.tsFile.text.slice(node.start ?? 0, node.end ?? 0)})` };
}

/** The deadline an interceptor use gives, with the files its value is read in; undefined when the delay is not known statically. */
export function interceptorDeadline(use: TsInterceptorUse, useFile: FileId, interceptor: TsTimeoutInterceptor, interceptorFile: FileId, fromMetadata?: (interceptor: TsTimeoutInterceptor, file: FileId) => ReturnType<typeof metadataDelay>): TsMiddlewareDeadline | undefined {
  if (interceptor.metadata || interceptor.skipWhen) {
    const delay = fromMetadata?.(interceptor, interceptorFile);
    if (!delay) return undefined;
    const deadline: TsMiddlewareDeadline = { middleware: 'nest-rxjs-timeout', value: delay.value, source: 'set', span: interceptor.span, text: `${interceptor.text}; ${delay.via.text}`, via: { text: `${use.text} applies it`, span: use.span }, file: delay.value.span.file || interceptorFile };
    if (delay.maySkip) deadline.maySkip = delay.maySkip;
    return deadline;
  }
  let value = interceptor.value;
  let file = interceptorFile;
  if (interceptor.param) {
    // An argument written at the use (`new TimeoutInterceptor(5000)`), else the constructor's default.
    const argument = use.args[interceptor.param.index];
    value = argument ?? interceptor.param.default;
    if (argument) file = useFile;
  }
  if (!value) return undefined;
  return { middleware: 'nest-rxjs-timeout', value, source: 'set', span: interceptor.span, text: interceptor.text, via: { text: `${use.text} applies it`, span: use.span }, file };
}

/** An interceptor use with the file it is written in. */
export interface PlacedInterceptorUse {
  file: FileId;
  use: TsInterceptorUse;
}

/** The package's global interceptors (`useGlobalInterceptors`, `APP_INTERCEPTOR` providers), in file order. */
export function globalInterceptorsOf(files: ReadonlyArray<{ file: FileId; facts: TsFileFacts }>): PlacedInterceptorUse[] {
  return files.flatMap(({ file, facts }) => (facts.nestGlobalInterceptors ?? []).map((use) => ({ file, use })));
}

/**
 * The timeout deadlines of the interceptors that run for a NestJS route: the app's global ones,
 * then the controller's and the handler's. An interceptor class the workspace does not hold, or
 * one without a known delay, gives none.
 */
export function nestInterceptorDeadlines(lookup: TsLookup, file: FileId, route: TsRoute, globals: readonly PlacedInterceptorUse[]): TsMiddlewareDeadline[] {
  const out: TsMiddlewareDeadline[] = [];
  const fromMetadata = (interceptor: TsTimeoutInterceptor, interceptorFile: FileId) => metadataDelay(lookup, file, route, interceptor, interceptorFile);
  const seen = new Set<string>();
  for (const { file: useFile, use } of [...globals, ...(route.nestInterceptors ?? []).map((use) => ({ file, use })), ...decoratorInterceptors(lookup, file, route)]) {
    const local = use.ref.module === '.';
    const target = local ? { file: useFile, name: use.ref.name } : resolveExportTarget(lookup, useFile, use.ref);
    if (!target) continue;
    const interceptor = lookup.get(target.file)?.timeoutInterceptors?.find((i) => (local ? i.className === target.name : i.exports.includes(target.name)));
    // The same metadata-reading interceptor applied twice (globally and by a decorator) reads the same delay: one deadline.
    if (interceptor?.metadata) {
      const key = `${target.file}#${interceptor.className}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    const deadline = interceptor ? interceptorDeadline(use, useFile, interceptor, target.file, fromMetadata) : undefined;
    if (deadline) out.push(deadline);
  }
  return out;
}
