// LLM calls a framework makes on a route's behalf. A CopilotKit runtime endpoint
// (`copilotRuntimeNodeHttpEndpoint({ runtime, serviceAdapter: new OpenAIAdapter(…) })`) hands the
// request to its service adapter, which calls the model through the provider's SDK, and the runtime
// streams the answer back through the route. The handler holds no SDK call of its own, so without
// this the route would not read as an LLM route at all.
import { keyName, unwrap, type AstNode } from './ast.js';
import { LLM_SPECS } from './clients.js';
import type { Callee, FactsContext } from './context.js';
import { llmCall } from './llm.js';
import type { OptionLayer } from './options.js';
import type { Scope } from './scope.js';
import type { TsLlmLibrary, TsOutboundCall } from './types.js';
import type { RawCall } from './walk.js';

const COPILOTKIT_RUNTIME = '@copilotkit/runtime';
/** copilotRuntimeNodeHttpEndpoint, …NodeExpressEndpoint, …NestEndpoint, …NextJSAppRouterEndpoint, …NextJSPagesRouterEndpoint. */
const RUNTIME_ENDPOINT = /^copilotRuntime\w*Endpoint$/;

interface AdapterSdk {
  library: TsLlmLibrary;
  /** The adapter option that takes an SDK instance made by the caller. */
  instanceOption: string;
  /**
   * True when the adapter makes its own client with the SDK's defaults when given none
   * (OpenAIAdapter: `params?.openai || new OpenAI({})`); otherwise its timeouts are not known here.
   */
  defaultClient: boolean;
}

/** Adapters whose SDK is known. Others (Unify, Ollama, Bedrock, …) are not read: their library is not modelled. */
const ADAPTERS: Record<string, AdapterSdk> = {
  OpenAIAdapter: { library: 'openai', instanceOption: 'openai', defaultClient: true },
  OpenAIAssistantAdapter: { library: 'openai', instanceOption: 'openai', defaultClient: false },
  AnthropicAdapter: { library: 'anthropic', instanceOption: 'anthropic', defaultClient: false },
  GroqAdapter: { library: 'groq', instanceOption: 'groq', defaultClient: false },
};

/** Reads a CopilotKit runtime endpoint made with an LLM service adapter as a streamed LLM call, or returns undefined. */
export function readFrameworkLlmCall(ctx: FactsContext, call: RawCall, callee: Callee): TsOutboundCall | undefined {
  const { root, path } = callee;
  if (root.kind !== 'imported' || root.ref.module !== COPILOTKIT_RUNTIME || path.length > 0 || !RUNTIME_ENDPOINT.test(root.ref.name)) return undefined;
  const options = unwrap((call.node.arguments as AstNode[])[0]);
  if (options?.type !== 'ObjectExpression') return undefined;
  const adapter = constValue(propertyNode(options, 'serviceAdapter'), call.scope);
  if (!adapter || adapter.node.type !== 'NewExpression') return undefined;
  const constructor = unwrap(adapter.node.callee);
  const constructorBinding = constructor?.type === 'Identifier' ? adapter.scope.lookup(constructor.name as string) : undefined;
  const imported = constructorBinding?.kind === 'import' ? constructorBinding.import : undefined;
  if (imported?.module !== COPILOTKIT_RUNTIME) return undefined;
  const sdk = ADAPTERS[imported.name];
  if (!sdk) return undefined;

  const adapterOptions = unwrap((adapter.node.arguments as AstNode[])[0]);
  const instance = adapterOptions?.type === 'ObjectExpression' ? propertyNode(adapterOptions, sdk.instanceOption) : undefined;
  const clientIndex = instance ? clientOf(ctx, instance, adapter.scope, sdk.library) : undefined;
  const spec = LLM_SPECS[sdk.library];
  const layers: OptionLayer[] = clientIndex !== undefined ? [{ options: ctx.client(clientIndex).config, level: 'instance' }] : [];
  const out = llmCall(ctx, call, sdk.library, `CopilotKit ${imported.name}`, layers, spec.timeouts, spec.retriesOption, spec.defaultRetries);
  const endpoint = root.ref.name;
  const evidence = [{ text: `CopilotKit ${endpoint}() with ${imported.name}: the runtime calls the model and streams its answer`, span: ctx.span(adapter.node) }];
  if (clientIndex !== undefined) {
    out.clientIndex = clientIndex;
  } else if (instance || !sdk.defaultClient) {
    // An instance the reader cannot follow, or an adapter whose own client is not known: its timers are unknown, not a default.
    out.timeouts = [];
    out.optionsUnknown = true;
    delete out.retries;
  } else {
    evidence.push({ text: `${imported.name} makes its own ${sdk.library} client with the SDK's defaults when given none`, span: ctx.span(adapter.node) });
  }
  out.streaming = true;
  out.evidence = evidence;
  return out;
}

/** The value node of `name` in an object literal (`{ name: value }` or the shorthand `{ name }`). */
function propertyNode(object: AstNode, name: string): AstNode | undefined {
  for (const property of object.properties as AstNode[]) {
    if (property.type === 'ObjectProperty' && keyName(property.key, property.computed) === name) return property.value as AstNode;
  }
  return undefined;
}

/** The node itself, or what a `const` it names was initialised with (one step), with the scope to read it in. */
function constValue(node: AstNode | undefined, scope: Scope): { node: AstNode; scope: Scope } | undefined {
  const value = unwrap(node);
  if (!value) return undefined;
  if (value.type !== 'Identifier') return { node: value, scope };
  const binding = scope.lookup(value.name as string);
  const init = binding?.kind === 'const' ? unwrap(binding.init) : undefined;
  return init && binding ? { node: init, scope: binding.scope } : undefined;
}

/** The client an SDK-instance option names (`{ openai }`, `{ openai: new OpenAI({ timeout }) }`), when it is one of `library`. */
function clientOf(ctx: FactsContext, node: AstNode, scope: Scope, library: TsLlmLibrary): number | undefined {
  const value = unwrap(node);
  if (!value) return undefined;
  if (value.type === 'Identifier') {
    const binding = scope.lookup(value.name as string);
    const root = binding ? ctx.bindingRoot(binding) : undefined;
    return root?.kind === 'client' && ctx.client(root.clientIndex).library === library ? root.clientIndex : undefined;
  }
  const index = ctx.clientReader(value, scope);
  return index !== undefined && ctx.client(index).library === library ? index : undefined;
}
