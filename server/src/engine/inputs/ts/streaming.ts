// Streaming evidence in code: what a function writes to the response that makes it a stream (SSE, chunked, a piped body), and whether it turns nginx buffering off itself.
import { forEachChild, isFunctionNode, keyName, memberPath, unwrap, type AstNode } from './ast.js';
import type { FactsContext } from './context.js';
import type { TsNextHeaderRule, TsStreamEvidence, TsValue } from './types.js';
import type { RawCall } from './walk.js';
import type { Span } from '../../types.js';

/** Receivers that are the HTTP response in the frameworks the route reader knows (Express/Node `res`, Fastify `reply.raw`, Koa `ctx.res`). */
const RESPONSE = /^(?:res|response|resp|reply\.raw|ctx\.res|ctx\.raw|c\.res|.*\.res)$/;
/** Methods that set headers, one at a time (`setHeader(name, value)`) or as an object. */
const HEADER_SETTERS = new Set(['setHeader', 'header', 'set', 'append', 'writeHead', 'headers']);
const HEADER_RECEIVER = /^(?:res|response|resp|reply|reply\.raw|ctx|ctx\.res|c|.*\.res)$/;
/** Hono helpers that open a streamed response. */
const HONO_STREAMS = new Set(['streamSSE', 'stream', 'streamText']);
/** AI SDK results turned into a streamed response. */
const AI_STREAM_RESPONSES = new Set(['toDataStreamResponse', 'pipeDataStreamToResponse', 'toTextStreamResponse', 'pipeTextStreamToResponse', 'toUIMessageStreamResponse', 'pipeUIMessageStreamToResponse']);

/**
 * The streaming evidence of one call, or nothing. Only what the code says counts: a header whose
 * name or value is not static is `unknown`, never a guess.
 */
export function readStreamEvidence(ctx: FactsContext, call: RawCall): TsStreamEvidence[] {
  const node = call.node;
  const path = memberPath(node.callee);
  // Next.js route handlers often answer with `new NextResponse(stream)` (next/server), which takes the same arguments.
  if (node.type === 'NewExpression') {
    // AI SDK 3's `new StreamingTextResponse(stream)` (from `ai`): a streamed text body.
    if (path?.length === 1 && call.scope.lookup(path[0]!)?.import?.module === 'ai' && call.scope.lookup(path[0]!)?.import?.name === 'StreamingTextResponse') return [{ kind: 'stream', text: 'new StreamingTextResponse(…) (ai)', span: ctx.span(node) }];
    return path?.join('.') === 'Response' || isNextResponse(call, path) ? responseEvidence(ctx, call) : [];
  }
  if (!path || path.length === 0) return [];
  const method = path[path.length - 1]!;
  const receiver = path.slice(0, -1).join('.');
  const at = ctx.span(node);
  if (path.length === 1) {
    const module = call.scope.lookup(method)?.import?.module;
    const imported = call.scope.lookup(method)?.import?.name;
    if (module === 'hono/streaming' && imported !== undefined && HONO_STREAMS.has(imported)) return [{ kind: 'stream', text: `Hono ${imported}()`, span: at, ...(imported === 'streamSSE' ? { sse: true } : {}) }];
    // use-next-sse: `createSSEHandler(async (send, close) => …)` answers with an event stream.
    if (module === 'use-next-sse' && imported === 'createSSEHandler') return [{ kind: 'stream', text: 'createSSEHandler() (use-next-sse)', span: at, sse: true }];
    // better-sse: `await createSession(req, res)` (and `createResponse(req, res, …)`) writes the event-stream headers and keeps the response open.
    if (module === 'better-sse' && (imported === 'createSession' || imported === 'createResponse')) return betterSseEvidence(ctx, call, imported, at);
    if (method === 'pipeline' && module !== undefined && /^(?:node:)?stream(?:\/promises)?$/.test(module)) {
      const last = unwrap(node.arguments[node.arguments.length - 1]);
      const target = memberPath(last)?.join('.');
      if (target && RESPONSE.test(target)) return [{ kind: 'stream', text: `pipeline(…, ${target})`, span: at }];
    }
    return [];
  }
  if (AI_STREAM_RESPONSES.has(method)) return [{ kind: 'stream', text: `${method}()`, span: at }];
  if (method === 'write' && RESPONSE.test(receiver)) return [{ kind: 'stream', text: `${receiver}.write`, span: at }];
  if (method === 'flushHeaders' && RESPONSE.test(receiver)) return [{ kind: 'stream', text: `${receiver}.flushHeaders()`, span: at }];
  // Fastify sends a Node stream it is given chunk by chunk (`reply.send(stream)`); fastify-sse-v2 adds `reply.sse(…)`.
  if (FASTIFY_REPLY.test(receiver) && method === 'sse') return [{ kind: 'stream', text: `${receiver}.sse() (fastify-sse-v2)`, span: at, sse: true }];
  if (FASTIFY_REPLY.test(receiver) && method === 'send') {
    const made = streamMadeBy(call, (node.arguments as AstNode[])[0]);
    return made ? [{ kind: 'stream', text: `${receiver}.send(${made})`, span: at }] : [];
  }
  if (HEADER_SETTERS.has(method) && HEADER_RECEIVER.test(receiver)) return headerCallEvidence(ctx, call, `${receiver}.${method}`);
  return [];
}

/** A Fastify reply (`reply`, `this.reply`, `ctx.reply`). */
const FASTIFY_REPLY = /^(?:reply|.*\.reply)$/;
/** Constructors and factories of Node and web streams. */
const STREAM_CONSTRUCTORS = new Set(['PassThrough', 'Readable', 'Transform', 'ReadableStream']);

/**
 * How the argument given to `reply.send` was made when it is a stream (`new PassThrough()`,
 * `Readable.from(…)`, `new ReadableStream(…)`, directly or through a `const`), else undefined:
 * anything else may be a string or an object Fastify serialises, so it says nothing.
 */
function streamMadeBy(call: RawCall, argument: AstNode | undefined): string | undefined {
  let node = unwrap(argument);
  if (node?.type === 'Identifier') {
    const binding = call.scope.lookup(node.name);
    node = binding?.kind === 'const' ? unwrap(binding.init) : undefined;
  }
  if (!node) return undefined;
  const path = memberPath(node.callee);
  const last = path?.[path.length - 1];
  if (node.type === 'NewExpression' && last && STREAM_CONSTRUCTORS.has(last)) return `new ${path!.join('.')}(…)`;
  if (node.type === 'CallExpression' && path && path.length >= 2 && last === 'from' && path[path.length - 2] === 'Readable') return `${path.join('.')}(…)`;
  return undefined;
}

function isNextResponse(call: RawCall, path: string[] | undefined): boolean {
  if (path?.length !== 1) return false;
  const imported = call.scope.lookup(path[0]!)?.import;
  return imported?.module === 'next/server' && imported.name === 'NextResponse';
}

function headerCallEvidence(ctx: FactsContext, call: RawCall, how: string): TsStreamEvidence[] {
  const args = (call.node.arguments as AstNode[]).map((a) => unwrap(a));
  const method = how.slice(how.lastIndexOf('.') + 1);
  // writeHead(status, [message], headers): the object is the last argument.
  if (method === 'writeHead') {
    const last = args[args.length - 1];
    return last?.type === 'ObjectExpression' ? headersObject(ctx, call, last, how) : [];
  }
  if (args.length === 1 && args[0]?.type === 'ObjectExpression') return headersObject(ctx, call, args[0], how);
  if (args.length < 2 || !args[0]) return [];
  const name = ctx.values.evaluate(args[0], call.scope);
  const value = ctx.values.evaluate(args[1]!, call.scope);
  return headerEvidence(name.kind === 'string' ? name.value : undefined, value, ctx.span(call.node), how);
}

function headersObject(ctx: FactsContext, call: RawCall, object: AstNode, how: string): TsStreamEvidence[] {
  const value = ctx.values.evaluate(object, call.scope);
  if (value.kind !== 'object') return [];
  return value.properties.flatMap((p) => headerEvidence(p.name, p.value, p.span, how));
}

/**
 * One header. Evidence only for the three headers that matter; a name that cannot be read is
 * unknown only when its value looks like one of them (else every dynamic header would count).
 */
export function headerEvidence(name: string | undefined, value: TsValue, span: TsStreamEvidence['span'], how: string): TsStreamEvidence[] {
  const text = value.kind === 'string' ? value.value.toLowerCase() : undefined;
  if (name === undefined) {
    return text !== undefined && (text.includes('text/event-stream') || text === 'chunked') ? [{ kind: 'unknown', text: `${how} sets ${text} under a header name that is not static`, span }] : [];
  }
  const header = name.toLowerCase();
  if (header !== 'content-type' && header !== 'transfer-encoding' && header !== 'x-accel-buffering') return [];
  if (text === undefined) return [{ kind: 'unknown', text: `${how} sets ${name} from a value that is not static`, span }];
  if (header === 'content-type') return text.includes('text/event-stream') ? [{ kind: 'stream', text: `Content-Type: text/event-stream (${how})`, span, sse: true }] : [];
  if (header === 'transfer-encoding') return text.includes('chunked') ? [{ kind: 'stream', text: `Transfer-Encoding: chunked (${how})`, span }] : [];
  return text === 'no' ? [{ kind: 'no-buffering', text: `X-Accel-Buffering: no (${how})`, span }] : [];
}

/** `new Response(body, { headers })` (Next.js, Hono, any fetch-style handler; `new NextResponse(…)` too): a stream body, or an event-stream header. */
function responseEvidence(ctx: FactsContext, call: RawCall): TsStreamEvidence[] {
  const [body, init] = (call.node.arguments as AstNode[]).map((a) => unwrap(a));
  const out: TsStreamEvidence[] = [];
  const bodyNode = body?.type === 'Identifier' ? unwrap(call.scope.lookup(body.name)?.init) : body;
  const responseName = memberPath(call.node.callee)?.join('.') ?? 'Response';
  if (bodyNode?.type === 'NewExpression' && memberPath(bodyNode.callee)?.join('.') === 'ReadableStream') out.push({ kind: 'stream', text: `new ${responseName}(new ReadableStream(…))`, span: ctx.span(call.node) });
  if (init?.type === 'ObjectExpression') {
    const options = ctx.values.evaluate(init, call.scope);
    const headers = options.kind === 'object' ? options.properties.find((p) => p.name === 'headers') : undefined;
    if (headers?.value.kind === 'object') out.push(...headers.value.properties.flatMap((p) => headerEvidence(p.name, p.value, p.span, 'new Response')));
  }
  return out;
}

const NEXT_CONFIG = /(?:^|\/)next\.config\.(?:js|mjs|cjs|ts|mts)$/;
/** A next.config is small; the bound keeps a generated or hostile one from costing a long walk. */
const NEXT_CONFIG_NODE_LIMIT = 20_000;

/**
 * Next.js `headers()` rules in next.config: `{ source: '/:path*', headers: [{ key, value }] }`.
 * Only the streaming headers are kept; a rule whose source is not a literal string is dropped (it
 * cannot be matched to a route, so it says nothing either way).
 */
export function readNextConfigHeaders(ctx: FactsContext, file: string, program: AstNode): TsNextHeaderRule[] {
  if (!NEXT_CONFIG.test(file)) return [];
  const out: TsNextHeaderRule[] = [];
  let budget = NEXT_CONFIG_NODE_LIMIT;
  const visit = (node: AstNode): void => {
    if (--budget < 0) return;
    if (node.type === 'ObjectExpression') {
      const rule = headerRule(ctx, node);
      if (rule) out.push(rule);
    }
    forEachChild(node, (child) => visit(child), undefined);
  };
  visit(program);
  return out;
}

function headerRule(ctx: FactsContext, object: AstNode): TsNextHeaderRule | undefined {
  const property = (name: string) => (object.properties as AstNode[]).find((p) => p.type === 'ObjectProperty' && keyName(p.key, p.computed) === name);
  const source = unwrap(property('source')?.value);
  const headers = unwrap(property('headers')?.value);
  if (source?.type !== 'StringLiteral' || headers?.type !== 'ArrayExpression') return undefined;
  const evidence: TsStreamEvidence[] = [];
  for (const element of headers.elements as AstNode[]) {
    const entry = unwrap(element);
    if (entry?.type !== 'ObjectExpression') continue;
    const value = ctx.values.evaluate(entry, ctx.walk.moduleScope);
    if (value.kind !== 'object') continue;
    const key = value.properties.find((p) => p.name === 'key')?.value;
    const headerValue = value.properties.find((p) => p.name === 'value')?.value;
    if (!headerValue) continue;
    evidence.push(...headerEvidence(key?.kind === 'string' ? key.value : undefined, headerValue, ctx.span(entry), `next.config headers() for ${source.value}`));
  }
  return evidence.length > 0 ? { source: source.value, evidence } : undefined;
}

/**
 * True when a Next.js `source` pattern matches a route path. Named parameters (`:id`, `:path*`,
 * `:path+`) and literal groups with a modifier (`{/}?`, as in `/:path*{/}?`: path-to-regexp's
 * optional trailing slash) are understood; a pattern with a regular expression group, or a group
 * holding a parameter, is not, and matches nothing.
 */
export function nextSourceMatches(source: string, path: string): boolean {
  if (/[()]/.test(source)) return false;
  const escape = (text: string) => text.replace(/[.*+?^${}|[\]\\]/g, '\\$&');
  let pattern = '';
  for (const part of source.split(/(\/:[\w]+[*+?]?|\{[^{}]*\}[*+?]?)/)) {
    const param = /^\/:[\w]+([*+?]?)$/.exec(part);
    if (param) {
      pattern += param[1] === '*' ? '(?:/.*)?' : param[1] === '+' ? '/.+' : param[1] === '?' ? '(?:/[^/]+)?' : '/[^/]+';
      continue;
    }
    const group = /^\{([^{}]*)\}([*+?]?)$/.exec(part);
    if (group) {
      if (group[1]!.includes(':')) return false;
      pattern += `(?:${escape(group[1]!)})${group[2]}`;
      continue;
    }
    if (/[{}]/.test(part)) return false;
    pattern += escape(part);
  }
  return new RegExp(`^${pattern}/?$`).test(path);
}

/**
 * better-sse sessions write the event-stream headers themselves and send a keep-alive comment every
 * `keepAlive` ms (10 000 by default; `null` turns it off), from `Session`'s constructor in
 * MatthewWid/better-sse `src/Session.ts`. Its headers do not turn proxy buffering off.
 */
function betterSseEvidence(ctx: FactsContext, call: RawCall, imported: string, at: Span): TsStreamEvidence[] {
  const out: TsStreamEvidence[] = [{ kind: 'stream', text: `${imported}() (better-sse)`, span: at, sse: true }];
  const options = unwrap(call.node.arguments[2]);
  const keepAlive = options?.type === 'ObjectExpression' ? (options.properties as AstNode[]).find((p) => p.type === 'ObjectProperty' && !p.computed && keyName(p.key, false) === 'keepAlive') : undefined;
  if (options && options.type !== 'ObjectExpression' && !isFunctionNode(options)) {
    out.push({ kind: 'heartbeat', text: `${imported}() keep-alive (better-sse), options not static`, span: at });
    return out;
  }
  if (!keepAlive) {
    out.push({ kind: 'heartbeat', text: `${imported}() keep-alive comment every 10 s (better-sse default)`, span: at, intervalMs: 10_000 });
    return out;
  }
  const value = ctx.values.evaluate(keepAlive.value, call.scope);
  if (unwrap(keepAlive.value)?.type === 'NullLiteral') return out;
  out.push({ kind: 'heartbeat', text: `${imported}() keepAlive ${ctx.tsFile.text.slice(keepAlive.value.start ?? 0, keepAlive.value.end ?? 0)} (better-sse)`, span: ctx.span(keepAlive), ...(value.kind === 'number' ? { intervalMs: value.value } : {}) });
  return out;
}
