// LLM SDK calls (OpenAI/Azure, Anthropic, Groq, Mistral, @google/genai, LangChain, Vercel AI SDK) with constructor and per-request timeouts, retries, streaming and max tokens.
import { unwrap, type AstNode } from './ast.js';
import { LLM_SPECS, MASTRA_AGENT } from './clients.js';
import { lookupOption, type Callee, type FactsContext } from './context.js';
import { layeredRetries, layeredTimeouts, type OptionLayer, type OptionSpec } from './options.js';
import { signalTimeout } from './signal.js';
import type { TsLlmLibrary, TsOutboundCall, TsUrl, TsValue } from './types.js';
import type { RawCall } from './walk.js';

const STAINLESS_ACTIONS = new Set(['create', 'stream', 'parse', 'runTools']);
const LANGCHAIN_ACTIONS = new Set(['invoke', 'stream', 'batch', 'call', 'generate', 'streamEvents']);
const AI_FUNCTIONS = new Set(['generateText', 'streamText', 'generateObject', 'streamObject', 'embed', 'embedMany']);
const MAX_TOKENS_KEYS = ['max_tokens', 'max_completion_tokens', 'max_output_tokens', 'maxTokens', 'maxOutputTokens'];

/** Reads `call` as an LLM request, or returns undefined. */
export function readLlmCall(ctx: FactsContext, call: RawCall, callee: Callee): TsOutboundCall | undefined {
  const { root, path } = callee;
  if (root.kind === 'library' && root.library === 'ai' && path.length === 0 && AI_FUNCTIONS.has(root.name)) return readVercelAi(ctx, call, root.name);
  if (root.kind !== 'client') return undefined;
  const client = ctx.client(root.clientIndex);
  if (client.constructorName === MASTRA_AGENT) return readMastraAgentCall(ctx, call, root.clientIndex, path);
  const library = client.library as TsLlmLibrary;
  if (!(library in LLM_SPECS)) return undefined;
  const method = path.join('.');
  const action = path.at(-1) ?? '';
  const args = call.node.arguments as AstNode[];
  const value = (index: number) => (args[index] ? ctx.values.evaluate(args[index], call.scope) : undefined);
  let body: TsValue | undefined;
  let options: TsValue | undefined;
  let streaming: boolean | undefined;
  switch (library) {
    case 'openai':
    case 'anthropic':
    case 'groq':
      if (path.length < 2 || !STAINLESS_ACTIONS.has(action)) return undefined;
      [body, options] = [value(0), value(1)];
      streaming = action === 'stream' || flag(body, 'stream');
      break;
    case 'mistral':
      if (!/^(chat|fim|agents)\.(complete|stream)$/.test(method)) return undefined;
      [body, options] = [value(0), value(1)];
      streaming = action === 'stream';
      break;
    case 'google-genai':
      if (!/^models\.(generateContent|generateContentStream)$/.test(method)) return undefined;
      body = value(0);
      // Per-request settings live in `config.httpOptions` of the request itself.
      options = lookupOption(body, 'config').state === 'present' ? (lookupOption(body, 'config') as { property: { value: TsValue } }).property.value : lookupOption(body, 'config').state === 'unknown' ? { kind: 'unknown', span: ctx.span(call.node) } : undefined;
      streaming = action === 'generateContentStream';
      break;
    case 'bedrock':
      return readBedrockCall(ctx, call, root.clientIndex, client.constructorName, path);
    case 'langchain':
      if (path.length !== 1 || !LANGCHAIN_ACTIONS.has(action)) return undefined;
      options = value(1);
      streaming = action === 'stream' || action === 'streamEvents' ? true : false;
      break;
    default:
      return undefined;
  }
  const spec = LLM_SPECS[library];
  let specs: OptionSpec[] = spec.timeouts;
  if (library === 'mistral' && method === 'chat.complete') specs = specs.map((s) => ({ ...s, defaultMs: 300_000 }));
  // LangChain's ChatOpenAI hands `timeout` to the openai client, whose 600 s default then applies (facts §13).
  if (library === 'langchain' && /^(Azure)?ChatOpenAI$/.test(client.constructorName)) specs = specs.map((s) => ({ ...s, defaultMs: 600_000 }));
  const layers: OptionLayer[] = [{ options, level: 'call' }, { options: client.config, level: 'instance' }];
  const out = llmCall(ctx, call, library, method, layers, specs, spec.retriesOption, spec.defaultRetries);
  out.clientIndex = root.clientIndex;
  const url = gatewayUrlOf(client.config, library, method, ctx.span(call.node));
  if (url) out.url = url;
  if (streaming !== undefined) out.streaming = streaming;
  const maxTokens = maxTokensOf(library === 'google-genai' ? options : body);
  if (maxTokens) out.maxTokens = maxTokens;
  const model = lookupOption(library === 'google-genai' ? options : body, 'model');
  if (model.state === 'present' && model.property.value.kind === 'string') out.model = model.property.value.value;
  const signal = lookupOption(options, 'signal');
  if (signal.state === 'present') out.timeouts.push(signalTimeout(ctx, ctx.values.nodeOf(signal.property), signal.property, call.scope));
  return out;
}

/** Bedrock Runtime commands (and the aggregated client's methods) that call a model. */
const BEDROCK_COMMANDS = new Set(['InvokeModelCommand', 'InvokeModelWithResponseStreamCommand', 'ConverseCommand', 'ConverseStreamCommand']);
const BEDROCK_METHODS = new Set(['invokeModel', 'invokeModelWithResponseStream', 'converse', 'converseStream']);

/**
 * `client.send(new ConverseStreamCommand(input))` (or `runtime.converseStream(input)`) on a Bedrock
 * Runtime client: an LLM call, streamed for the stream commands. The AWS SDK's timeouts and retries
 * are not in the facts, so none is claimed: the options are unknown.
 */
function readBedrockCall(ctx: FactsContext, call: RawCall, clientIndex: number, constructorName: string, path: string[]): TsOutboundCall | undefined {
  let command: string | undefined;
  if (path.length === 1 && path[0] === 'send') {
    const argument = unwrap(call.node.arguments[0] as AstNode | undefined);
    const constructor = argument?.type === 'NewExpression' ? unwrap(argument.callee as AstNode) : undefined;
    const binding = constructor?.type === 'Identifier' ? call.scope.lookup(constructor.name as string) : undefined;
    const imported = binding?.kind === 'import' ? binding.import : undefined;
    if (imported?.module === '@aws-sdk/client-bedrock-runtime' && BEDROCK_COMMANDS.has(imported.name)) command = imported.name;
  } else if (path.length === 1 && constructorName === 'BedrockRuntime' && BEDROCK_METHODS.has(path[0]!)) command = path[0];
  if (command === undefined) return undefined;
  const out: TsOutboundCall = { library: 'bedrock', method: command, timeouts: [], ignoredOptions: [], optionsUnknown: true, span: ctx.span(call.node), clientIndex, streaming: /Stream/.test(command) };
  if (call.functionId !== undefined) out.functionId = call.functionId;
  return out;
}

const MASTRA_ACTIONS = new Set(['generate', 'stream', 'generateLegacy', 'streamLegacy', 'generateVNext', 'streamVNext', 'streamUntilIdle']);

/**
 * `agent.stream(messages, { abortSignal })` on a Mastra agent: an LLM call through the AI SDK, streamed
 * for the stream methods. Only an `abortSignal` it is given is read; Mastra's own defaults are not in
 * the facts, so the rest stays unknown rather than the AI SDK's.
 */
function readMastraAgentCall(ctx: FactsContext, call: RawCall, clientIndex: number, path: string[]): TsOutboundCall | undefined {
  const action = path.length === 1 ? path[0]! : undefined;
  if (!action || !MASTRA_ACTIONS.has(action)) return undefined;
  const options = call.node.arguments[1] ? ctx.values.evaluate(call.node.arguments[1], call.scope) : undefined;
  const out: TsOutboundCall = { library: 'ai', method: `${MASTRA_AGENT}.${action}`, timeouts: [], ignoredOptions: [], optionsUnknown: true, span: ctx.span(call.node), clientIndex, streaming: action.startsWith('stream') };
  if (call.functionId !== undefined) out.functionId = call.functionId;
  const signal = lookupOption(options, 'abortSignal');
  if (signal.state === 'present') out.timeouts.push(signalTimeout(ctx, ctx.values.nodeOf(signal.property), signal.property, call.scope, 'abortSignal'));
  return out;
}

/** `generateText({ model, abortSignal, timeout, maxRetries })` and friends: no default timeout (facts §13). */
function readVercelAi(ctx: FactsContext, call: RawCall, name: string): TsOutboundCall {
  const options = call.node.arguments[0] ? ctx.values.evaluate(call.node.arguments[0], call.scope) : undefined;
  const layers: OptionLayer[] = [{ options, level: 'call' }];
  const out = llmCall(ctx, call, 'ai', name, layers, [], 'maxRetries', 2);
  const timeout = lookupOption(options, 'timeout');
  if (timeout.state === 'present') {
    const written = timeout.property.value;
    // `timeout` is a number (total ms) or `{ totalMs, stepMs, firstChunkMs, chunkMs, toolMs }` (ai ≥ 6.0.14).
    if (written.kind === 'object') {
      const kinds = { totalMs: 'total', stepMs: 'total', firstChunkMs: 'time-to-headers', chunkMs: 'idle', toolMs: 'total' } as const;
      for (const property of written.properties) {
        const kind = kinds[property.name as keyof typeof kinds];
        if (kind) out.timeouts.push({ kind, option: `timeout.${property.name}`, source: 'set', value: property.value, ...(property.value.kind === 'number' ? { ms: property.value.value } : {}), level: 'call', span: property.span, factsRef: '§13' });
      }
    } else out.timeouts.push({ kind: 'total', option: 'timeout', source: 'set', value: written, ...(written.kind === 'number' ? { ms: written.value } : {}), level: 'call', span: timeout.property.span, factsRef: '§13' });
  } else if (timeout.state === 'unknown') out.optionsUnknown = true;
  const signal = lookupOption(options, 'abortSignal');
  if (signal.state === 'present') out.timeouts.push(signalTimeout(ctx, ctx.values.nodeOf(signal.property), signal.property, call.scope, 'abortSignal'));
  if (signal.state === 'absent' && timeout.state === 'absent') out.timeouts.push({ kind: 'total', option: 'abortSignal', source: 'none', factsRef: '§18' });
  out.streaming = name.startsWith('stream');
  const maxTokens = maxTokensOf(options);
  if (maxTokens) out.maxTokens = maxTokens;
  return out;
}

export function llmCall(ctx: FactsContext, call: RawCall, library: TsLlmLibrary, method: string, layers: OptionLayer[], specs: OptionSpec[], retriesOption: string, defaultRetries: number | undefined): TsOutboundCall {
  const result = layeredTimeouts(specs, layers);
  const out: TsOutboundCall = { library, method, timeouts: result.timeouts, ignoredOptions: result.ignored, optionsUnknown: result.unknown, span: ctx.span(call.node) };
  if (call.functionId !== undefined) out.functionId = call.functionId;
  const retryOption = library === 'mistral' ? 'retries' : retriesOption;
  const retries = layeredRetries(retryOption, layers.slice(0, 1), undefined, '§13') ?? undefined;
  const instanceRetries = layeredRetries(retriesOption, layers.slice(1), defaultRetries, '§13');
  const chosen = retries && retries.source === 'set' ? retries : instanceRetries;
  if (chosen) {
    // @google/genai counts attempts including the first (facts §13).
    if (library === 'google-genai' && chosen.source === 'set' && chosen.count !== undefined) chosen.count = Math.max(0, chosen.count - 1);
    out.retries = chosen;
  } else out.optionsUnknown = true;
  return out;
}

/** The client's option naming where its requests go (`baseURL`): an LLM gateway (a LiteLLM proxy) or a compatible server. */
const BASE_URL_OPTIONS: Partial<Record<TsLlmLibrary, string>> = { openai: 'baseURL', anthropic: 'baseURL', groq: 'baseURL', mistral: 'serverURL' };
/** Hosts of the LLM providers' own APIs: a base URL naming one is the provider, not a gateway in front of it. */
const PROVIDER_API_HOST = /(^|\.)(openai\.com|anthropic\.com|groq\.com|mistral\.ai|openai\.azure\.com)$/i;

export function isProviderApiHost(host: string): boolean {
  return PROVIDER_API_HOST.test(host);
}

/** The host of an http(s) URL written in code, when it has one. */
function urlHost(url: string): string | undefined {
  return /^https?:\/\/(?:[^/@]*@)?([^/:?#]+)/i.exec(url)?.[1];
}
/** The path a method posts to under the base URL, so a gateway's routes can match it. */
const METHOD_PATHS: Record<string, string> = { 'chat.completions.create': 'chat/completions', 'chat.completions.stream': 'chat/completions', 'completions.create': 'completions', 'responses.create': 'responses', 'responses.stream': 'responses', 'embeddings.create': 'embeddings', 'messages.create': 'v1/messages', 'messages.stream': 'v1/messages' };

/**
 * The URL of a call through a client constructed with a base URL (`new OpenAI({ baseURL: 'http://litellm:4000' })`):
 * only then, so that calls to the provider's own API keep their label and end at the provider.
 */
function gatewayUrlOf(config: TsValue | undefined, library: TsLlmLibrary, method: string, span: TsValue['span']): TsUrl | undefined {
  const option = BASE_URL_OPTIONS[library];
  if (!option) return undefined;
  const found = lookupOption(config, option);
  if (found.state !== 'present') return undefined;
  // Only a base URL the code spells as another host (`'http://litellm:4000'`, or as the fallback of
  // `process.env.OPENAI_BASE_URL ?? …`): the provider's own API, or a variable with no written
  // fallback, keeps the call ending at the provider as before.
  const base = found.property.value;
  const path: TsValue = { kind: 'string', value: METHOD_PATHS[method] ?? '', span };
  // `${process.env.LLM_BASE_URL}/v1`: a gateway only where the environment names one (call-urls.ts).
  if (base.kind === 'template' && typeof base.parts[0] !== 'string' && base.parts[0]?.kind === 'env' && base.parts[0].default === undefined) return { value: path, base, fromEnvironment: true };
  const written = base.kind === 'env' ? base.default : base;
  if (written?.kind !== 'string') return undefined;
  const host = urlHost(written.value);
  if (host !== undefined && isProviderApiHost(host)) return undefined;
  return { value: path, base };
}

function flag(options: TsValue | undefined, name: string): boolean | undefined {
  const found = lookupOption(options, name);
  if (found.state === 'absent') return false;
  if (found.state === 'present' && found.property.value.kind === 'boolean') return found.property.value.value;
  return undefined;
}

function maxTokensOf(options: TsValue | undefined): TsValue | undefined {
  for (const key of MAX_TOKENS_KEYS) {
    const found = lookupOption(options, key);
    if (found.state === 'present') return found.property.value;
  }
  return undefined;
}
