// Route handlers (Express, Koa, Fastify, Hono, NestJS controllers; file-routed frameworks in file-routes.ts) and the outbound calls each one reaches.
import { keyName, memberPath, unwrap, unwrapAwait, type AstNode } from './ast.js';
import { tokenText } from './inject-tokens.js';
import type { Span } from '../../types.js';
import { lookupOption, type FactsContext } from './context.js';
import type { Binding, Scope } from './scope.js';
import { bindingFramework, type AppFramework } from './servers.js';
import type { TsClassRef, TsFileFacts, TsImportRef, TsInterceptorUse, TsMiddlewareDeadline, TsNestApp, TsNestModules, TsRoute, TsRouteFramework, TsRouteMount, TsValue } from './types.js';
import type { RawCall } from './walk.js';
import { middlewareCovers, readDeadlineFactories, readDeadlineMiddleware } from './deadline-middlewares.js';
import { interceptorUse, readTimeoutInterceptors } from './nest-interceptors.js';
import { decoratorUsesOf, readMetadataDecorators } from './nest-metadata.js';
import { chainedReceiver, chainOf } from './hono-chains.js';
import { readFileRoutes } from './file-routes.js';

const VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'options', 'head', 'all']);
const NEST_DECORATORS = new Map([['Get', 'GET'], ['Post', 'POST'], ['Put', 'PUT'], ['Patch', 'PATCH'], ['Delete', 'DELETE'], ['Options', 'OPTIONS'], ['Head', 'HEAD'], ['All', 'ALL'], ['Sse', 'GET']]);

/** A route registered on an app or router variable, before prefixes are applied. */
interface PendingRoute {
  route: TsRoute;
  receiver?: Receiver;
  /** Registered on a parameter of a function in a file that imports no framework: kept apart in `paramRoutes`. */
  paramOnly?: boolean;
}

/** What routes are registered on: an app or router binding, or the app parameter of a Fastify plugin function. */
interface Receiver {
  binding: Binding;
  /** For a parameter receiver: the function that declares it (a plugin `register` mounts). */
  pluginFunction?: number;
}

/** A same-file mount of a router or plugin under a prefix. */
interface LocalMount {
  prefix: string;
  on: Receiver;
  how: string;
  span: Span;
}

/** The prefix a receiver has in its own file, how it was made, and the outermost receiver it hangs from. */
interface ResolvedPrefix {
  prefix: string;
  evidence: Array<{ text: string; span: Span }>;
  top: Receiver;
}

type MountTarget = { kind: 'receiver'; key: ReceiverKey } | { kind: 'import'; ref: TsImportRef };

/** `app.use([prefix,] timeout('30s'))`: runs for the routes and routers registered on that receiver after it, under the prefix. */
interface UseDeadline {
  on: Receiver;
  prefix: string;
  framework: string;
  deadline: TsMiddlewareDeadline;
  how: string;
  /** The middleware call as written (`timeout('30s')`), for evidence. */
  written: string;
}
type ReceiverKey = Binding | number;

/** Collects routes from registration calls, Next.js file conventions and NestJS decorators. */
export function readRoutes(ctx: FactsContext, calls: readonly RawCall[], imports: TsFileFacts['imports']): void {
  const pending: PendingRoute[] = [];
  const localMounts = new Map<ReceiverKey, LocalMount>();
  // Second and later mounts of one router in this file: the same routes answer under each prefix.
  const moreLocalMounts = new Map<ReceiverKey, LocalMount[]>();
  const imported: Array<{ prefix: string; prefixValue?: TsValue; target: TsImportRef; how: string; on: Receiver; span: Span }> = [];
  const ownPrefixes = new Map<Binding, { prefix: string; text: string; span: Span }>();
  const useDeadlines: UseDeadline[] = [];
  const nest: TsNestApp = {};
  // Receivers that are parameters (`async function routes(fastify) { fastify.get(...) }`) get the framework the file imports.
  // Type-only imports count too: `(fastify: FastifyInstance) => …` in a routes module imports nothing else from fastify.
  const importedModules = new Set([...imports.map((i) => i.module), ...((ctx.tsFile.program?.body ?? []) as AstNode[]).filter((s) => s.type === 'ImportDeclaration').map((s) => s.source.value as string)]);
  const fileFramework: AppFramework | undefined = importedModules.has('fastify') || importedModules.has('fastify-plugin') ? 'fastify' : importedModules.has('express') ? 'express' : importedModules.has('hono') ? 'hono' : importedModules.has('koa') || importedModules.has('@koa/router') || importedModules.has('koa-router') ? 'koa' : undefined;
  // Functions of this file that return a deadline middleware, before the registrations that call them.
  readDeadlineFactories(ctx, importedModules);
  for (const call of calls) {
    // A link of a Hono chain (`new Hono().basePath('/api').get(…)`, `app.basePath('/v1').post(…)`) registers on the chain's app.
    const chained = fileFramework === 'hono' || importedModules.has('hono') ? chainedReceiver(ctx, call) : undefined;
    const callee = chained ? { root: { kind: 'unknown' as const }, path: [chained.verb], binding: chained.binding } : ctx.callee(call);
    const verb = callee.path.length === 1 ? callee.path[0]! : undefined;
    if (!verb || !callee.binding) continue;
    if (chained && bindingFramework(ctx, chained.binding) !== 'hono') continue;
    // A parameter in a file that imports no framework (`export default function registerChatRoutes(app) { app.get(…) }` in
    // plain JS): its routes wait for the package's framework (route-prefixes.ts), never a guess made here.
    const onParamOnly = callee.binding.kind === 'param' && !fileFramework && !bindingFramework(ctx, callee.binding) && VERBS.has(verb) && verb !== 'all';
    const framework = bindingFramework(ctx, callee.binding) ?? (callee.binding.kind === 'param' ? fileFramework : undefined) ?? (onParamOnly ? 'express' : undefined);
    if (!framework) continue;
    if (framework === 'nest') {
      readNestAppCall(ctx, call, verb, nest);
      continue;
    }
    // A parameter receiver belongs to its plugin function; so does a router a factory function makes and returns (`function chat() { const r = Router(); …; return r; }`).
    const owned = call.functionId !== undefined && (callee.binding.kind === 'param' || returnsBinding(ctx, call.functionId, callee.binding));
    const receiver: Receiver = { binding: callee.binding, ...(owned ? { pluginFunction: call.functionId } : {}) };
    const args = call.node.arguments as AstNode[];
    const first = args[0] ? ctx.values.evaluate(args[0], call.scope) : undefined;
    const how = `${callee.binding.name}.${verb}`;
    if (framework === 'koa' && verb === 'prefix' && first?.kind === 'string') {
      ownPrefixes.set(callee.binding, { prefix: first.value, text: how, span: ctx.span(call.node) });
      continue;
    }
    const isMount = verb === 'use' || (verb === 'route' && framework !== 'fastify') || (verb === 'register' && framework === 'fastify');
    if (isMount) {
      let prefix: string | undefined = '';
      let prefixValue: TsValue | undefined;
      let targets: AstNode[];
      if (verb === 'register') {
        const options = args[1] ? ctx.values.evaluate(args[1], call.scope) : undefined;
        const option = lookupOption(options, 'prefix');
        // A prefix that cannot be read leaves the plugin's routes without a known place: no mount at all.
        prefix = option.state === 'absent' ? '' : option.state === 'present' && option.property.value.kind === 'string' ? option.property.value.value : undefined;
        targets = args.slice(0, 1);
      } else if (first?.kind === 'string') targets = args.slice(1);
      else if (first?.kind === 'template' && first.parts.some((p) => typeof p !== 'string' && p.kind === 'import')) {
        // A prefix built from imported constants: finished across files for routers imported from other modules (route-paths.ts).
        prefixValue = first;
        targets = args.slice(1);
      } else if (args[0] && (unwrap(args[0])?.type === 'StringLiteral' || unwrap(args[0])?.type === 'TemplateLiteral' || first?.kind === 'template' || first?.kind === 'env')) prefix = undefined;
      else {
        targets = args;
        // `app.use(API_PREFIX, router)` and `app.use(auth, router)` read alike here: the other file says whether it is a path.
        if (first?.kind === 'import' && args.length > 1) prefixValue = first;
      }
      if (prefix === undefined) continue;
      if (first?.kind === 'string' && verb !== 'register') prefix = first.value;
      // `app.basePath('/v1').route('/books', books)`: the chain's prefix comes first.
      if (chained?.prefix) prefix = joinPath(chained.prefix, prefix || '/');
      // An app-level middleware written inline (`app.use((req, res, next) => …)`): its X-Accel-Buffering applies to the routes registered after it.
      if (verb === 'use' && prefix === '') {
        for (const node of targets!) {
          const functionId = ctx.walk.functionIdByNode.get(unwrap(node)!);
          if (functionId !== undefined) (ctx.facts.useMiddlewares ??= []).push({ functionId, span: ctx.span(call.node) });
        }
      }
      const middlewares = new Set<AstNode>();
      if (verb === 'use') {
        for (const node of targets!) {
          const deadline = readDeadlineMiddleware(ctx, node, call.scope);
          if (!deadline) continue;
          useDeadlines.push({ on: receiver, prefix, framework, deadline, how, written: ctx.tsFile.text.slice(node.start ?? 0, node.end ?? 0) });
          // A call of another module's function may as well make a router: only a known deadline middleware is no mount.
          if (deadline.middleware !== 'imported') middlewares.add(node);
        }
      }
      for (const node of targets!) {
        // A deadline middleware is no router: nothing is mounted by it.
        if (middlewares.has(node)) continue;
        const target = mountTarget(ctx, node, call);
        if (!target) continue;
        const deferred = prefixValue && node !== args[0] ? prefixValue : undefined;
        if (target.kind === 'import') imported.push({ prefix, ...(deferred ? { prefixValue: deferred } : {}), target: target.ref, how, on: receiver, span: ctx.span(call.node) });
        else if (prefixValue && first?.kind === 'template') continue;
        else if (!localMounts.has(target.key)) localMounts.set(target.key, { prefix, on: receiver, how, span: ctx.span(call.node) });
        else if (receiverKey(receiver) !== target.key) moreLocalMounts.set(target.key, [...(moreLocalMounts.get(target.key) ?? []), { prefix, on: receiver, how, span: ctx.span(call.node) }].slice(0, MAX_EXTRA_MOUNTS));
      }
      continue;
    }
    if (framework === 'fastify' && verb === 'route' && first?.kind === 'object') {
      const method = lookupOption(first, 'method');
      const url = lookupOption(first, 'url');
      const handler = lookupOption(first, 'handler');
      const route = newRoute(ctx, 'fastify', method.state === 'present' && method.property.value.kind === 'string' ? method.property.value.value : 'ALL', url.state === 'present' && url.property.value.kind === 'string' ? url.property.value.value : undefined, call);
      if (handler.state === 'present') addHandler(ctx, route, ctx.values.nodeOf(handler.property), call);
      pending.push({ route, receiver });
      continue;
    }
    if (!VERBS.has(verb)) continue;
    const unknownPath = first !== undefined && first.kind !== 'string' && first.kind !== 'object' && registersHandler(ctx, args, call) ? pathReason(ctx, args[0]!, first) : undefined;
    if (!unknownPath && (first?.kind !== 'string' || !first.value.startsWith('/'))) continue;
    const route = newRoute(ctx, framework, verb === 'del' ? 'DELETE' : verb, unknownPath ? undefined : (first as { value: string }).value, call);
    // A link's own registration starts at its method name, not where the chain starts.
    if (chained) route.span = { ...route.span, start: unwrap(call.node.callee)?.property?.start ?? route.span.start };
    if (chained?.prefix && route.path !== undefined) {
      route.path = joinPath(chained.prefix, route.path);
      route.evidence = [{ text: `prefix ${chained.prefix} from basePath() earlier in the chain`, span: ctx.span(chained.prefixSpan!) }];
    }
    if (unknownPath) {
      route.pathUnknown = unknownPath;
      // Parts another module holds (an imported constant, a helper it exports) are finished across files (route-paths.ts).
      const deferred = deferredPath(ctx, args[0]!, first!, call);
      if (deferred) Object.assign(route, deferred);
    }
    for (const handler of args.slice(1)) {
      const deadline = readDeadlineMiddleware(ctx, handler, call.scope);
      if (deadline) (route.deadlines ??= []).push(deadline);
      else addHandler(ctx, route, handler, call);
    }
    pending.push({ route, receiver, ...(onParamOnly ? { paramOnly: true } : {}) });
  }
  const resolve = (receiver: Receiver): ResolvedPrefix => resolvePrefix(ctx, receiver, localMounts, ownPrefixes, new Set());
  // Deadline middlewares that run before what is registered at `at` on `receiver`: those used on it
  // earlier, then those used earlier on what it is mounted on in this file, outwards.
  const deadlinesBefore = (receiver: Receiver, at: number, covers: (fullPrefix: string, framework: string) => boolean, mountOverride?: ReadonlyMap<ReceiverKey, LocalMount>): TsMiddlewareDeadline[] => {
    const out: TsMiddlewareDeadline[] = [];
    const seen = new Set<ReceiverKey>();
    let current: Receiver | undefined = receiver;
    let limit = at;
    while (current && !seen.has(receiverKey(current))) {
      const key = receiverKey(current);
      seen.add(key);
      const base = resolve(current).prefix;
      for (const use of useDeadlines) {
        if (receiverKey(use.on) !== key || use.deadline.span.start > limit) continue;
        if (!covers(use.prefix === '' ? '' : joinPath(base === '' ? '/' : base, use.prefix), use.framework)) continue;
        out.push({ ...use.deadline, via: { text: `${use.how}(${use.prefix === '' ? '' : `'${use.prefix}', `}${use.written}) runs before it`, span: use.deadline.span } });
      }
      const mount = mountOverride?.get(key) ?? localMounts.get(key);
      if (!mount) break;
      limit = mount.span.start;
      current = mount.on;
    }
    return out;
  };
  // One scan of the module's exports per receiver, however many routes it carries.
  const exportsMemo = new Map<ReceiverKey, string[]>();
  const exportsOf = (receiver: Receiver): string[] => {
    const key = receiverKey(receiver);
    let names = exportsMemo.get(key);
    if (!names) exportsMemo.set(key, (names = receiverExports(ctx, receiver)));
    return names;
  };
  for (const { route, receiver, paramOnly } of pending) {
    if (paramOnly) {
      // Not a route of this file's app until the package says which framework the parameter is.
      reach(ctx, route);
      const { framework: _placeholder, ...rest } = route;
      (ctx.facts.paramRoutes ??= []).push(rest);
      continue;
    }
    if (receiver) {
      const resolved = resolve(receiver);
      const written = route.path;
      // The registration's own deadline middlewares, before those used in front of it are added.
      const ownDeadlines = route.deadlines ?? [];
      if (route.path !== undefined && resolved.prefix !== '') route.path = joinPath(resolved.prefix, route.path);
      if (written !== undefined && moreLocalMounts.size > 0) {
        const alternatives = alternativePrefixes(ctx, receiver, localMounts, moreLocalMounts, ownPrefixes)
          .map((alt) => {
            const path = alt.prefix === '' ? written : joinPath(alt.prefix, written);
            // Each mount has its own middlewares in front and its own parents (their exports, for mounts in other files).
            const before = useDeadlines.length > 0 ? deadlinesBefore(receiver, route.span.start, (prefix, framework) => middlewareCovers(framework, prefix, path), new Map([[alt.at, alt.mount]])) : [];
            const deadlines = [...before, ...ownDeadlines];
            return { path, evidence: alt.evidence, routerExports: exportsOf(alt.top), ...(deadlines.length > 0 ? { deadlines } : {}) };
          })
          .filter((alt, i, all) => alt.path !== route.path && all.findIndex((a) => a.path === alt.path) === i);
        if (alternatives.length > 0) route.alsoAt = alternatives;
      }
      if (useDeadlines.length > 0) {
        const fullPath = route.path;
        const deadlines = deadlinesBefore(receiver, route.span.start, (prefix, framework) => middlewareCovers(framework, prefix, fullPath));
        if (deadlines.length > 0) route.deadlines = [...deadlines, ...ownDeadlines];
      }
      if (route.path === undefined && (route.pathValue || route.pathCall) && resolved.prefix !== '') route.pathPrefix = resolved.prefix;
      if (resolved.evidence.length > 0) route.evidence = resolved.evidence;
      const exported = exportsOf(resolved.top);
      if (exported.length > 0) route.routerExports = exported;
    }
    ctx.facts.routes.push(route);
  }
  const mounts: TsRouteMount[] = imported.map(({ prefix, prefixValue, target, how, on, span }) => {
    const resolved = resolve(on);
    // A deadline middleware counts for a mounted router only when it runs for every path below the mount.
    const mountPath = prefixValue ? undefined : joinPath(resolved.prefix === '' ? '/' : resolved.prefix, prefix === '' ? '/' : prefix);
    const deadlines = useDeadlines.length > 0 ? deadlinesBefore(on, span.start, (p, framework) => middlewareCovers(framework, p, mountPath) && (framework !== 'hono' || p === '' || p.endsWith('*'))) : [];
    return { prefix, ...(prefixValue ? { prefixValue } : {}), target, how, receiverPrefix: resolved.prefix, ...(resolved.evidence.length > 0 ? { receiverEvidence: resolved.evidence } : {}), receiverExports: exportsOf(resolved.top), ...(deadlines.length > 0 ? { deadlines } : {}), span };
  });
  if (mounts.length > 0) ctx.facts.mounts = mounts;
  if (nest.globalPrefix || nest.uriVersioning || nest.unknown) ctx.facts.nestApp = nest;
  readFileRoutes(ctx);
  readNestRoutes(ctx);
  for (const route of ctx.facts.routes) reach(ctx, route);
}

function receiverKey(receiver: Receiver): ReceiverKey {
  return receiver.pluginFunction !== undefined ? receiver.pluginFunction : receiver.binding;
}

/** True when function `functionId` declares `binding` and returns it (`return router;`, or an arrow whose body is the name). */
function returnsBinding(ctx: FactsContext, functionId: number, binding: Binding): boolean {
  const fn = ctx.walk.functionNodes[functionId];
  if (!fn || binding.kind !== 'const' || ctx.walk.moduleScope.lookup(binding.name) === binding) return false;
  const body = fn.body as AstNode | undefined;
  const isName = (node: AstNode | undefined) => unwrap(node)?.type === 'Identifier' && unwrap(node)!.name === binding.name;
  if (body?.type !== 'BlockStatement') return isName(body);
  const declares = (body.body as AstNode[]).some((statement) => statement.type === 'VariableDeclaration' && (statement.declarations as AstNode[]).some((d) => d.id?.type === 'Identifier' && d.id.name === binding.name));
  return declares && (body.body as AstNode[]).some((statement) => statement.type === 'ReturnStatement' && isName(statement.argument));
}

/** A router mounted more often than this in one file is read at its first few mounts only. */
const MAX_EXTRA_MOUNTS = 4;

/**
 * The prefixes a receiver also has through the second and later mounts of it, or of a router it
 * hangs from, in its file: at each level one other mount, the levels above through their first.
 */
function alternativePrefixes(ctx: FactsContext, receiver: Receiver, mounts: ReadonlyMap<ReceiverKey, LocalMount>, more: ReadonlyMap<ReceiverKey, LocalMount[]>, own: ReadonlyMap<Binding, { prefix: string; text: string; span: Span }>): Array<ResolvedPrefix & { at: ReceiverKey; mount: LocalMount }> {
  const out: Array<ResolvedPrefix & { at: ReceiverKey; mount: LocalMount }> = [];
  const seen = new Set<ReceiverKey>();
  // The receivers from this one outwards, each with the path below it (its own prefix and those of the receivers inside it).
  let current: Receiver | undefined = receiver;
  const inner: Array<{ prefix: string; evidence: Array<{ text: string; span: Span }> }> = [];
  while (current && !seen.has(receiverKey(current)) && out.length < MAX_EXTRA_MOUNTS) {
    const key = receiverKey(current);
    seen.add(key);
    const ownPrefix = current.binding.kind === 'param' ? undefined : own.get(current.binding) ?? basePrefixOf(ctx, current.binding);
    const ownEvidence = ownPrefix && ownPrefix.prefix !== '' ? [{ text: `prefix ${ownPrefix.prefix} from ${ownPrefix.text}`, span: ownPrefix.span }] : [];
    inner.unshift({ prefix: ownPrefix?.prefix ?? '', evidence: ownEvidence });
    for (const mount of more.get(key) ?? []) {
      const outer = resolvePrefix(ctx, mount.on, mounts, own, new Set([key]));
      const below = inner.reduce((joined, level) => joinPath(joined || '/', level.prefix || '/'), '');
      const prefix = joinPath(joinPath(outer.prefix || '/', mount.prefix || '/'), below || '/');
      const mountEvidence = [{ text: `prefix ${mount.prefix === '' ? '(none)' : mount.prefix} from ${mount.how}, a further mount of the same router`, span: mount.span }];
      out.push({ prefix: prefix === '/' ? '' : prefix, evidence: [...outer.evidence, ...mountEvidence, ...inner.flatMap((level) => level.evidence)], top: outer.top, at: key, mount });
    }
    const mount = mounts.get(key);
    if (!mount) break;
    inner.unshift({ prefix: mount.prefix, evidence: mount.prefix !== '' ? [{ text: `prefix ${mount.prefix} from ${mount.how}`, span: mount.span }] : [] });
    current = mount.on;
  }
  return out.slice(0, MAX_EXTRA_MOUNTS);
}

/** Follows same-file mounts outwards (`app.use('/api', v1); v1.use('/users', users)`); a cycle stops where it closes. */
function resolvePrefix(ctx: FactsContext, receiver: Receiver, mounts: ReadonlyMap<ReceiverKey, LocalMount>, own: ReadonlyMap<Binding, { prefix: string; text: string; span: Span }>, seen: Set<ReceiverKey>): ResolvedPrefix {
  const key = receiverKey(receiver);
  const ownPrefix = receiver.binding.kind === 'param' ? undefined : own.get(receiver.binding) ?? basePrefixOf(ctx, receiver.binding);
  const ownEvidence = ownPrefix && ownPrefix.prefix !== '' ? [{ text: `prefix ${ownPrefix.prefix} from ${ownPrefix.text}`, span: ownPrefix.span }] : [];
  const mount = mounts.get(key);
  if (!mount || seen.has(key)) return { prefix: ownPrefix?.prefix ?? '', evidence: ownEvidence, top: receiver };
  seen.add(key);
  const outer = resolvePrefix(ctx, mount.on, mounts, own, seen);
  const prefix = joinPath(joinPath(outer.prefix || '/', mount.prefix || '/'), ownPrefix?.prefix || '/');
  const mountEvidence = mount.prefix !== '' ? [{ text: `prefix ${mount.prefix} from ${mount.how}`, span: mount.span }] : [];
  return { prefix: prefix === '/' ? '' : prefix, evidence: [...outer.evidence, ...mountEvidence, ...ownEvidence], top: outer.top };
}

/** A prefix the router or app is created with: `new Router({ prefix: '/api' })` (koa-router), `new Hono().basePath('/api')`. */
function basePrefixOf(ctx: FactsContext, binding: Binding): { prefix: string; text: string; span: Span } | undefined {
  if (binding.kind !== 'const' || !binding.init) return undefined;
  const init = unwrapAwait(binding.init);
  if (!init) return undefined;
  // `new Hono().basePath('/api')`, also in a chain that goes on (`….basePath('/api').get(…)`): the app the variable holds is under the prefix.
  const chain = init.type === 'CallExpression' ? chainOf(init) : undefined;
  const basePaths = chain?.root.type === 'NewExpression' ? chain.links.filter((link) => keyName(unwrap(link.callee)?.property, false) === 'basePath') : [];
  if (basePaths.length > 0) {
    const values = basePaths.map((link) => ctx.values.evaluate(link.arguments[0], binding.scope));
    if (values.some((v) => v.kind !== 'string')) return undefined;
    const prefix = values.reduce((joined, v) => joinPath(joined || '/', (v as { value: string }).value || '/'), '');
    return { prefix: prefix === '/' ? '' : prefix, text: 'basePath()', span: ctx.span(basePaths.length === 1 && basePaths[0] === init ? init : basePaths[0]!) };
  }
  if (init.type === 'NewExpression' && init.arguments[0]) {
    const { root } = ctx.callee({ node: init, scope: binding.scope });
    if (root.kind !== 'library' || (root.module !== 'koa-router' && root.module !== '@koa/router')) return undefined;
    const prefix = lookupOption(ctx.values.evaluate(init.arguments[0], binding.scope), 'prefix');
    return prefix.state === 'present' && prefix.property.value.kind === 'string' ? { prefix: prefix.property.value.value, text: 'the router\'s prefix option', span: prefix.property.span } : undefined;
  }
  return undefined;
}

/** What a mount argument names: a same-file router or plugin function, or an import (`routes`, `require('../../model/routes')`, `users.router`, `child.routes()`). */
function mountTarget(ctx: FactsContext, raw: AstNode, call: RawCall): MountTarget | undefined {
  let node = unwrapAwait(raw);
  // koa-router: `parent.use('/api', child.routes())`.
  const inner = node?.type === 'CallExpression' ? unwrap(node.callee) : undefined;
  if (node?.type === 'CallExpression' && node.arguments.length === 0 && inner?.type === 'MemberExpression' && ['routes', 'middleware'].includes(keyName(inner.property, inner.computed) ?? '')) node = unwrap(inner.object);
  if (!node) return undefined;
  // `require('../../model/routes')` and `import('../../model/routes')` in place.
  const called = node.type === 'CallExpression' ? unwrap(node.callee) : undefined;
  if ((called?.type === 'Identifier' && called.name === 'require' && !call.scope.lookup('require')) || called?.type === 'Import') {
    const specifier = unwrap(node.arguments[0]);
    return specifier?.type === 'StringLiteral' ? { kind: 'import', ref: { module: specifier.value, name: 'default' } } : undefined;
  }
  // A router factory called in place (`app.use('/api/chat', chatRouter())`): its routes hang from the function.
  if (node.type === 'CallExpression' && (called?.type === 'Identifier' || called?.type === 'MemberExpression')) node = called;
  const functionId = ctx.walk.functionIdByNode.get(node);
  if (functionId !== undefined) return { kind: 'receiver', key: functionId };
  if (node.type !== 'Identifier' && node.type !== 'MemberExpression') return undefined;
  if (node.type === 'Identifier') {
    const binding = call.scope.lookup(node.name);
    if (!binding) return undefined;
    if (binding.kind === 'import') return { kind: 'import', ref: binding.import! };
    const declared = binding.declaration ?? (binding.init ? unwrap(binding.init) : undefined);
    const plugin = declared ? ctx.walk.functionIdByNode.get(declared) : undefined;
    return { kind: 'receiver', key: plugin ?? binding };
  }
  const callee = ctx.callee({ node: { type: 'CallExpression', callee: node, arguments: [] }, scope: call.scope });
  return callee.root.kind === 'imported' ? { kind: 'import', ref: importedRef(callee.root.ref, callee.path) } : undefined;
}

/** The names other files import a receiver by: the exports of a module-level router binding or plugin function. */
function receiverExports(ctx: FactsContext, receiver: Receiver): string[] {
  if (receiver.pluginFunction !== undefined || receiver.binding.kind === 'param') {
    if (receiver.pluginFunction === undefined) return [];
    return ctx.facts.exports.filter((e) => e.functionId === receiver.pluginFunction).map((e) => e.name);
  }
  if (ctx.walk.moduleScope.lookup(receiver.binding.name) !== receiver.binding) return [];
  return exportedNames(ctx.tsFile.program, receiver.binding.name);
}

/** Export names of a module-level name: `export const r`, `export { r as x }`, `export default r`, `module.exports = r`, `exports.x = r`. */
export function exportedNames(program: AstNode | undefined, name: string): string[] {
  const names: string[] = [];
  const isName = (node: AstNode | undefined) => unwrap(node)?.type === 'Identifier' && unwrap(node)!.name === name;
  for (const statement of (program?.body ?? []) as AstNode[]) {
    if (statement.type === 'ExportNamedDeclaration' && !statement.source) {
      for (const declarator of (statement.declaration?.declarations ?? []) as AstNode[]) if (declarator.id?.type === 'Identifier' && declarator.id.name === name) names.push(name);
      if (statement.declaration?.id?.name === name) names.push(name);
      for (const specifier of (statement.specifiers ?? []) as AstNode[]) if (specifier.local?.name === name) names.push(keyName(specifier.exported, false) ?? 'default');
    } else if (statement.type === 'ExportDefaultDeclaration' && (isName(statement.declaration) || statement.declaration?.id?.name === name)) names.push('default');
    else if (statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression') {
      const target = memberPath(statement.expression.left)?.join('.');
      const right = unwrap(statement.expression.right);
      if (target === 'module.exports' && isName(right)) names.push('default');
      else if (target === 'module.exports' && right?.type === 'ObjectExpression') {
        for (const property of right.properties as AstNode[]) if (property.type === 'ObjectProperty' && isName(property.value)) names.push(keyName(property.key, property.computed) ?? '');
      } else if (target && isName(right)) {
        const match = /^(?:module\.)?exports\.([\w$]+)$/.exec(target);
        if (match) names.push(match[1]!);
      }
    }
  }
  return names.filter(Boolean);
}

/** `app.setGlobalPrefix('api', { exclude })` and `app.enableVersioning({ type: VersioningType.URI })` on a NestJS app. */
function readNestAppCall(ctx: FactsContext, call: RawCall, verb: string, nest: TsNestApp): void {
  const args = call.node.arguments as AstNode[];
  const span = ctx.span(call.node);
  if (verb === 'setGlobalPrefix') {
    const value = ctx.values.evaluate(args[0], call.scope);
    const exclude = args[1] ? nestExclude(ctx, args[1], call.scope) : [];
    if (value.kind !== 'string' || exclude === undefined) nest.unknown = true;
    else nest.globalPrefix = { prefix: value.value, exclude, span };
    return;
  }
  if (verb === 'useGlobalInterceptors') {
    for (const arg of args) {
      const use = interceptorUse(ctx, arg, call.scope, 'app.useGlobalInterceptors');
      if (use) (ctx.facts.nestGlobalInterceptors ??= []).push(use);
    }
    return;
  }
  if (verb !== 'enableVersioning') return;
  const options = unwrap(args[0]);
  if (options?.type !== 'ObjectExpression') {
    nest.unknown = true;
    return;
  }
  const property = (name: string) => (options.properties as AstNode[]).find((p) => p.type === 'ObjectProperty' && keyName(p.key, p.computed) === name)?.value as AstNode | undefined;
  const type = ctx.values.evaluate(property('type'), call.scope);
  const isUri = type.kind === 'import' && type.module === '@nestjs/common' && type.name === 'VersioningType' && type.path?.[0] === 'URI';
  if (!isUri) {
    // Header, media-type and custom versioning leave paths alone; an unreadable type leaves them unknown.
    if (type.kind !== 'import') nest.unknown = true;
    return;
  }
  const prefixNode = property('prefix');
  const prefix = prefixNode ? ctx.values.evaluate(prefixNode, call.scope) : undefined;
  const defaultNode = property('defaultVersion');
  const defaultVersion = defaultNode ? nestVersions(ctx, defaultNode, call.scope) : undefined;
  if ((prefix && prefix.kind !== 'string' && !(prefix.kind === 'boolean' && !prefix.value)) || (defaultNode && !defaultVersion)) {
    nest.unknown = true;
    return;
  }
  nest.uriVersioning = { prefix: prefix?.kind === 'string' ? prefix.value : prefix ? '' : 'v', ...(defaultVersion ? { defaultVersion } : {}), span };
}

/** `exclude: ['health', { path: 'metrics', method: RequestMethod.GET }]`; undefined when an entry cannot be read. */
function nestExclude(ctx: FactsContext, optionsNode: AstNode, scope: Scope): Array<{ path: string; method?: string }> | undefined {
  const options = unwrap(optionsNode);
  if (options?.type !== 'ObjectExpression') return undefined;
  const excludeNode = unwrap((options.properties as AstNode[]).find((p) => p.type === 'ObjectProperty' && keyName(p.key, p.computed) === 'exclude')?.value);
  if (!excludeNode) return [];
  if (excludeNode.type !== 'ArrayExpression') return undefined;
  const out: Array<{ path: string; method?: string }> = [];
  for (const element of excludeNode.elements as AstNode[]) {
    const value = ctx.values.evaluate(element, scope);
    if (value.kind === 'string') out.push({ path: value.value });
    else if (value.kind === 'object') {
      const path = lookupOption(value, 'path');
      const method = lookupOption(value, 'method');
      if (path.state !== 'present' || path.property.value.kind !== 'string') return undefined;
      const methodName = method.state === 'present' && method.property.value.kind === 'import' ? method.property.value.path?.[0] : undefined;
      out.push({ path: path.property.value.value, ...(methodName && methodName !== 'ALL' ? { method: methodName } : {}) });
    } else return undefined;
  }
  return out;
}

/** A version value: `'1'`, `['1', '2']`, `VERSION_NEUTRAL`; undefined when it cannot be read. */
function nestVersions(ctx: FactsContext, raw: AstNode, scope: Scope): string[] | 'neutral' | undefined {
  const node = unwrap(raw);
  const one = (element: AstNode): string | 'neutral' | undefined => {
    const value = ctx.values.evaluate(element, scope);
    if (value.kind === 'string') return value.value;
    if (value.kind === 'import' && value.module === '@nestjs/common' && value.name === 'VERSION_NEUTRAL') return 'neutral';
    return undefined;
  };
  if (node?.type === 'ArrayExpression') {
    const values = (node.elements as AstNode[]).map(one);
    if (values.some((v) => v === undefined)) return undefined;
    // A neutral entry among versions also serves the unversioned path; this model keeps the versioned ones.
    const versions = values.filter((v): v is string => v !== 'neutral');
    return versions.length > 0 ? versions : 'neutral';
  }
  const single = node ? one(node) : undefined;
  return single === undefined ? undefined : single === 'neutral' ? 'neutral' : [single];
}

/** True when the arguments after the path include a handler: a function, or a name bound to one here or imported (`app.get(x)` alone reads a setting in Express). */
function registersHandler(ctx: FactsContext, args: readonly AstNode[], call: RawCall): boolean {
  if (args.length < 2 || ctx.walk.functionIdByNode.has(unwrap(args[0])!)) return false;
  return args.slice(1).some((raw) => {
    const node = unwrap(raw);
    if (!node) return false;
    if (ctx.walk.functionIdByNode.has(node)) return true;
    if (node.type !== 'Identifier' && node.type !== 'MemberExpression' && node.type !== 'CallExpression') return false;
    const root = ctx.callee({ node: node.type === 'CallExpression' ? node : { type: 'CallExpression', callee: node, arguments: [] }, scope: call.scope }).root.kind;
    return root === 'function' || root === 'imported';
  });
}

/** A path with imported parts (a template, an imported constant, `path.join`), or a call of an imported helper with its arguments. */
function deferredPath(ctx: FactsContext, node: AstNode, value: TsValue, call: RawCall): Pick<TsRoute, 'pathValue' | 'pathCall'> | undefined {
  const imported = (v: TsValue): boolean => v.kind === 'import' || (v.kind === 'template' && v.parts.some((p) => typeof p !== 'string' && (p.kind === 'import' || p.kind === 'string')));
  if (imported(value)) return { pathValue: value };
  const expression = unwrap(node);
  if (expression?.type !== 'CallExpression' || (expression.arguments as AstNode[]).some((a) => a.type === 'SpreadElement')) return undefined;
  const callee = ctx.callee({ node: expression, scope: call.scope });
  if (callee.root.kind !== 'imported') return undefined;
  const ref = callee.root.ref;
  if (ref.name === '*' ? callee.path.length !== 1 : callee.path.length !== 0) return undefined;
  return { pathCall: { callee: ref.name === '*' ? { module: ref.module, name: callee.path[0]! } : ref, args: (expression.arguments as AstNode[]).map((a) => ctx.values.evaluate(a, call.scope)) } };
}

/** Why a route's path is not known: the expression as written, and what it depends on. */
function pathReason(ctx: FactsContext, node: AstNode, value: TsValue): string {
  const text = ctx.tsFile.text.slice(node.start ?? 0, node.end ?? 0).replace(/\s+/g, ' ');
  const shown = text.length > 60 ? `${text.slice(0, 59)}…` : text;
  const depends = value.kind === 'env' ? ` (environment variable ${value.name})` : value.kind === 'template' ? ' (a template with values not known statically)' : unwrap(node)?.type === 'CallExpression' ? ' (a function computes it at run time)' : '';
  return `the path is ${shown}${depends}, not a static string`;
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

/** `@Controller('chat')` classes with `@Post('complete')` methods (NestJS), and their `@Version`s; modules and RouterModule paths. */
function readNestRoutes(ctx: FactsContext): void {
  readNestModules(ctx);
  const interceptors = readTimeoutInterceptors(ctx, (name) => exportedNames(ctx.tsFile.program, name));
  if (interceptors.length > 0) ctx.facts.timeoutInterceptors = interceptors;
  const metadataDecorators = readMetadataDecorators(ctx, (name) => exportedNames(ctx.tsFile.program, name), (node, scope) => interceptorUse(ctx, node, scope, 'UseInterceptors'));
  if (metadataDecorators.length > 0) ctx.facts.metadataDecorators = metadataDecorators;
  for (const [classNode, methods] of ctx.walk.classMethods) {
    const controller = decoratorArgument(ctx, classNode, 'Controller');
    if (controller === undefined) continue;
    const controllerInterceptors = useInterceptorsOf(ctx, classNode);
    const controllerDecorators = decoratorUsesOf(ctx, classNode, 'class');
    const controllerVersion = controllerVersionOf(ctx, classNode);
    const controllerExports = classNode.id ? exportedNames(ctx.tsFile.program, classNode.id.name) : [];
    for (const method of classNode.body.body as AstNode[]) {
      if (method.type !== 'ClassMethod') continue;
      for (const decorator of (method.decorators ?? []) as AstNode[]) {
        const name = decoratorName(ctx, decorator);
        const verb = name ? NEST_DECORATORS.get(name) : undefined;
        const functionId = methods.get(keyName(method.key, method.computed) ?? '');
        if (!verb || functionId === undefined) continue;
        const sub = decoratorArgument(ctx, method, name!) ?? '';
        const route: TsRoute = { framework: 'nest', method: verb, path: joinPath(joinPath('', controller), sub), handlerIds: [functionId], callIndices: [], importedCalls: [], span: ctx.span(decorator) };
        // Nest's SSE stream writes `X-Accel-Buffering: no` with its headers: nginx does not buffer it.
        if (name === 'Sse') route.streamEvidence = [{ kind: 'stream', text: '@Sse()', span: ctx.span(decorator), sse: true }, { kind: 'no-buffering', text: 'X-Accel-Buffering: no (sent by NestJS @Sse)', span: ctx.span(decorator) }];
        const versions = methodVersionOf(ctx, method) ?? controllerVersion;
        if (versions) route.nestVersions = versions;
        if (controllerExports.length > 0) route.nestController = controllerExports;
        const interceptorsOfRoute = [...controllerInterceptors, ...useInterceptorsOf(ctx, method)];
        if (interceptorsOfRoute.length > 0) route.nestInterceptors = interceptorsOfRoute;
        const decoratorsOfRoute = [...controllerDecorators, ...decoratorUsesOf(ctx, method, 'handler')];
        if (decoratorsOfRoute.length > 0) route.nestDecorators = decoratorsOfRoute;
        ctx.facts.routes.push(route);
      }
    }
  }
}

/** `@Module({ controllers })` classes and `RouterModule.register(routes)` calls (from `@nestjs/core`), with nested `children` paths joined. */
function readNestModules(ctx: FactsContext): void {
  const out: TsNestModules = { modules: [], routerPaths: [] };
  const classRef = (node: AstNode | undefined): TsClassRef | undefined => {
    const id = unwrap(node);
    if (id?.type !== 'Identifier') return undefined;
    const binding = ctx.walk.moduleScope.lookup(id.name);
    if (binding?.kind === 'import') return { ref: binding.import! };
    if (binding?.kind === 'class') return { localExports: exportedNames(ctx.tsFile.program, id.name) };
    return undefined;
  };
  const property = (object: AstNode, name: string) => unwrap((object.properties as AstNode[]).find((p) => p.type === 'ObjectProperty' && keyName(p.key, p.computed) === name)?.value);
  for (const classNode of ctx.walk.classMethods.keys()) {
    for (const decorator of (classNode.decorators ?? []) as AstNode[]) {
      if (decoratorName(ctx, decorator) !== 'Module' || !classNode.id) continue;
      const expression = unwrap(decorator.expression);
      const options = unwrap(expression?.type === 'CallExpression' ? expression.arguments[0] : undefined);
      // `providers: [{ provide: UseCaseType.CHAT, useClass: ChatUseCase }]`: the class behind a token (injections.ts).
      const providers = options?.type === 'ObjectExpression' ? property(options, 'providers') : undefined;
      for (const element of providers?.type === 'ArrayExpression' ? (providers.elements as AstNode[]) : []) {
        const entry = unwrap(element);
        if (entry?.type !== 'ObjectExpression') continue;
        const token = tokenText(property(entry, 'provide'));
        const useClass = unwrap(property(entry, 'useClass'));
        const binding = useClass?.type === 'Identifier' ? ctx.walk.moduleScope.lookup(useClass.name) : undefined;
        const ref = binding?.kind === 'import' ? binding.import! : binding?.kind === 'class' ? { module: '.', name: binding.name } : undefined;
        if (token && ref) (ctx.facts.nestProviders ??= []).push({ token, useClass: ref, span: ctx.span(entry) });
        // `{ provide: APP_INTERCEPTOR, useClass: TimeoutInterceptor }`: an interceptor for every route of the app.
        if (token === 'APP_INTERCEPTOR' && ref) (ctx.facts.nestGlobalInterceptors ??= []).push({ ref, args: [], span: ctx.span(entry), text: `APP_INTERCEPTOR provider ${ctx.tsFile.text.slice(useClass!.start ?? 0, useClass!.end ?? 0)}` });
      }
      const controllers = options?.type === 'ObjectExpression' ? property(options, 'controllers') : undefined;
      if (controllers?.type !== 'ArrayExpression') continue;
      out.modules.push({ exports: exportedNames(ctx.tsFile.program, classNode.id.name), controllers: (controllers.elements as AstNode[]).flatMap((e) => classRef(e) ?? []) });
    }
  }
  const addRoutes = (raw: AstNode | undefined, prefix: string, scope: Scope, span: Span, depth: number): void => {
    let node = unwrap(raw);
    if (node?.type === 'Identifier') {
      const binding = scope.lookup(node.name);
      node = binding?.kind === 'const' ? unwrap(binding.init) : undefined;
    }
    if (node?.type !== 'ArrayExpression' || depth > 8) return;
    for (const element of node.elements as AstNode[]) {
      const entry = unwrap(element);
      if (entry?.type !== 'ObjectExpression') continue;
      const pathNode = property(entry, 'path');
      const path = pathNode ? ctx.values.evaluate(pathNode, scope) : undefined;
      // A path that cannot be read leaves the module's routes where they are, never under a guessed prefix.
      if (path?.kind !== 'string') continue;
      const full = joinPath(prefix || '/', path.value || '/');
      const module = classRef(property(entry, 'module'));
      if (module) out.routerPaths.push({ path: full, module, span });
      addRoutes(property(entry, 'children'), full, scope, span, depth + 1);
    }
  };
  for (const call of ctx.walk.calls) {
    const callee = ctx.callee(call);
    if (callee.root.kind !== 'library' || callee.root.module !== '@nestjs/core' || callee.root.name !== 'RouterModule' || callee.path.join('.') !== 'register') continue;
    addRoutes(call.node.arguments[0], '', call.scope, ctx.span(call.node), 0);
  }
  if (out.modules.length > 0 || out.routerPaths.length > 0) ctx.facts.nestModules = out;
}

/** `@Version('1')` on a handler. */
function methodVersionOf(ctx: FactsContext, method: AstNode): TsRoute['nestVersions'] | undefined {
  for (const decorator of (method.decorators ?? []) as AstNode[]) {
    if (decoratorName(ctx, decorator) !== 'Version') continue;
    const expression = unwrap(decorator.expression);
    const argument = expression?.type === 'CallExpression' ? expression.arguments[0] : undefined;
    const versions = argument ? nestVersions(ctx, argument, ctx.walk.moduleScope) : undefined;
    if (versions) return { versions, span: ctx.span(decorator) };
  }
  return undefined;
}

/** `@Controller({ path: 'cats', version: '1' })`. */
function controllerVersionOf(ctx: FactsContext, classNode: AstNode): TsRoute['nestVersions'] | undefined {
  for (const decorator of (classNode.decorators ?? []) as AstNode[]) {
    if (decoratorName(ctx, decorator) !== 'Controller') continue;
    const expression = unwrap(decorator.expression);
    const options = unwrap(expression?.type === 'CallExpression' ? expression.arguments[0] : undefined);
    if (options?.type !== 'ObjectExpression') return undefined;
    const version = (options.properties as AstNode[]).find((p) => p.type === 'ObjectProperty' && keyName(p.key, p.computed) === 'version');
    const versions = version?.value ? nestVersions(ctx, version.value, ctx.walk.moduleScope) : undefined;
    return versions ? { versions, span: ctx.span(version!) } : undefined;
  }
  return undefined;
}

/** The decorator's name when it is imported from `@nestjs/common` (`@Get()`), else undefined. */
/** The interceptors `@UseInterceptors(…)` applies to a controller class or a handler method. */
function useInterceptorsOf(ctx: FactsContext, node: AstNode): TsInterceptorUse[] {
  const out: TsInterceptorUse[] = [];
  for (const decorator of (node.decorators ?? []) as AstNode[]) {
    if (decoratorName(ctx, decorator) !== 'UseInterceptors') continue;
    const expression = unwrap(decorator.expression);
    for (const argument of expression?.type === 'CallExpression' ? (expression.arguments as AstNode[]) : []) {
      const use = interceptorUse(ctx, argument, ctx.walk.moduleScope, '@UseInterceptors');
      if (use) out.push(use);
    }
  }
  return out;
}

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
  // A helper's fetch that takes its init from the caller is represented by the calls read at its call sites (helper-calls.ts).
  const calls = ctx.facts.calls;
  const derivedFrom = new Set(route.callIndices.map((i) => calls[i]?.viaHelper?.span.start).filter((s): s is number => s !== undefined));
  route.callIndices = [...new Set(route.callIndices)].filter((i) => !(calls[i]?.initFrom && !calls[i]!.viaHelper && derivedFrom.has(calls[i]!.span.start) && calls[i]!.span.file === ctx.file)).sort((a, b) => a - b);
}

export function importedRef(ref: TsImportRef, path: string[]): TsImportRef {
  if (ref.name === '*' && path.length > 0) return { module: ref.module, name: path[0]!, ...(path.length > 1 ? { path: path.slice(1) } : {}) };
  return path.length > 0 ? { ...ref, path: [...(ref.path ?? []), ...path] } : ref;
}

export function joinPath(prefix: string, path: string): string {
  const joined = `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
}
