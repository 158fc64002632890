// Fuzz tests: random text and mutated manifests never make the Kubernetes reader or model throw, and every span lies inside the text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseK8sText } from '../../server/src/engine/inputs/k8s/file.js';
import { buildK8sModel } from '../../server/src/engine/inputs/k8s/model.js';
import type { Span } from '../../server/src/engine/types.js';

// K8S_FUZZ_RUNS=20 multiplies the runs for a longer local search; the default keeps `npm test` quick.
const RUNS = Math.max(1, Number(process.env.K8S_FUZZ_RUNS ?? 1));

const SEED_MANIFESTS = [
  `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  annotations:
    nginx.ingress.kubernetes.io/proxy-read-timeout: "300s"
    konghq.com/read-timeout: "300"
    alb.ingress.kubernetes.io/load-balancer-attributes: idle_timeout.timeout_seconds=600
spec:
  ingressClassName: nginx
  rules:
    - host: api.example.com
      http:
        paths:
          - path: /v1/chat
            pathType: Prefix
            backend: {service: {name: api, port: {number: 80}}}
---
apiVersion: v1
kind: Service
metadata: {name: api, annotations: {cloud.google.com/backend-config: '{"default": "bc"}'}}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: web}]
`,
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    metadata: {labels: &l {app: api}}
    spec:
      terminationGracePeriodSeconds: 45
      containers:
        - name: api
          env:
            - {name: A, value: "1"}
            - name: B
              valueFrom: {configMapKeyRef: {name: cm, key: b}}
          envFrom: [{configMapRef: {name: cm}}]
          readinessProbe: {httpGet: {path: /, port: 80}, timeoutSeconds: 5}
          lifecycle: {preStop: {exec: {command: [sh, -c, "sleep 5"]}}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm, labels: {<<: *l}}
data: {b: "2", proxy-read-timeout: "90"}
`,
  `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: v}
spec:
  hosts: [v]
  http:
    - match: [{uri: {prefix: /}}]
      route: [{destination: {host: v, port: {number: 80}}}]
      timeout: 30s
      retries: {attempts: 3, perTryTimeout: 5s}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r}
spec:
  rules: [{backendRefs: [{name: v, port: 80}], timeouts: {request: 10s}}]
---
apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: p}
spec: {routes: [{services: [{name: v, port: 80}], timeoutPolicy: {response: 1m}, retryPolicy: {count: 2}}]}
---
apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: k}
spec: {template: {spec: {timeoutSeconds: 600, containers: [{image: x}]}}}
`,
  `{{- if .Values.enabled }}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "x" . }}
  labels:
    {{- include "chart.labels" . | nindent 4 }}
{{- end }}
`,
];

// Fragments that stress YAML and template handling when spliced into a manifest.
const FRAGMENTS = ['\n---\n', '{{ .Values.x }}', '{{- end }}', '{% if x %}', '${VAR}', ': ', '- ', '"', "'", '\t', '\r\n', '&a ', '*a', '<<: *a\n', '[', ']', '{', '}', '#', '|\n', '>-\n', '😀', 'é', '\u0000', '\ufeff', '%YAML 1.1\n', '!!str ', '? '];

function spansOf(value: unknown, out: Span[], seen: Set<unknown>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Map) {
    for (const item of value.values()) spansOf(item, out, seen);
    return;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.file === 'string' && typeof record.start === 'number' && typeof record.end === 'number') out.push(record as unknown as Span);
  for (const [key, child] of Object.entries(record)) {
    // The yaml package's own nodes are not our facts.
    if (key === 'node' || key === 'view' || key === 'document') continue;
    spansOf(child, out, seen);
  }
}

function checkText(text: string): void {
  const file = 'fuzz.yaml';
  const parsed = parseK8sText(file, text);
  const model = buildK8sModel([parsed, parseK8sText('docker-compose.yml', text), parseK8sText('kustomization.yaml', text)], { ingressNginxAnnotationPrefix: 'nginx.ingress.kubernetes.io' });
  // The model catches a reader that throws; in a fuzz run that would be a bug, so none may appear.
  expect(model.problems.filter((p) => p.message.includes('could not be')).map((p) => p.message)).toEqual([]);
  const spans: Span[] = [];
  spansOf(model, spans, new Set());
  for (const span of spans) {
    expect(span.start, JSON.stringify(span)).toBeGreaterThanOrEqual(0);
    expect(span.end, JSON.stringify(span)).toBeGreaterThanOrEqual(span.start);
    expect(span.end, JSON.stringify(span)).toBeLessThanOrEqual(text.length);
  }
}

describe('Kubernetes reader fuzzing', () => {
  it('never throws on random text and keeps every span inside it', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => checkText(text)), { numRuns: 300 * RUNS });
  });

  it('never throws on random sequences of YAML and template fragments', () => {
    const token = fc.oneof(fc.constantFrom(...FRAGMENTS), fc.constantFrom('apiVersion: v1\n', 'kind: Service\n', 'metadata:\n  name: x\n', '  ', 'timeout: 5s\n'));
    fc.assert(fc.property(fc.array(token, { maxLength: 40 }), (tokens) => checkText(tokens.join(''))), { numRuns: 300 * RUNS });
  });

  it('never throws on mutated manifests and keeps every span inside them', () => {
    const mutation = fc.record({
      at: fc.nat(),
      deleteLength: fc.nat({ max: 12 }),
      insert: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })),
    });
    const property = fc.property(fc.constantFrom(...SEED_MANIFESTS), fc.array(mutation, { minLength: 1, maxLength: 6 }), (seed, mutations) => {
      let text = seed;
      for (const { at, deleteLength, insert } of mutations) {
        const offset = at % (text.length + 1);
        text = text.slice(0, offset) + insert + text.slice(offset + deleteLength);
      }
      checkText(text);
    });
    fc.assert(property, { numRuns: 400 * RUNS });
  });

  it('reads every seed manifest without problems except the Helm template', () => {
    const problems = SEED_MANIFESTS.map((text) => parseK8sText('seed.yaml', text).problems.map((p) => p.kind));
    expect(problems).toEqual([[], [], [], ['not-analysed']]);
  });
});
