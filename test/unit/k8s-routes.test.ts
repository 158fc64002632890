// Tests for mesh and route facts (Istio, Gateway API, Contour, Knative), the flat timeout list, and the look-alikes that are not timeouts.
import { describe, expect, it } from 'vitest';
import { parseK8sText } from '../../server/src/engine/inputs/k8s/file.js';
import { buildK8sModel, type K8sModel } from '../../server/src/engine/inputs/k8s/model.js';
import type { Span } from '../../server/src/engine/types.js';

function build(files: Record<string, string>): { model: K8sModel; at: (span: Span | undefined) => string } {
  const model = buildK8sModel(Object.entries(files).map(([file, text]) => parseK8sText(file, text)), { ingressNginxAnnotationPrefix: 'nginx.ingress.kubernetes.io' });
  return { model, at: (span) => (span ? files[span.file]!.slice(span.start, span.end) : '<none>') };
}

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: {name: llm, namespace: ai}\nspec:\n  selector: {app: llm}\n  ports: [{port: 8080}]\n';

const VIRTUAL_SERVICE = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: llm, namespace: ai}
spec:
  hosts: [llm.example.com]
  gateways: [istio-system/public]
  http:
    - name: chat
      match:
        - uri: {prefix: /v1/chat}
      route:
        - destination: {host: llm.ai.svc.cluster.local, port: {number: 8080}}
      timeout: 30s
      retries: {attempts: 3, retryOn: 5xx}
    - match:
        - uri: {exact: /health}
      route:
        - destination: {host: llm}
      retries: {perTryTimeout: 2s}
    - route:
        - destination: {host: other}
      fault:
        delay: {fixedDelay: 7s, percentage: {value: 10}}
`;

describe('Istio', () => {
  it('reads matches, destinations, timeouts and retries with the mesh defaults', () => {
    const { model, at } = build({ 'vs.yaml': VIRTUAL_SERVICE, 'svc.yaml': SERVICE });
    const [vs] = model.virtualServices;
    expect(vs!.hosts.map((h) => h.text)).toEqual(['llm.example.com']);
    expect(vs!.gateways.map((g) => g.text)).toEqual(['istio-system/public']);
    const rows = vs!.http.map((r) => [
      r.matches[0]?.uri?.kind ?? null, r.matches[0]?.uri?.value.text ?? null, r.destinations[0]?.service?.object.name?.text ?? null,
      r.timeout.ms ?? null, r.timeout.disabled ?? false,
      r.retries.attempts.value, r.retries.attempts.source, r.retries.perTryTimeout.ms ?? null, r.retries.retryOn.text, r.hasFault,
    ]);
    expect(rows).toEqual([
      ['prefix', '/v1/chat', 'llm', 30_000, false, 3, 'set', 30_000, '5xx', false],
      ['exact', '/health', 'llm', null, true, 0, 'default', 2000, 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes', false],
      [null, null, null, null, true, 2, 'default', null, 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes', true],
    ]);
    expect(vs!.http[0]!.retries.perTryTimeout.source).toBe('default');
    expect(vs!.http[2]!.retries.perTryTimeout.disabled).toBe(true);
    expect(at(vs!.http[0]!.timeout.written!.span)).toBe('30s');
  });

  it('reads DestinationRule connection-pool timeouts with Istio defaults', () => {
    const text = `apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: {name: llm}
spec:
  host: llm
  trafficPolicy:
    connectionPool:
      tcp: {connectTimeout: 2s}
      http: {idleTimeout: 90s, maxRetries: 4}
  subsets:
    - name: v2
      trafficPolicy:
        connectionPool:
          tcp: {connectTimeout: 500ms}
`;
    const { model, at } = build({ 'dr.yaml': text });
    const [dr] = model.destinationRules;
    expect([dr!.connectTimeout.ms, dr!.connectTimeout.source, dr!.tcpIdleTimeout.ms, dr!.tcpIdleTimeout.source, dr!.httpIdleTimeout.ms]).toEqual([2000, 'set', 3_600_000, 'default', 90_000]);
    expect(dr!.pool?.maxRetries?.value).toBe(4);
    expect(dr!.otherPools.map((p) => [p.scope, p.connectTimeout?.ms, at(p.connectTimeout?.span)])).toEqual([['subset v2', 500, '500ms']]);
    const defaults = build({ 'dr.yaml': 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: x}\nspec: {host: x}\n' }).model.destinationRules[0]!;
    expect([defaults.connectTimeout.ms, defaults.connectTimeout.source]).toEqual([10_000, 'default']);
  });
});

describe('Gateway API', () => {
  it('reads HTTPRoute hostnames, parents, matches, backends and GEP-2257 timeouts', () => {
    const text = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: llm, namespace: ai}
spec:
  parentRefs: [{name: public, namespace: gw, sectionName: https}]
  hostnames: [llm.example.com]
  rules:
    - matches:
        - path: {type: PathPrefix, value: /v1/chat}
      backendRefs: [{name: llm, port: 8080}]
      timeouts: {request: 1.5s, backendRequest: 10s}
      retry: {attempts: 2, codes: [503], backoff: 100ms}
    - backendRefs: [{name: llm, port: 8080}]
`;
    const { model, at } = build({ 'r.yaml': text, 'svc.yaml': SERVICE });
    const [route] = model.gatewayRoutes;
    expect(route!.hostnames.map((h) => h.text)).toEqual(['llm.example.com']);
    expect(route!.parentRefs.map((p) => [p.name?.text, p.namespace?.text, p.sectionName?.text])).toEqual([['public', 'gw', 'https']]);
    const [first, second] = route!.rules;
    expect(first!.matches[0]!.path?.value?.text).toBe('/v1/chat');
    expect(first!.backendRefs[0]!.service?.object.name?.text).toBe('llm');
    expect([first!.timeouts!.request!.invalid, at(first!.timeouts!.request!.span), first!.timeouts!.backendRequest!.ms]).toEqual(['fraction', '1.5s', 10_000]);
    expect([first!.retry!.attempts?.value, first!.retry!.codes.map((c) => c.value), first!.retry!.backoff?.ms]).toEqual([2, [503], 100]);
    expect(second!.timeouts).toBeUndefined();
  });

  it('does not read timeouts of a GRPCRoute, which has no such field', () => {
    const text = `apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: g}
spec:
  rules:
    - matches: [{method: {service: llm.Chat, method: Stream}}]
      backendRefs: [{name: llm, port: 9000}]
      timeouts: {request: 10s}
`;
    const { model, at } = build({ 'g.yaml': text });
    const rule = model.gatewayRoutes[0]!.rules[0]!;
    expect([model.gatewayRoutes[0]!.kind, rule.matches[0]!.grpcService?.text, rule.matches[0]!.grpcMethod?.text, rule.timeouts]).toEqual(['GRPCRoute', 'llm.Chat', 'Stream', undefined]);
    expect(at(rule.unsupportedTimeoutsSpan)).toBe('{request: 10s}');
    expect(model.timeouts).toEqual([]);
  });
});

describe('Contour and Knative', () => {
  it('reads HTTPProxy timeout and retry policies with the Envoy default', () => {
    const text = `apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: llm}
spec:
  virtualhost: {fqdn: llm.example.com}
  routes:
    - conditions: [{prefix: /v1}]
      services: [{name: llm, port: 8080}]
      timeoutPolicy: {response: infinity, idle: 5m}
      retryPolicy: {perTryTimeout: 10s}
    - services: [{name: llm, port: 8080}]
      timeoutPolicy: {response: 0s}
`;
    const { model } = build({ 'p.yaml': text });
    const [proxy] = model.httpProxies;
    expect(proxy!.fqdn?.text).toBe('llm.example.com');
    const [first, second] = proxy!.routes;
    expect([first!.conditions[0]!.prefix?.text, first!.response.disabled, first!.idle.ms, first!.idleConnection.ms, first!.retry?.count.value, first!.retry?.perTryTimeout?.ms]).toEqual(['/v1', true, 300_000, 3_600_000, 1, 10_000]);
    expect([second!.response.ms, second!.response.source, second!.response.written?.text]).toEqual([15_000, 'set', '0s']);
  });

  it('reads the Knative timeoutSeconds with its 300 s default and 600 s default maximum', () => {
    const ksvc = (spec: string): string => `apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: llm}\nspec:\n  template:\n    spec:\n${spec}      containers: [{image: llm:1}]\n`;
    const absent = build({ 'k.yaml': ksvc('') }).model.knativeServices[0]!;
    expect([absent.timeout.ms, absent.timeout.source, absent.responseStartTimeout.ms, absent.idleTimeout.disabled, absent.aboveDefaultMax]).toEqual([300_000, 'default', 300_000, true, false]);
    const long = build({ 'k.yaml': ksvc('      timeoutSeconds: 900\n') }).model;
    expect([long.knativeServices[0]!.timeout.ms, long.knativeServices[0]!.aboveDefaultMax, long.knativeServices[0]!.containers[0]!.image?.text]).toEqual([900_000, true, 'llm:1']);
    expect(long.services).toEqual([]);
  });
});

describe('look-alikes that are not timeouts', () => {
  const traps = `apiVersion: v1
kind: Service
metadata: {name: sticky}
spec:
  selector: {app: web}
  sessionAffinity: ClientIP
  sessionAffinityConfig:
    clientIP: {timeoutSeconds: 10800}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: sticky
  annotations:
    nginx.ingress.kubernetes.io/affinity: cookie
    nginx.ingress.kubernetes.io/session-cookie-expires: "172800"
    nginx.ingress.kubernetes.io/session-cookie-max-age: "172800"
spec:
  ingressClassName: nginx
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 60
      containers:
        - name: web
          readinessProbe: {httpGet: {path: /, port: 80}, timeoutSeconds: 30, periodSeconds: 10}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: [web]
  http:
    - route: [{destination: {host: web}}]
      fault:
        delay: {fixedDelay: 70s, percentage: {value: 100}}
`;

  it('produces no timeout facts for probe, session-affinity, cookie and fault-delay values', () => {
    const { model } = build({ 'traps.yaml': traps });
    expect(model.problems).toEqual([]);
    expect(model.timeouts).toEqual([]);
    expect(model.ingresses[0]!.timeoutAnnotations).toEqual([]);
    expect(model.services[0]!.timeoutAnnotations).toEqual([]);
    // The values stay available as what they are: a probe fact and an Ingress with default timeouts.
    expect(model.workloads[0]!.containers[0]!.probes[0]!.timeout.ms).toBe(30_000);
    expect(model.ingresses[0]!.ingressNginx!['proxy-read-timeout'].source.kind).toBe('default');
    expect(model.virtualServices[0]!.http[0]).toMatchObject({ hasFault: true, timeout: { disabled: true } });
  });
});

describe('timeout list', () => {
  it('lists every written request-path timeout with its kind and knob', () => {
    const ingress = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  annotations:\n    nginx.ingress.kubernetes.io/proxy-read-timeout: "300s"\n    nginx.ingress.kubernetes.io/proxy-connect-timeout: "10"\nspec: {}\n';
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ingress-nginx-controller}\ndata:\n  upstream-keepalive-timeout: "60"\n';
    const { model, at } = build({ 'i.yaml': ingress, 'cm.yaml': cm, 'vs.yaml': VIRTUAL_SERVICE });
    expect(model.timeouts.map((t) => [t.object.kind, t.knob, t.kind, t.perAttempt, at(t.duration.span), t.duration.ms ?? t.duration.invalid])).toEqual([
      ['Ingress', 'nginx.ingress.kubernetes.io/proxy-read-timeout', 'idle', false, '"300s"', 'unit-not-allowed'],
      ['Ingress', 'nginx.ingress.kubernetes.io/proxy-connect-timeout', 'connect', false, '"10"', 10_000],
      ['ConfigMap', 'data.upstream-keepalive-timeout', 'keepalive', false, '"60"', 60_000],
      ['VirtualService', 'spec.http[0].timeout', 'total', false, '30s', 30_000],
      ['VirtualService', 'spec.http[1].retries.perTryTimeout', 'total', true, '2s', 2000],
    ]);
  });
});
