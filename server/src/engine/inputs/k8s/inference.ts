// Gateway API inference and Envoy AI Gateway objects: InferencePools (model servers picked by labels) and AIServiceBackends, the backends of HTTPRoutes and AIGatewayRoutes that are not Services.
import type { K8sObject } from './file.js';
import type { ScalarFact } from '../../yaml/view.js';
import type { Span } from '../../types.js';
import { readLabels, type WorkloadFacts } from './workloads.js';

/** The API groups of InferencePool: GA (`inference.networking.k8s.io`) and the alpha one it replaced. */
export const INFERENCE_GROUPS = new Set(['inference.networking.k8s.io', 'inference.networking.x-k8s.io']);
export const AI_GATEWAY_GROUP = 'aigateway.envoyproxy.io';

/** An InferencePool: the model-server pods its selector picks, the port they serve on, and its endpoint picker. */
export interface InferencePoolFacts {
  object: K8sObject;
  /** `spec.selector.matchLabels` (v1) or `spec.selector` (v1alpha2). */
  selector: ReadonlyMap<string, ScalarFact>;
  /** `spec.targetPorts[].number` (v1) or `spec.targetPortNumber` (v1alpha2). */
  targetPorts: Array<{ number?: number; span: Span }>;
  /** `spec.endpointPickerRef.name` (v1) or `spec.extensionRef.name` (v1alpha2): the endpoint picker Service. */
  endpointPicker?: ScalarFact;
  /** Workloads in the same namespace whose pod labels match the selector (filled by the model). */
  targets?: WorkloadFacts[];
}

/** An Envoy AI Gateway AIServiceBackend: an LLM provider (or model server) behind an Envoy Gateway Backend or Service. */
export interface AiServiceBackendFacts {
  object: K8sObject;
  /** `spec.schema.name`: `OpenAI`, `AWSBedrock`, `AzureOpenAI`, … */
  schema?: ScalarFact;
  /** `spec.backendRef`: the Envoy Gateway `Backend` (or Service) that holds the address. */
  backendRef?: { name?: ScalarFact; kind?: ScalarFact; span: Span };
}

export function readInferencePool(object: K8sObject): InferencePoolFacts {
  const { view, node } = object;
  const spec = view.get(node, 'spec');
  const selectorNode = view.get(spec, 'selector');
  const matchLabels = view.get(selectorNode, 'matchLabels');
  const facts: InferencePoolFacts = { object, selector: readLabels(view, matchLabels ?? selectorNode), targetPorts: [] };
  for (const port of view.items(view.get(spec, 'targetPorts'))) facts.targetPorts.push(portOf(view.scalar(view.get(port, 'number')), view.span(port)));
  const alphaPort = view.scalar(view.get(spec, 'targetPortNumber'));
  if (alphaPort) facts.targetPorts.push(portOf(alphaPort, alphaPort.span));
  const picker = view.scalar(view.get(view.get(spec, 'endpointPickerRef') ?? view.get(spec, 'extensionRef'), 'name'));
  if (picker) facts.endpointPicker = picker;
  return facts;
}

export function readAiServiceBackend(object: K8sObject): AiServiceBackendFacts {
  const { view, node } = object;
  const spec = view.get(node, 'spec');
  const facts: AiServiceBackendFacts = { object };
  const schema = view.scalar(view.get(view.get(spec, 'schema'), 'name'));
  if (schema) facts.schema = schema;
  const ref = view.get(spec, 'backendRef');
  if (view.asMap(ref)) {
    const name = view.scalar(view.get(ref, 'name'));
    const kind = view.scalar(view.get(ref, 'kind'));
    facts.backendRef = { span: view.span(ref), ...(name ? { name } : {}), ...(kind ? { kind } : {}) };
  }
  return facts;
}

function portOf(fact: ScalarFact | undefined, span: Span): { number?: number; span: Span } {
  return fact && /^\d+$/.test(fact.text) && !fact.unresolved ? { number: Number(fact.text), span: fact.span } : { span };
}
