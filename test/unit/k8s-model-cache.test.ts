// Kubernetes facts are read once per parsed object and reused by later runs (the language server's
// parse cache): links made by one run (a Service's workloads, a backend's Service) never leak into the next.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig, type ResolvedConfig } from '../../server/src/engine/config.js';
import type { K8sModel } from '../../server/src/engine/inputs/k8s/model.js';
import type { LintReport } from '../../server/src/engine/report.js';
import { defineRule } from '../../server/src/engine/rule.js';
import { lint, ParseCache } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { configFor, fixtureCases } from '../helpers/fixture-cases.js';
import { loadFixture } from '../helpers/fixture-fs.js';

const isYaml = (file: string) => /\.ya?ml$/i.test(file);
const findingsOf = (report: LintReport) => JSON.stringify(report.findings);

function modelCapture(): { rule: ReturnType<typeof defineRule<object>>; model: () => K8sModel; captured: () => K8sModel | undefined } {
  let model: K8sModel | undefined;
  const rule = defineRule<object>({
    id: 'capture', description: 'Captures the Kubernetes model.', defaultSeverity: 'info', fixable: 'never', inputs: ['k8s'],
    options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} }, messages: {},
    check: (ctx) => {
      model = ctx.model.k8s;
    },
  });
  return { rule, model: () => model!, captured: () => model };
}

const FACT_LISTS = [
  'ingresses', 'ingressClasses', 'services', 'workloads', 'configMaps', 'ingressNginxControllerConfigs', 'backendConfigs',
  'virtualServices', 'destinationRules', 'gatewayRoutes', 'httpProxies', 'knativeServices', 'timeouts',
] as const;

/** The model's facts as plain data; a link to another object's facts is written as that object's place, so a stale link shows. */
function snapshot(model: K8sModel): unknown {
  const place = (object: { kind: string; span: { file: string; start: number } }) => `${object.kind}@${object.span.file}:${object.span.start}`;
  const isObject = (v: unknown): v is { kind: string; span: { file: string; start: number }; document: unknown } =>
    typeof v === 'object' && v !== null && 'document' in v && 'kind' in v && 'span' in v;
  const plain = (value: unknown, top: boolean): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (value instanceof Map) return [...value].map(([k, v]) => [k, plain(v, false)]);
    if (Array.isArray(value)) return value.map((v) => plain(v, false));
    if (isObject(value)) return `object ${place(value)}`;
    const facts = value as Record<string, unknown>;
    if (!top && isObject(facts.object)) return `facts of ${place(facts.object)}`;
    // YAML nodes (kept by some facts for edits) are the parser's, not links.
    if ('range' in facts && ('items' in facts || 'value' in facts) && !('span' in facts)) return 'yaml node';
    return Object.fromEntries(Object.keys(facts).sort().map((k) => [k, plain(facts[k], false)]));
  };
  return Object.fromEntries(FACT_LISTS.map((list) => [list, (model[list] as unknown[]).map((facts) => plain(facts, true))]));
}

/** Runs the whole workspace, then a part of it, with one parse cache; the part must come out as a fresh run of it does. */
function expectPartsAsFresh(fs: MemoryFs, files: readonly string[], config: ResolvedConfig): void {
  const run = (subset: readonly string[], parseCache?: ParseCache) => {
    const capture = modelCapture();
    const report = lint({ fs, files: subset, config, rules: [...allRules, capture.rule], toolVersion: 'test', parseCache });
    const model = capture.captured();
    return `${findingsOf(report)}\n${model ? JSON.stringify(snapshot(model)) : 'no Kubernetes model'}`;
  };
  const cache = new ParseCache();
  // The whole workspace links the most; each part links less of the same (cached) facts.
  const manifests = files.filter(isYaml);
  const others = files.filter((f) => !isYaml(f));
  const parts = [...manifests.map((m) => [m, ...others]), ...manifests.map((left) => files.filter((f) => f !== left)), [...files]];
  for (const part of parts) {
    run(files, cache);
    expect(run(part, cache), part.join(', ')).toBe(run(part));
  }
}

const EVERY_LINK: Record<string, string> = {
  'ingressclass.yaml': 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\nspec:\n  controller: k8s.io/ingress-nginx\n',
  'controller-configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ingress-nginx-controller\ndata:\n  proxy-read-timeout: "120"\n',
  'ingress.yaml': 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  ingressClassName: nginx\n  rules:\n    - host: api.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: api\n                port:\n                  name: http\n',
  'gce-ingress.yaml': 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: gce\n  annotations:\n    kubernetes.io/ingress.class: gce\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: api\n                port:\n                  number: 80\n',
  'service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  annotations:\n    cloud.google.com/backend-config: \'{"default": "api-backend"}\'\nspec:\n  selector:\n    app: api\n  ports:\n    - name: http\n      port: 80\n      targetPort: 8080\n',
  'backendconfig.yaml': 'apiVersion: cloud.google.com/v1\nkind: BackendConfig\nmetadata:\n  name: api-backend\nspec:\n  timeoutSec: 40\n',
  'deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n        - name: api\n          image: api:1\n          env:\n            - name: UPSTREAM_TIMEOUT_MS\n              valueFrom:\n                configMapKeyRef:\n                  name: app-config\n                  key: timeout\n          envFrom:\n            - configMapRef:\n                name: app-config\n',
  'app-config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  timeout: "30000"\n',
  'knative.yaml': 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: worker\nspec:\n  template:\n    spec:\n      containers:\n        - image: worker:1\n          env:\n            - name: UPSTREAM_TIMEOUT_MS\n              valueFrom:\n                configMapKeyRef:\n                  name: app-config\n                  key: timeout\n',
  'virtualservice.yaml': 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: api\nspec:\n  hosts:\n    - api\n  http:\n    - route:\n        - destination:\n            host: api\n',
  'httproute.yaml': 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: api\nspec:\n  rules:\n    - backendRefs:\n        - name: api\n          port: 80\n',
  'httpproxy.yaml': 'apiVersion: projectcontour.io/v1\nkind: HTTPProxy\nmetadata:\n  name: api\nspec:\n  routes:\n    - services:\n        - name: api\n          port: 80\n',
};

describe('Kubernetes facts reused across runs', () => {
  const cases = fixtureCases().filter((c) => loadFixture(c.dir, (r) => r.startsWith('fixed')).files.some(isYaml));

  it('has fixtures with manifests to check', () => {
    expect(cases.length).toBeGreaterThan(30);
  });

  it.each(cases.map((c) => [`${c.ruleId}/${c.name}`, c.dir] as const))('%s: after a run over the whole workspace, a run over part of it finds and links what a fresh run does', (_name, dir) => {
    const { fs, files } = loadFixture(dir, (r) => r === 'fixed' || r.startsWith('fixed/'));
    expectPartsAsFresh(fs, files, configFor(dir));
  });

  it('undoes every kind of link: each object in its own file, every file left out in turn', () => {
    const fs = new MemoryFs(EVERY_LINK);
    const files = Object.keys(EVERY_LINK);
    const capture = modelCapture();
    lint({ fs, files, config: defaultConfig(allRules), rules: [capture.rule], toolVersion: 'test' });
    // The workspace does make every link the model knows.
    const model = capture.model();
    const [nginxIngress, gceIngress] = model.ingresses;
    expect(nginxIngress?.ingressClass?.object.name?.text).toBe('nginx');
    expect(nginxIngress?.ingressNginx?.['proxy-read-timeout']?.source.kind).toBe('configmap');
    expect(nginxIngress?.paths[0]?.backend.service?.object.name?.text).toBe('api');
    expect(nginxIngress?.paths[0]?.backend.servicePort?.name?.text).toBe('http');
    expect(gceIngress?.paths[0]?.backend.gceTimeout?.ms).toBe(40_000);
    expect(model.services[0]?.targets).toHaveLength(1);
    expect(model.services[0]?.backendConfigRefs[0]?.backendConfig).toBeDefined();
    expect(model.workloads[0]?.containers[0]?.env[0]?.configMap).toBeDefined();
    expect(model.workloads[0]?.containers[0]?.envFrom[0]?.configMap).toBeDefined();
    expect(model.knativeServices[0]?.containers[0]?.env[0]?.configMap).toBeDefined();
    expect(model.virtualServices[0]?.http[0]?.destinations[0]?.service).toBeDefined();
    expect(model.gatewayRoutes[0]?.rules[0]?.backendRefs[0]?.service).toBeDefined();
    expect(model.httpProxies[0]?.routes[0]?.services[0]?.service).toBeDefined();
    expectPartsAsFresh(fs, files, defaultConfig(allRules));
  });

  it('re-links a cached Service when the workload it selected changes its labels or goes', () => {
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector:\n    app: api\n    tier: web\n  ports:\n    - port: 80\n';
    const deployment = (labels: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    metadata:\n      labels:\n${labels}    spec:\n      containers:\n        - name: api\n          image: api:1\n`;
    const fs = new MemoryFs({ 'service.yaml': service, 'deployment.yaml': deployment('        app: api\n        tier: web\n') });
    const cache = new ParseCache();
    const capture = modelCapture();
    const targets = (files: string[]) => {
      lint({ fs, files, config: defaultConfig(allRules), rules: [capture.rule], toolVersion: 'test', parseCache: cache });
      return capture.model().services[0]!.targets.map((w) => w.object.name?.text);
    };
    expect(targets(['service.yaml', 'deployment.yaml'])).toEqual(['api']);
    const cachedService = capture.model().services[0];
    fs.write('deployment.yaml', deployment('        app: api\n        tier: worker\n'));
    expect(targets(['service.yaml', 'deployment.yaml'])).toEqual([]);
    // The Service's facts were reused, not read again.
    expect(capture.model().services[0]).toBe(cachedService);
    fs.write('deployment.yaml', deployment('        tier: web\n        app: api\n'));
    expect(targets(['service.yaml', 'deployment.yaml'])).toEqual(['api']);
    expect(targets(['service.yaml'])).toEqual([]);
  });
});
