// Tests for the Kubernetes model: ingress controllers and annotations, effective ingress-nginx settings, Services and workloads.
import { describe, expect, it } from 'vitest';
import { parseK8sText } from '../../server/src/engine/inputs/k8s/file.js';
import { buildK8sModel, type K8sModel, type K8sModelOptions } from '../../server/src/engine/inputs/k8s/model.js';
import type { Span } from '../../server/src/engine/types.js';
import { configMapYaml, controllerDeployment } from '../helpers/ingress-nginx-manifests.js';

function build(files: Record<string, string>, options?: Partial<K8sModelOptions>): { model: K8sModel; at: (span: Span | undefined) => string } {
  const parsed = Object.entries(files).map(([file, text]) => parseK8sText(file, text));
  const model = buildK8sModel(parsed, { ingressNginxAnnotationPrefix: 'nginx.ingress.kubernetes.io', ...options });
  const at = (span: Span | undefined): string => (span ? files[span.file]!.slice(span.start, span.end) : '<none>');
  return { model, at };
}

const ingress = (annotations: string, extra = ''): string => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  annotations:
${annotations}
spec:
  ingressClassName: nginx
${extra}  rules:
    - host: api.example.com
      http:
        paths:
          - path: /v1/chat
            pathType: Prefix
            backend:
              service:
                name: api
                port:
                  number: 80
          - path: /named
            pathType: Exact
            backend:
              service:
                name: api
                port:
                  name: http
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
    - name: http
      port: 80
      targetPort: web
    - name: metrics
      port: 9090
      targetPort: 9090
`;

describe('Ingress', () => {
  it('reads rules, resolves the backend Service and its port by number and by name', () => {
    const { model, at } = build({ 'ing.yaml': ingress('    a: "1"'), 'svc.yaml': SERVICE });
    const [facts] = model.ingresses;
    expect(facts!.paths.map((p) => [p.host?.text, p.path?.text, p.pathType?.text, p.backend.serviceName?.text])).toEqual([
      ['api.example.com', '/v1/chat', 'Prefix', 'api'],
      ['api.example.com', '/named', 'Exact', 'api'],
    ]);
    expect(facts!.paths[0]!.backend.port).toMatchObject({ number: 80 });
    expect(facts!.paths[1]!.backend.port).toMatchObject({ name: 'http' });
    expect(facts!.paths.map((p) => p.backend.servicePort?.name?.text)).toEqual(['http', 'http']);
    expect(at(facts!.paths[0]!.backend.servicePort?.targetPort?.span)).toBe('web');
    expect(facts!.paths[0]!.backend.service).toBe(model.services[0]);
  });

  it('reads the legacy v1beta1 backend shape and the class annotation', () => {
    const text = `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: old
  annotations:
    kubernetes.io/ingress.class: kong
spec:
  backend: {serviceName: api, servicePort: 80}
  rules:
    - http:
        paths:
          - path: /
            backend:
              serviceName: api
              servicePort: http
`;
    const { model } = build({ 'old.yaml': text });
    const [facts] = model.ingresses;
    expect(facts).toMatchObject({ legacyApi: true, classSource: 'annotation', controller: 'kong', controllerSource: 'class-name' });
    expect(facts!.defaultBackend).toMatchObject({ serviceName: { text: 'api' }, port: { number: 80 } });
    expect(facts!.paths[0]!.backend).toMatchObject({ serviceName: { text: 'api' }, port: { name: 'http' } });
    expect(facts!.ingressNginx).toBeUndefined();
  });

  const classCases: Array<{ name: string; classes: string; className: string; controller: string; source: string }> = [
    { name: 'an IngressClass object wins over the class name', classes: 'spec: {controller: nginx.org/ingress-controller}', className: 'nginx', controller: 'nginx-inc', source: 'ingress-class' },
    { name: 'a custom ingress-nginx controller class', classes: 'spec: {controller: k8s.io/ingress-nginx-internal}', className: 'nginx', controller: 'ingress-nginx', source: 'ingress-class' },
    { name: 'the class name alone', classes: '', className: 'alb', controller: 'alb', source: 'class-name' },
    { name: 'an unknown class', classes: '', className: 'haproxy', controller: 'unknown', source: 'none' },
  ];
  for (const c of classCases) {
    it(`finds the controller from ${c.name}`, () => {
      const ingressClass = c.classes ? `apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: ${c.className}}\n${c.classes}\n` : '';
      const text = `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec: {ingressClassName: ${c.className}}\n`;
      const { model } = build({ 'i.yaml': text, ...(ingressClass ? { 'c.yaml': ingressClass } : {}) });
      expect(model.ingresses[0]).toMatchObject({ controller: c.controller, controllerSource: c.source });
    });
  }

  it('uses the default IngressClass for an Ingress without a class', () => {
    const { model } = build({
      'c.yaml': 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: public\n  annotations:\n    ingressclass.kubernetes.io/is-default-class: "true"\nspec: {controller: k8s.io/ingress-nginx}\n',
      'i.yaml': 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec: {}\n',
    });
    expect(model.ingresses[0]).toMatchObject({ classSource: 'default-class', controller: 'ingress-nginx', controllerSource: 'ingress-class' });
  });
});

describe('timeout annotations', () => {
  it('parses each vendor in its own dialect, with the spans of key and value', () => {
    const annotations = [
      '    nginx.ingress.kubernetes.io/proxy-read-timeout: "120"',
      '    nginx.ingress.kubernetes.io/proxy-send-timeout: "300s"',
      '    nginx.ingress.kubernetes.io/proxy-next-upstream-tries: "5"',
      '    nginx.ingress.kubernetes.io/upstream-keepalive-timeout: "120"',
      '    nginx.org/proxy-read-timeout: "1m 30s"',
      '    konghq.com/read-timeout: "300"',
      '    konghq.com/send-timeout: "300"',
      '    alb.ingress.kubernetes.io/load-balancer-attributes: routing.http2.enabled=true,idle_timeout.timeout_seconds=600',
    ].join('\n');
    const text = ingress(annotations);
    const { model, at } = build({ 'ing.yaml': text });
    const rows = model.ingresses[0]!.timeoutAnnotations.map((t) => [
      t.vendor, t.knob, t.recognition, t.duration?.ms ?? t.count?.value ?? null, t.duration?.invalid ?? null, at(t.duration?.span ?? t.count?.span ?? t.annotation.valueSpan),
    ]);
    expect(rows).toEqual([
      ['ingress-nginx', 'proxy-read-timeout', 'recognized', 120_000, null, '"120"'],
      ['ingress-nginx', 'proxy-send-timeout', 'recognized', null, 'unit-not-allowed', '"300s"'],
      ['ingress-nginx', 'proxy-next-upstream-tries', 'recognized', 5, null, '"5"'],
      ['ingress-nginx', 'upstream-keepalive-timeout', 'configmap-only', null, null, '"120"'],
      ['nginx-inc', 'proxy-read-timeout', 'recognized', 90_000, null, '"1m 30s"'],
      ['kong', 'read-timeout', 'wrong-object', 300, null, '"300"'],
      ['kong', 'send-timeout', 'unlisted', null, null, '"300"'],
      ['aws', 'idle_timeout.timeout_seconds', 'recognized', 600_000, null, '600'],
    ]);
    expect(at(model.ingresses[0]!.timeoutAnnotations[0]!.annotation.keySpan)).toBe('nginx.ingress.kubernetes.io/proxy-read-timeout');
  });

  it('reads Kong timeouts on a Service as recognized milliseconds', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  annotations:\n    konghq.com/connect-timeout: "5000"\n    konghq.com/retries: "3"\n    service.beta.kubernetes.io/aws-load-balancer-connection-idle-timeout: "400"\nspec: {}\n';
    const { model } = build({ 's.yaml': text });
    expect(model.services[0]!.timeoutAnnotations.map((t) => [t.vendor, t.knob, t.recognition, t.duration?.ms ?? t.count?.value])).toEqual([
      ['kong', 'connect-timeout', 'recognized', 5000],
      ['kong', 'retries', 'recognized', 3],
      ['aws', 'aws-load-balancer-connection-idle-timeout', 'recognized', 400_000],
    ]);
  });

  it('honours a custom ingress-nginx annotation prefix', () => {
    const text = ingress('    nginx.ingress.kubernetes.io/proxy-read-timeout: "120"\n    custom.io/proxy-read-timeout: "90"');
    const { model, at } = build({ 'ing.yaml': text }, { ingressNginxAnnotationPrefix: 'custom.io' });
    const [first, second] = model.ingresses[0]!.timeoutAnnotations;
    expect(first).toMatchObject({ vendor: 'ingress-nginx', prefixMismatch: true });
    expect(second).toMatchObject({ vendor: 'ingress-nginx', knob: 'proxy-read-timeout' });
    expect(second!.prefixMismatch).toBeUndefined();
    const read = model.ingresses[0]!.ingressNginx!['proxy-read-timeout'];
    expect([read.ms, read.source.kind, at(read.source.span)]).toEqual([90_000, 'annotation', '"90"']);
  });
});

const CONTROLLER_CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
data:
  proxy-read-timeout: "180"
  proxy-send-timeout: "2m"
`;

describe('effective ingress-nginx settings', () => {
  const cases: Array<{ name: string; annotation: string; configMap: boolean; ms: number | undefined; kind: string; span: string; ignored: string[]; invalid?: string }> = [
    { name: 'annotation over ConfigMap', annotation: 'nginx.ingress.kubernetes.io/proxy-read-timeout: "300"', configMap: true, ms: 300_000, kind: 'annotation', span: '"300"', ignored: [] },
    { name: 'ConfigMap when no annotation', annotation: 'other: "x"', configMap: true, ms: 180_000, kind: 'configmap', span: '"180"', ignored: [] },
    { name: 'built-in default without annotation or ConfigMap', annotation: 'other: "x"', configMap: false, ms: 60_000, kind: 'default', span: '<none>', ignored: [] },
    { name: '"300s" is ignored and the default applies', annotation: 'nginx.ingress.kubernetes.io/proxy-read-timeout: "300s"', configMap: false, ms: 60_000, kind: 'default', span: '<none>', ignored: ['"300s"'] },
    { name: '"300s" is ignored and the ConfigMap applies', annotation: 'nginx.ingress.kubernetes.io/proxy-read-timeout: "300s"', configMap: true, ms: 180_000, kind: 'configmap', span: '"180"', ignored: ['"300s"'] },
  ];
  for (const c of cases) {
    it(`proxy-read-timeout: ${c.name}`, () => {
      const { model, at } = build({ 'ing.yaml': ingress(`    ${c.annotation}`), ...(c.configMap ? { 'cm.yaml': CONTROLLER_CONFIGMAP } : {}) });
      const read = model.ingresses[0]!.ingressNginx!['proxy-read-timeout'];
      expect([read.ms, read.source.kind, at(read.source.span), read.ignoredAnnotations.map((a) => at(a.annotation.valueSpan))]).toEqual([c.ms, c.kind, c.span, c.ignored]);
    });
  }

  it('has the controller defaults of facts §2.2/§2.3', () => {
    const { model } = build({ 'ing.yaml': ingress('    a: "1"') });
    const settings = model.ingresses[0]!.ingressNginx!;
    expect(Object.values(settings).map((v) => [v.knob, v.text, v.ms ?? v.count ?? null, v.source.kind])).toEqual([
      ['proxy-connect-timeout', '5', 5000, 'default'],
      ['proxy-send-timeout', '60', 60_000, 'default'],
      ['proxy-read-timeout', '60', 60_000, 'default'],
      ['proxy-next-upstream', 'error timeout', null, 'default'],
      ['proxy-next-upstream-timeout', '0', 0, 'default'],
      ['proxy-next-upstream-tries', '3', 3, 'default'],
      ['proxy-buffering', 'off', null, 'default'],
      ['proxy-request-buffering', 'on', null, 'default'],
      ['proxy-http-version', '1.1', null, 'default'],
    ]);
  });

  it('leaves an unparsable ConfigMap value unknown instead of assuming the default', () => {
    const { model, at } = build({ 'ing.yaml': ingress('    a: "1"'), 'cm.yaml': CONTROLLER_CONFIGMAP });
    const send = model.ingresses[0]!.ingressNginx!['proxy-send-timeout'];
    expect([send.ms, send.invalid, send.source.kind, at(send.source.span)]).toEqual([undefined, 'unit-not-allowed', 'configmap', '"2m"']);
  });

  it('keeps a templated annotation unresolved, never the default', () => {
    const { model } = build({ 'ing.yaml': ingress('    nginx.ingress.kubernetes.io/proxy-read-timeout: "{{ .Values.timeout }}"') });
    expect(model.ingresses[0]!.ingressNginx!['proxy-read-timeout']).toMatchObject({ unresolved: true, source: { kind: 'annotation' } });
    expect(model.ingresses[0]!.ingressNginx!['proxy-read-timeout'].ms).toBeUndefined();
  });

  it('finds the controller ConfigMap by an ingress-nginx-only key when its name is custom', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: my-controller}\ndata:\n  allow-snippet-annotations: "false"\n  proxy-connect-timeout: "10"\n';
    const { model } = build({ 'ing.yaml': ingress('    a: "1"'), 'cm.yaml': cm });
    expect(model.ingressNginxControllerConfigs.map((c) => [c.configMap.object.name?.text, c.matchedBy])).toEqual([['my-controller', 'keys']]);
    expect(model.ingresses[0]!.ingressNginx!['proxy-connect-timeout']).toMatchObject({ ms: 10_000, source: { kind: 'configmap' } });
  });

  it('finds the controller ConfigMap by a configured name', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: edge}\ndata:\n  proxy-read-timeout: "30"\n';
    const { model } = build({ 'ing.yaml': ingress('    a: "1"'), 'cm.yaml': cm }, { ingressNginxConfigMapNames: ['edge'] });
    expect(model.ingresses[0]!.ingressNginx!['proxy-read-timeout']).toMatchObject({ ms: 30_000, source: { kind: 'configmap' } });
  });
});

describe('controller ConfigMap named by the controller\'s arguments', () => {
  const controller = controllerDeployment;
  const configMap = (name: string, namespace: string): string => configMapYaml(name, namespace, '  proxy-read-timeout: "30"');
  const OLD_IMAGE = 'quay.io/kubernetes-ingress-controller/nginx-ingress-controller:0.9.0';
  const IMAGE = 'registry.k8s.io/ingress-nginx/controller:v1.10.1@sha256:e24f39d3eed6bcc239a56f20098878845f62baa34b9f2be2fd2c38ce9fb0f29e';

  it.each([
    { case: 'old --nginx-configmap with $(POD_NAMESPACE)', image: OLD_IMAGE, args: ['/nginx-ingress-controller', '--nginx-configmap=$(POD_NAMESPACE)/nginx-ingress-controller'], cm: ['nginx-ingress-controller', 'kube-system'], arg: '--nginx-configmap=$(POD_NAMESPACE)/nginx-ingress-controller' },
    { case: '--configmap with an explicit namespace', image: IMAGE, args: ['--configmap=ingress/edge'], cm: ['edge', 'ingress'], arg: '--configmap=ingress/edge' },
    { case: '--configmap and its value as two items', image: IMAGE, args: ['--configmap', '$(POD_NAMESPACE)/edge'], cm: ['edge', 'kube-system'], arg: '--configmap $(POD_NAMESPACE)/edge' },
    { case: 'a quoted argument', image: 'bitnami/nginx-ingress-controller:1.10.1', args: ['"--configmap=$(POD_NAMESPACE)/edge"'], cm: ['edge', 'kube-system'], arg: '--configmap=$(POD_NAMESPACE)/edge' },
    { case: 'the last --configmap wins', image: IMAGE, args: ['--configmap=kube-system/old', '--configmap=kube-system/edge'], cm: ['edge', 'kube-system'], arg: '--configmap=kube-system/edge' },
  ])('recognises $case', ({ image, args, cm, arg }) => {
    const { model, at } = build({ 'controller.yaml': controller(image, args), 'cm.yaml': configMap(cm[0]!, cm[1]!) });
    const found = model.ingressNginxControllerConfigs.map((c) => [c.configMap.object.name?.text, c.matchedBy, c.controllerArg?.text]);
    expect(found).toEqual([[cm[0], 'controller-args', arg]]);
    expect(at(model.ingressNginxControllerConfigs[0]!.controllerArg!.span)).toContain(args[args.length - 1]!.replace(/"/g, ''));
  });

  it.each([
    { case: 'a same-named ConfigMap in another namespace', image: IMAGE, args: ['--configmap=$(POD_NAMESPACE)/edge'], cm: ['edge', 'edge-legacy'] },
    { case: 'NGINX Inc\'s controller and flag', image: 'nginx/nginx-ingress:3.6.1', args: ['-nginx-configmaps=$(POD_NAMESPACE)/edge'], cm: ['edge', 'kube-system'] },
    { case: 'NGINX Inc\'s flag on an ingress-nginx image', image: IMAGE, args: ['--nginx-configmaps=$(POD_NAMESPACE)/edge'], cm: ['edge', 'kube-system'] },
    { case: 'an image that is not the controller', image: 'registry.example.com/edge-proxy:2.1', args: ['--configmap=$(POD_NAMESPACE)/edge'], cm: ['edge', 'kube-system'] },
    { case: 'a value without a namespace', image: IMAGE, args: ['--configmap=edge'], cm: ['edge', 'kube-system'] },
    { case: 'a templated value', image: IMAGE, args: ['--configmap={{ .Release.Namespace }}/edge'], cm: ['edge', 'kube-system'] },
    { case: 'another variable the container does not set', image: IMAGE, args: ['--configmap=$(CONFIG_NAMESPACE)/edge'], cm: ['edge', 'kube-system'] },
  ])('does not recognise $case', ({ image, args, cm }) => {
    const { model } = build({ 'controller.yaml': controller(image, args), 'cm.yaml': configMap(cm[0]!, cm[1]!) });
    expect(model.ingressNginxControllerConfigs).toEqual([]);
  });

  it('expands a variable the container sets to a literal value', () => {
    const env = '          env:\n            - name: CONFIG_NAMESPACE\n              value: ingress\n';
    const { model } = build({ 'controller.yaml': controller(IMAGE, ['--configmap=$(CONFIG_NAMESPACE)/edge'], 'kube-system', env), 'cm.yaml': configMap('edge', 'ingress') });
    expect(model.ingressNginxControllerConfigs.map((c) => [c.configMap.object.namespace, c.matchedBy])).toEqual([['ingress', 'controller-args']]);
  });

  it('puts the ConfigMap the controller names before one found by its name, and feeds Ingresses from it', () => {
    const named = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ingress-nginx-controller}\ndata:\n  proxy-read-timeout: "90"\n';
    const { model } = build({ 'controller.yaml': controller(IMAGE, ['--configmap=$(POD_NAMESPACE)/edge'], 'default'), 'cm.yaml': configMap('edge', 'default'), 'named.yaml': named, 'ing.yaml': ingress('    a: "1"') });
    expect(model.ingressNginxControllerConfigs.map((c) => [c.configMap.object.name?.text, c.matchedBy])).toEqual([['edge', 'controller-args'], ['ingress-nginx-controller', 'name']]);
    expect(model.ingresses[0]!.ingressNginx!['proxy-read-timeout']).toMatchObject({ ms: 30_000, source: { kind: 'configmap' } });
  });

  it('lists a ConfigMap that is both named by the arguments and by a default name once, as matched by the arguments', () => {
    const { model } = build({ 'controller.yaml': controller(IMAGE, ['--configmap=$(POD_NAMESPACE)/ingress-nginx-controller'], 'ingress-nginx'), 'cm.yaml': configMap('ingress-nginx-controller', 'ingress-nginx') });
    expect(model.ingressNginxControllerConfigs.map((c) => c.matchedBy)).toEqual(['controller-args']);
  });
});

describe('Service', () => {
  it('reads selector, ports with named and numbered targetPorts, and links the selected workloads', () => {
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    metadata:\n      labels: {app: api, tier: web}\n    spec:\n      containers: [{name: app, image: api:1}]\n';
    const other = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: other, namespace: prod}\nspec:\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers: [{name: app}]\n';
    const { model } = build({ 'svc.yaml': SERVICE, 'deploy.yaml': deployment, 'other.yaml': other });
    const [service] = model.services;
    expect([...service!.selector].map(([k, v]) => [k, v.text])).toEqual([['app', 'api']]);
    expect(service!.ports.map((p) => [p.name?.text, p.port?.value, p.targetPort?.number ?? p.targetPort?.name])).toEqual([['http', 80, 'web'], ['metrics', 9090, 9090]]);
    expect(service!.targets.map((w) => w.object.name?.text)).toEqual(['api']);
    expect(service!.type).toBe('ClusterIP');
  });

  it('resolves a GKE BackendConfig and its timeoutSec with the 30 s default', () => {
    const files = {
      's.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  annotations:\n    cloud.google.com/backend-config: \'{"default": "long", "ports": {"80": "short"}}\'\nspec: {}\n',
      'b.yaml': 'apiVersion: cloud.google.com/v1\nkind: BackendConfig\nmetadata: {name: long}\nspec:\n  timeoutSec: 600\n---\napiVersion: cloud.google.com/v1\nkind: BackendConfig\nmetadata: {name: short}\nspec: {}\n',
    };
    const { model, at } = build(files);
    const refs = model.services[0]!.backendConfigRefs;
    expect(refs.map((r) => [r.port ?? 'default', r.name, r.backendConfig?.timeout.ms, r.backendConfig?.timeout.source])).toEqual([
      ['default', 'long', 600_000, 'set'],
      ['80', 'short', 30_000, 'default'],
    ]);
    expect(at(refs[0]!.backendConfig!.timeout.written!.span)).toBe('600');
  });

  it('gives a GKE Ingress backend the timeout of its BackendConfig, or 30 s without one', () => {
    const service = (name: string, annotation: string): string => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  annotations: {${annotation}}\nspec:\n  ports: [{name: http, port: 80}]\n`;
    const files = {
      'svc.yaml': [service('long', 'cloud.google.com/backend-config: \'{"ports": {"http": "long"}}\''), service('plain', 'a: b'), service('missing', 'cloud.google.com/backend-config: \'{"default": "nope"}\'')].join('---\n'),
      'bc.yaml': 'apiVersion: cloud.google.com/v1\nkind: BackendConfig\nmetadata: {name: long}\nspec: {timeoutSec: 900}\n',
      'ing.yaml': `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: gke\n  annotations: {kubernetes.io/ingress.class: gce}\nspec:\n  rules:\n    - http:\n        paths:\n${['long', 'plain', 'missing'].map((n) => `          - {path: /${n}, pathType: Prefix, backend: {service: {name: ${n}, port: {number: 80}}}}\n`).join('')}`,
    };
    const { model } = build(files);
    expect(model.ingresses[0]!.paths.map((p) => [p.path?.text, p.backend.gceTimeout?.ms, p.backend.gceTimeout?.source])).toEqual([
      ['/long', 900_000, 'set'],
      ['/plain', 30_000, 'default'],
      ['/missing', undefined, undefined],
    ]);
  });
});
