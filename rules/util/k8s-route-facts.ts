// Facts that route and mesh rules share: which gateway implementation serves an HTTPRoute, which routes carry LLM traffic, YAML nodes of route entries, and Envoy's retry arithmetic.
import { anyMatches, compilePatterns } from './llm-routes.js';
import type { Node, YAMLMap } from 'yaml';
import type { ScalarFact, SharedSettings, Span, WorkspaceModel } from '../../server/src/engine/rule-api.js';
import type { EffectiveDuration, GatewayRouteFacts, GatewayRouteRuleFacts, HttpProxyFacts, HttpProxyRouteFacts, K8sModel, K8sObject } from '../../server/src/engine/inputs/k8s/api.js';
import { placeOf } from './places.js';

/** The Gateway API implementations whose route-timeout default is known (reference/timeout-facts.md §6.1). */
export type GatewayImplementation = 'envoy-gateway' | 'contour' | 'istio' | 'unknown';

export interface ParentGateway {
  /** `llm/public-gateway`. */
  name: string;
  gateway: K8sObject;
  className?: ScalarFact;
  gatewayClass?: K8sObject;
  /** `spec.controllerName` of the GatewayClass, or the configured controller for the class name. */
  controllerName?: { text: string; span?: Span };
  implementation: GatewayImplementation;
}

// Prefixes of GatewayClass controllerName values; the suffix is configurable in each project's Helm chart.
const CONTROLLER_PREFIXES: ReadonlyArray<readonly [string, GatewayImplementation]> = [
  ['gateway.envoyproxy.io/', 'envoy-gateway'],
  ['projectcontour.io/', 'contour'],
  ['istio.io/', 'istio'],
];

export function implementationOf(controllerName: string): GatewayImplementation {
  return CONTROLLER_PREFIXES.find(([prefix]) => controllerName.startsWith(prefix))?.[1] ?? 'unknown';
}

/**
 * The Gateways an HTTPRoute attaches to (parentRefs of kind Gateway), each with its GatewayClass
 * and implementation when those are among the manifests. A parent that is not found is left out:
 * the rule cannot know what serves the route.
 */
export function parentGateways(k8s: K8sModel, route: GatewayRouteFacts, classControllers: Readonly<Record<string, string>>): ParentGateway[] {
  const out: ParentGateway[] = [];
  for (const ref of route.parentRefs) {
    if (ref.kind && ref.kind.text !== 'Gateway') continue;
    if (!ref.name) continue;
    const namespace = ref.namespace?.text ?? route.object.namespace;
    const gateway = k8s.objects.find((o) => o.kind === 'Gateway' && o.group === 'gateway.networking.k8s.io' && o.namespace === namespace && o.name?.text === ref.name!.text);
    if (!gateway) continue;
    const parent: ParentGateway = { name: `${namespace}/${ref.name.text}`, gateway, implementation: 'unknown' };
    const className = gateway.view.scalar(gateway.view.getIn(gateway.node, ['spec', 'gatewayClassName']));
    if (className) {
      parent.className = className;
      // GatewayClass is cluster-scoped: its namespace is ignored.
      const gatewayClass = k8s.objects.find((o) => o.kind === 'GatewayClass' && o.group === 'gateway.networking.k8s.io' && o.name?.text === className.text);
      const written = gatewayClass ? gatewayClass.view.scalar(gatewayClass.view.getIn(gatewayClass.node, ['spec', 'controllerName'])) : undefined;
      if (gatewayClass) parent.gatewayClass = gatewayClass;
      if (written && !written.unresolved) parent.controllerName = { text: written.text, span: written.span };
      // An own key only: a class named "constructor" must not find Object.prototype.constructor.
      else if (!gatewayClass && Object.hasOwn(classControllers, className.text)) parent.controllerName = { text: classControllers[className.text]! };
      if (parent.controllerName) parent.implementation = implementationOf(parent.controllerName.text);
    }
    out.push(parent);
  }
  return out;
}

/** What marks a route as LLM or streaming traffic, for the message, and the token that shows it. */
export interface LlmEvidence {
  evidence: string;
  span: Span;
  /** True when the evidence is inside the rule or route entry itself (a path or a backend), not route-wide. */
  local: boolean;
}

export function llmGatewayRule(route: GatewayRouteFacts, rule: GatewayRouteRuleFacts, llm: SharedSettings['llm']): LlmEvidence | undefined {
  const paths = compilePatterns([...llm.pathPatterns, ...llm.streamingPathPatterns]);
  const upstreams = compilePatterns(llm.upstreamPatterns);
  for (const match of rule.matches) {
    const value = match.path?.value;
    if (value && !value.unresolved && anyMatches(paths, value.text)) return { evidence: `path ${value.text}`, span: value.span, local: true };
  }
  for (const ref of rule.backendRefs) {
    if (ref.name && !ref.name.unresolved && anyMatches(upstreams, ref.name!.text)) return { evidence: `backend ${ref.name.text}`, span: ref.name.span, local: true };
  }
  for (const host of route.hostnames) {
    if (!host.unresolved && anyMatches(upstreams, host.text)) return { evidence: `hostname ${host.text}`, span: host.span, local: false };
  }
  return undefined;
}

export function llmHttpProxyRoute(proxy: HttpProxyFacts, route: HttpProxyRouteFacts, llm: SharedSettings['llm']): LlmEvidence | undefined {
  const paths = compilePatterns([...llm.pathPatterns, ...llm.streamingPathPatterns]);
  const upstreams = compilePatterns(llm.upstreamPatterns);
  for (const condition of route.conditions) {
    const value = condition.prefix ?? condition.exact;
    if (value && !value.unresolved && anyMatches(paths, value.text)) return { evidence: `path ${value.text}`, span: value.span, local: true };
  }
  for (const service of route.services) {
    if (service.name && !service.name.unresolved && anyMatches(upstreams, service.name!.text)) return { evidence: `service ${service.name.text}`, span: service.name.span, local: true };
  }
  const fqdn = proxy.fqdn;
  if (fqdn && !fqdn.unresolved && anyMatches(upstreams, fqdn.text)) return { evidence: `fqdn ${fqdn.text}`, span: fqdn.span, local: false };
  return undefined;
}

/**
 * The entries of `spec.<listKey>` per object, found once: rules ask for each entry by index (a
 * VirtualService with many http routes would list them all again for each), and a parsed object the
 * language server keeps between runs keeps its entries with it (objects are never changed once parsed).
 */
const entriesByObject = new WeakMap<K8sObject, Map<string, unknown[]>>();

/** The YAML mapping of `spec.<listKey>[index]` (an HTTPRoute rule, an HTTPProxy route, a VirtualService http route). */
export function entryNode(object: K8sObject, listKey: 'rules' | 'routes' | 'http', index: number): YAMLMap | undefined {
  const { view } = object;
  let lists = entriesByObject.get(object);
  if (!lists) entriesByObject.set(object, (lists = new Map()));
  let entries = lists.get(listKey);
  if (!entries) lists.set(listKey, (entries = view.items(view.get(view.get(object.node, 'spec'), listKey))));
  return view.asMap(entries[index]);
}

/** The span of a mapping's first key: where a finding about the whole entry starts, on one line. */
export function firstKeySpan(object: K8sObject, map: YAMLMap | undefined, fallback: Span): Span {
  const key = map?.items[0]?.key as Node | undefined;
  return key?.range ? { file: object.file, start: key.range[0], end: key.range[1] } : fallback;
}

/** `VirtualService llm/summarise-api`. */
export function objectLabel(object: K8sObject): string {
  return `${object.kind} ${object.namespace}/${object.name?.text ?? '?'}`;
}

/** `set at k8s/istio.yaml:12`, or `default, timeout-facts §5` / the given default description. */
export function sourceOf(model: WorkspaceModel, value: EffectiveDuration, defaultText?: string): string {
  if (value.source === 'set' && value.written) return `set at ${placeOf(model, value.written.span)}`;
  return defaultText ?? `default, reference/timeout-facts.md ${value.factsRef}`;
}

/**
 * The longest total back-off Envoy can wait across `retries` retries: retry N waits a random time
 * in [0, (2^N − 1) × base), capped at 10 × base (reference/timeout-facts.md §4; Envoy
 * `docs/root/configuration/http/http_filters/router_filter.rst`). The lower bound is 0 (full jitter).
 */
export function envoyMaxBackoffMs(retries: number, baseMs: number): number {
  // (2^N − 1) is 1, 3, 7 for the first three retries; from the fourth on the 10 × base cap applies.
  let total = 0;
  for (let n = 1; n <= Math.min(retries, 3); n++) total += (2 ** n - 1) * baseMs;
  return total + Math.max(0, retries - 3) * 10 * baseMs;
}

/** Envoy's default retry back-off base interval (reference/timeout-facts.md §4). */
export const ENVOY_BACKOFF_BASE_MS = 25;

