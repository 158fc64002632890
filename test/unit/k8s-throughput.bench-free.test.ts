// Throughput of the Kubernetes reader against the raw yaml library; skipped unless K8S_THROUGHPUT=1 (performance is not asserted in unit tests).
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { describe, it } from 'vitest';
import { parseK8sText } from '../../server/src/engine/inputs/k8s/file.js';
import { buildK8sModel } from '../../server/src/engine/inputs/k8s/model.js';

const enabled = process.env.K8S_THROUGHPUT === '1';

/** One file of five objects (Deployment, Service, Ingress, ConfigMap, VirtualService), varied by index. */
function manifestFile(i: number): string {
  return `# app ${i}: généré — comments and non-ASCII text like real files
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: ns-${i % 7}
  labels: {app: app-${i}, tier: backend}
spec:
  replicas: ${1 + (i % 3)}
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}, tier: backend}
    spec:
      terminationGracePeriodSeconds: ${30 + (i % 60)}
      containers:
        - name: app
          image: ghcr.io/acme/app-${i}:1.${i % 10}.0
          ports: [{name: http, containerPort: 8080}]
          env:
            - name: LLM_TIMEOUT_MS
              value: "${600000 + i}"
            - name: READ_TIMEOUT
              valueFrom: {configMapKeyRef: {name: app-${i}-config, key: read-timeout}}
          envFrom: [{configMapRef: {name: app-${i}-config}}]
          readinessProbe: {httpGet: {path: /healthz, port: http}, timeoutSeconds: 2, periodSeconds: 5}
          livenessProbe: {tcpSocket: {port: 8080}}
          lifecycle: {preStop: {exec: {command: ["/bin/sh", "-c", "sleep 10"]}}}
---
apiVersion: v1
kind: Service
metadata:
  name: app-${i}
  namespace: ns-${i % 7}
  annotations:
    konghq.com/read-timeout: "${60000 + i}"
spec:
  selector: {app: app-${i}}
  ports:
    - {name: http, port: 80, targetPort: http}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app-${i}
  namespace: ns-${i % 7}
  annotations:
    nginx.ingress.kubernetes.io/proxy-read-timeout: "${i % 5 === 0 ? '300s' : String(60 + i)}"
    nginx.ingress.kubernetes.io/proxy-buffering: "off"
spec:
  ingressClassName: nginx
  rules:
    - host: app-${i}.example.com
      http:
        paths:
          - {path: /v1/chat, pathType: Prefix, backend: {service: {name: app-${i}, port: {number: 80}}}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-${i}-config, namespace: ns-${i % 7}}
data:
  read-timeout: "${120 + i}"
  LOG_LEVEL: info
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: app-${i}, namespace: ns-${i % 7}}
spec:
  hosts: [app-${i}]
  http:
    - match: [{uri: {prefix: /v1}}]
      route: [{destination: {host: app-${i}, port: {number: 80}}}]
      timeout: ${30 + (i % 90)}s
      retries: {attempts: 3, perTryTimeout: 10s, retryOn: 5xx}
`;
}

/** Median milliseconds of each measurement, run in alternation so that load from other processes hits all of them alike. */
function medians(runs: Record<string, () => void>, rounds: number): Record<string, number> {
  const samples: Record<string, number[]> = {};
  for (const run of Object.values(runs)) run();
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(runs)) {
      const start = performance.now();
      run();
      (samples[name] ??= []).push(performance.now() - start);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, [...list].sort((a, b) => a - b)[list.length >> 1]!]));
}

describe.skipIf(!enabled)('Kubernetes reader throughput', () => {
  it('prints MB/s of raw yaml parsing and of parseK8sText + buildK8sModel', () => {
    const files = Array.from({ length: 800 }, (_, i) => ({ file: `k8s/app-${i}.yaml`, text: manifestFile(i) }));
    const megabytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0) / 1e6;
    const objects = files.length * 5;
    const { rawMs, parseMs, fullMs } = medians({
      rawMs: () => {
        for (const f of files) parseAllDocuments(f.text);
      },
      parseMs: () => {
        for (const f of files) parseK8sText(f.file, f.text);
      },
      fullMs: () => {
        buildK8sModel(files.map((f) => parseK8sText(f.file, f.text)), { ingressNginxAnnotationPrefix: 'nginx.ingress.kubernetes.io' });
      },
    }, 7) as { rawMs: number; parseMs: number; fullMs: number };
    const rate = (ms: number): string => (megabytes / (ms / 1000)).toFixed(2);
    console.log(
      `k8s throughput: ${files.length} files, ${objects} objects, ${megabytes.toFixed(2)} MB\n` +
        `  yaml.parseAllDocuments:          ${rawMs.toFixed(0)} ms  ${rate(rawMs)} MB/s\n` +
        `  parseK8sText:                    ${parseMs.toFixed(0)} ms  ${rate(parseMs)} MB/s\n` +
        `  parseK8sText + buildK8sModel:    ${fullMs.toFixed(0)} ms  ${rate(fullMs)} MB/s`,
    );
  });
});
