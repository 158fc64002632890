// Websocket servers in code: socket.io (and NestJS gateways on its default adapter) with the engine's ping settings, and ws, which pings only when the code does.
import { memberPath, unwrap, type AstNode } from './ast.js';
import { lookupOption, type FactsContext } from './context.js';
import { requiredModule } from './scope.js';
import type { TsTimeout, TsValue, TsWebSocketServer } from './types.js';
import type { RawCall } from './walk.js';

/**
 * engine.io's defaults (socket.io v3 and later): the server pings every `pingInterval` and waits
 * `pingTimeout` for the pong before the next interval starts. Read from socketio/socket.io
 * `packages/engine.io/lib/server.ts` (BaseServer constructor); not yet in reference/timeout-facts.md.
 */
export const SOCKET_IO_DEFAULTS = { pingIntervalMs: 25_000, pingTimeoutMs: 20_000, path: '/socket.io', source: 'engine.io server.ts defaults' } as const;

/** The websocket server `call` creates, or undefined. */
export function readWebSocketServer(ctx: FactsContext, call: RawCall): TsWebSocketServer | undefined {
  const node = call.node;
  const callee = unwrap(node.callee);
  const args = (node.arguments as AstNode[]).map((a) => unwrap(a));
  // `require('socket.io')(server, options)`.
  if (node.type === 'CallExpression' && callee?.type === 'CallExpression' && requiredModule(callee) === 'socket.io') return socketIo(ctx, call, args);
  const path = memberPath(callee);
  if (!path || path.length === 0) return undefined;
  const binding = call.scope.lookup(path[0]!);
  const imported = binding?.import;
  if (!imported) return undefined;
  const name = path.length === 1 ? imported.name : path[path.length - 1]!;
  const namespace = path.length === 2 && (imported.name === 'default' || imported.name === '*');
  if (imported.module === 'socket.io') {
    // `new Server(…)`, `new io.Server(…)`, and the v2 factory `io(server, options)`.
    if (node.type === 'NewExpression' && (path.length === 1 ? name === 'Server' || name === 'default' : namespace && name === 'Server')) return socketIo(ctx, call, args);
    if (node.type === 'CallExpression' && path.length === 1 && name === 'default') return socketIo(ctx, call, args);
    return undefined;
  }
  if (imported.module === 'ws' && node.type === 'NewExpression') {
    if (path.length === 1 ? name === 'WebSocketServer' || name === 'Server' : namespace && (name === 'Server' || name === 'WebSocketServer')) return ws(ctx, call, args[0]);
    return undefined;
  }
  // NestJS gateways run on socket.io unless the app installs another adapter (WsAdapter is not followed).
  if (imported.module === '@nestjs/websockets' && path.length === 1 && name === 'WebSocketGateway' && node.type === 'CallExpression') {
    const options = args.find((a) => a?.type === 'ObjectExpression') ?? (args.length === 1 && args[0]?.type !== 'NumericLiteral' ? args[0] : undefined);
    return socketIo(ctx, call, options ? [undefined, options] : []);
  }
  return undefined;
}

function socketIo(ctx: FactsContext, call: RawCall, args: Array<AstNode | undefined>): TsWebSocketServer {
  // new Server(options) | new Server(httpServer | port, options): the options are the last of two, or a lone object.
  const optionsNode = args.length >= 2 ? args[args.length - 1] : args[0]?.type === 'ObjectExpression' ? args[0] : undefined;
  const options: TsValue | undefined = optionsNode ? ctx.values.evaluate(optionsNode, call.scope) : undefined;
  const server: TsWebSocketServer = {
    library: 'socket.io',
    pingInterval: pingSetting(options, 'pingInterval', SOCKET_IO_DEFAULTS.pingIntervalMs),
    pingTimeout: pingSetting(options, 'pingTimeout', SOCKET_IO_DEFAULTS.pingTimeoutMs),
    span: ctx.span(call.node),
  };
  Object.assign(server, pathOf(options, SOCKET_IO_DEFAULTS.path));
  return server;
}

function ws(ctx: FactsContext, call: RawCall, optionsNode: AstNode | undefined): TsWebSocketServer {
  const options = optionsNode ? ctx.values.evaluate(optionsNode, call.scope) : undefined;
  return { library: 'ws', ...pathOf(options, undefined), span: ctx.span(call.node) };
}

function pathOf(options: TsValue | undefined, fallback: string | undefined): Pick<TsWebSocketServer, 'path' | 'pathUnknown'> {
  const found = lookupOption(options, 'path');
  if (found.state === 'present') return found.property.value.kind === 'string' ? { path: found.property.value.value } : { pathUnknown: true };
  if (found.state === 'unknown') return { pathUnknown: true };
  return fallback !== undefined ? { path: fallback } : {};
}

/** A ping setting in ms: as written (`unknown` when not static, no `ms` then), or engine.io's default. */
function pingSetting(options: TsValue | undefined, option: 'pingInterval' | 'pingTimeout', defaultMs: number): TsTimeout {
  const found = lookupOption(options, option);
  if (found.state === 'present') {
    const value = found.property.value;
    return { kind: 'idle', option, source: 'set', value, span: found.property.span, factsRef: SOCKET_IO_DEFAULTS.source, ...(value.kind === 'number' ? { ms: value.value } : {}) };
  }
  if (found.state === 'unknown') return { kind: 'idle', option, source: 'set', value: { kind: 'unknown', span: options!.span, reason: 'options not static' }, factsRef: SOCKET_IO_DEFAULTS.source };
  return { kind: 'idle', option, source: 'default', ms: defaultMs, factsRef: SOCKET_IO_DEFAULTS.source };
}

/**
 * True when a request for `path` (a prefix when `prefix`) can be the server's upgrade: socket.io
 * and ws with a `path` answer that path only; ws without one answers every upgrade of its server. A
 * path that is not static never matches; an unknown request path matches only a server without one.
 */
export function webSocketServerAnswers(server: TsWebSocketServer, request: { path?: string; prefix?: boolean }): boolean {
  if (server.pathUnknown) return false;
  if (server.path === undefined) return true;
  if (request.path === undefined) return false;
  const wanted = server.path.endsWith('/') ? server.path : `${server.path}/`;
  const asked = request.path.endsWith('/') ? request.path : `${request.path}/`;
  return request.prefix ? wanted.startsWith(asked) || asked.startsWith(wanted) : asked.startsWith(wanted);
}
