// A load balancer outside the cluster reaches a Service through its nodePort (an IP address or this
// machine on a port a NodePort/LoadBalancer Service declares), and a workload that runs the
// ingress-nginx controller is a hop with the controller's own proxy timers.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { createModelCapture } from '../../server/src/host/model-capture.js';

function linked(files: Record<string, string>) {
  const fs = new MemoryFs(files);
  const capture = createModelCapture();
  const report = lint({ fs, files: fs.list(), config: defaultConfig(allRules), rules: [...allRules, capture.rule], toolVersion: 'test' });
  const chains = chainsOf(capture.model()!);
  return { report, chains, labels: chains.chains.map((c) => c.hops.map((h) => h.label)) };
}

const API_SERVICE = (type: string, nodePort: number) =>
  [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: api',
    '  namespace: shop',
    'spec:',
    `  type: ${type}`,
    '  selector:',
    '    app: api',
    '  ports:',
    '    - port: 80',
    '      targetPort: 3000',
    `      nodePort: ${nodePort}`,
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: api',
    '  namespace: shop',
    'spec:',
    '  selector:',
    '    matchLabels:',
    '      app: api',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: api',
    '    spec:',
    '      containers:',
    '        - name: api',
    '          image: registry.example.com/shop/api:1.4.2',
    '          ports:',
    '            - containerPort: 3000',
    '',
  ].join('\n');

const API_CODE: Record<string, string> = {
  'api/package.json': '{ "name": "api", "dependencies": { "express": "^4.21.0" } }\n',
  'api/src/server.ts': [
    "import express from 'express';",
    'const app = express();',
    "app.get('/orders', async (req, res) => {",
    "  const r = await fetch('https://erp.example.com/orders', { signal: AbortSignal.timeout(45_000) });",
    '  res.json(await r.json());',
    '});',
    'app.listen(3000);',
    '',
  ].join('\n'),
};

const haproxy = (servers: string[]) =>
  ['defaults', '    mode http', '    timeout connect 5s', '    timeout client 2m', '    timeout server 30s', 'frontend edge', '    bind :80', '    default_backend nodes', 'backend nodes', ...servers.map((s) => `    ${s}`), ''].join('\n');

describe('a load balancer in front of the nodes reaches a Service by its nodePort', () => {
  it('links HAProxy servers on node addresses and on this machine to the NodePort Service and the code behind it', () => {
    const { report, chains, labels } = linked({
      'lb/haproxy.cfg': haproxy(['server n1 10.0.4.11:30080 check', 'server local 127.0.0.1:30080 check']),
      'k8s/api.yaml': API_SERVICE('NodePort', 30080),
      ...API_CODE,
    });
    expect(labels).toContainEqual(['HAProxy backend nodes (frontend edge)', 'Service shop/api', 'Deployment shop/api', 'express server in api', 'GET /orders handler', 'fetch GET https://erp.example.com/orders']);
    const service = chains.chains.find((c) => c.hops[1]?.label === 'Service shop/api')!.hops[1]!;
    expect(service.evidence?.map((e) => e.text)).toEqual(['nodePort 30080 (Service port 80, type NodePort: every node forwards it to the Service)']);
    expect(service.evidence?.[0]?.span?.file).toBe('k8s/api.yaml');
    // Both servers reach the same Service: one chain, not two.
    expect(labels.filter((l) => l[1] === 'Service shop/api')).toHaveLength(1);
    const outer = report.findings.filter((f) => f.ruleId === 'outer-timeout-below-inner');
    expect(outer.map((f) => [f.span.file, f.data['innerMs']])).toContainEqual(['lb/haproxy.cfg', 45_000]);
  });

  it('links an nginx upstream of node addresses, and a LoadBalancer Service (it opens node ports too)', () => {
    const { labels } = linked({
      'edge/nginx.conf': 'events {}\nhttp {\n  upstream nodes { server 10.0.4.11:31500; server 10.0.4.12:31500; }\n  server {\n    listen 80;\n    location / { proxy_pass http://nodes; proxy_read_timeout 30s; }\n  }\n}\n',
      'k8s/api.yaml': API_SERVICE('LoadBalancer', 31500),
      ...API_CODE,
    });
    expect(labels.some((l) => l[1] === 'Service shop/api' && l.at(-1) === 'fetch GET https://erp.example.com/orders')).toBe(true);
  });

  it('does not link a host name, a port no Service declares, or a nodePort written on a ClusterIP Service', () => {
    const byName = linked({ 'lb/haproxy.cfg': haproxy(['server n1 nodes.example.com:30080']), 'k8s/api.yaml': API_SERVICE('NodePort', 30080), ...API_CODE });
    expect(byName.labels.some((l) => l.includes('Service shop/api') && l[0]!.startsWith('HAProxy'))).toBe(false);
    const otherPort = linked({ 'lb/haproxy.cfg': haproxy(['server n1 10.0.4.11:30081']), 'k8s/api.yaml': API_SERVICE('NodePort', 30080), ...API_CODE });
    expect(otherPort.labels.some((l) => l.includes('Service shop/api') && l[0]!.startsWith('HAProxy'))).toBe(false);
    const clusterIp = linked({ 'lb/haproxy.cfg': haproxy(['server n1 10.0.4.11:30080']), 'k8s/api.yaml': API_SERVICE('ClusterIP', 30080), ...API_CODE });
    expect(clusterIp.labels.some((l) => l.includes('Service shop/api') && l[0]!.startsWith('HAProxy'))).toBe(false);
  });

  it('prefers code on this machine that listens on the port to a NodePort Service that declares it', () => {
    const { labels, report } = linked({
      'edge/nginx.conf': 'events {}\nhttp {\n  server {\n    listen 80;\n    location / { proxy_pass http://127.0.0.1:30080; proxy_read_timeout 30s; }\n  }\n}\n',
      'k8s/api.yaml': API_SERVICE('NodePort', 30080).replace(/namespace: shop/g, 'namespace: monitoring').replace(/\bapi\b/g, 'grafana'),
      ...API_CODE,
      'api/src/server.ts': API_CODE['api/src/server.ts']!.replace('app.listen(3000)', 'app.listen(30080)'),
    });
    expect(labels).toContainEqual(['nginx location /', 'express server in api', 'GET /orders handler', 'fetch GET https://erp.example.com/orders']);
    expect(labels.some((l) => l.includes('Service monitoring/grafana') && l[0] === 'nginx location /')).toBe(false);
    expect(report.findings.filter((f) => f.ruleId === 'outer-timeout-below-inner').map((f) => f.data['innerMs'])).toEqual([45_000]);
  });

  it('follows every Service that declares the port (two overlays of one app), each with its own evidence', () => {
    const { labels, chains } = linked({
      'lb/haproxy.cfg': haproxy(['server n1 10.0.4.11:30080']),
      'k8s/api.yaml': API_SERVICE('NodePort', 30080),
      'k8s/canary.yaml': API_SERVICE('NodePort', 30080).replace(/namespace: shop/g, 'namespace: canary'),
      ...API_CODE,
    });
    const services = labels.filter((l) => l[0]!.startsWith('HAProxy')).map((l) => l[1]);
    expect(new Set(services)).toEqual(new Set(['Service shop/api', 'Service canary/api']));
    const evidenceFiles = chains.chains.filter((c) => c.hops[0]!.label.startsWith('HAProxy')).map((c) => c.hops[1]!.evidence?.[0]?.span?.file);
    expect(new Set(evidenceFiles)).toEqual(new Set(['k8s/api.yaml', 'k8s/canary.yaml']));
  });
});

const CONTROLLER = (args: string[], configMap?: string) =>
  [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: ingress-nginx-controller',
    '  namespace: ingress-nginx',
    'spec:',
    '  type: NodePort',
    '  selector:',
    '    app.kubernetes.io/name: ingress-nginx',
    '  ports:',
    '    - name: http',
    '      port: 80',
    '      targetPort: http',
    '      nodePort: 30080',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: ingress-nginx-controller',
    '  namespace: ingress-nginx',
    'spec:',
    '  selector:',
    '    matchLabels:',
    '      app.kubernetes.io/name: ingress-nginx',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app.kubernetes.io/name: ingress-nginx',
    '    spec:',
    '      containers:',
    '        - name: controller',
    '          image: registry.k8s.io/ingress-nginx/controller:v1.11.2',
    '          args:',
    ...args.map((a) => `            - ${a}`),
    '          ports:',
    '            - name: http',
    '              containerPort: 80',
    ...(configMap ? ['---', configMap] : []),
    '',
  ].join('\n');

describe('a workload that runs the ingress-nginx controller', () => {
  const tcp = ['defaults', '    mode tcp', '    timeout connect 4s', '    timeout client 30s', '    timeout server 30s', 'frontend ft_http', '    bind :80', '    default_backend bk_http', 'backend bk_http', '    server local 127.0.0.1:30080 check', ''].join('\n');

  it('is a hop with the proxy timers of the ConfigMap its --configmap names, and the chain ends there', () => {
    const configMap = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: ingress-nginx-controller', '  namespace: ingress-nginx', 'data:', '  proxy-read-timeout: "120"', '  proxy-connect-timeout: "3"'].join('\n');
    const { report, chains } = linked({ 'lb/haproxy.cfg': tcp, 'k8s/controller.yaml': CONTROLLER(['/nginx-ingress-controller', '--configmap=$(POD_NAMESPACE)/ingress-nginx-controller'], configMap) });
    const chain = chains.chains.find((c) => c.hops[0]!.label.startsWith('HAProxy backend bk_http'))!;
    expect(chain.hops.map((h) => h.label)).toEqual(['HAProxy backend bk_http (frontend ft_http)', 'Service ingress-nginx/ingress-nginx-controller', 'Deployment ingress-nginx/ingress-nginx-controller (ingress-nginx controller, container controller)']);
    const controller = chain.hops[2]!;
    expect(controller.timeouts.map((t) => [t.knob, t.ms, t.source])).toEqual([['proxy-read-timeout', 120_000, 'inherited'], ['proxy-connect-timeout', 3_000, 'inherited']]);
    expect(controller.timeouts[0]!.span?.file).toBe('k8s/controller.yaml');
    const outer = report.findings.filter((f) => f.ruleId === 'outer-timeout-below-inner');
    expect(outer.map((f) => [f.span.file, f.data['innerMs']])).toEqual([['lb/haproxy.cfg', 120_000]]);
  });

  it('takes the built-in defaults (60 s read) when no controller ConfigMap is among the manifests', () => {
    const { chains, report } = linked({ 'lb/haproxy.cfg': tcp, 'k8s/controller.yaml': CONTROLLER(['/nginx-ingress-controller']) });
    const controller = chains.chains.find((c) => c.hops[0]!.label.startsWith('HAProxy backend bk_http'))!.hops[2]!;
    expect(controller.timeouts.map((t) => [t.knob, t.ms, t.source])).toEqual([['proxy-read-timeout', 60_000, 'default'], ['proxy-connect-timeout', 5_000, 'default']]);
    expect(report.findings.filter((f) => f.ruleId === 'outer-timeout-below-inner').map((f) => f.data['innerMs'])).toEqual([60_000]);
  });

  it('uses the built-in defaults when the controller names no ConfigMap, whatever other ConfigMaps hold', () => {
    const other = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: internal-controller', '  namespace: ingress-nginx', 'data:', '  proxy-read-timeout: "600"', '  upstream-keepalive-timeout: "30"'].join('\n');
    const { chains } = linked({ 'lb/haproxy.cfg': tcp, 'k8s/controller.yaml': CONTROLLER(['/nginx-ingress-controller'], other) });
    const controller = chains.chains.find((c) => c.hops[0]!.label.startsWith('HAProxy backend bk_http'))!.hops[2]!;
    expect(controller.timeouts.map((t) => [t.knob, t.ms, t.source])).toEqual([['proxy-read-timeout', 60_000, 'default'], ['proxy-connect-timeout', 5_000, 'default']]);
  });

  it('leaves the timers unknown when the named ConfigMap is not among the manifests, or an Ingress sets its own', () => {
    const missing = linked({ 'lb/haproxy.cfg': tcp, 'k8s/controller.yaml': CONTROLLER(['/nginx-ingress-controller', '--configmap=$(POD_NAMESPACE)/public-controller']) });
    const hop = missing.chains.chains.find((c) => c.hops[0]!.label.startsWith('HAProxy backend bk_http'))!.hops[2]!;
    expect(hop.timeouts).toEqual([]);
    expect(hop.timeoutsUnknown?.text).toBe('its --configmap names ConfigMap ingress-nginx/public-controller, which is not among the manifests');
    expect(missing.report.findings.filter((f) => f.ruleId === 'outer-timeout-below-inner')).toEqual([]);

    const ingress = ['apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', '  name: reports', '  namespace: shop', '  annotations:', '    nginx.ingress.kubernetes.io/proxy-read-timeout: "20"', 'spec:', '  ingressClassName: nginx', '  rules:', '    - http:', '        paths:', '          - path: /', '            pathType: Prefix', '            backend:', '              service:', '                name: reports', '                port:', '                  number: 80'].join('\n');
    const annotated = linked({ 'lb/haproxy.cfg': tcp, 'k8s/controller.yaml': CONTROLLER(['/nginx-ingress-controller'], ingress) });
    const controller = annotated.chains.chains.find((c) => c.hops[0]!.label.startsWith('HAProxy backend bk_http'))!.hops[2]!;
    expect(controller.timeouts).toEqual([]);
    expect(controller.timeoutsUnknown?.text).toBe('each Ingress it serves may set its own timeouts, and Ingress shop/reports does');
    expect(annotated.report.findings.filter((f) => f.ruleId === 'outer-timeout-below-inner' && f.span.file === 'lb/haproxy.cfg')).toEqual([]);
  });

  it('leaves a HAProxy that waits longer than the controller quiet', () => {
    const longer = tcp.replace('timeout client 30s', 'timeout client 90s').replace('timeout server 30s', 'timeout server 90s');
    const { report } = linked({ 'lb/haproxy.cfg': longer, 'k8s/controller.yaml': CONTROLLER(['/nginx-ingress-controller']) });
    expect(report.findings.filter((f) => f.ruleId === 'outer-timeout-below-inner')).toEqual([]);
  });
});
