// Kubernetes hops: Ingress paths (ingress-nginx, ALB, GCE), Gateway API routes, Istio VirtualServices, Knative Services, Services and workloads.
import type { AiServiceBackendFacts, ContainerFacts, InferencePoolFacts, EffectiveDuration, GatewayRouteFacts, GatewayRouteRuleFacts, IngressFacts, IngressPathFacts, IstioHttpRouteFacts, K8sDuration, K8sModel, KnativeServiceFacts, ServiceFacts, VirtualServiceFacts, WorkloadFacts } from './model.js';
import { CONFIGMAP_FLAG, ingressNginxConfigMapArgs, ingressNginxSettings, isIngressNginxControllerImage, type IngressNginxValue } from './ingress-nginx.js';
import type { ConfigMapFacts } from './configmaps.js';
import type { DestinationRuleFacts } from './istio.js';
import { ENVOY_GATEWAY_DEFAULT_RETRIES, policyLabel, retriesTimeouts, type BackendTrafficRetryFacts, type PolicyValue } from './envoy-gateway.js';
import type { TimeoutKind } from '../../timeout-kind.js';
import type { Hop, HopTimeout } from '../../chain/chain-types.js';

declare module '../../chain/chain-types.js' {
  interface HopKinds {
    'ingress-path': true;
    'gateway-route': true;
    'virtual-service': true;
    'knative-service': true;
    'k8s-service': true;
    workload: true;
    'inference-pool': true;
    'ai-service-backend': true;
  }
  interface HopRefs {
    'inference-pool': { kind: 'inference-pool'; pool: InferencePoolFacts };
    'ai-service-backend': { kind: 'ai-service-backend'; backend: AiServiceBackendFacts };
    ingress: { kind: 'ingress'; ingress: IngressFacts; path: IngressPathFacts };
    'gateway-route': { kind: 'gateway-route'; route: GatewayRouteFacts; rule: GatewayRouteRuleFacts };
    'virtual-service': { kind: 'virtual-service'; virtualService: VirtualServiceFacts; route: IstioHttpRouteFacts };
    knative: { kind: 'knative'; service: KnativeServiceFacts };
    'k8s-service': { kind: 'k8s-service'; service: ServiceFacts };
    /** `ingressController`: the workload runs the ingress-nginx controller (ingressControllerHop). */
    workload: { kind: 'workload'; workload: WorkloadFacts; container?: ContainerFacts; ingressController?: true };
  }
}

/** Methods a controller does not retry once the request was sent (facts §14). */
const NON_IDEMPOTENT = new Set(['POST', 'PATCH', 'LOCK']);

function ingressNginxTimeout(value: IngressNginxValue, knobPrefix: string, kind: TimeoutKind): HopTimeout {
  const timeout: HopTimeout = {
    kind,
    knob: value.source.kind === 'annotation' ? `${knobPrefix}/${value.knob}` : value.knob,
    text: value.text,
    source: value.source.kind === 'annotation' ? 'set' : value.source.kind === 'configmap' ? 'inherited' : 'default',
    factsRef: value.source.factsRef,
    perAttempt: true,
  };
  if (value.ms !== undefined) timeout.ms = value.ms;
  if (value.source.span) timeout.span = value.source.span;
  return timeout;
}

function durationTimeout(value: EffectiveDuration | undefined, knob: string, kind: TimeoutKind, extra: Partial<HopTimeout> = {}): HopTimeout | undefined {
  if (!value) return undefined;
  const timeout: HopTimeout = { kind, knob, text: value.written?.text ?? (value.disabled ? 'none' : value.ms !== undefined ? `${value.ms / 1000}s` : 'unknown'), source: value.source, factsRef: value.factsRef, ...extra };
  if (value.ms !== undefined) timeout.ms = value.ms;
  if (value.disabled) timeout.disabled = true;
  if (value.written) timeout.span = value.written.span;
  return timeout;
}

function writtenTimeout(value: K8sDuration | undefined, knob: string, kind: TimeoutKind, factsRef: string, extra: Partial<HopTimeout> = {}): HopTimeout | undefined {
  if (!value) return undefined;
  const timeout: HopTimeout = { kind, knob, text: value.text, source: 'set', span: value.span, factsRef, ...extra };
  if (value.ms !== undefined) timeout.ms = value.ms;
  if (value.ms === 0) timeout.disabled = true;
  return timeout;
}

/** An Ingress path: the controller's per-location timeouts (ingress-nginx, ALB idle, GKE backend timeout). */
export function ingressPathHop(k8s: K8sModel, ingress: IngressFacts, path: IngressPathFacts, method: string | undefined): Hop {
  const timeouts: HopTimeout[] = [];
  const hop: Hop = {
    kind: 'ingress-path',
    label: `Ingress ${ingress.object.namespace}/${ingress.object.name?.text ?? '?'} path ${path.path?.text ?? '/'}`,
    span: path.path?.span ?? path.span,
    timeouts,
    ref: { kind: 'ingress', ingress, path },
  };
  if (method) hop.method = method;
  const settings = ingress.ingressNginx;
  if (ingress.controller === 'ingress-nginx' && settings) {
    const prefix = k8s.ingressNginxAnnotationPrefix;
    timeouts.push(ingressNginxTimeout(settings['proxy-read-timeout'], prefix, 'idle'));
    timeouts.push(ingressNginxTimeout(settings['proxy-connect-timeout'], prefix, 'connect'));
    const tries = settings['proxy-next-upstream-tries'];
    const words = settings['proxy-next-upstream'].text.split(/\s+/);
    const replicas = Math.max(1, ...(path.backend.service?.targets ?? []).map((w) => replicasOf(w)));
    const count = Math.min(tries.count && tries.count > 0 ? tries.count : replicas, replicas);
    if (count > 1) {
      hop.attempts = {
        count, knob: tries.source.kind === 'annotation' ? `${k8s.ingressNginxAnnotationPrefix}/proxy-next-upstream-tries` : 'proxy-next-upstream-tries',
        source: tries.source.kind === 'default' ? 'default' : 'set', factsRef: '§2.2, §14',
        retriesTimeouts: words.includes('timeout') && !NON_IDEMPOTENT.has(method ?? ''),
        ...(tries.source.span ? { span: tries.source.span } : {}),
      };
    }
    const keepAlive = k8s.ingressNginxControllerConfigs[0]?.configMap.data.get('upstream-keepalive-timeout');
    hop.keepAlive = keepAlive?.value && /^\d+$/.test(keepAlive.value.text)
      ? { kind: 'keepalive', knob: 'upstream-keepalive-timeout', text: keepAlive.value.text, ms: Number(keepAlive.value.text) * 1000, source: 'inherited', span: keepAlive.valueSpan, factsRef: '§2.3' }
      : { kind: 'keepalive', knob: 'upstream-keepalive-timeout', text: '60', ms: 60_000, source: 'default', factsRef: '§2.3, §11.1' };
    if (settings['proxy-buffering'].text === 'off') hop.streaming = true;
  }
  if (ingress.controller === 'kong') kongIngressTimeouts(hop, path, method);
  if (ingress.controller === 'gce') {
    const timeout = durationTimeout(path.backend.gceTimeout, 'BackendConfig timeoutSec', 'total');
    if (timeout) timeouts.push(timeout);
    hop.keepAlive = { kind: 'keepalive', knob: 'GFE backend keep-alive', text: '600s', ms: 600_000, source: 'default', factsRef: '§9' };
  }
  if (ingress.controller === 'alb') {
    const idle = albIdleTimeout(ingress);
    timeouts.push(idle);
    hop.keepAlive = { ...idle, kind: 'keepalive' };
  }
  return hop;
}

/**
 * The Kong Ingress Controller reads timeouts and retries from `konghq.com/*` annotations on the
 * backend Service only (facts §8), and from the `proxy` section of the KongIngress the Service's
 * `konghq.com/override` annotation names; it applies the KongIngress first and the annotations
 * after it, so an annotation wins. Read and connect per try (ms), `retries` + 1 attempts, Kong's
 * defaults (60000 ms, 5 retries) where neither is written; an invalid annotation is ignored by Kong,
 * so what is under it stands. Write timeouts bound only the sending of the request and are left out.
 */
function kongIngressTimeouts(hop: Hop, path: IngressPathFacts, method: string | undefined): void {
  const service = path.backend.service;
  const annotations = (service?.timeoutAnnotations ?? []).filter((a) => a.vendor === 'kong' && a.recognition === 'recognized');
  const override = service?.kongIngress;
  const overrideName = override?.object.name?.text ?? '?';
  const fromOverride = (field: 'readTimeout' | 'connectTimeout', knob: string, kind: TimeoutKind): HopTimeout | undefined => {
    const written = override?.[field];
    if (!written) return undefined;
    const timeout: HopTimeout = { kind, knob: `KongIngress ${overrideName} proxy.${knob}`, text: written.text, source: 'set', span: written.span, factsRef: '§8', perAttempt: true };
    if (written.value !== undefined && written.value > 0) timeout.ms = written.value;
    return timeout;
  };
  const timeout = (knob: string, field: 'readTimeout' | 'connectTimeout', kind: TimeoutKind): HopTimeout => {
    const written = annotations.find((a) => a.knob === knob);
    if (written?.duration?.unresolved) return { kind, knob: `konghq.com/${knob}`, text: written.duration.text, source: 'set', span: written.annotation.valueSpan, factsRef: '§8', perAttempt: true };
    if (written?.duration && written.duration.ms !== undefined && !written.duration.invalid) {
      return { kind, knob: `konghq.com/${knob}`, text: written.duration.text, ms: written.duration.ms, source: 'set', span: written.annotation.valueSpan, factsRef: '§8', perAttempt: true };
    }
    return fromOverride(field, knob.replace('-', '_'), kind) ?? { kind, knob: `konghq.com/${knob}`, text: '60000', ms: 60_000, source: 'default', factsRef: '§8', perAttempt: true };
  };
  hop.timeouts.push(timeout('read-timeout', 'readTimeout', 'idle'), timeout('connect-timeout', 'connectTimeout', 'connect'));
  hop.keepAlive = { kind: 'keepalive', knob: 'upstream_keepalive_idle_timeout', text: '60s', ms: 60_000, source: 'default', factsRef: '§8' };
  const annotated = annotations.find((a) => a.knob === 'retries')?.count;
  if (annotated?.unresolved) return;
  const retries = annotated?.value !== undefined
    ? { value: annotated.value, knob: 'konghq.com/retries', span: annotated.span }
    : override?.retries ? { value: override.retries.value, knob: `KongIngress ${overrideName} proxy.retries`, span: override.retries.span } : undefined;
  // A KongIngress count the API server would refuse (or a template) leaves the attempts unknown.
  if (retries && retries.value === undefined) return;
  const count = (retries?.value ?? 5) + 1;
  if (count > 1) {
    hop.attempts = {
      count, knob: retries?.knob ?? 'konghq.com/retries', source: retries ? 'set' : 'default', factsRef: '§8, §14',
      retriesTimeouts: !NON_IDEMPOTENT.has(method ?? ''),
      ...(retries ? { span: retries.span } : {}),
    };
  }
}

/** `idle_timeout.timeout_seconds` in the load-balancer-attributes annotation, else the 60 s default (facts §9). */
function albIdleTimeout(ingress: IngressFacts): HopTimeout {
  const annotation = ingress.annotations.find((a) => a.key === 'alb.ingress.kubernetes.io/load-balancer-attributes');
  const match = annotation?.value ? /idle_timeout\.timeout_seconds=(\d+)/.exec(annotation.value.text) : null;
  if (annotation && match) {
    return { kind: 'idle', knob: 'idle_timeout.timeout_seconds', text: match[1]!, ms: Number(match[1]) * 1000, source: 'set', span: annotation.valueSpan, factsRef: '§9' };
  }
  return { kind: 'idle', knob: 'idle_timeout.timeout_seconds', text: '60', ms: 60_000, source: 'default', factsRef: '§9' };
}

function replicasOf(workload: WorkloadFacts): number {
  const replicas = workload.object.view.scalar(workload.object.view.get(workload.object.view.get(workload.object.node, 'spec'), 'replicas'));
  return replicas && /^\d+$/.test(replicas.text) ? Number(replicas.text) : 1;
}

/**
 * A Gateway API route rule: `timeouts.request` covers all attempts, `backendRequest` one attempt
 * (facts §6.1), then what an Envoy Gateway BackendTrafficPolicy adds (envoy-gateway.ts).
 */
export function gatewayRouteHop(route: GatewayRouteFacts, rule: GatewayRouteRuleFacts): Hop {
  const timeouts: HopTimeout[] = [];
  const policy = rule.trafficPolicy;
  const request = writtenTimeout(rule.timeouts?.request, 'timeouts.request', 'total', '§6.1');
  const backend = writtenTimeout(rule.timeouts?.backendRequest, 'timeouts.backendRequest', 'total', '§6.1', { perAttempt: true });
  if (request) timeouts.push(request);
  // Envoy AI Gateway sets 60 s when a rule's timeouts.request is unset (envoyproxy/ai-gateway
  // api/v1alpha1/ai_gateway_route.go, AIGatewayRouteRule.Timeouts), not Envoy Gateway's 15 s. Not yet in timeout-facts.md.
  // The HTTPRoute it generates always carries that timeouts.request, so a BackendTrafficPolicy's requestTimeout never applies to it (below).
  else if (route.kind === 'AIGatewayRoute') timeouts.push({ kind: 'total', knob: 'timeouts.request', text: '60s', ms: AI_GATEWAY_DEFAULT_REQUEST_TIMEOUT_MS, source: 'default' });
  // The HTTPRoute's own timeout wins over the policy's: envoyproxy/gateway internal/xds/translator/route.go
  // getEffectiveRequestTimeout ("gateway-api timeout takes precedence"); a backendRequest without a retry
  // is that route timeout too (internal/gatewayapi/route.go processRouteTimeout, facts §6.2).
  else if (!(rule.timeouts?.backendRequest && !rule.retry)) pushPolicyTimeout(timeouts, policy?.requestTimeout, 'spec.timeout.http.requestTimeout', 'total');
  if (backend) timeouts.push(backend);
  const hop: Hop = {
    kind: 'gateway-route',
    label: `${route.kind} ${route.object.namespace}/${route.object.name?.text ?? '?'}`,
    span: rule.span,
    timeouts,
    ref: { kind: 'gateway-route', route, rule },
  };
  const attempts = rule.retry?.attempts?.value;
  if (attempts !== undefined && attempts > 0) {
    hop.attempts = { count: attempts + 1, knob: 'retry.attempts', source: 'set', span: rule.retry!.attempts!.span, factsRef: '§6.1', retriesTimeouts: true };
  } else if (!rule.retry && policy?.retry) {
    // An HTTPRoute retry takes precedence over the policy's (Envoy Gateway docs, task "Retry", v1.3+).
    policyRetry(hop, policy.retry);
  }
  pushPolicyTimeout(timeouts, policy?.connectTimeout, 'spec.timeout.tcp.connectTimeout', 'connect', { perAttempt: true });
  const idle = policy?.connectionIdleTimeout;
  if (idle && idle.value.invalid === undefined) {
    hop.keepAlive = writtenTimeout(idle.value, `${policyLabel(idle.policy)} spec.timeout.http.connectionIdleTimeout`, 'keepalive', '§6.2');
  }
  return hop;
}

/** A policy value the API server accepts (it rejects a policy with an invalid duration, so nothing of it applies). */
function pushPolicyTimeout(timeouts: HopTimeout[], value: PolicyValue<K8sDuration> | undefined, field: string, kind: TimeoutKind, extra: Partial<HopTimeout> = {}): void {
  if (!value || value.value.invalid !== undefined) return;
  const timeout = writtenTimeout(value.value, `${policyLabel(value.policy)} ${field}`, kind, '§6.2', extra);
  if (timeout && !timeout.disabled) timeouts.push(timeout);
}

/**
 * A BackendTrafficPolicy retry: `numRetries` (2 when unset) after the first try, each try bounded by
 * `perRetry.timeout` when set; a timed-out try is retried only with a per-try timeout and a
 * trigger that covers it (envoy-gateway.ts `retriesTimeouts`).
 */
function policyRetry(hop: Hop, value: PolicyValue<BackendTrafficRetryFacts>): void {
  const retry = value.value;
  const label = policyLabel(value.policy);
  if (retry.numRetries && (retry.numRetries.value === undefined || retry.numRetries.invalid !== undefined)) return;
  const retries = retry.numRetries?.value ?? ENVOY_GATEWAY_DEFAULT_RETRIES;
  pushPolicyTimeout(hop.timeouts, retry.perRetryTimeout ? { policy: value.policy, value: retry.perRetryTimeout } : undefined, 'spec.retry.perRetry.timeout', 'total', { perAttempt: true });
  if (retries < 1) return;
  hop.attempts = {
    count: retries + 1,
    knob: `${label} spec.retry.numRetries`,
    source: retry.numRetries ? 'set' : 'default',
    span: retry.numRetries?.span ?? retry.span,
    retriesTimeouts: retriesTimeouts(retry),
  };
}

/** Envoy AI Gateway's request timeout for an AIGatewayRoute rule without one (see gatewayRouteHop). */
const AI_GATEWAY_DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * An InferencePool: the model servers of one base model behind an endpoint picker. It has no
 * timeout of its own (the route in front of it bounds the request); the hop stands for the pool
 * so that the chain reads route → pool → model server, and says the servers answer LLM requests.
 */
export function inferencePoolHop(pool: InferencePoolFacts): Hop {
  return { kind: 'inference-pool', label: `InferencePool ${pool.object.namespace}/${pool.object.name?.text ?? '?'}`, span: pool.object.name?.span ?? pool.object.span, timeouts: [], llm: true, ref: { kind: 'inference-pool', pool } };
}

/** An Envoy AI Gateway AIServiceBackend: an LLM provider the gateway calls (its timeout is the route's). */
export function aiServiceBackendHop(backend: AiServiceBackendFacts): Hop {
  const schema = backend.schema ? ` (${backend.schema.text})` : '';
  return { kind: 'ai-service-backend', label: `AIServiceBackend ${backend.object.namespace}/${backend.object.name?.text ?? '?'}${schema}`, span: backend.object.name?.span ?? backend.object.span, timeouts: [], llm: true, ref: { kind: 'ai-service-backend', backend } };
}

/** An Istio VirtualService http route: `timeout` (none by default) and retries with `perTryTimeout` (facts §5). */
/**
 * The Envoy in front of a VirtualService route's backends pools idle connections to them for the
 * DestinationRule's `connectionPool.http.idleTimeout`, 1 h when no rule sets it (facts §5): the
 * keep-alive a Node server behind it is compared with. One destination only; a rule whose subsets or
 * port-level settings set their own pools leaves it unknown (how they merge is not modelled).
 */
function istioPoolKeepAlive(destinationRules: readonly DestinationRuleFacts[], virtualService: VirtualServiceFacts, route: IstioHttpRouteFacts): HopTimeout | undefined {
  if (route.destinations.length !== 1) return undefined;
  const host = route.destinations[0]!.host;
  if (!host || host.unresolved) return undefined;
  const rule = destinationRuleFor(destinationRules, istioFqdn(host.text, virtualService.object.namespace));
  if (rule?.otherPools.some((p) => p.httpIdleTimeout !== undefined)) return undefined;
  const idle = rule?.httpIdleTimeout ?? { ms: 3_600_000, source: 'default' as const, factsRef: '§5' };
  const timeout = durationTimeout(idle, 'connectionPool.http.idleTimeout', 'keepalive');
  if (timeout && idle.source === 'default') timeout.text = '1h';
  return timeout;
}

/** A service host as Istio reads it, from the VirtualService's namespace: `api` → `api.<ns>.svc.cluster.local`. */
function istioFqdn(host: string, namespace: string): string {
  const lower = host.toLowerCase();
  if (lower.endsWith('.svc.cluster.local') || lower.startsWith('*')) return lower;
  const parts = lower.split('.');
  if (parts.length === 1) return `${lower}.${namespace}.svc.cluster.local`;
  if (parts.length === 2) return `${lower}.svc.cluster.local`;
  if (parts.length === 3 && parts[2] === 'svc') return `${lower}.cluster.local`;
  return lower;
}

/** The DestinationRule for a host: an exact host first, else the longest matching wildcard (`*.ns.svc.cluster.local`, `*`). */
function destinationRuleFor(rules: readonly DestinationRuleFacts[], fqdn: string): DestinationRuleFacts | undefined {
  let best: DestinationRuleFacts | undefined;
  let bestScore = -1;
  for (const rule of rules) {
    if (!rule.host || rule.host.unresolved) continue;
    const ruleHost = istioFqdn(rule.host.text, rule.object.namespace);
    const score = ruleHost === fqdn ? Number.MAX_SAFE_INTEGER : ruleHost === '*' ? 0 : ruleHost.startsWith('*.') && fqdn.endsWith(ruleHost.slice(1)) ? ruleHost.length : -1;
    if (score > bestScore) {
      best = rule;
      bestScore = score;
    }
  }
  return best;
}

export function virtualServiceHop(virtualService: VirtualServiceFacts, route: IstioHttpRouteFacts, destinationRules: readonly DestinationRuleFacts[] = []): Hop {
  const timeouts: HopTimeout[] = [];
  const total = durationTimeout(route.timeout, 'timeout', 'total');
  if (total && !total.disabled) timeouts.push(total);
  const perTry = route.retries.perTryTimeout.source === 'set' ? durationTimeout(route.retries.perTryTimeout, 'retries.perTryTimeout', 'total', { perAttempt: true }) : undefined;
  if (perTry && !perTry.disabled) timeouts.push(perTry);
  const hop: Hop = {
    kind: 'virtual-service',
    label: `VirtualService ${virtualService.object.namespace}/${virtualService.object.name?.text ?? '?'}`,
    span: route.span,
    timeouts,
    ref: { kind: 'virtual-service', virtualService, route },
  };
  const keepAlive = istioPoolKeepAlive(destinationRules, virtualService, route);
  if (keepAlive && !keepAlive.disabled) hop.keepAlive = keepAlive;
  const attempts = route.retries.attempts.value;
  if (attempts !== undefined && attempts > 0) {
    // Istio's default retryOn covers connect failures and refused streams, not timeouts (facts §5, §14).
    const retryOn = route.retries.retryOn.text;
    const retriesTimeouts = perTry !== undefined && /5xx|gateway-error|reset/.test(retryOn);
    hop.attempts = { count: attempts + 1, knob: 'retries.attempts', source: route.retries.attempts.source, factsRef: route.retries.attempts.factsRef, retriesTimeouts, ...(route.retries.attempts.written ? { span: route.retries.attempts.written.span } : {}) };
  }
  return hop;
}

/** A Knative Service: `timeoutSeconds` (300 s default) bounds every request (facts §10). */
export function knativeHop(service: KnativeServiceFacts): Hop {
  const timeouts = [durationTimeout(service.timeout, 'timeoutSeconds', 'total'), durationTimeout(service.responseStartTimeout, 'responseStartTimeoutSeconds', 'time-to-headers')]
    .filter((t): t is HopTimeout => t !== undefined && !t.disabled && (t.source === 'set' || t.knob === 'timeoutSeconds'));
  return {
    kind: 'knative-service',
    label: `Knative Service ${service.object.namespace}/${service.object.name?.text ?? '?'}`,
    span: service.object.name?.span ?? service.object.span,
    timeouts,
    ref: { kind: 'knative', service },
  };
}

export function k8sServiceHop(service: ServiceFacts): Hop {
  return {
    kind: 'k8s-service',
    label: `Service ${service.object.namespace}/${service.object.name?.text ?? '?'}`,
    span: service.object.name?.span ?? service.object.span,
    timeouts: [],
    ref: { kind: 'k8s-service', service },
  };
}

export function workloadHop(workload: WorkloadFacts, container: ContainerFacts | undefined): Hop {
  const name = workload.object.name?.text ?? '?';
  return {
    kind: 'workload',
    label: `${workload.kind} ${workload.object.namespace}/${name}${container?.name && container.name.text !== name ? ` (container ${container.name.text})` : ''}`,
    span: container?.name?.span ?? workload.object.name?.span ?? workload.object.span,
    timeouts: [],
    ref: { kind: 'workload', workload, ...(container ? { container } : {}) },
  };
}

/**
 * The hop of a workload that runs the ingress-nginx controller, when this one does: traffic that
 * reaches the controller's pods directly (a NodePort Service in front of it, a load balancer on the
 * nodes) is proxied with the controller's settings (facts §2.1): the ConfigMap its container names
 * with `--configmap`, else the built-in defaults. Its timers are unknown when that ConfigMap is not
 * among the manifests (or the flag's value cannot be read), and when some ingress-nginx Ingress sets
 * its own `proxy-read-timeout` or `proxy-connect-timeout` by annotation: each request then waits as
 * long as the Ingress it matches says. Undefined for any other workload.
 */
export function ingressControllerHop(k8s: K8sModel, workload: WorkloadFacts, container: ContainerFacts | undefined): Hop | undefined {
  const image = container?.image;
  if (!container || !image || image.unresolved || !isIngressNginxControllerImage(image.text)) return undefined;
  const hop = workloadHop(workload, container);
  const name = workload.object.name?.text ?? '?';
  hop.label = `${workload.kind} ${workload.object.namespace}/${name} (ingress-nginx controller${container.name && container.name.text !== name ? `, container ${container.name.text}` : ''})`;
  hop.ref = { kind: 'workload', workload, container, ingressController: true };
  const flag = [...container.command, ...container.args].find((word) => CONFIGMAP_FLAG.test(word.text.trim()));
  const named = ingressNginxConfigMapArgs(workload).filter((arg) => arg.container === container).at(-1);
  let configMap: ConfigMapFacts | undefined;
  if (flag) {
    configMap = named && k8s.configMaps.find((c) => c.object.name !== undefined && !c.object.name.unresolved && c.object.name.text === named.name && c.object.namespace === named.namespace);
    if (!configMap) {
      hop.timeoutsUnknown = { text: named ? `its --configmap names ConfigMap ${named.namespace}/${named.name}, which is not among the manifests` : 'its --configmap value cannot be read here', span: named?.span ?? flag.span };
      return hop;
    }
  }
  const overriding = k8s.ingresses.find((ingress) => ingress.controller === 'ingress-nginx' && ingress.ingressNginx && (['proxy-read-timeout', 'proxy-connect-timeout'] as const).some((knob) => ingress.ingressNginx![knob].source.kind === 'annotation'));
  if (overriding) {
    hop.timeoutsUnknown = { text: `each Ingress it serves may set its own timeouts, and Ingress ${overriding.object.namespace}/${overriding.object.name?.text ?? '?'} does`, span: overriding.object.name?.span ?? overriding.object.span };
    return hop;
  }
  const settings = ingressNginxSettings([], configMap);
  const prefix = k8s.ingressNginxAnnotationPrefix;
  // Its buffering setting is left out: the Ingress path hops read it per path.
  hop.timeouts.push(ingressNginxTimeout(settings['proxy-read-timeout'], prefix, 'idle'), ingressNginxTimeout(settings['proxy-connect-timeout'], prefix, 'connect'));
  return hop;
}


/** The first non-init container, or the one whose ports include `port` (number or name). */
export function containerFor(workload: WorkloadFacts, port: { number?: number; name?: string } | undefined): ContainerFacts | undefined {
  const containers = workload.containers.filter((c) => !c.init);
  if (port) {
    const byPort = containers.find((c) => c.ports.some((p) => (port.number !== undefined && p.containerPort?.value === port.number) || (port.name !== undefined && p.name?.text === port.name)));
    if (byPort) return byPort;
  }
  return containers[0];
}
