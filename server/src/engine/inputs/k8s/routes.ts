// Reads Gateway API HTTPRoute/GRPCRoute, Contour HTTPProxy and Knative Service routes with their timeouts and retries.
import type { Node } from 'yaml';
import type { K8sObject } from './file.js';
import type { ScalarFact, YamlView } from '../../yaml/view.js';
import type { Span } from '../../types.js';
import { readContainers, type ContainerFacts } from './containers.js';
import type { ServiceFacts } from './services.js';
import type { AiServiceBackendFacts, InferencePoolFacts } from './inference.js';
import type { RouteTrafficPolicy } from './envoy-gateway.js';
import {
  effectiveCount, effectiveDuration, readDuration, readInteger,
  type EffectiveCount, type EffectiveDuration, type K8sDuration, type K8sInteger,
} from './values.js';

export interface BackendRefFacts {
  span: Span;
  name?: ScalarFact;
  namespace?: ScalarFact;
  /** `kind` as written; Gateway API's default is Service. */
  kind?: ScalarFact;
  port?: K8sInteger;
  weight?: K8sInteger;
  /** The Kubernetes Service, when it is among the manifests (filled by the model). */
  service?: ServiceFacts;
  /** `group` as written: `inference.networking.k8s.io` for an InferencePool. */
  group?: ScalarFact;
  /** The InferencePool the ref names (HTTPRoute or AIGatewayRoute; filled by the model). */
  pool?: InferencePoolFacts;
  /** The AIServiceBackend an AIGatewayRoute's ref names (filled by the model). */
  aiBackend?: AiServiceBackendFacts;
}

export interface GatewayRouteMatchFacts {
  span: Span;
  /** HTTPRoute path match; `type` as written (Gateway API defaults it to PathPrefix). */
  path?: { type?: ScalarFact; value?: ScalarFact };
  method?: ScalarFact;
  /** GRPCRoute method match. */
  grpcService?: ScalarFact;
  grpcMethod?: ScalarFact;
}

export interface GatewayRouteRuleFacts {
  span: Span;
  /** `name`: what a policy's `sectionName` targets. */
  name?: ScalarFact;
  matches: GatewayRouteMatchFacts[];
  backendRefs: BackendRefFacts[];
  /**
   * HTTPRoute `timeouts` as written, GEP-2257 durations (facts §6.1). There is deliberately no
   * default: it is implementation-specific (Istio none, Envoy Gateway and Contour 15 s).
   */
  timeouts?: { span: Span; request?: K8sDuration; backendRequest?: K8sDuration };
  retry?: { span: Span; attempts?: K8sInteger; codes: K8sInteger[]; backoff?: K8sDuration };
  /** A `timeouts` written in a GRPCRoute rule, which has no such field (facts §6.1): not a timeout. */
  unsupportedTimeoutsSpan?: Span;
  /** Envoy Gateway BackendTrafficPolicy settings in effect on this rule (filled by the model). */
  trafficPolicy?: RouteTrafficPolicy;
}

export interface GatewayRouteFacts {
  object: K8sObject;
  kind: 'HTTPRoute' | 'GRPCRoute' | 'AIGatewayRoute';
  hostnames: ScalarFact[];
  parentRefs: Array<{ span: Span; name?: ScalarFact; namespace?: ScalarFact; sectionName?: ScalarFact; kind?: ScalarFact }>;
  rules: GatewayRouteRuleFacts[];
}

export interface HttpProxyRouteFacts {
  span: Span;
  conditions: Array<{ span: Span; prefix?: ScalarFact; exact?: ScalarFact }>;
  services: BackendRefFacts[];
  /** `timeoutPolicy.response`: Envoy's 15 s when unset or `0s`; `infinity` disables (facts §6.3). */
  response: EffectiveDuration;
  /** `timeoutPolicy.idle`: no route default (the connection manager's stream idle timeout applies, facts §6.3). */
  idle: EffectiveDuration;
  /** `timeoutPolicy.idleConnection`: 1 h (facts §6.3). */
  idleConnection: EffectiveDuration;
  /** `retryPolicy`: count defaults to 1, −1 disables (facts §6.3). */
  retry?: { span: Span; count: EffectiveCount; perTryTimeout?: K8sDuration };
}

export interface HttpProxyFacts {
  object: K8sObject;
  fqdn?: ScalarFact;
  routes: HttpProxyRouteFacts[];
}

export interface KnativeServiceFacts {
  object: K8sObject;
  /** `timeoutSeconds`: whole request, default 300 s (facts §10). */
  timeout: EffectiveDuration;
  /** True when `timeoutSeconds` exceeds the default `max-revision-timeout-seconds` of 600 (facts §10), which a cluster may raise. */
  aboveDefaultMax: boolean;
  /** `responseStartTimeoutSeconds`: defaults to the timeout (facts §10). */
  responseStartTimeout: EffectiveDuration;
  /** `idleTimeoutSeconds`: 0 (none) by default (facts §10). */
  idleTimeout: EffectiveDuration;
  containers: ContainerFacts[];
}

const ENVOY_ROUTE_DEFAULT_MS = 15_000;

export function readGatewayRoute(object: K8sObject): GatewayRouteFacts {
  const { view, node } = object;
  const spec = view.get(node, 'spec');
  const kind = object.kind === 'GRPCRoute' ? 'GRPCRoute' : object.kind === 'AIGatewayRoute' ? 'AIGatewayRoute' : 'HTTPRoute';
  return {
    object,
    kind,
    hostnames: scalarList(view, view.get(spec, 'hostnames')),
    parentRefs: view.items(view.get(spec, 'parentRefs')).map((ref) => ({
      span: view.span(ref),
      ...optionalScalars(view, ref, ['name', 'namespace', 'sectionName', 'kind'] as const),
    })),
    rules: view.items(view.get(spec, 'rules')).map((rule) => readGatewayRule(view, rule, kind)),
  };
}

export function readHttpProxy(object: K8sObject): HttpProxyFacts {
  const { view, node } = object;
  const spec = view.get(node, 'spec');
  const facts: HttpProxyFacts = { object, routes: view.items(view.get(spec, 'routes')).map((route) => readHttpProxyRoute(view, route)) };
  const fqdn = view.scalar(view.getIn(spec, ['virtualhost', 'fqdn']));
  if (fqdn) facts.fqdn = fqdn;
  return facts;
}

export function readKnativeService(object: K8sObject): KnativeServiceFacts {
  const { view, node } = object;
  const podSpec = view.getIn(node, ['spec', 'template', 'spec']);
  const seconds = (key: string): K8sDuration | undefined => readDuration(view, view.get(podSpec, key), 'k8s-int-seconds');
  const timeout = effectiveDuration(seconds('timeoutSeconds'), { ms: 300_000 }, '§10');
  return {
    object,
    timeout,
    aboveDefaultMax: timeout.ms !== undefined && timeout.ms > 600_000,
    responseStartTimeout: effectiveDuration(seconds('responseStartTimeoutSeconds'), timeout.ms !== undefined ? { ms: timeout.ms } : {}, '§10'),
    idleTimeout: effectiveDuration(seconds('idleTimeoutSeconds'), { disabled: true }, '§10', 'disables'),
    containers: readContainers(view, podSpec),
  };
}

function readGatewayRule(view: YamlView, rule: Node, kind: GatewayRouteFacts['kind']): GatewayRouteRuleFacts {
  const facts: GatewayRouteRuleFacts = {
    span: view.span(rule),
    matches: view.items(view.get(rule, 'matches')).map((match) => readGatewayMatch(view, match)),
    backendRefs: view.items(view.get(rule, 'backendRefs')).map((ref) => readBackendRef(view, ref)),
  };
  const name = view.scalar(view.get(rule, 'name'));
  if (name) facts.name = name;
  const timeouts = view.get(rule, 'timeouts');
  if (timeouts && kind === 'GRPCRoute') facts.unsupportedTimeoutsSpan = view.span(timeouts);
  else if (view.asMap(timeouts)) {
    facts.timeouts = { span: view.span(timeouts) };
    const request = readDuration(view, view.get(timeouts, 'request'), 'gateway-api-duration');
    if (request) facts.timeouts.request = request;
    const backendRequest = readDuration(view, view.get(timeouts, 'backendRequest'), 'gateway-api-duration');
    if (backendRequest) facts.timeouts.backendRequest = backendRequest;
  }
  const retry = view.get(rule, 'retry');
  if (view.asMap(retry)) {
    facts.retry = {
      span: view.span(retry),
      codes: view.items(view.get(retry, 'codes')).map((c) => readInteger(view, c, 'yaml-int')).filter((c): c is K8sInteger => c !== undefined),
    };
    const attempts = readInteger(view, view.get(retry, 'attempts'), 'yaml-int');
    if (attempts) facts.retry.attempts = attempts;
    const backoff = readDuration(view, view.get(retry, 'backoff'), 'gateway-api-duration');
    if (backoff) facts.retry.backoff = backoff;
  }
  return facts;
}

function readGatewayMatch(view: YamlView, match: Node): GatewayRouteMatchFacts {
  const facts: GatewayRouteMatchFacts = { span: view.span(match) };
  const path = view.get(match, 'path');
  if (path) facts.path = optionalScalars(view, path, ['type', 'value'] as const);
  const method = view.get(match, 'method');
  // HTTPRoute's method is a word; GRPCRoute's is a mapping of service and method.
  if (view.asMap(method)) {
    const grpc = optionalScalars(view, method, ['service', 'method'] as const);
    if (grpc.service) facts.grpcService = grpc.service;
    if (grpc.method) facts.grpcMethod = grpc.method;
  } else {
    const word = view.scalar(method);
    if (word) facts.method = word;
  }
  return facts;
}

function readBackendRef(view: YamlView, ref: Node): BackendRefFacts {
  const facts: BackendRefFacts = { span: view.span(ref), ...optionalScalars(view, ref, ['name', 'namespace', 'kind', 'group'] as const) };
  const port = readInteger(view, view.get(ref, 'port'), 'yaml-int');
  if (port) facts.port = port;
  const weight = readInteger(view, view.get(ref, 'weight'), 'yaml-int');
  if (weight) facts.weight = weight;
  return facts;
}

function readHttpProxyRoute(view: YamlView, route: Node): HttpProxyRouteFacts {
  const policy = view.get(route, 'timeoutPolicy');
  const duration = (key: string): K8sDuration | undefined => readDuration(view, view.get(policy, key), 'contour-duration');
  const facts: HttpProxyRouteFacts = {
    span: view.span(route),
    conditions: view.items(view.get(route, 'conditions')).map((c) => ({ span: view.span(c), ...optionalScalars(view, c, ['prefix', 'exact'] as const) })),
    services: view.items(view.get(route, 'services')).map((s) => readBackendRef(view, s)),
    response: effectiveDuration(duration('response'), { ms: ENVOY_ROUTE_DEFAULT_MS }, '§6.3', 'unset'),
    idle: effectiveDuration(duration('idle'), {}, '§6.3', 'unset'),
    idleConnection: effectiveDuration(duration('idleConnection'), { ms: 3_600_000 }, '§6.3', 'unset'),
  };
  const retry = view.get(route, 'retryPolicy');
  if (view.asMap(retry)) {
    facts.retry = { span: view.span(retry), count: effectiveCount(readInteger(view, view.get(retry, 'count'), 'yaml-int'), 1, '§6.3') };
    const perTryTimeout = readDuration(view, view.get(retry, 'perTryTimeout'), 'contour-duration');
    if (perTryTimeout) facts.retry.perTryTimeout = perTryTimeout;
  }
  return facts;
}

function optionalScalars<K extends string>(view: YamlView, node: Node | undefined, keys: readonly K[]): Partial<Record<K, ScalarFact>> {
  const out: Partial<Record<K, ScalarFact>> = {};
  for (const key of keys) {
    const value = view.scalar(view.get(node, key));
    if (value) out[key] = value;
  }
  return out;
}

function scalarList(view: YamlView, node: Node | undefined): ScalarFact[] {
  return view.items(node).map((n) => view.scalar(n)).filter((s): s is ScalarFact => s !== undefined);
}
