// Tests for workload facts: containers, env resolved through ConfigMaps, probes and grace periods with their defaults, preStop sleeps.
import { describe, expect, it } from 'vitest';
import { parseK8sText } from '../../server/src/engine/inputs/k8s/file.js';
import { buildK8sModel, containerEnvironment, type K8sModel } from '../../server/src/engine/inputs/k8s/model.js';
import type { Span } from '../../server/src/engine/types.js';

function build(files: Record<string, string>): { model: K8sModel; at: (span: Span | undefined) => string } {
  const model = buildK8sModel(Object.entries(files).map(([file, text]) => parseK8sText(file, text)), { ingressNginxAnnotationPrefix: 'nginx.ingress.kubernetes.io' });
  return { model, at: (span) => (span ? files[span.file]!.slice(span.start, span.end) : '<none>') };
}

const podSpec = (indent: string, body: string): string => body.split('\n').map((l) => (l ? indent + l : l)).join('\n');

const CONTAINER = `containers:
  - name: api
    image: ghcr.io/acme/api:1.2
    ports:
      - name: web
        containerPort: 3000
    env:
      - name: LLM_TIMEOUT_MS
        value: "600000"
      - name: READ_TIMEOUT
        valueFrom:
          configMapKeyRef: {name: settings, key: read-timeout}
      - name: API_KEY
        valueFrom:
          secretKeyRef: {name: s, key: k}
      - name: FROM_ENV_FROM
        value: overridden
    envFrom:
      - configMapRef: {name: settings}
        prefix: CFG_
      - configMapRef: {name: settings}
    readinessProbe:
      httpGet: {path: /healthz, port: web}
      timeoutSeconds: 5
    livenessProbe:
      tcpSocket: {port: 3000}
      timeoutSeconds: "5"
    lifecycle:
      preStop:
        exec:
          command: ["/bin/sh", "-c", "sleep 15 && nginx -s quit"]
`;

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata:\n  read-timeout: "120"\n  FROM_ENV_FROM: base\n';

describe('workloads', () => {
  const kinds: Array<{ kind: string; apiVersion: string; wrap: (spec: string) => string }> = [
    { kind: 'Deployment', apiVersion: 'apps/v1', wrap: (s) => `spec:\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n${podSpec('      ', s)}` },
    { kind: 'StatefulSet', apiVersion: 'apps/v1', wrap: (s) => `spec:\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n${podSpec('      ', s)}` },
    { kind: 'DaemonSet', apiVersion: 'apps/v1', wrap: (s) => `spec:\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n${podSpec('      ', s)}` },
    { kind: 'Job', apiVersion: 'batch/v1', wrap: (s) => `spec:\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n${podSpec('      ', s)}` },
    { kind: 'CronJob', apiVersion: 'batch/v1', wrap: (s) => `spec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          labels: {app: api}\n        spec:\n${podSpec('          ', s)}` },
    { kind: 'Pod', apiVersion: 'v1', wrap: (s) => `spec:\n${podSpec('  ', s)}` },
  ];
  for (const { kind, apiVersion, wrap } of kinds) {
    it(`reads the containers of a ${kind}`, () => {
      const metadata = kind === 'Pod' ? 'metadata:\n  name: api\n  labels: {app: api}\n' : 'metadata: {name: api}\n';
      const { model } = build({ 'w.yaml': `apiVersion: ${apiVersion}\nkind: ${kind}\n${metadata}${wrap(CONTAINER)}`, 'cm.yaml': CONFIGMAP });
      expect(model.workloads.map((w) => [w.kind, w.podLabels.get('app')?.text, w.containers.map((c) => c.name?.text)])).toEqual([[kind, 'api', ['api']]]);
    });
  }

  const deployment = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n${kinds[0]!.wrap(CONTAINER)}`;

  it('reads image, ports, env values and ConfigMap references in the same namespace', () => {
    const { model, at } = build({ 'd.yaml': deployment, 'cm.yaml': CONFIGMAP });
    const container = model.workloads[0]!.containers[0]!;
    expect(container.image?.text).toBe('ghcr.io/acme/api:1.2');
    expect(container.ports.map((p) => [p.name?.text, p.containerPort?.value])).toEqual([['web', 3000]]);
    expect(at(container.env[0]!.value!.span)).toBe('"600000"');
    expect(container.env[1]!.configMap?.object.name?.text).toBe('settings');
    expect(container.env[2]!.otherSource).toBe('secretKeyRef');
    const env = containerEnvironment(container);
    expect(env.get('READ_TIMEOUT')).toMatchObject({ source: 'configMapKeyRef', unknown: false });
    expect(at(env.get('READ_TIMEOUT')!.value!.span)).toBe('"120"');
    expect(env.get('READ_TIMEOUT')!.value!.span.file).toBe('cm.yaml');
    expect(env.get('CFG_read-timeout')).toMatchObject({ source: 'envFrom' });
    expect(env.get('FROM_ENV_FROM')).toMatchObject({ source: 'env', value: { text: 'overridden' } });
    expect(env.get('API_KEY')).toMatchObject({ source: 'secret', unknown: true });
  });

  it('marks a ConfigMap reference unknown when the ConfigMap is in another namespace or missing', () => {
    const cm = CONFIGMAP.replace('name: settings}', 'name: settings, namespace: other}');
    const { model } = build({ 'd.yaml': deployment, 'cm.yaml': cm });
    const env = containerEnvironment(model.workloads[0]!.containers[0]!);
    expect(env.get('READ_TIMEOUT')).toMatchObject({ source: 'missing-configmap', unknown: true });
  });

  it('reads probes with the defaults of facts §10 and rejects a quoted integer', () => {
    const { model, at } = build({ 'd.yaml': deployment });
    const probes = model.workloads[0]!.containers[0]!.probes;
    expect(probes.map((p) => [p.probe, p.handler, p.timeout.ms, p.timeout.source, p.period.ms, p.period.source, p.failureThreshold.value])).toEqual([
      ['liveness', 'tcpSocket', undefined, 'set', 10_000, 'default', 3],
      ['readiness', 'httpGet', 5000, 'set', 10_000, 'default', 3],
    ]);
    expect(probes[0]!.timeout.written?.invalid).toBe('not-an-integer');
    expect(at(probes[1]!.timeout.written!.span)).toBe('5');
    expect(probes[1]!.httpPath?.text).toBe('/healthz');
    expect(probes[1]!.port).toMatchObject({ name: 'web' });
  });

  it('defaults terminationGracePeriodSeconds to 30 s and reads a written one', () => {
    const { model } = build({ 'd.yaml': deployment });
    expect(model.workloads[0]!.terminationGracePeriod).toMatchObject({ ms: 30_000, source: 'default', factsRef: '§10' });
    const withGrace = deployment.replace('      containers:', '      terminationGracePeriodSeconds: 120\n      containers:');
    expect(build({ 'd.yaml': withGrace }).model.workloads[0]!.terminationGracePeriod).toMatchObject({ ms: 120_000, source: 'set' });
  });

  const preStops: Array<{ name: string; yaml: string; ms: number | undefined; span: string; unresolved?: boolean }> = [
    { name: 'sleep inside sh -c', yaml: 'exec:\n  command: ["/bin/sh", "-c", "sleep 15 && nginx -s quit"]', ms: 15_000, span: '15' },
    { name: 'a direct sleep command', yaml: 'exec:\n  command: [sleep, "5"]', ms: 5000, span: '"5"' },
    { name: 'the sleep action', yaml: 'sleep:\n  seconds: 20', ms: 20_000, span: '20' },
    { name: 'a shell variable', yaml: 'exec:\n  command: [sh, -c, "sleep $DRAIN"]', ms: undefined, span: '$DRAIN', unresolved: true },
  ];
  for (const c of preStops) {
    it(`reads a preStop sleep from ${c.name}`, () => {
      const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: app\n      lifecycle:\n        preStop:\n${podSpec('          ', c.yaml)}\n`;
      const { model, at } = build({ 'p.yaml': text });
      const sleep = model.workloads[0]!.containers[0]!.preStop!.sleep!;
      expect([sleep.ms, at(sleep.span), sleep.unresolved ?? false]).toEqual([c.ms, c.span, c.unresolved ?? false]);
    });
  }
});
