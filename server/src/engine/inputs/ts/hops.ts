// Code hops: a Node server (socket timeout, keep-alive by Node version), a route handler (maxDuration, streaming evidence), an outbound call (every timer, retries, LLM and streaming flags).
import type { TsFileFacts, TsOutboundCall, TsRoute, TsServer, TsTimeout, TsValue, TsWebSocketServer } from './types.js';
import type { CodePackage } from './packages.js';
import type { FrameworkServer, KeepAliveEnv } from './framework-servers/server.js';
import { nodeKeepAliveDefault } from './servers.js';
import type { HandlerDeadline } from './handler-deadlines.js';
import { resolveTsTimeout, type TsLookup } from './chain-values.js';
import type { EnvContext } from '../../chain/environment.js';
import type { FileId, Span } from '../../types.js';
import type { HandlerStreamEvidence, Hop, HopTimeout } from '../../chain/chain-types.js';

declare module '../../chain/chain-types.js' {
  interface HopTimeout {
    /** For values read in code: the value as the code holds it, so a fix can find the literal to change. */
    tsValue?: TsValue;
  }
  interface HopKinds {
    'client-call': true;
    'code-server': true;
    'route-handler': true;
    'outbound-call': true;
    /** A websocket server in code (socket.io, ws) that answers the upgrade no route handler takes. */
    'websocket-server': true;
  }
  interface HopRefs {
    'ts-call': { kind: 'ts-call'; file: FileId; facts: TsFileFacts; call: TsOutboundCall };
    'ts-server': { kind: 'ts-server'; file: FileId; facts: TsFileFacts; server: TsServer; pkg: CodePackage };
    /** `env`: the environment of the process that runs the handler, when the chain linked one (for values the rules resolve later). */
    'ts-route': { kind: 'ts-route'; file: FileId; facts: TsFileFacts; route: TsRoute; pkg: CodePackage; env?: EnvContext };
    'ts-websocket': { kind: 'ts-websocket'; file: FileId; facts: TsFileFacts; server: TsWebSocketServer; pkg: CodePackage };
    /** The server a framework runs for a package with none of its own: Next.js's, SvelteKit adapter-node's, … (framework-servers/). */
    'framework-server': { kind: 'framework-server'; server: FrameworkServer; pkg: CodePackage };
  }
}

export const LLM_LIBRARIES = new Set(['openai', 'anthropic', 'ai', 'langchain', 'google-genai', 'mistral', 'groq', 'bedrock']);

/** A Node server: its socket `timeout` (none by default) bounds responses; `keepAliveTimeout` by the package's Node version. */
export function codeServerHop(file: FileId, facts: TsFileFacts, server: TsServer, pkg: CodePackage, lookup: TsLookup, env: EnvContext): Hop {
  const timeouts: HopTimeout[] = [];
  const hop: Hop = {
    kind: 'code-server',
    label: `${server.kind} server${server.variable ? ` \`${server.variable}\`` : ''} in ${pkg.dir || 'the workspace root'}`,
    span: server.span,
    timeouts,
    ref: { kind: 'ts-server', file, facts, server, pkg },
  };
  if (server.evidence) hop.evidence = [...server.evidence];
  for (const t of server.timeouts) {
    if (t.option === 'timeout' || t.option === 'connectionTimeout' || t.option === 'handlerTimeout') {
      const resolved = resolveTsTimeout(t, file, lookup, env);
      if (resolved && resolved.source !== 'default' && !resolved.disabled) timeouts.push({ ...resolved, kind: t.option === 'handlerTimeout' ? 'total' : 'idle' });
    }
  }
  const keepAlive = server.timeouts.find((t) => t.option === 'keepAliveTimeout');
  if (keepAlive) {
    const resolved = resolveTsTimeout(withNodeVersion(keepAlive, pkg), file, lookup, env);
    if (resolved) hop.keepAlive = resolved;
  }
  return hop;
}

/**
 * The server a framework runs (Next.js's `next start` or standalone server.js, SvelteKit
 * adapter-node's `node build`): a Node http server whose keep-alive is the `--keepAliveTimeout`
 * flag, the variable the server reads (KEEP_ALIVE_TIMEOUT: milliseconds for Next's standalone
 * server, seconds for adapter-node), else Node's default by the package's Node version
 * (timeout-facts.md §11.1, §11.2).
 */
export function frameworkServerHop(pkg: CodePackage, server: FrameworkServer, env: EnvContext): Hop {
  const hop: Hop = {
    kind: 'code-server',
    label: `${server.framework} server in ${pkg.dir || 'the workspace root'}`,
    span: server.span,
    timeouts: [],
    ref: { kind: 'framework-server', server, pkg },
    evidence: [{ text: server.evidence, span: server.span }],
  };
  const nodeDefault = (): HopTimeout | undefined => {
    return resolveTsTimeout(withNodeVersion(nodeKeepAliveDefault(undefined), pkg), pkg.manifest ?? server.manifest, EMPTY_LOOKUP, env);
  };
  const flag = server.keepAliveFlag;
  const variable = server.keepAliveEnv;
  const set = variable && !variable.unread && variable.name !== undefined ? variableValue(variable, variable.name, pkg, env) : undefined;
  if (flag) {
    const written: HopTimeout = { kind: 'keepalive', knob: '--keepAliveTimeout', text: flag.text, source: 'set', ...(flag.span ? { span: flag.span } : { note: 'in the image\'s command' }), factsRef: '§11.2' };
    // A value that is not a number (`$KEEP_ALIVE`) is unknown: no default is assumed in its place.
    // Next.js sets the server's keepAliveTimeout only from a value that is not 0: 0 leaves Node's default.
    if (flag.ms !== undefined) Object.assign(written, flag.ms === 0 ? zeroMeansDefault(nodeDefault()) : { ms: flag.ms });
    hop.keepAlive = written;
  } else if (variable && !variable.unread && variable.name === undefined) {
    // The variable's prefix is computed in the config: neither its name nor its value is known.
    hop.keepAlive = { kind: 'keepalive', knob: 'KEEP_ALIVE_TIMEOUT', text: 'unknown (envPrefix is not a plain string)', source: 'env', factsRef: '§11.2' };
  } else if (variable && set) {
    const name = variable.name!;
    const { text, valueSpan, declaredAt, unknown } = set;
    const written: HopTimeout = { kind: 'keepalive', knob: name, text: text ?? 'unknown', source: 'env', ...(valueSpan ? { span: valueSpan } : {}), factsRef: '§11.2', env: { name, declaredAt, fallback: false, ...(valueSpan ? { valueSpan } : {}) } };
    // Only plain digits are known: Next's standalone server ignores what parseInt cannot read, adapter-node refuses to start.
    if (!unknown && text !== undefined && /^\d+$/.test(text.trim())) {
      const ms = Number(text) * (variable.unit === 's' ? 1000 : 1);
      if (ms !== 0) written.ms = ms;
      else if (variable.zero === 'disables') written.disabled = true;
      else Object.assign(written, zeroMeansDefault(nodeDefault()));
    }
    const notes = [set.where && `set by ${set.where}`, variable.provided].filter(Boolean);
    if (notes.length > 0) written.note = notes.join('; ');
    hop.keepAlive = written;
  } else if (variable?.fromFile && !variable.unread) {
    // The start command loads a file of variables the workspace may not show: the value is not known.
    hop.keepAlive = { kind: 'keepalive', knob: variable.name ?? 'KEEP_ALIVE_TIMEOUT', text: 'unknown', source: 'env', factsRef: '§11.2', note: `\`${variable.fromFile}\` may set ${variable.name ?? 'it'}` };
  } else {
    const resolved = nodeDefault();
    if (resolved && variable?.unread && variable.name !== undefined && variableValue(variable, variable.name, pkg, env)) resolved.note = `${variable.name} is set, but ${variable.unread}`;
    if (resolved) hop.keepAlive = resolved;
  }
  return hop;
}

const EMPTY_LOOKUP: TsLookup = new Map();

interface VariableValue {
  text?: string;
  valueSpan?: Span;
  declaredAt?: Span;
  unknown: boolean;
  /** Where it is set, in words, when no span can say it. */
  where?: string;
}

/**
 * The value a framework server's variable has: what its start command sets, else the deployable's
 * environment, else the image's `ENV`; undefined when none sets it or it is empty (both servers
 * treat an empty value as unset).
 */
function variableValue(variable: KeepAliveEnv, name: string, pkg: CodePackage, env: EnvContext): VariableValue | undefined {
  const inline = variable.inline;
  const image = pkg.imageEnv?.filter((e) => e.name === name).at(-1);
  // A Dockerfile is not an analysed file (no lines to point at, nothing to edit): it is named in words.
  const binding: VariableValue | undefined = inline
    ? { text: inline.text, unknown: inline.text.includes('$'), ...(inline.span ? { valueSpan: inline.span, declaredAt: inline.span } : { where: 'the start command' }) }
    : env.get(name) ?? (image ? { text: image.value, unknown: image.unknown === true, where: `ENV in ${image.span.file}` } : undefined);
  return binding && !(binding.text !== undefined && binding.text.trim() === '' && !binding.unknown) ? binding : undefined;
}

/** The value in effect for a written 0: Node's default (by version when the version is not known), said in the text. */
function zeroMeansDefault(node: HopTimeout | undefined): Partial<HopTimeout> {
  if (!node) return {};
  return { text: `0 (Node's default: ${node.text})`, ...(node.ms !== undefined ? { ms: node.ms } : {}), ...(node.candidates ? { candidates: node.candidates } : {}) };
}

/** A default that depends on the Node major, fixed by the package's pin when there is one. */
function withNodeVersion(timeout: TsTimeout, pkg: CodePackage): TsTimeout {
  if (!timeout.versionDependentMs || pkg.nodeMajor === undefined) return timeout;
  const major = pkg.nodeMajor;
  for (const [range, ms] of Object.entries(timeout.versionDependentMs)) {
    const m = /^(<=|>=|<|>)(\d+)$/.exec(range);
    if (!m) continue;
    const bound = Number(m[2]);
    const ok = m[1] === '<=' ? major <= bound : m[1] === '>=' ? major >= bound : m[1] === '<' ? major < bound : major > bound;
    if (ok) {
      const { versionDependentMs: _, ...rest } = timeout;
      return { ...rest, ms, factsRef: `${timeout.factsRef}, Node ${major} from ${pkg.nodeMajorSource}` };
    }
  }
  return timeout;
}

/** A `maxDuration` a vercel.json `functions` entry gives a route file (ts/chain.ts). */
export interface VercelMaxDuration {
  seconds: number;
  span: Span;
  pattern: string;
  configFile: FileId;
  /** The Vercel function file that runs a non-Next app (`api/index.ts` exporting an Express app), when the limit is that function's. */
  functionFile?: FileId;
}

export function routeHandlerHop(file: FileId, facts: TsFileFacts, route: TsRoute, pkg: CodePackage, stream?: HandlerStreamEvidence, env?: EnvContext, vercel?: VercelMaxDuration, deadline?: HandlerDeadline, middleware: readonly HandlerDeadline[] = []): Hop {
  const timeouts: HopTimeout[] = [];
  // The handler's own deadline (a `Promise.race` with a timer): it answers after this at the latest.
  if (deadline) timeouts.push(deadline.timeout);
  // A deadline middleware in front of it (connect-timeout, hono/timeout) answers by then unless the response has started.
  for (const m of middleware) timeouts.push(m.timeout);
  const nextRoute = route.framework === 'next-app' || route.framework === 'next-pages';
  if (facts.maxDuration && nextRoute) {
    const value = facts.maxDuration.value;
    if (value.kind === 'number') {
      timeouts.push({ kind: 'total', knob: 'maxDuration', text: value.text, ms: value.value * 1000, source: 'set', span: value.span, factsRef: '§11.2' });
    }
  } else if (vercel && (nextRoute || vercel.functionFile !== undefined)) {
    // The route's own `export const maxDuration` is read first; without one, the vercel.json entry that matches the file.
    timeouts.push({ kind: 'total', knob: 'maxDuration', text: String(vercel.seconds), ms: vercel.seconds * 1000, source: 'set', span: vercel.span, factsRef: '§11.2' });
  }
  return {
    kind: 'route-handler',
    label: `${route.method} ${route.path ?? '(dynamic path)'} handler`,
    span: route.span,
    timeouts,
    ref: { kind: 'ts-route', file, facts, route, pkg, ...(env ? { env } : {}) },
    // The evidence stays beside `streaming`, which budgets read as "idle timers are reset by chunks":
    // a handler that streams may still be silent before its first write (an awaited call), so it does not set it.
    ...(stream && (stream.streams.length > 0 || stream.noBuffering.length > 0 || stream.unknown.length > 0) ? { stream } : {}),
  };
}

/** A websocket server in code: no timer of its own (its pings are not timeouts; websocket-idle-below-ping compares them). */
export function webSocketServerHop(file: FileId, facts: TsFileFacts, server: TsWebSocketServer, pkg: CodePackage): Hop {
  return { kind: 'websocket-server', label: `${server.library} server in ${pkg.dir || 'the workspace root'}`, span: server.span, timeouts: [], ref: { kind: 'ts-websocket', file, facts, server, pkg } };
}

/** An outbound call: every timer that bounds it, its retries, streaming and LLM flags. */
export function outboundCallHop(file: FileId, facts: TsFileFacts, call: TsOutboundCall, lookup: TsLookup, env: EnvContext, label: string): Hop {
  const timeouts: HopTimeout[] = [];
  for (const t of call.timeouts) {
    if (t.source === 'none') continue;
    const resolved = resolveTsTimeout(t, file, lookup, env);
    if (resolved) timeouts.push(resolved);
  }
  // An LLM SDK with no default timer (AI SDK, @google/genai; facts §13, §18) leaves the call unbounded: a budget, not an unknown.
  const none = LLM_LIBRARIES.has(call.library) && !call.optionsUnknown && timeouts.length === 0 ? call.timeouts.find((t) => t.source === 'none') : undefined;
  if (none) timeouts.push({ kind: 'total', knob: call.library === 'ai' ? 'timeout / abortSignal' : none.option, text: 'none', ms: Number.POSITIVE_INFINITY, source: 'default', factsRef: none.factsRef, unbounded: true });
  const hop: Hop = {
    kind: 'outbound-call',
    label,
    span: call.span,
    timeouts,
    ref: { kind: 'ts-call', file, facts, call },
  };
  if (call.method && /^[A-Z]+$/.test(call.method)) hop.method = call.method;
  else if (LLM_LIBRARIES.has(call.library)) hop.method = 'POST';
  if (call.streaming !== undefined) hop.streaming = call.streaming;
  const client = call.clientIndex !== undefined ? facts.clients[call.clientIndex] : undefined;
  if (call.library === 'bedrock' && timeouts.length === 0) {
    hop.timeoutsUnknown = { text: 'the AWS SDK\'s request timeout and retries (requestHandler, maxAttempts) are not read', span: call.span };
  } else if (client && client.config.kind === 'unknown' && timeouts.length === 0) {
    const text = client.injected
      ? `${client.constructorName} injected as ${client.variable ?? 'a member'}: made where it is provided, so its timeout and retries are not known here`
      : `${client.constructorName}${client.variable ? ` ${client.variable}` : ''}: the timeouts it gives the model call are not known here`;
    hop.timeoutsUnknown = { text, span: client.span };
  }
  if (LLM_LIBRARIES.has(call.library)) hop.llm = true;
  else if (call.llmApi) {
    hop.llm = true;
    hop.llmEvidence = { text: `${call.llmApi.words}${call.llmApi.streaming === true ? ', streamed (stream: true)' : ''}`, span: call.span };
  }
  const retries = call.retries;
  if (retries && retries.count !== undefined && retries.count > 0) {
    hop.attempts = {
      count: retries.count + 1,
      knob: RETRY_OPTION[call.library] ?? 'maxRetries',
      source: retries.source === 'set' ? 'set' : 'default',
      factsRef: retries.factsRef,
      // SDKs and got retry a timed-out attempt with a fresh timer (facts §14).
      retriesTimeouts: call.timeouts.some((t) => t.perAttempt) || LLM_LIBRARIES.has(call.library),
      ...(retries.span ? { span: retries.span } : {}),
    };
  }
  return hop;
}

const RETRY_OPTION: Partial<Record<string, string>> = { got: 'retry.limit', ky: 'retry', mistral: 'retries' };

