// Node HTTP servers and framework apps (http.createServer, Express, Koa, Fastify, NestJS, Hono) with their timeouts and listening port.
import { unwrap, unwrapAwait, type AstNode } from './ast.js';
import type { FactsContext } from './context.js';
import { layeredTimeouts, type OptionLayer, type OptionSpec } from './options.js';
import { chainOf } from './hono-chains.js';
import type { Binding, BindingEvent, Scope } from './scope.js';
import type { TsProperty, TsServer, TsServerKind, TsTimeout, TsValue } from './types.js';
import { httpServerApp, type RawCall } from './walk.js';

export type AppFramework = 'express' | 'koa' | 'fastify' | 'hono' | 'nest';

/** Node's server options and properties (timeout-facts.md §11.1); 0 disables each of them. */
const NODE_SPECS: OptionSpec[] = [
  { option: 'requestTimeout', kind: 'request-receive', factsRef: '§11.1', zeroDisables: true },
  { option: 'headersTimeout', kind: 'request-receive', factsRef: '§11.1', zeroDisables: true },
  { option: 'keepAliveTimeout', kind: 'keepalive', factsRef: '§11.1', zeroDisables: true },
  { option: 'timeout', kind: 'idle', factsRef: '§11.1', zeroDisables: true },
];

/** Fastify factory options (facts §11.2): `connectionTimeout` becomes `server.timeout`. */
const FASTIFY_SPECS: OptionSpec[] = [
  { option: 'connectionTimeout', kind: 'idle', factsRef: '§11.2', zeroDisables: true },
  { option: 'keepAliveTimeout', kind: 'keepalive', factsRef: '§11.2', zeroDisables: true, defaultMs: 72_000 },
  { option: 'requestTimeout', kind: 'request-receive', factsRef: '§11.2', zeroDisables: true },
];

/** Which framework app an expression creates (`express()`, `new Koa()`, `fastify()`, `new Hono()`, `NestFactory.create()`). */
export function appFrameworkOf(ctx: FactsContext, node: AstNode | undefined, scope: Scope): AppFramework | undefined {
  const expression = unwrapAwait(node);
  if (!expression || (expression.type !== 'CallExpression' && expression.type !== 'NewExpression')) return undefined;
  // `new Hono().basePath('/api')` and `new Hono().get(…).post(…)` are the same app, with a prefix and routes (read by the route reader).
  const chain = expression.type === 'CallExpression' ? chainOf(expression) : undefined;
  if (chain) return chain.root.type === 'NewExpression' && appFrameworkOf(ctx, chain.root, scope) === 'hono' ? 'hono' : undefined;
  const { root, path } = ctx.callee({ node: expression, scope });
  if (root.kind !== 'library' || root.library !== 'framework') return undefined;
  const name = path.length === 0 ? root.name : path.join('.');
  if (root.module === 'express') return name === 'default' || name === 'Router' || name === 'express' ? 'express' : undefined;
  if (root.module === 'koa') return 'koa';
  if (root.module === 'koa-router' || root.module === '@koa/router') return 'koa';
  if (root.module === 'fastify') return 'fastify';
  if (root.module === 'hono' && root.name === 'Hono') return 'hono';
  if (root.module === '@nestjs/core' && root.name === 'NestFactory' && path[0] === 'create') return 'nest';
  return undefined;
}

/** The framework of the app a binding holds, following `const app = express()`. */
export function bindingFramework(ctx: FactsContext, binding: Binding | undefined): AppFramework | undefined {
  return binding?.kind === 'const' && binding.init ? appFrameworkOf(ctx, binding.init, binding.scope) : undefined;
}

/** Reads `call` as a server creation or an app's `listen`, adding a server fact; true when it was one. */
export function readServer(ctx: FactsContext, call: RawCall, nodeMajor: number | undefined): boolean {
  const { root, path, binding } = ctx.callee(call);
  const args = call.node.arguments as AstNode[];
  const method = root.kind === 'library' && path.length === 0 ? root.name : path.at(-1);
  if (root.kind === 'library' && root.library === 'node-http' && method === 'createServer') {
    const first = args[0] ? ctx.values.evaluate(args[0], call.scope) : undefined;
    const options = first?.kind === 'object' ? first : undefined;
    const kind: TsServerKind = root.module.endsWith('https') ? 'node-https' : 'node-http';
    const holder = ctx.assignedBinding(call);
    // One server per variable and kind: the branches of `let server` that create the same kind are one server at run time.
    if (holder?.kind === 'mutable' && ctx.facts.servers.some((s) => s.variable === holder.name && s.kind === kind)) return true;
    const server = addServer(ctx, call, kind, [{ options, level: 'instance', overrides: serverOverrides(ctx, holder) }], nodeMajor, options);
    // createServer([options,] listener): a function written here handles every request (an app passed instead has routes).
    const listener = args[options ? 1 : 0];
    if (listener && (listener.type === 'ArrowFunctionExpression' || listener.type === 'FunctionExpression')) server.functionListener = true;
    const listen = holder?.events.find((e) => e.kind === 'call' && e.path.join('.') === 'listen' && e.node.arguments[0]);
    if (listen) server.port = ctx.values.evaluate(listen.node.arguments[0], listen.scope);
    return true;
  }
  if (root.kind === 'library' && root.library === 'framework' && root.module === 'fastify' && path.length === 0 && call.node.type === 'CallExpression') {
    const options = args[0] ? ctx.values.evaluate(args[0], call.scope) : undefined;
    addServer(ctx, call, 'fastify', [{ options, level: 'instance' }], nodeMajor, undefined, binding);
    return true;
  }
  // `createApp(api).listen(port)`: the receiver is the factory's call (the callee reader stops at a call).
  const member = unwrap(call.node.callee);
  const receiver = member?.type === 'MemberExpression' && !member.computed && member.property?.name === 'listen' ? unwrapAwait(member.object) : undefined;
  if (receiver?.type === 'CallExpression' && readFactoryListen(ctx, call, receiver, call.scope, args, nodeMajor)) return true;
  if (method === 'listen' && path.length === 1 && binding) {
    const framework = bindingFramework(ctx, binding);
    if (!framework) return binding.kind === 'const' && binding.init ? readFactoryListen(ctx, call, unwrapAwait(binding.init), binding.scope, args, nodeMajor) : false;
    const port = args[0] ? ctx.values.evaluate(args[0], call.scope) : undefined;
    if (framework === 'fastify') {
      // fastify() already produced the server; listen adds the port (`listen({ port })` or `listen(port)`).
      const server = ctx.facts.servers.find((s) => s.kind === 'fastify' && s.variable === binding.name);
      const fastifyPort = port?.kind === 'object' ? port.properties.find((p) => p.name === 'port')?.value : port;
      if (server && fastifyPort) server.port = fastifyPort;
      return true;
    }
    const overrides = serverOverrides(ctx, ctx.assignedBinding(call));
    if (framework === 'nest') for (const [name, value] of nestServerOverrides(ctx, binding)) overrides.set(name, value);
    const server = addServer(ctx, call, framework, [{ options: undefined, level: 'instance', overrides }], nodeMajor);
    if (port) server.port = port;
    return true;
  }
  return false;
}

/**
 * `app.listen(port)` where `const app = createApp()` (or `await createApp()`), or `createApp(api).listen(port)`,
 * calls a function imported from another module: kept aside with the import, since only that module says
 * whether it returns an Express, Koa or NestJS app (all Node http servers with Node's defaults, read here
 * as for any of them).
 */
function readFactoryListen(ctx: FactsContext, call: RawCall, init: AstNode | undefined, scope: Scope, args: AstNode[], nodeMajor: number | undefined): boolean {
  if (init?.type !== 'CallExpression' || (init.arguments as AstNode[]).length > 3) return false;
  const factory = ctx.callee({ node: init, scope });
  if (factory.root.kind !== 'imported' || factory.path.length > 0 || factory.root.ref.path?.length) return false;
  const server = makeServer(ctx, call, 'express', [{ options: undefined, level: 'instance', overrides: serverOverrides(ctx, ctx.assignedBinding(call)) }], nodeMajor);
  if (args[0]) server.port = ctx.values.evaluate(args[0], call.scope);
  (ctx.facts.factoryServers ??= []).push({ factory: { module: factory.root.ref.module, name: factory.root.ref.name }, server });
  return true;
}

/**
 * The framework app an exported function returns: its body's last `return` gives an app creation
 * directly (`return express()`) or a `const`/`let` of the body that holds one; an arrow function's
 * expression body likewise. Only Node http frameworks whose `listen` makes a Node server (Express, Koa, NestJS).
 */
export function appReturnedBy(ctx: FactsContext, fn: AstNode, scope: Scope): 'express' | 'koa' | 'nest' | undefined {
  if (fn.generator) return undefined;
  let expression: AstNode | undefined = fn.body;
  let declared: Map<string, AstNode> | undefined;
  if (fn.body?.type === 'BlockStatement') {
    const statements = fn.body.body as AstNode[];
    const last = [...statements].reverse().find((statement) => statement.type === 'ReturnStatement');
    if (!last?.argument) return undefined;
    declared = new Map();
    for (const statement of statements) {
      if (statement.type !== 'VariableDeclaration' || statement.kind === 'var') continue;
      for (const declarator of statement.declarations as AstNode[]) if (declarator.id?.type === 'Identifier' && declarator.init) declared.set(declarator.id.name, declarator.init);
    }
    expression = last.argument;
  }
  let target = unwrapAwait(expression);
  if (target?.type === 'Identifier' && declared) target = declared.get(target.name as string);
  const framework = appFrameworkOf(ctx, target, scope) ?? annotatedApp(fn, scope);
  return framework === 'express' || framework === 'koa' || framework === 'nest' ? framework : undefined;
}

/**
 * The app a function's return type annotation names: `(): express.Express`, `Express` or `Application`
 * imported from express, `Koa` (koa's default export), `INestApplication` (@nestjs/common); a Promise of
 * one as well. The annotation is checked against the import, never read by its name alone.
 */
function annotatedApp(fn: AstNode, scope: Scope): AppFramework | undefined {
  let type: AstNode | undefined = fn.returnType?.typeAnnotation;
  if (type?.type === 'TSTypeReference' && type.typeName?.type === 'Identifier' && type.typeName.name === 'Promise') type = type.typeParameters?.params?.[0];
  if (type?.type !== 'TSTypeReference') return undefined;
  const name = type.typeName;
  const importOf = (local: string) => scope.lookupTypeImport(local);
  if (name?.type === 'TSQualifiedName' && name.left?.type === 'Identifier') {
    const ref = importOf(name.left.name as string);
    if (ref?.module === 'express' && (ref.name === 'default' || ref.name === '*') && (name.right.name === 'Express' || name.right.name === 'Application')) return 'express';
    return undefined;
  }
  if (name?.type !== 'Identifier') return undefined;
  const ref = importOf(name.name as string);
  if (ref?.module === 'express' && (ref.name === 'Express' || ref.name === 'Application')) return 'express';
  if (ref?.module === 'koa' && ref.name === 'default') return 'koa';
  if (ref?.module === '@nestjs/common' && ref.name === 'INestApplication') return 'nest';
  return undefined;
}

function addServer(ctx: FactsContext, call: RawCall, kind: TsServerKind, layers: OptionLayer[], nodeMajor: number | undefined, constructorOptions?: TsValue, appBinding?: Binding): TsServer {
  const server = makeServer(ctx, call, kind, layers, nodeMajor, constructorOptions, appBinding);
  ctx.facts.servers.push(server);
  return server;
}

/** A server fact with its timeouts (the framework's options over Node's or Fastify's defaults), not yet added to the file's facts. */
function makeServer(ctx: FactsContext, call: RawCall, kind: TsServerKind, layers: OptionLayer[], nodeMajor: number | undefined, constructorOptions?: TsValue, appBinding?: Binding): TsServer {
  const variable = ctx.assignedBinding(call)?.name ?? appBinding?.name;
  const server: TsServer = { kind, timeouts: [], span: ctx.span(call.node), ...(variable ? { variable } : {}) };
  if (kind === 'fastify') {
    server.timeouts = layeredTimeouts(FASTIFY_SPECS, layers).timeouts;
    // Fastify sets requestTimeout and connectionTimeout to 0 unless given (facts §11.2).
    for (const option of ['connectionTimeout', 'requestTimeout']) {
      if (!server.timeouts.some((t) => t.option === option)) server.timeouts.push({ kind: option === 'requestTimeout' ? 'request-receive' : 'idle', option, source: 'default', disabled: true, factsRef: '§11.2' });
    }
    server.timeouts.push(nodeHeadersDefault(undefined));
  } else {
    const result = layeredTimeouts(NODE_SPECS, layers);
    server.timeouts = result.timeouts;
    addNodeDefaults(server.timeouts, nodeMajor, constructorOptions);
    if (layers.some((layer) => layer.overrides && timeoutListeners.has(layer.overrides))) {
      for (const t of server.timeouts) if (t.option === 'timeout' && t.source !== 'default') t.mayNotApply = "a 'timeout' listener handles it, so Node does not close the silent socket itself (timeout-facts §11.1)";
    }
  }
  return server;
}

function isStringLiteral(node: unknown, value: string): boolean {
  const n = node as { type?: string; value?: unknown } | undefined;
  return n?.type === 'StringLiteral' && n.value === value;
}

/** Node defaults for the server timeouts not written (facts §11.1); version-dependent ones need the Node major. */
function addNodeDefaults(timeouts: TsTimeout[], nodeMajor: number | undefined, options: TsValue | undefined): void {
  const has = (option: string) => timeouts.some((t) => t.option === option);
  if (!has('requestTimeout')) {
    // 300 s since Node 18 (PR #41263); none before.
    const fact: TsTimeout = { kind: 'request-receive', option: 'requestTimeout', source: 'default', factsRef: '§11.1' };
    if (nodeMajor === undefined) fact.versionDependentMs = { '<18': 0, '>=18': 300_000 };
    else if (nodeMajor >= 18) fact.ms = 300_000;
    else fact.disabled = true;
    timeouts.push(fact);
  }
  if (!has('headersTimeout')) {
    const requestTimeout = options?.kind === 'object' ? options.properties.find((p) => p.name === 'requestTimeout')?.value : undefined;
    timeouts.push(nodeHeadersDefault(requestTimeout?.kind === 'number' ? requestTimeout.value : undefined));
  }
  if (!has('keepAliveTimeout')) timeouts.push(nodeKeepAliveDefault(nodeMajor));
  if (!has('timeout')) timeouts.push({ kind: 'idle', option: 'timeout', source: 'default', disabled: true, factsRef: '§11.1' });
}

/** Node's `keepAliveTimeout` default: 5 s up to Node 25, 65 s from Node 26 (PR #62782; facts §11.1, §16.6); both when the major is not known. */
export function nodeKeepAliveDefault(nodeMajor: number | undefined): TsTimeout {
  const fact: TsTimeout = { kind: 'keepalive', option: 'keepAliveTimeout', source: 'default', factsRef: '§11.1' };
  if (nodeMajor === undefined) fact.versionDependentMs = { '<=25': 5_000, '>=26': 65_000 };
  else fact.ms = nodeMajor >= 26 ? 65_000 : 5_000;
  return fact;
}

/** `headersTimeout` defaults to min(60000, requestTimeout) when requestTimeout is a constructor option (facts §11.1). */
function nodeHeadersDefault(requestTimeoutMs: number | undefined): TsTimeout {
  const ms = requestTimeoutMs !== undefined && requestTimeoutMs > 0 ? Math.min(60_000, requestTimeoutMs) : 60_000;
  return { kind: 'request-receive', option: 'headersTimeout', source: 'default', ms, factsRef: '§11.1' };
}

/** `server.keepAliveTimeout = n` and `server.setTimeout(n)` on the variable that holds the server. */
function serverOverrides(ctx: FactsContext, binding: Binding | undefined): Map<string, TsProperty> {
  return overridesOf(ctx, binding?.events ?? []);
}

/**
 * What a NestJS app's code sets on the Node server it hands out: `app.getHttpServer().keepAliveTimeout
 * = n` (and `.setTimeout(n)`), or on a variable holding `app.getHttpServer()`.
 */
function nestServerOverrides(ctx: FactsContext, app: Binding): Map<string, TsProperty> {
  const direct = app.events.filter((e) => e.path[0] === 'getHttpServer()').map((e) => ({ ...e, path: e.path.slice(1) }));
  const holders = [...app.scope.bindings.values()].filter((b) => b !== app && httpServerApp(b.init) === app.name);
  return overridesOf(ctx, [...holders.flatMap((b) => b.events), ...direct]);
}

/**
 * Overrides of a server that also has a `'timeout'` listener (`server.setTimeout(ms, cb)`,
 * `server.on('timeout', …)`): Node then leaves the silent socket to the listener instead of
 * destroying it (facts §11.1), so the idle timer may not end the request.
 */
const timeoutListeners = new WeakMap<Map<string, TsProperty>, true>();
const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

function overridesOf(ctx: FactsContext, events: readonly BindingEvent[]): Map<string, TsProperty> {
  const overrides = new Map<string, TsProperty>();
  for (const event of events) {
    const name = event.path.join('.');
    if (event.kind === 'call' && ((name === 'setTimeout' && event.node.arguments.length >= 2) || (LISTENER_METHODS.has(name) && isStringLiteral(event.node.arguments[0], 'timeout')))) timeoutListeners.set(overrides, true);
    if (event.kind === 'assign' && event.node.operator === '=' && ['keepAliveTimeout', 'headersTimeout', 'requestTimeout', 'timeout'].includes(name)) {
      overrides.set(name, { name, value: ctx.values.evaluate(unwrap(event.node.right), event.scope), span: ctx.span(event.node) });
    }
    if (event.kind === 'call' && name === 'setTimeout' && event.node.arguments[0]) {
      overrides.set('timeout', { name: 'timeout', value: ctx.values.evaluate(event.node.arguments[0], event.scope), span: ctx.span(event.node) });
    }
  }
  return overrides;
}
