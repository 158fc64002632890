// Outbound HTTP calls: fetch, axios, got, undici, ky, node:http(s) and superagent, with URL, method, timeouts by kind, retries and streaming.
import { keyName, unwrap, type AstNode } from './ast.js';
import { defaultsOverrides, HTTP_SPECS } from './clients.js';
import { lookupOption, type Callee, type FactsContext } from './context.js';
import { layeredRetries, layeredTimeouts, UNDICI_DISPATCHER_SPECS, type OptionLayer } from './options.js';
import { pageRelativeEvidence, pageRelativeUrl } from './browser-guards.js';
import { readInitFrom } from './fetch-init.js';
import { signalTimeout } from './signal.js';
import type { TsClient, TsHttpLibrary, TsLlmApi, TsOutboundCall, TsUrl, TsValue } from './types.js';
import { readLlmApi } from './llm-api.js';
import type { RawCall } from './walk.js';

const BODYLESS = new Set(['get', 'delete', 'head', 'options']);
const WITH_BODY = new Set(['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm']);
const GOT_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

/** Reads `call` as an outbound HTTP call of a known library, or returns undefined. */
export function readHttpCall(ctx: FactsContext, call: RawCall, callee: Callee): TsOutboundCall | undefined {
  const { root, path } = callee;
  const client = root.kind === 'client' ? ctx.client(root.clientIndex) : undefined;
  const library: TsHttpLibrary | undefined = root.kind === 'library' ? (root.library as TsHttpLibrary) : client ? (client.library as TsHttpLibrary) : undefined;
  const isGlobalFetch = root.kind === 'global' && ((root.name === 'fetch' && path.length === 0) || (['globalThis', 'window', 'self'].includes(root.name) && path.join('.') === 'fetch'));
  if (isGlobalFetch || (library === 'undici' && root.kind === 'library' && root.name === 'fetch') || (library === 'node-fetch' && path.length === 0)) {
    const out = readFetch(ctx, call, isGlobalFetch ? 'fetch' : library === 'node-fetch' ? 'node-fetch' : 'undici');
    const fetchArgs = call.node.arguments as AstNode[];
    const llmApi = readLlmApi(ctx, call, out.url?.value, () => {
      const body = fetchArgs[1] ? lookupOption(ctx.values.evaluate(fetchArgs[1], call.scope), 'body') : undefined;
      return body?.state === 'present' ? ctx.values.nodeOf(body.property) : undefined;
    });
    if (llmApi) markLlmApi(out, llmApi);
    const relative = isGlobalFetch ? pageRelativeUrl(out.url?.value) : undefined;
    if (relative !== undefined) out.browserOnly = pageRelativeEvidence(ctx.file, ctx.tsFile.text, relative, out.url!.value.span);
    // An init taken from a parameter is read again at each call site of the function (helper-calls.ts).
    // A helper that sets its own signal bounds every call through it: nothing to read again.
    const ownSignal = out.timeouts.some((t) => t.option.startsWith('signal') && t.source === 'set');
    const initFrom = out.optionsUnknown && !ownSignal ? readInitFrom(ctx, call, (call.node.arguments as AstNode[])[0], (call.node.arguments as AstNode[])[1]) : undefined;
    if (initFrom) out.initFrom = initFrom;
    return out;
  }
  const args = call.node.arguments as AstNode[];
  const value = (index: number) => (args[index] ? ctx.values.evaluate(args[index], call.scope) : undefined);
  const importedName = root.kind === 'library' ? root.name : undefined;
  const method = importedName && importedName !== 'default' && importedName !== '*' && path.length === 0 ? importedName : path.join('.');
  switch (library) {
    case 'axios': {
      if (call.node.type === 'NewExpression') return undefined;
      let options: TsValue | undefined;
      let url: TsValue | undefined;
      if (method === '' || method === 'request') {
        const first = value(0);
        if (first?.kind === 'object' || method === 'request') options = first;
        else [url, options] = [first, value(1)];
      } else if (BODYLESS.has(method)) [url, options] = [value(0), value(1)];
      else if (WITH_BODY.has(method)) [url, options] = [value(0), value(2)];
      else return undefined;
      const globalBinding = root.kind === 'library' ? callee.binding : undefined;
      const layers: OptionLayer[] = [{ options, level: 'call' }];
      if (client) layers.push({ options: client.config, level: 'instance', overrides: defaultsOverrides(ctx, callee.binding) });
      layers.push({ options: undefined, level: 'global', overrides: defaultsOverrides(ctx, globalBinding ?? ctx.axiosModuleBinding()) });
      const out = assemble(ctx, call, 'axios', httpMethod(method, options), url ?? optionValue(options, 'url'), layers, client, 'baseURL');
      // axios.post(url, data): the body is the second argument; axios({ url, data }) names it.
      const llmApi = readLlmApi(ctx, call, out.url?.value, () => {
        if (WITH_BODY.has(method)) return args[1];
        const data = lookupOption(options, 'data');
        return data.state === 'present' ? ctx.values.nodeOf(data.property) : undefined;
      });
      if (llmApi) markLlmApi(out, llmApi);
      if (lookupOption(options, 'adapter').state === 'present') out.timeouts = out.timeouts.map((t) => ({ ...t, kind: 'total' as const }));
      const responseType = lookupOption(options, 'responseType');
      if (responseType.state === 'present') out.streaming = responseType.property.value.kind === 'string' ? responseType.property.value.value === 'stream' : undefined;
      return out;
    }
    case 'got': {
      const streaming = method === 'stream' || method.startsWith('stream.');
      const verb = method.replace(/^stream\.?/, '');
      if (verb !== '' && !GOT_METHODS.has(verb)) return undefined;
      const first = value(0);
      const options = first?.kind === 'object' ? first : value(1);
      const layers: OptionLayer[] = [{ options, level: 'call' }];
      if (client) layers.push({ options: client.config, level: 'instance' });
      const out = assemble(ctx, call, 'got', httpMethod(verb, options), first?.kind === 'object' ? optionValue(first, 'url') : first, layers, client, 'prefixUrl');
      // got has no timeout unless one of `timeout.*` is set (facts §12).
      if (!out.optionsUnknown && out.timeouts.length === 0) out.timeouts.push({ kind: 'total', option: 'timeout', source: 'none', factsRef: '§12' });
      out.retries = layeredRetries('retry', layers, 2, '§12') ?? out.retries;
      if (streaming) out.streaming = true;
      return out;
    }
    case 'ky': {
      if (method !== '' && !GOT_METHODS.has(method)) return undefined;
      const options = value(1);
      const layers: OptionLayer[] = [{ options, level: 'call' }];
      if (client) layers.push({ options: client.config, level: 'instance' });
      const out = assemble(ctx, call, 'ky', httpMethod(method, options), value(0), layers, client, 'prefixUrl');
      out.retries = layeredRetries('retry', layers, 2, '§12') ?? out.retries;
      return out;
    }
    case 'undici': {
      if (method !== 'request' && method !== 'stream' && method !== 'pipeline') return undefined;
      const options = value(1);
      const out = assemble(ctx, call, 'undici', httpMethod('', options), value(0), [{ options, level: 'call' }, ...dispatcherLayers(ctx, call, options)], undefined, undefined, UNDICI_DISPATCHER_SPECS);
      if (method !== 'request') out.streaming = true;
      return out;
    }
    case 'node-http': {
      if (method !== 'request' && method !== 'get') return undefined;
      const first = value(0);
      const options = first?.kind === 'object' ? first : value(1)?.kind === 'object' ? value(1) : undefined;
      const overrides = new Map();
      // `req.setTimeout(n)` on the returned request arms the same socket-idle timer (facts §12).
      for (const event of ctx.assignedBinding(call)?.events ?? []) {
        if (event.kind === 'call' && event.path.join('.') === 'setTimeout' && event.node.arguments[0]) overrides.set('timeout', { name: 'timeout', value: ctx.values.evaluate(event.node.arguments[0], event.scope), span: ctx.span(event.node) });
      }
      const url = first?.kind === 'object' ? undefined : first;
      const out = assemble(ctx, call, 'node-http', method === 'get' ? 'GET' : httpMethod('', options), url, [{ options, level: 'call', overrides }], undefined, undefined, HTTP_SPECS['node-http']);
      // `signal` (Node ≥ 15) aborts the request: with `AbortSignal.timeout(n)` it is a total deadline, unlike `timeout` (facts §12).
      const signal = lookupOption(options, 'signal');
      if (signal.state === 'present') out.timeouts.push(signalTimeout(ctx, ctx.values.nodeOf(signal.property), signal.property, call.scope));
      return out;
    }
    case 'superagent':
      return readSuperagent(ctx, call, method, value);
  }
  return undefined;
}

/**
 * Reads a fetch call. `urlNode` and `initNode` default to the call's own arguments; a helper's fetch read at one of
 * its call sites (helper-calls.ts) passes the caller's arguments instead, read in the caller's scope.
 */
export function readFetch(ctx: FactsContext, call: RawCall, library: 'fetch' | 'undici' | 'node-fetch', urlNode: AstNode | undefined = (call.node.arguments as AstNode[])[0], initNode: AstNode | undefined = (call.node.arguments as AstNode[])[1]): TsOutboundCall {
  const init = initNode ? ctx.values.evaluate(initNode, call.scope) : undefined;
  const out = base(ctx, call, library === 'undici' ? 'undici' : library, httpMethod('', init), urlNode ? ctx.values.evaluate(urlNode, call.scope) : undefined);
  const signal = lookupOption(init, 'signal');
  if (signal.state === 'present') out.timeouts.push(signalTimeout(ctx, ctx.values.nodeOf(signal.property), signal.property, call.scope));
  else if (signal.state === 'absent') out.timeouts.push({ kind: 'total', option: 'signal', source: 'none', factsRef: '§12' });
  else out.optionsUnknown = true;
  const timeout = lookupOption(init, 'timeout');
  if (timeout.state === 'present') {
    // node-fetch v2 reads `timeout` (a total); native and undici fetch silently ignore it (facts §12, P11).
    if (library === 'node-fetch') out.timeouts.push({ kind: 'total', option: 'timeout', source: 'set', value: timeout.property.value, ...(timeout.property.value.kind === 'number' ? { ms: timeout.property.value.value } : {}), level: 'call', span: timeout.property.span, factsRef: '§12' });
    else out.ignoredOptions.push({ option: 'timeout', value: timeout.property.value, span: timeout.property.span, reason: 'unsupported' });
  }
  if (library !== 'node-fetch') {
    const dispatcher = layeredTimeouts(UNDICI_DISPATCHER_SPECS, dispatcherLayers(ctx, call, init));
    out.timeouts.push(...dispatcher.timeouts);
    out.optionsUnknown ||= dispatcher.unknown;
  }
  return out;
}

/** An LLM request written as a plain HTTP call: streamed when its body says so (unknown stays unknown). */
function markLlmApi(out: TsOutboundCall, api: TsLlmApi): void {
  out.llmApi = api;
  if (api.streaming !== undefined) out.streaming = api.streaming;
}

/** The undici dispatcher that applies: the call's `dispatcher` option, else a `setGlobalDispatcher` in this file. */
function dispatcherLayers(ctx: FactsContext, call: RawCall, options: TsValue | undefined): OptionLayer[] {
  const dispatcher = lookupOption(options, 'dispatcher');
  if (dispatcher.state === 'unknown') return [{ options: { kind: 'unknown', span: ctx.span(call.node) }, level: 'call' }];
  if (dispatcher.state === 'present') {
    const node = unwrap(ctx.values.nodeOf(dispatcher.property));
    const binding = node?.type === 'Identifier' ? call.scope.lookup(node.name) : undefined;
    const index = node ? ctx.clientReader(binding?.kind === 'const' && binding.init ? binding.init : node, binding?.scope ?? call.scope) : undefined;
    return [{ options: index === undefined ? { kind: 'unknown', span: dispatcher.property.span } : ctx.client(index).config, level: 'call' }];
  }
  const global = ctx.facts.clients.find((client) => client.globalDispatcher);
  return global ? [{ options: global.config, level: 'global' }] : [];
}

function readSuperagent(ctx: FactsContext, call: RawCall, method: string, value: (index: number) => TsValue | undefined): TsOutboundCall | undefined {
  const verb = method === '' ? (value(0)?.kind === 'string' ? (value(0) as { value: string }).value.toLowerCase() : '') : method;
  if (verb !== '' && !GOT_METHODS.has(verb) && verb !== 'del') return undefined;
  const out = base(ctx, call, 'superagent', verb === '' ? undefined : verb === 'del' ? 'DELETE' : verb.toUpperCase(), method === '' ? value(1) : value(0));
  // Chained `.timeout(…)` and `.retry(…)` calls configure this request.
  let node: AstNode = call.node;
  let sawTimeout = false;
  for (let member = ctx.walk.parents.get(node); member?.type === 'MemberExpression'; member = ctx.walk.parents.get(node)) {
    const next = ctx.walk.parents.get(member);
    if (!next || next.type !== 'CallExpression' || next.callee !== member) break;
    const name = keyName(member.property, member.computed);
    const argument = next.arguments[0] as AstNode | undefined;
    if (name === 'timeout' && argument) {
      sawTimeout = true;
      const written = ctx.values.evaluate(argument, call.scope);
      const add = (option: string, kind: 'total' | 'time-to-headers' | 'idle', v: TsValue, span = ctx.span(next)) =>
        out.timeouts.push({ kind, option, source: 'set', value: v, ...(v.kind === 'number' ? { ms: v.value } : {}), level: 'call', span, factsRef: '§12' });
      // A number is the deadline; an object names deadline (total), response (TTFB) and upload.
      if (written.kind === 'object') for (const p of written.properties) add(`timeout.${p.name}`, p.name === 'response' ? 'time-to-headers' : p.name === 'deadline' ? 'total' : 'idle', p.value, p.span);
      else add('timeout', 'total', written);
    }
    if (name === 'retry') {
      const written = argument ? ctx.values.evaluate(argument, call.scope) : undefined;
      // `.retry()` without a count retries once in the source (the docs say 3; facts §12).
      out.retries = { source: 'set', ...(written ? { value: written } : {}), count: written?.kind === 'number' ? written.value : written ? undefined : 1, span: ctx.span(next), factsRef: '§12' } as TsOutboundCall['retries'];
    }
    node = next;
  }
  if (!sawTimeout) out.timeouts.push({ kind: 'total', option: 'timeout', source: 'none', factsRef: '§12' });
  out.retries ??= { source: 'none', count: 0, factsRef: '§12' };
  return out;
}

function assemble(ctx: FactsContext, call: RawCall, library: TsHttpLibrary, method: string | undefined, url: TsValue | undefined, layers: OptionLayer[], client: TsClient | undefined, baseOption?: string, specs = HTTP_SPECS[library as keyof typeof HTTP_SPECS]): TsOutboundCall {
  const out = base(ctx, call, library, method, url, client && baseOption ? optionValue(client.config, baseOption) : undefined);
  if (client) out.clientIndex = ctx.facts.clients.indexOf(client);
  const result = layeredTimeouts(specs, layers);
  out.timeouts.push(...result.timeouts);
  out.ignoredOptions.push(...result.ignored);
  out.optionsUnknown = result.unknown;
  return out;
}

function base(ctx: FactsContext, call: RawCall, library: TsOutboundCall['library'], method: string | undefined, url: TsValue | undefined, baseUrl?: TsValue): TsOutboundCall {
  const out: TsOutboundCall = { library, timeouts: [], ignoredOptions: [], optionsUnknown: false, span: ctx.span(call.node) };
  if (method) out.method = method;
  if (url) out.url = urlOf(url, baseUrl);
  if (call.functionId !== undefined) out.functionId = call.functionId;
  return out;
}

function urlOf(value: TsValue, baseUrl: TsValue | undefined): TsUrl {
  const url: TsUrl = { value };
  if (baseUrl) url.base = baseUrl;
  const relative = value.kind === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(value.value);
  if (value.kind === 'string' && (!relative || !baseUrl)) url.text = value.value;
  else if (value.kind === 'string' && baseUrl?.kind === 'string') url.text = baseUrl.value.replace(/\/+$/, '') + '/' + value.value.replace(/^\/+/, '');
  return url;
}

function optionValue(options: TsValue | undefined, name: string): TsValue | undefined {
  const found = lookupOption(options, name);
  return found.state === 'present' ? found.property.value : undefined;
}

function httpMethod(method: string, options: TsValue | undefined): string | undefined {
  if (method && method !== 'request') return method.replace(/Form$/, '').toUpperCase();
  const written = optionValue(options, 'method');
  if (written?.kind === 'string') return written.value.toUpperCase();
  return written ? undefined : 'GET';
}
