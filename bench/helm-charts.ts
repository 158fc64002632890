// The cost of Helm charts: a chart-heavy workspace (200 charts in the `helm create` layout, two values variants each) linted in process, and the rendering alone; part of `npm run bench`, alone with `npm run bench:helm`.
import { performance } from 'node:perf_hooks';
import { allRules } from '../rules/index.js';
import { resolveConfig } from '../server/src/engine/config.js';
import { renderChart, readValuesYaml, type TemplateFile } from '../server/src/engine/inputs/helm/template/index.js';
import { lint } from '../server/src/engine/run.js';
import { MemoryFs } from '../server/src/engine/workspace-fs.js';

const CHARTS = Number(process.env.BENCH_CHARTS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const HELPERS = `{{- define "app.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- define "app.fullname" -}}
{{- if .Values.fullnameOverride }}{{ .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}{{ printf "%s-%s" .Release.Name (include "app.name" .) | trunc 63 | trimSuffix "-" }}{{ end }}
{{- end }}
{{- define "app.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "app.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ include "app.name" . }}
      app.kubernetes.io/instance: {{ .Release.Name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{ include "app.name" . }}
        app.kubernetes.io/instance: {{ .Release.Name }}
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          ports:
            - name: http
              containerPort: {{ .Values.service.targetPort }}
          {{- with .Values.env }}
          env:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          readinessProbe:
            httpGet: { path: /healthz, port: http }
            timeoutSeconds: {{ .Values.probe.timeoutSeconds }}
            periodSeconds: {{ .Values.probe.periodSeconds }}
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  type: {{ .Values.service.type }}
  ports:
    - port: {{ .Values.service.port }}
      targetPort: http
  selector:
    app.kubernetes.io/name: {{ include "app.name" . }}
    app.kubernetes.io/instance: {{ .Release.Name }}
`;

const INGRESS = `{{- if .Values.ingress.enabled -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "app.fullname" . }}
  {{- with .Values.ingress.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  ingressClassName: {{ .Values.ingress.className }}
  rules:
    {{- range .Values.ingress.hosts }}
    - host: {{ .host | quote }}
      http:
        paths:
          {{- range .paths }}
          - path: {{ .path }}
            pathType: Prefix
            backend:
              service:
                name: {{ include "app.fullname" $ }}
                port:
                  number: {{ $.Values.service.port }}
          {{- end }}
    {{- end }}
{{- end }}
`;

function values(index: number, timeout: string): string {
  return `replicaCount: ${1 + (index % 3)}
image:
  repository: ghcr.io/example/svc-${index}
  tag: ""
service:
  type: ClusterIP
  port: 80
  targetPort: 8080
env:
  - name: UPSTREAM_TIMEOUT_MS
    value: "${30000 + index}"
probe:
  timeoutSeconds: 2
  periodSeconds: 10
ingress:
  enabled: ${index % 4 !== 3}
  className: nginx
  annotations:
    nginx.ingress.kubernetes.io/proxy-read-timeout: "${timeout}"
  hosts:
    - host: svc-${index}.example.com
      paths:
        - path: ${index % 5 === 0 ? '/v1/chat/completions' : '/api'}
`;
}

function workspace(): { fs: MemoryFs; files: string[]; config: ReturnType<typeof resolveConfig>['config'] } {
  const files: Record<string, string> = {};
  const valuesFiles: Record<string, string[]> = {};
  for (let i = 0; i < CHARTS; i++) {
    const dir = `charts/svc-${i}`;
    files[`${dir}/Chart.yaml`] = `apiVersion: v2\nname: svc-${i}\nversion: 0.${i}.0\nappVersion: "1.${i}"\n`;
    files[`${dir}/values.yaml`] = values(i, '120');
    files[`${dir}/values-prod.yaml`] = `replicaCount: 4\ningress:\n  annotations:\n    nginx.ingress.kubernetes.io/proxy-read-timeout: "${i % 2 === 0 ? '300' : '30'}"\n`;
    files[`${dir}/templates/_helpers.tpl`] = HELPERS;
    files[`${dir}/templates/deployment.yaml`] = DEPLOYMENT;
    files[`${dir}/templates/service.yaml`] = SERVICE;
    files[`${dir}/templates/ingress.yaml`] = INGRESS;
    valuesFiles[dir] = ['values-prod.yaml'];
  }
  const { config, errors } = resolveConfig({ helm: { valuesFiles } }, allRules);
  if (errors.length > 0) throw new Error(errors.join('; '));
  return { fs: new MemoryFs(files), files: Object.keys(files), config };
}

function median(run: () => void): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

function main(): void {
  const { fs, files, config } = workspace();
  let findings = 0;
  let notAnalysed = 0;
  const whole = median(() => {
    const report = lint({ fs, files, config, rules: allRules, toolVersion: 'bench' });
    findings = report.findings.length;
    notAnalysed = report.notAnalysed.length;
  });
  const templates = (dir: string): TemplateFile[] =>
    files.filter((f) => f.startsWith(`${dir}/templates/`)).map((f) => ({ name: `${dir.slice('charts/'.length)}/${f.slice(dir.length + 1)}`, text: new TextDecoder().decode(fs.readFile(f)) }));
  const charts = Array.from({ length: CHARTS }, (_, i) => `charts/svc-${i}`).map((dir) => ({ templates: templates(dir), values: readValuesYaml(new TextDecoder().decode(fs.readFile(`${dir}/values.yaml`))).values }));
  const render = median(() => {
    for (const chart of charts) renderChart(chart.templates, { values: chart.values });
  });
  if (notAnalysed > 0) throw new Error(`${notAnalysed} files not analysed in the chart benchmark`);
  console.log(`Helm charts: ${CHARTS} charts (${files.length} files, 2 values variants each): lint in process ${whole.toFixed(0)} ms median of ${RUNS} (${(whole / CHARTS).toFixed(2)} ms per chart, ${findings} findings); rendering alone, one variant: ${render.toFixed(0)} ms (${(render / CHARTS).toFixed(2)} ms per chart).`);
}

main();
