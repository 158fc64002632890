// Client instances: axios.create, got.extend, ky.create, undici dispatchers and LLM SDK constructors, with their configured timeouts and retries.
import { defaultClassName, LLM_CONSTRUCTORS } from './client-classes.js';
import { unwrap, unwrapAwait, type AstNode } from './ast.js';
import type { FactsContext } from './context.js';
import { composedModel } from './runnables.js';
import { layeredRetries, layeredTimeouts, UNDICI_DISPATCHER_SPECS, type OptionLayer, type OptionSpec } from './options.js';
import type { Scope } from './scope.js';
import type { TsClient, TsLibrary, TsLlmLibrary, TsProperty } from './types.js';

/** Timeout options of each HTTP client library (timeout-facts.md §12). */
export const HTTP_SPECS: Record<'axios' | 'ky' | 'node-http' | 'got' | 'undici', OptionSpec[]> = {
  // The Node http adapter arms `req.setTimeout`: an idle timer after connect, not a total (facts §12, P12).
  axios: [{ option: 'timeout', kind: 'idle', factsRef: '§12', zeroDisables: true, noneWhenAbsent: true, stringParsedAsInt: true }],
  // ky v2: `timeout` is per attempt, 10 s by default (v1 covered retries too; facts §12).
  ky: [
    { option: 'timeout', kind: 'total', factsRef: '§12', defaultMs: 10_000, perAttempt: true, falseDisables: true },
    { option: 'totalTimeout', kind: 'total', factsRef: '§12', falseDisables: true },
  ],
  'node-http': [{ option: 'timeout', kind: 'idle', factsRef: '§12', noneWhenAbsent: true }],
  got: [
    { option: 'timeout.lookup', kind: 'connect', factsRef: '§12' },
    { option: 'timeout.connect', kind: 'connect', factsRef: '§12' },
    { option: 'timeout.secureConnect', kind: 'connect', factsRef: '§12' },
    { option: 'timeout.socket', kind: 'idle', factsRef: '§12' },
    { option: 'timeout.send', kind: 'idle', factsRef: '§12' },
    { option: 'timeout.response', kind: 'time-to-headers', factsRef: '§12' },
    { option: 'timeout.read', kind: 'idle', factsRef: '§12' },
    { option: 'timeout.request', kind: 'total', factsRef: '§12' },
  ],
  undici: UNDICI_DISPATCHER_SPECS,
};

export interface LlmSpec {
  timeouts: OptionSpec[];
  retriesOption: string;
  /** Retries by default; undefined when the SDK does not retry unless asked. */
  defaultRetries?: number;
}

/** Timeout and retry options of each LLM SDK (timeout-facts.md §13). */
export const LLM_SPECS: Record<TsLlmLibrary, LlmSpec> = {
  // The Stainless SDKs clear their timer when response headers arrive, and every retry gets a fresh one.
  openai: { timeouts: [{ option: 'timeout', kind: 'time-to-headers', factsRef: '§13', defaultMs: 600_000, perAttempt: true }], retriesOption: 'maxRetries', defaultRetries: 2 },
  anthropic: { timeouts: [{ option: 'timeout', kind: 'time-to-headers', factsRef: '§13', defaultMs: 600_000, perAttempt: true }], retriesOption: 'maxRetries', defaultRetries: 2 },
  // groq-sdk: 60 s default; the header-only scope is presumed from the shared generator (unconfirmed in facts §13).
  groq: { timeouts: [{ option: 'timeout', kind: 'time-to-headers', factsRef: '§13', defaultMs: 60_000, perAttempt: true }], retriesOption: 'maxRetries', defaultRetries: 2 },
  // The 300 s fallback belongs to chat.complete only; llm.ts adds it per method.
  mistral: { timeouts: [{ option: 'timeoutMs', kind: 'total', factsRef: '§13', zeroMeansDefault: true }], retriesOption: 'retryConfig' },
  'google-genai': { timeouts: [{ option: 'httpOptions.timeout', kind: 'total', factsRef: '§13', noneWhenAbsent: true, perAttempt: true }], retriesOption: 'httpOptions.retryOptions.attempts' },
  // The default applies to ChatOpenAI (through the openai client); other chat models are handled in llm.ts.
  langchain: { timeouts: [{ option: 'timeout', kind: 'time-to-headers', factsRef: '§13', perAttempt: true }], retriesOption: 'maxRetries', defaultRetries: 6 },
  ai: { timeouts: [{ option: 'timeout', kind: 'total', factsRef: '§13' }], retriesOption: 'maxRetries', defaultRetries: 2 },
  // The AWS SDK's request handler timeouts and retry strategy are not in the facts: Bedrock calls read no option (llm.ts).
  bedrock: { timeouts: [], retriesOption: 'maxAttempts' },
};


/**
 * Reads `node` as an expression that creates a client, records it in the facts once, and
 * returns its index; undefined when `node` creates no client the model knows.
 */
export function readClient(ctx: FactsContext, node: AstNode, scope: Scope, variable?: string): number | undefined {
  const expression = unwrapAwait(node);
  if (!expression || (expression.type !== 'NewExpression' && expression.type !== 'CallExpression')) return undefined;
  const known = ctx.clientIndexByNode.get(expression);
  if (known !== undefined) return known;
  const created = createClient(ctx, expression, scope, variable);
  if (!created) {
    // A LangChain composition (`prompt.pipe(model)`, `RunnableSequence.from([…])`) calls the model inside it.
    const model = expression.type === 'CallExpression' ? composedModel(ctx, expression, scope) : undefined;
    if (model !== undefined) ctx.clientIndexByNode.set(expression, model);
    return model;
  }
  const index = ctx.facts.clients.length;
  ctx.facts.clients.push(created);
  ctx.clientIndexByNode.set(expression, index);
  return index;
}

function createClient(ctx: FactsContext, expression: AstNode, scope: Scope, variable: string | undefined): TsClient | undefined {
  const callee = ctx.callee({ node: expression, scope });
  const { root, path } = callee;
  const argument = (index: number) => ctx.values.evaluate(expression.arguments[index], scope);
  const base = (library: TsLibrary, constructorName: string, configIndex = 0): TsClient => ({
    library, constructorName, config: expression.arguments[configIndex] ? argument(configIndex) : { kind: 'object', properties: [], openSpread: false, span: ctx.span(expression) },
    timeouts: [], span: ctx.span(expression), ...(variable ? { variable } : {}),
  });
  let client: TsClient | undefined;
  let parent: TsClient | undefined;
  if (expression.type === 'NewExpression' && root.kind === 'library' && path.length === 0) {
    const name = root.name;
    if (root.library === 'undici' && (name === 'Agent' || name === 'Pool' || name === 'Client')) client = base('undici', name, name === 'Agent' ? 0 : 1);
    else if (root.library === 'langchain' && (/^(Azure)?Chat/.test(name) || name === 'OpenAI')) client = base('langchain', name);
    else if (root.library !== 'framework' && LLM_CONSTRUCTORS[root.library]?.has(name)) client = base(root.library, name === 'default' ? defaultClassName(root.library) : name);
  } else if (expression.type === 'NewExpression' && root.kind === 'imported' && path.length === 0 && isMastraModule(root.ref.module) && (root.ref.name === 'Agent' || root.ref.name === 'Mastra')) {
    // A Mastra agent (or the Mastra instance that holds agents): it calls its model through the AI SDK;
    // the timeouts it passes are not the constructor's to say, so the config is unknown.
    client = { ...base('ai', root.ref.name === 'Agent' ? MASTRA_AGENT : MASTRA), config: { kind: 'unknown', span: ctx.span(expression) } };
  } else if (expression.type === 'CallExpression' && path.length === 1 && root.kind === 'client' && ctx.client(root.clientIndex).constructorName === MASTRA && path[0] === 'getAgent') {
    // `mastra.getAgent('weather')`: one of the agents the instance holds.
    client = { ...base('ai', MASTRA_AGENT), config: { kind: 'unknown', span: ctx.span(expression) } };
  } else if (expression.type === 'CallExpression' && path.length === 1) {
    const method = path[0]!;
    const library = root.kind === 'library' ? root.library : root.kind === 'client' ? ctx.client(root.clientIndex).library : undefined;
    if (root.kind === 'client') parent = ctx.client(root.clientIndex);
    if (library === 'axios' && method === 'create') client = base('axios', 'axios.create');
    else if (library === 'got' && method === 'extend') client = base('got', 'got.extend');
    else if (library === 'ky' && (method === 'create' || method === 'extend')) client = base('ky', `ky.${method}`);
  }
  if (!client) return undefined;
  if (client.constructorName === MASTRA_AGENT || client.constructorName === MASTRA) return client;
  if (parent) client.config = mergeConfigs(parent.config, client.config);
  const layers: OptionLayer[] = [{ options: client.config, level: 'instance' }];
  if (client.library === 'axios' || client.library === 'got' || client.library === 'ky' || client.library === 'undici') {
    client.timeouts = layeredTimeouts(HTTP_SPECS[client.library], layers).timeouts;
  } else if (client.library === 'bedrock') {
    // Neither a timeout nor a retry count is claimed for the AWS SDK (not in the facts): the config stays as read.
    return client;
  } else {
    const spec = LLM_SPECS[client.library as TsLlmLibrary];
    client.timeouts = layeredTimeouts(spec.timeouts, layers).timeouts;
    const retries = layeredRetries(spec.retriesOption, layers, spec.defaultRetries, '§13');
    if (retries) client.retries = retries;
  }
  return client;
}

/** The client names of Mastra's agents and instance (library `ai`: Mastra calls models through the AI SDK). */
export const MASTRA_AGENT = 'Mastra Agent';
const MASTRA = 'Mastra';

function isMastraModule(module: string): boolean {
  return module === '@mastra/core' || module.startsWith('@mastra/core/');
}

/** The properties of `instance.defaults.<path> = value` assignments, which override the creation config (axios). */
export function defaultsOverrides(ctx: FactsContext, binding: { events: Array<{ kind: string; path: string[]; node: AstNode; scope: Scope }> } | undefined): Map<string, TsProperty> {
  const overrides = new Map<string, TsProperty>();
  for (const event of binding?.events ?? []) {
    if (event.kind !== 'assign' || event.path[0] !== 'defaults' || event.path.length < 2) continue;
    const assignment = event.node;
    if (assignment.operator !== '=') continue;
    overrides.set(event.path.slice(1).join('.'), { name: event.path.at(-1)!, value: ctx.values.evaluate(unwrap(assignment.right), event.scope), span: ctx.span(assignment) });
  }
  return overrides;
}


function mergeConfigs(parent: TsClient['config'], child: TsClient['config']): TsClient['config'] {
  if (parent.kind !== 'object' || child.kind !== 'object') return child.kind === 'object' && parent.kind !== 'object' ? { ...child, openSpread: true } : child;
  const properties = parent.properties.filter((p) => !child.properties.some((c) => c.name === p.name));
  return { kind: 'object', properties: [...properties, ...child.properties], openSpread: parent.openSpread || child.openSpread, span: child.span };
}
