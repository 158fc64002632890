// The flat list of request-path timeouts written in manifests, so rules can find every "hop" budget without knowing each resource.
import type { K8sObject } from './file.js';
import type { TimeoutKind } from '../../timeout-kind.js';
import type { TimeoutAnnotation } from './annotations.js';
import type { IngressFacts } from './ingress.js';
import type { IngressNginxControllerConfig } from './ingress-nginx.js';
import type { DestinationRuleFacts, VirtualServiceFacts } from './istio.js';
import type { GatewayRouteFacts, HttpProxyFacts, KnativeServiceFacts } from './routes.js';
import type { BackendConfigFacts, ServiceFacts } from './services.js';
import type { BackendTrafficPolicyFacts } from './envoy-gateway.js';
import { durationFromScalar, type EffectiveDuration, type K8sDuration } from './values.js';

/**
 * A timeout written in a manifest that bounds a request or a connection on the request path.
 * Probe timeouts, grace periods, preStop sleeps, session-affinity and cookie lifetimes and Istio
 * fault delays are not request timeouts and never appear here.
 */
export interface K8sTimeoutFact {
  object: K8sObject;
  /** Where it is written: an annotation key, a ConfigMap key, or a field path such as `spec.http[0].timeout`. */
  knob: string;
  /** The kind of timeout (facts §0); absent when the knob is timeout-like but its kind is not known. */
  kind?: TimeoutKind;
  /** True when it bounds one attempt of several (per-try timeouts). */
  perAttempt: boolean;
  duration: K8sDuration;
  factsRef: string;
}

export interface TimeoutSources {
  ingresses: readonly IngressFacts[];
  services: readonly ServiceFacts[];
  controllerConfigs: readonly IngressNginxControllerConfig[];
  backendConfigs: readonly BackendConfigFacts[];
  virtualServices: readonly VirtualServiceFacts[];
  destinationRules: readonly DestinationRuleFacts[];
  gatewayRoutes: readonly GatewayRouteFacts[];
  httpProxies: readonly HttpProxyFacts[];
  knativeServices: readonly KnativeServiceFacts[];
  backendTrafficPolicies?: readonly BackendTrafficPolicyFacts[];
}

// ingress-nginx ConfigMap keys that are timeouts (facts §2.3), with their kind (facts §0).
const CONFIGMAP_TIMEOUT_KEYS: ReadonlyMap<string, TimeoutKind> = new Map<string, TimeoutKind>([
  ['proxy-connect-timeout', 'connect'],
  ['proxy-read-timeout', 'idle'],
  ['proxy-send-timeout', 'idle'],
  ['proxy-next-upstream-timeout', 'total'],
  ['client-header-timeout', 'request-receive'],
  ['client-body-timeout', 'idle'],
  ['keep-alive', 'keepalive'],
  ['upstream-keepalive-timeout', 'keepalive'],
]);

/** Collects every written request-path timeout of the model. */
export function collectTimeoutFacts(sources: TimeoutSources): K8sTimeoutFact[] {
  const out: K8sTimeoutFact[] = [];
  const push = (object: K8sObject, knob: string, kind: TimeoutKind | undefined, duration: K8sDuration | undefined, factsRef: string, perAttempt = false): void => {
    if (!duration) return;
    const fact: K8sTimeoutFact = { object, knob, perAttempt, duration, factsRef };
    if (kind) fact.kind = kind;
    out.push(fact);
  };
  const written = (value: EffectiveDuration): K8sDuration | undefined => value.written;
  const annotations = (object: K8sObject, list: readonly TimeoutAnnotation[]): void => {
    for (const item of list) {
      if (!item.duration || !item.timeoutKind) continue;
      const knob = item.vendor === 'aws' && item.knob !== item.annotation.key.slice(item.annotation.key.indexOf('/') + 1) ? `${item.annotation.key} ${item.knob}` : item.annotation.key;
      push(object, knob, item.timeoutKind, item.duration, item.factsRef);
    }
  };
  for (const ingress of sources.ingresses) annotations(ingress.object, ingress.timeoutAnnotations);
  for (const service of sources.services) annotations(service.object, service.timeoutAnnotations);
  for (const { configMap } of sources.controllerConfigs) {
    for (const [key, kind] of CONFIGMAP_TIMEOUT_KEYS) {
      const entry = configMap.data.get(key);
      if (entry?.value) push(configMap.object, `data.${key}`, kind, durationFromScalar({ ...entry.value, yamlType: 'string' }, 'ingress-nginx-seconds'), '§2.3');
    }
  }
  for (const backendConfig of sources.backendConfigs) push(backendConfig.object, 'spec.timeoutSec', 'total', written(backendConfig.timeout), '§9');
  for (const vs of sources.virtualServices) {
    vs.http.forEach((route, i) => {
      push(vs.object, `spec.http[${i}].timeout`, 'total', written(route.timeout), '§5');
      push(vs.object, `spec.http[${i}].retries.perTryTimeout`, 'total', written(route.retries.perTryTimeout), '§5', true);
    });
  }
  for (const dr of sources.destinationRules) {
    push(dr.object, 'spec.trafficPolicy.connectionPool.tcp.connectTimeout', 'connect', written(dr.connectTimeout), '§5');
    push(dr.object, 'spec.trafficPolicy.connectionPool.tcp.idleTimeout', 'keepalive', written(dr.tcpIdleTimeout), '§5');
    push(dr.object, 'spec.trafficPolicy.connectionPool.http.idleTimeout', 'keepalive', written(dr.httpIdleTimeout), '§5');
  }
  for (const route of sources.gatewayRoutes) {
    route.rules.forEach((rule, i) => {
      push(route.object, `spec.rules[${i}].timeouts.request`, 'total', rule.timeouts?.request, '§6.1');
      push(route.object, `spec.rules[${i}].timeouts.backendRequest`, 'total', rule.timeouts?.backendRequest, '§6.1', true);
    });
  }
  for (const proxy of sources.httpProxies) {
    proxy.routes.forEach((route, i) => {
      push(proxy.object, `spec.routes[${i}].timeoutPolicy.response`, 'total', written(route.response), '§6.3');
      push(proxy.object, `spec.routes[${i}].timeoutPolicy.idle`, 'idle', written(route.idle), '§6.3');
      push(proxy.object, `spec.routes[${i}].timeoutPolicy.idleConnection`, 'keepalive', written(route.idleConnection), '§6.3');
      push(proxy.object, `spec.routes[${i}].retryPolicy.perTryTimeout`, 'total', route.retry?.perTryTimeout, '§6.3', true);
    });
  }
  for (const policy of sources.backendTrafficPolicies ?? []) {
    push(policy.object, 'spec.timeout.http.requestTimeout', 'total', policy.requestTimeout, '§6.2');
    push(policy.object, 'spec.timeout.http.connectionIdleTimeout', 'keepalive', policy.connectionIdleTimeout, '§6.2');
    push(policy.object, 'spec.timeout.tcp.connectTimeout', 'connect', policy.connectTimeout, '§6.2');
    push(policy.object, 'spec.retry.perRetry.timeout', 'total', policy.retry?.perRetryTimeout, '§6.2', true);
  }
  for (const knative of sources.knativeServices) {
    push(knative.object, 'spec.template.spec.timeoutSeconds', 'total', written(knative.timeout), '§10');
    push(knative.object, 'spec.template.spec.responseStartTimeoutSeconds', 'time-to-headers', written(knative.responseStartTimeout), '§10');
    push(knative.object, 'spec.template.spec.idleTimeoutSeconds', 'idle', written(knative.idleTimeout), '§10');
  }
  return out;
}
