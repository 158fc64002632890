// Envoy Gateway BackendTrafficPolicy: what is read from it, which route rules it reaches (rule over route over Gateway, mergeType), and what the route hop gets (the HTTPRoute's own timeout and retry win).
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { gatewayRouteHop } from '../../server/src/engine/inputs/k8s/hops.js';
import type { GatewayRouteFacts, K8sModel } from '../../server/src/engine/inputs/k8s/model.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { timeoutHoverAt } from '../../server/src/lsp/chain-view.js';

function k8sModel(text: string): K8sModel {
  const fs = new MemoryFs({ 'k8s/gw.yaml': text });
  const capture = createModelCapture();
  lint({ fs, files: fs.list(), config: defaultConfig(allRules), rules: [...allRules, capture.rule], toolVersion: 'test' });
  return capture.model()!.k8s;
}

const route = (name: string, extra = '', kind = 'HTTPRoute', apiVersion = 'gateway.networking.k8s.io/v1') => [
  `apiVersion: ${apiVersion}`,
  `kind: ${kind}`,
  `metadata: { name: ${name}, namespace: apps }`,
  'spec:',
  '  parentRefs: [{ name: public }]',
  '  rules:',
  `    - backendRefs: [{ name: ${name}, port: 80 }]`,
  ...(extra ? [extra] : []),
].join('\n');

const policy = (name: string, targets: string, body: string) => [
  'apiVersion: gateway.envoyproxy.io/v1alpha1',
  'kind: BackendTrafficPolicy',
  `metadata: { name: ${name}, namespace: apps }`,
  'spec:',
  `  targetRefs: ${targets}`,
  body,
].join('\n');

const routeOf = (k8s: K8sModel, name: string): GatewayRouteFacts => k8s.gatewayRoutes.find((r) => r.object.name?.text === name)!;

describe('reading a BackendTrafficPolicy', () => {
  const k8s = k8sModel(policy('full', '[{ group: gateway.networking.k8s.io, kind: HTTPRoute, name: chat }]', [
    '  timeout:',
    '    tcp: { connectTimeout: 5s }',
    '    http: { requestTimeout: 1m30s, connectionIdleTimeout: "1.5h" }',
    '  retry:',
    '    numRetries: 4',
    '    retryOn: { triggers: [5xx, reset], httpStatusCodes: [503] }',
    '    perRetry: { timeout: 20s, backOff: { baseInterval: 100ms, maxInterval: 2s } }',
  ].join('\n')));
  const read = k8s.backendTrafficPolicies[0]!;

  it('reads targets, timeouts and the retry policy with their values', () => {
    expect(read.targets.map((t) => [t.kind?.text, t.name?.text])).toEqual([['HTTPRoute', 'chat']]);
    expect(read.requestTimeout).toMatchObject({ text: '1m30s', ms: 90_000 });
    expect(read.connectTimeout).toMatchObject({ text: '5s', ms: 5_000 });
    expect(read.retry?.numRetries?.value).toBe(4);
    expect(read.retry?.perRetryTimeout?.ms).toBe(20_000);
    expect(read.retry?.backoffBase?.ms).toBe(100);
    expect(read.retry?.backoffMax?.ms).toBe(2_000);
    expect(read.retry?.triggers?.values.map((t) => t.text)).toEqual(['5xx', 'reset']);
  });

  it('reads durations as Gateway API durations: 1.5h is rejected, with no value', () => {
    expect(read.connectionIdleTimeout).toMatchObject({ text: '1.5h', invalid: 'fraction' });
    expect(read.connectionIdleTimeout?.ms).toBeUndefined();
  });

  it('lists the policy timeouts among the model\'s written timeouts', () => {
    expect(k8s.timeouts.filter((t) => t.object === read.object).map((t) => [t.knob, t.kind, t.perAttempt])).toEqual([
      ['spec.timeout.http.requestTimeout', 'total', false],
      ['spec.timeout.http.connectionIdleTimeout', 'keepalive', false],
      ['spec.timeout.tcp.connectTimeout', 'connect', false],
      ['spec.retry.perRetry.timeout', 'total', true],
    ]);
  });

  it('reads the older single targetRef, and no policy of another API group', () => {
    const single = k8sModel([
      'apiVersion: gateway.envoyproxy.io/v1alpha1',
      'kind: BackendTrafficPolicy',
      'metadata: { name: old, namespace: apps }',
      'spec:',
      '  targetRef: { group: gateway.networking.k8s.io, kind: Gateway, name: public }',
      '  timeout: { http: { requestTimeout: 45s } }',
      '---',
      'apiVersion: gateway.networking.k8s.io/v1alpha2',
      'kind: BackendTrafficPolicy',
      'metadata: { name: budget, namespace: apps }',
      'spec: { targetRefs: [{ group: "", kind: Service, name: chat }] }',
    ].join('\n'));
    expect(single.backendTrafficPolicies.map((p) => [p.object.name?.text, p.targets.map((t) => t.name?.text)])).toEqual([['old', ['public']]]);
  });
});

describe('which policy a route rule gets', () => {
  const gatewayPolicy = policy('gateway', '[{ group: gateway.networking.k8s.io, kind: Gateway, name: public }]', '  timeout: { http: { requestTimeout: 20s }, tcp: { connectTimeout: 3s } }');
  const cases: Array<{ name: string; docs: string[]; route: string; request?: string; connect?: string }> = [
    { name: 'a Gateway policy reaches every route attached to the Gateway', docs: [route('chat'), gatewayPolicy], route: 'chat', request: 'gateway', connect: 'gateway' },
    {
      name: 'a route policy replaces the Gateway policy as a whole',
      docs: [route('chat'), gatewayPolicy, policy('route', '[{ kind: HTTPRoute, name: chat }]', '  timeout: { http: { requestTimeout: 5m } }')],
      route: 'chat', request: 'route',
    },
    {
      name: 'with mergeType the route policy fills its gaps from the Gateway policy',
      docs: [route('chat'), gatewayPolicy, policy('route', '[{ kind: HTTPRoute, name: chat }]', '  mergeType: StrategicMerge\n  timeout: { http: { requestTimeout: 5m } }')],
      route: 'chat', request: 'route', connect: 'gateway',
    },
    {
      name: 'a policy targeting a rule by sectionName wins over the route policy for that rule',
      docs: [route('chat', '      name: stream'), policy('route', '[{ kind: HTTPRoute, name: chat }]', '  timeout: { http: { requestTimeout: 30s } }'), policy('rule', '[{ kind: HTTPRoute, name: chat, sectionName: stream }]', '  timeout: { http: { requestTimeout: 10m } }')],
      route: 'chat', request: 'rule',
    },
    { name: 'a Gateway of the same name in another namespace is not this one', docs: [route('chat').replace('parentRefs: [{ name: public }]', 'parentRefs: [{ name: public, namespace: edge }]'), gatewayPolicy], route: 'chat' },
    { name: 'a route target names a route in the policy\'s own namespace only', docs: [route('chat'), policy('other', '[{ kind: HTTPRoute, name: chat }]', '  timeout: { http: { requestTimeout: 5m } }').replace('namespace: apps', 'namespace: edge')], route: 'chat' },
    {
      name: 'a HTTPRoute target reaches the AIGatewayRoute of that name (Envoy AI Gateway generates it)',
      docs: [route('llm', '', 'AIGatewayRoute', 'aigateway.envoyproxy.io/v1alpha1'), policy('ai', '[{ kind: HTTPRoute, name: llm }]', '  timeout: { tcp: { connectTimeout: 2s } }')],
      route: 'llm', connect: 'ai',
    },
    { name: 'a GRPCRoute target does not reach the HTTPRoute of that name', docs: [route('chat'), policy('grpc', '[{ kind: GRPCRoute, name: chat }]', '  timeout: { http: { requestTimeout: 5m } }')], route: 'chat' },
  ];
  it.each(cases)('$name', ({ docs, route: name, request, connect }) => {
    const rule = routeOf(k8sModel(docs.join('\n---\n')), name).rules[0]!;
    expect(rule.trafficPolicy?.requestTimeout?.policy.object.name?.text).toBe(request);
    expect(rule.trafficPolicy?.connectTimeout?.policy.object.name?.text).toBe(connect);
  });
});

describe('the route hop with a policy', () => {
  const hopOf = (docs: string[], name = 'chat') => {
    const r = routeOf(k8sModel(docs.join('\n---\n')), name);
    return gatewayRouteHop(r, r.rules[0]!);
  };
  const onChat = (body: string) => policy('p', '[{ group: gateway.networking.k8s.io, kind: HTTPRoute, name: chat }]', body);

  it('takes the policy requestTimeout as the route timeout, with the policy as its knob and span', () => {
    const hop = hopOf([route('chat'), onChat('  timeout: { http: { requestTimeout: 30s } }')]);
    expect(hop.timeouts).toEqual([expect.objectContaining({ kind: 'total', ms: 30_000, source: 'set', knob: 'BackendTrafficPolicy apps/p spec.timeout.http.requestTimeout', factsRef: '§6.2' })]);
    expect(hop.timeouts[0]!.span).toBeDefined();
  });

  it('keeps the HTTPRoute timeouts.request over the policy (gateway-api timeout takes precedence)', () => {
    const hop = hopOf([route('chat', '      timeouts: { request: 4m }'), onChat('  timeout: { http: { requestTimeout: 30s } }')]);
    expect(hop.timeouts.map((t) => [t.knob, t.ms])).toEqual([['timeouts.request', 240_000]]);
  });

  it('keeps a backendRequest without retry as the route timeout over the policy', () => {
    const hop = hopOf([route('chat', '      timeouts: { backendRequest: 90s }'), onChat('  timeout: { http: { requestTimeout: 30s } }')]);
    expect(hop.timeouts.map((t) => [t.knob, t.ms])).toEqual([['timeouts.backendRequest', 90_000]]);
  });

  it('keeps the implicit 60 s of an AIGatewayRoute rule: the generated HTTPRoute always sets timeouts.request', () => {
    const hop = hopOf([route('chat', '', 'AIGatewayRoute', 'aigateway.envoyproxy.io/v1alpha1'), onChat('  timeout: { http: { requestTimeout: 10m } }')]);
    expect(hop.timeouts.map((t) => [t.knob, t.ms, t.source])).toEqual([['timeouts.request', 60_000, 'default']]);
  });

  it('applies nothing of a policy the API server rejects (one invalid duration refuses the whole object)', () => {
    expect(hopOf([route('chat'), onChat('  timeout: { http: { requestTimeout: "1.5s" } }')]).timeouts).toEqual([]);
    const hop = hopOf([route('chat'), onChat('  timeout: { http: { requestTimeout: 30s }, tcp: { connectTimeout: 5 } }\n  retry: { numRetries: 2 }')]);
    expect(hop.timeouts).toEqual([]);
    expect(hop.attempts).toBeUndefined();
  });

  it('carries policy retries as attempts: numRetries + 1, 2 retries when unset', () => {
    expect(hopOf([route('chat'), onChat('  retry: { numRetries: 4 }')]).attempts).toMatchObject({ count: 5, source: 'set', knob: 'BackendTrafficPolicy apps/p spec.retry.numRetries', retriesTimeouts: false });
    expect(hopOf([route('chat'), onChat('  retry: { perRetry: { timeout: 5s } }')]).attempts).toMatchObject({ count: 3, source: 'default' });
  });

  it('retries timed-out tries only with a per-try timeout and a trigger that covers it', () => {
    const hop = hopOf([route('chat'), onChat('  retry: { numRetries: 2, retryOn: { triggers: [gateway-error] }, perRetry: { timeout: 5s } }')]);
    expect(hop.attempts?.retriesTimeouts).toBe(true);
    expect(hop.timeouts).toContainEqual(expect.objectContaining({ knob: 'BackendTrafficPolicy apps/p spec.retry.perRetry.timeout', ms: 5_000, perAttempt: true }));
    const defaults = hopOf([route('chat'), onChat('  retry: { numRetries: 2, perRetry: { timeout: 5s } }')]);
    expect(defaults.attempts?.retriesTimeouts).toBe(false);
  });

  it('keeps the HTTPRoute retry over the policy retry', () => {
    const hop = hopOf([route('chat', '      retry: { attempts: 1 }'), onChat('  retry: { numRetries: 5 }')]);
    expect(hop.attempts).toMatchObject({ count: 2, knob: 'retry.attempts' });
  });

  it('adds the connect timeout per attempt and the connection idle timeout as the keep-alive', () => {
    const hop = hopOf([route('chat'), onChat('  timeout: { tcp: { connectTimeout: 3s }, http: { connectionIdleTimeout: 10m } }')]);
    expect(hop.timeouts).toEqual([expect.objectContaining({ kind: 'connect', ms: 3_000, perAttempt: true })]);
    expect(hop.keepAlive).toMatchObject({ kind: 'keepalive', ms: 600_000, source: 'set', knob: 'BackendTrafficPolicy apps/p spec.timeout.http.connectionIdleTimeout' });
  });
});

describe('hover on a policy value', () => {
  it('explains the requestTimeout and numRetries of a BackendTrafficPolicy as values of the route hop', () => {
    const text = [route('chat'), policy('p', '[{ group: gateway.networking.k8s.io, kind: HTTPRoute, name: chat }]', '  timeout: { http: { requestTimeout: 45s } }\n  retry: { numRetries: 3 }')].join('\n---\n');
    const fs = new MemoryFs({ 'k8s/gw.yaml': text });
    const capture = createModelCapture();
    lint({ fs, files: fs.list(), config: defaultConfig(allRules), rules: [...allRules, capture.rule], toolVersion: 'test' });
    const model = capture.model()!;
    const hover = (value: string) => timeoutHoverAt([model], 'k8s/gw.yaml', text.indexOf(value) + 1) ?? '';
    expect(hover('45s')).toContain('BackendTrafficPolicy apps/p spec.timeout.http.requestTimeout');
    expect(hover('45s')).toContain('HTTPRoute apps/chat');
    expect(hover('3 }')).toContain('4 attempts');
  });
});
