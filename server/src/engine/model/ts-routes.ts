// Route handlers (Express, Koa, Fastify, Hono, Next.js app and pages routes, NestJS controllers) and the outbound calls each one reaches.
import { keyName, unwrap, type AstNode } from '../parse/ts/ts-ast.js';
import { lookupOption, type FactsContext } from './ts-context.js';
import type { Binding } from './ts-scope.js';
import { bindingFramework, type AppFramework } from './ts-servers.js';
import type { TsFileFacts, TsImportRef, TsRoute, TsRouteFramework } from './ts-types.js';
import type { RawCall } from './ts-walk.js';

const VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'options', 'head', 'all']);
const NEXT_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const NEST_DECORATORS = new Map([['Get', 'GET'], ['Post', 'POST'], ['Put', 'PUT'], ['Patch', 'PATCH'], ['Delete', 'DELETE'], ['Options', 'OPTIONS'], ['Head', 'HEAD'], ['All', 'ALL'], ['Sse', 'GET']]);

/** A route registered on an app or router variable, before prefixes are applied. */
interface PendingRoute {
  route: TsRoute;
  router?: Binding;
}

/** Collects routes from registration calls, Next.js file conventions and NestJS decorators. */
export function readRoutes(ctx: FactsContext, calls: readonly RawCall[], imports: TsFileFacts['imports']): void {
  const pending: PendingRoute[] = [];
  const mounts = new Map<Binding, string>();
  // Receivers that are parameters (`async function routes(fastify) { fastify.get(...) }`) get the framework the file imports.
  const imported = new Set(imports.map((i) => i.module));
  const fileFramework: AppFramework | undefined = imported.has('fastify') ? 'fastify' : imported.has('express') ? 'express' : imported.has('hono') ? 'hono' : imported.has('koa') || imported.has('@koa/router') || imported.has('koa-router') ? 'koa' : undefined;
  for (const call of calls) {
    const callee = ctx.callee(call);
    const verb = callee.path.length === 1 ? callee.path[0]! : undefined;
    if (!verb || !callee.binding) continue;
    const framework = bindingFramework(ctx, callee.binding) ?? (callee.binding.kind === 'param' ? fileFramework : undefined);
    if (!framework || framework === 'nest') continue;
    const args = call.node.arguments as AstNode[];
    const first = args[0] ? ctx.values.evaluate(args[0], call.scope) : undefined;
    if ((verb === 'use' || verb === 'route') && first?.kind === 'string' && args[1]?.type === 'Identifier') {
      const router = call.scope.lookup(args[1].name);
      if (router) mounts.set(router, first.value);
      continue;
    }
    if (framework === 'fastify' && verb === 'route' && first?.kind === 'object') {
      const method = lookupOption(first, 'method');
      const url = lookupOption(first, 'url');
      const handler = lookupOption(first, 'handler');
      const route = newRoute(ctx, 'fastify', method.state === 'present' && method.property.value.kind === 'string' ? method.property.value.value : 'ALL', url.state === 'present' && url.property.value.kind === 'string' ? url.property.value.value : undefined, call);
      if (handler.state === 'present') addHandler(ctx, route, ctx.values.nodeOf(handler.property), call);
      pending.push({ route, router: callee.binding });
      continue;
    }
    if (!VERBS.has(verb) || first?.kind !== 'string' || !first.value.startsWith('/')) continue;
    const route = newRoute(ctx, framework, verb === 'del' ? 'DELETE' : verb, first.value, call);
    for (const handler of args.slice(1)) addHandler(ctx, route, handler, call);
    pending.push({ route, router: callee.binding });
  }
  for (const { route, router } of pending) {
    const prefix = router ? mounts.get(router) : undefined;
    if (prefix !== undefined && route.path !== undefined) route.path = joinPath(prefix, route.path);
    ctx.facts.routes.push(route);
  }
  readNextRoutes(ctx);
  readNestRoutes(ctx);
  for (const route of ctx.facts.routes) reach(ctx, route);
}

function newRoute(ctx: FactsContext, framework: TsRouteFramework, method: string, path: string | undefined, call: RawCall): TsRoute {
  return { framework, method: method.toUpperCase(), ...(path !== undefined ? { path } : {}), handlerIds: [], callIndices: [], importedCalls: [], span: ctx.span(call.node) };
}

function addHandler(ctx: FactsContext, route: TsRoute, raw: AstNode | undefined, call: RawCall): void {
  const node = unwrap(raw);
  if (!node) return;
  const direct = ctx.walk.functionIdByNode.get(node);
  if (direct !== undefined) return void route.handlerIds.push(direct);
  if (node.type !== 'Identifier' && node.type !== 'MemberExpression') return;
  const callee = ctx.callee({ node: { type: 'CallExpression', callee: node, arguments: [] }, scope: call.scope });
  if (callee.root.kind === 'function') route.handlerIds.push(callee.root.functionId);
  else if (callee.root.kind === 'imported') route.importedCalls.push(importedRef(callee.root.ref, callee.path));
}

/** `app/**\/route.ts` exports `GET`/`POST`/…; `pages/api/**` default-exports one handler for every method. */
function readNextRoutes(ctx: FactsContext): void {
  const file = ctx.file;
  const app = /(?:^|\/)app\/(.*?)\/?route\.[cm]?[jt]sx?$/.exec(file);
  const pages = /(?:^|\/)pages\/(api\/.*?)(?:\/index)?\.[cm]?[jt]sx?$/.exec(file);
  if (!app && !pages) return;
  // Route groups `(name)` and parallel slots `@name` are not part of the URL.
  const segments = (app ? app[1]! : pages![1]!).split('/').filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith('@'));
  const path = '/' + segments.join('/');
  for (const exported of ctx.facts.exports) {
    const wanted = app ? NEXT_METHODS.has(exported.name) : exported.name === 'default';
    if (!wanted || exported.functionId === undefined) continue;
    ctx.facts.routes.push({ framework: app ? 'next-app' : 'next-pages', method: app ? exported.name : 'ALL', path, handlerIds: [exported.functionId], callIndices: [], importedCalls: [], span: exported.span });
  }
}

/** `@Controller('chat')` classes with `@Post('complete')` methods (NestJS). */
function readNestRoutes(ctx: FactsContext): void {
  for (const [classNode, methods] of ctx.walk.classMethods) {
    const controller = decoratorArgument(ctx, classNode, 'Controller');
    if (controller === undefined) continue;
    for (const method of classNode.body.body as AstNode[]) {
      if (method.type !== 'ClassMethod') continue;
      for (const decorator of (method.decorators ?? []) as AstNode[]) {
        const name = decoratorName(ctx, decorator);
        const verb = name ? NEST_DECORATORS.get(name) : undefined;
        const functionId = methods.get(keyName(method.key, method.computed) ?? '');
        if (!verb || functionId === undefined) continue;
        const sub = decoratorArgument(ctx, method, name!) ?? '';
        ctx.facts.routes.push({ framework: 'nest', method: verb, path: joinPath('/' + controller, sub), handlerIds: [functionId], callIndices: [], importedCalls: [], span: ctx.span(decorator) });
      }
    }
  }
}

/** The decorator's name when it is imported from `@nestjs/common` (`@Get()`), else undefined. */
function decoratorName(ctx: FactsContext, decorator: AstNode): string | undefined {
  const expression = unwrap(decorator.expression);
  const callee = expression?.type === 'CallExpression' ? expression.callee : expression;
  if (callee?.type !== 'Identifier') return undefined;
  const binding = ctx.walk.moduleScope.lookup(callee.name);
  return binding?.kind === 'import' && binding.import!.module === '@nestjs/common' ? binding.import!.name : undefined;
}

/** The path a `@Name('x')` decorator gives (`''` when it has no argument), undefined when the decorator is absent. */
function decoratorArgument(ctx: FactsContext, node: AstNode, name: string): string | undefined {
  for (const decorator of (node.decorators ?? []) as AstNode[]) {
    if (decoratorName(ctx, decorator) !== name) continue;
    const expression = unwrap(decorator.expression);
    const argument = expression?.type === 'CallExpression' ? expression.arguments[0] : undefined;
    if (!argument) return '';
    const value = ctx.values.evaluate(argument, ctx.walk.moduleScope);
    if (value.kind === 'string') return value.value;
    const path = lookupOption(value, 'path');
    return path.state === 'present' && path.property.value.kind === 'string' ? path.property.value.value : '';
  }
  return undefined;
}

/** Follows same-file calls from the handlers and collects the outbound calls and imported functions they reach. */
function reach(ctx: FactsContext, route: TsRoute): void {
  const seen = new Set<number>();
  const queue = [...route.handlerIds];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const fn = ctx.facts.functions[id];
    if (!fn) continue;
    route.callIndices.push(...fn.callIndices);
    route.importedCalls.push(...fn.importedCalls);
    queue.push(...fn.calleeIds);
  }
  route.callIndices = [...new Set(route.callIndices)].sort((a, b) => a - b);
}

export function importedRef(ref: TsImportRef, path: string[]): TsImportRef {
  if (ref.name === '*' && path.length > 0) return { module: ref.module, name: path[0]!, ...(path.length > 1 ? { path: path.slice(1) } : {}) };
  return path.length > 0 ? { ...ref, path: [...(ref.path ?? []), ...path] } : ref;
}

function joinPath(prefix: string, path: string): string {
  const joined = `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
}
