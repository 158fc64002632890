// The Helm input: charts rendered in process, their manifests read by the Kubernetes input, findings placed on the values and template lines, and what does not render listed.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig, resolveConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import type { FileId } from '../../server/src/engine/types.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

const CHART = 'apiVersion: v2\nname: chat\nversion: 0.1.0\n';

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ .Release.Name }}-chat
  annotations:
    nginx.ingress.kubernetes.io/proxy-read-timeout: {{ .Values.readTimeout | quote }}
spec:
  ingressClassName: nginx
  rules:
    - host: chat.example.com
      http:
        paths:
          - path: /v1/chat/completions
            pathType: Prefix
            backend:
              service:
                name: chat
                port:
                  number: 80
`;

function run(files: Record<string, string>, config = defaultConfig(allRules), fs = new MemoryFs(files)) {
  return lint({ fs, files: Object.keys(files), config, rules: allRules, toolVersion: 'test' });
}

function at(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`no ${needle}`);
  return index;
}

describe('the Helm input', () => {
  it('places a finding on the values line that set the value, with the template line as related, and its fix edits the values file', () => {
    const values = 'readTimeout: "300s"\n';
    const report = run({ 'chat/Chart.yaml': CHART, 'chat/values.yaml': values, 'chat/templates/ingress.yaml': INGRESS });
    const finding = report.findings.find((f) => f.ruleId === 'ingress-nginx-annotation-unit');
    expect(finding, JSON.stringify(report.findings.map((f) => f.ruleId))).toBeDefined();
    expect(finding!.span).toEqual({ file: 'chat/values.yaml', start: at(values, '"300s"'), end: at(values, '"300s"') + 6 });
    const template = finding!.related.find((r) => r.span.file === 'chat/templates/ingress.yaml')!;
    expect(INGRESS.slice(template.span.start, template.span.end)).toBe('{{ .Values.readTimeout | quote }}');
    expect(template.message).toContain('values.yaml');
    expect(finding!.fixes[0]!.edits).toEqual([{ file: 'chat/values.yaml', start: at(values, '"300s"'), end: at(values, '"300s"') + 6, newText: '"300"' }]);
    // The rendered manifest is not a file of the report; the chart's files are.
    expect(report.files.map((f) => f.file).sort()).toEqual(['chat/Chart.yaml', 'chat/templates/ingress.yaml', 'chat/values.yaml']);
  });

  it('places a finding in template text on the template line, and never a finding on a value it cannot know', () => {
    const template = INGRESS.replace('{{ .Values.readTimeout | quote }}', '{{ (lookup "v1" "ConfigMap" "ingress" "timeouts").data.read | quote }}');
    const report = run({ 'chat/Chart.yaml': CHART, 'chat/values.yaml': '', 'chat/templates/ingress.yaml': template });
    // The read timeout is unknown: no claim that the 60 s default applies, no unit finding.
    expect(report.findings.filter((f) => f.ruleId !== 'unresolved-chain-link').map((f) => f.ruleId)).toEqual([]);
    const withoutAnnotation = INGRESS.replace(/ {4}nginx.ingress.*\n/, '');
    const plain = run({ 'chat/Chart.yaml': CHART, 'chat/values.yaml': '', 'chat/templates/ingress.yaml': withoutAnnotation });
    const finding = plain.findings.find((f) => f.ruleId === 'llm-ingress-default-timeout')!;
    expect(finding.span.file).toBe('chat/templates/ingress.yaml');
    expect(withoutAnnotation.slice(finding.span.start, finding.span.end)).toContain('/v1/chat/completions');
  });

  it('lists a template that does not render, once, and still checks the rest of the chart', () => {
    const values = 'readTimeout: "5m"\n';
    const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ required "name is required" .Values.name }}\n';
    const report = run({
      'chat/Chart.yaml': CHART,
      'chat/values.yaml': values,
      'chat/values-prod.yaml': 'readTimeout: "30m"\n',
      'chat/templates/ingress.yaml': INGRESS,
      'chat/templates/config.yaml': broken,
    }, resolveConfig({ helm: { valuesFiles: { chat: ['values-prod.yaml'] } } }, allRules).config);
    const listed = report.notAnalysed.filter((n) => n.file === 'chat/templates/config.yaml');
    expect(listed).toHaveLength(1);
    expect(listed[0]!.reason).toContain('name is required');
    expect(report.findings.filter((f) => f.ruleId === 'not-analysed' && f.span.file === 'chat/templates/config.yaml')).toHaveLength(1);
    // Each values variant is rendered: the unit finding lands in each values file.
    const units = report.findings.filter((f) => f.ruleId === 'ingress-nginx-annotation-unit').map((f) => f.span.file).sort();
    expect(units).toEqual(['chat/values-prod.yaml', 'chat/values.yaml']);
    expect(report.findings.some((f) => f.ruleId === 'parse-error')).toBe(false);
  });

  it('lists rendered output that is not valid YAML as not analysed, never as a parse error on the template', () => {
    const template = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  {{ .Values.key }}\n  other: "1"\n';
    const report = run({ 'chat/Chart.yaml': CHART, 'chat/values.yaml': 'key: "a: b: c"\n', 'chat/templates/config.yaml': template });
    expect(report.findings.filter((f) => f.ruleId === 'parse-error')).toEqual([]);
    expect(report.notAnalysed.some((n) => n.file === 'chat/templates/config.yaml' && /not valid YAML/.test(n.reason))).toBe(true);
  });

  it('keeps a manifest whose unknown value is printed inside a flow collection, the value unknown', () => {
    const template = INGRESS.replace('{{ .Values.readTimeout | quote }}', '"5"').replace('ingressClassName: nginx', 'ingressClassName: nginx\n  tls: [{hosts: [{{ lookup "v1" "Secret" "" "" }}], secretName: chat-tls}]');
    const report = run({ 'chat/Chart.yaml': CHART, 'chat/values.yaml': '', 'chat/templates/ingress.yaml': template });
    expect(report.notAnalysed).toEqual([]);
    // The Ingress is read: its 5 s read timeout on an LLM route is reported on the template line.
    const finding = report.findings.find((f) => f.ruleId === 'llm-ingress-default-timeout');
    expect(finding?.span.file).toBe('chat/templates/ingress.yaml');
  });

  it('reads .Files.Get only inside the chart folder', () => {
    const reads: FileId[] = [];
    const files = {
      'chat/Chart.yaml': CHART,
      'chat/values.yaml': '',
      'chat/files/timeout.txt': '300s',
      'secret.txt': '300s',
      'chat/templates/inside.yaml': INGRESS.replace('{{ .Values.readTimeout | quote }}', '{{ .Files.Get "files/timeout.txt" | quote }}'),
      'chat/templates/outside.yaml': INGRESS.replace('{{ .Release.Name }}-chat', 'outside').replace('{{ .Values.readTimeout | quote }}', '{{ .Files.Get "../secret.txt" | quote }}'),
    };
    const fs = new MemoryFs(files);
    const readFile = fs.readFile.bind(fs);
    fs.readFile = (file: FileId) => (reads.push(file), readFile(file));
    const report = lint({ fs, files: Object.keys(files).filter((f) => f.endsWith('.yaml')), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' });
    expect(reads).toContain('chat/files/timeout.txt');
    expect(reads).not.toContain('secret.txt');
    const units = report.findings.filter((f) => f.ruleId === 'ingress-nginx-annotation-unit');
    expect(units.map((f) => f.span.file)).toEqual(['chat/templates/inside.yaml']);
  });

  it('hands a templates/ file outside any chart back to the Kubernetes input, as it is', () => {
    const manifest = INGRESS.replace('{{ .Release.Name }}-chat', 'chat').replace('{{ .Values.readTimeout | quote }}', '"300s"');
    const report = run({ 'deploy/templates/ingress.yaml': manifest });
    const finding = report.findings.find((f) => f.ruleId === 'ingress-nginx-annotation-unit')!;
    expect(finding.span.file).toBe('deploy/templates/ingress.yaml');
    expect(manifest.slice(finding.span.start, finding.span.end)).toBe('"300s"');
    expect(finding.fixes[0]!.edits[0]!.file).toBe('deploy/templates/ingress.yaml');
    expect(report.files.map((f) => f.file)).toEqual(['deploy/templates/ingress.yaml']);
    expect(report.notAnalysed).toEqual([]);
  });

  it('renders every template of the chart when only its values file is given, so the values are still checked', () => {
    const values = 'readTimeout: "300s"\n';
    const files = { 'chat/Chart.yaml': CHART, 'chat/values.yaml': values, 'chat/templates/ingress.yaml': INGRESS };
    const report = lint({ fs: new MemoryFs(files), files: ['chat/values.yaml'], config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' });
    const finding = report.findings.find((f) => f.ruleId === 'ingress-nginx-annotation-unit')!;
    expect(finding.span.file).toBe('chat/values.yaml');
    expect(report.files.map((f) => f.file).sort()).toEqual(['chat/templates/ingress.yaml', 'chat/values.yaml']);
  });

  it('refuses configured values files outside the workspace', () => {
    const { errors, config } = resolveConfig({ helm: { valuesFiles: { chat: ['../../etc/values.yaml'], '/abs': ['values.yaml'] } } }, allRules);
    expect(errors.filter((e) => e.includes('/helm/valuesFiles'))).toHaveLength(2);
    expect([...config.helm.valuesFiles.get('chat') ?? []]).toEqual([]);
  });

  describe('named templates of chart dependencies', () => {
    const chart = `${CHART}dependencies:\n  - name: common\n    repository: oci://registry-1.docker.io/bitnamicharts\n    version: 2.x.x\n`;
    const ingress = INGRESS.replace('name: {{ .Release.Name }}-chat', 'name: {{ include "common.names.fullname" . }}');
    const values = 'readTimeout: "300s"\n';

    it('renders a template that includes a dependency not in the workspace, the include unknown, and still checks the rest', () => {
      const report = run({ 'chat/Chart.yaml': chart, 'chat/values.yaml': values, 'chat/templates/ingress.yaml': ingress });
      expect(report.findings.map((f) => f.ruleId)).toContain('ingress-nginx-annotation-unit');
      expect(report.notAnalysed.filter((n) => n.file === 'chat/templates/ingress.yaml')).toEqual([]);
    });

    it('reads the defines of a dependency vendored under charts/', () => {
      const names = '{{- define "common.names.fullname" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end -}}\n';
      const report = run({ 'chat/Chart.yaml': chart, 'chat/values.yaml': values, 'chat/templates/ingress.yaml': ingress, 'chat/charts/common/Chart.yaml': 'apiVersion: v2\nname: common\nversion: 2.0.0\ntype: library\n', 'chat/charts/common/templates/_names.tpl': names });
      expect(report.findings.map((f) => f.ruleId)).toContain('ingress-nginx-annotation-unit');
      expect(report.notAnalysed.filter((n) => n.file.startsWith('chat/'))).toEqual([]);
    });

    it('renders a template whose include no file defines, says so once where it is included, and still checks it', () => {
      const report = run({ 'chat/Chart.yaml': CHART, 'chat/values.yaml': values, 'chat/templates/ingress.yaml': ingress });
      expect(report.findings.map((f) => f.ruleId)).toContain('ingress-nginx-annotation-unit');
      const notes = report.notAnalysed.filter((n) => n.file === 'chat/templates/ingress.yaml');
      expect(notes).toHaveLength(1);
      expect(notes[0]!.reason).toMatch(/includes "common.names.fullname", which no file of the chart defines; helm template fails until it is defined/);
      const problem = report.findings.find((f) => f.ruleId === 'not-analysed')!;
      expect(ingress.slice(problem.span.start, problem.span.end)).toBe('{{ include "common.names.fullname" . }}');
    });

    it('reads the dependencies of a Helm 2 chart from requirements.yaml', () => {
      const v1 = 'apiVersion: v1\nname: chat\nversion: 0.1.0\n';
      const requirements = 'dependencies:\n  - name: common\n    version: 1.x.x\n    repository: https://charts.bitnami.com/bitnami\n';
      const report = run({ 'chat/Chart.yaml': v1, 'chat/requirements.yaml': requirements, 'chat/values.yaml': values, 'chat/templates/ingress.yaml': ingress });
      expect(report.findings.map((f) => f.ruleId)).toContain('ingress-nginx-annotation-unit');
      expect(report.notAnalysed.filter((n) => n.file.startsWith('chat/'))).toEqual([]);
    });
  });

  describe('unknown names and labels', () => {
    const service = `apiVersion: v1
kind: Service
metadata:
  name: {{ include "api.fullname" . }}
spec:
  selector:
    {{- include "api.selectorLabels" . | nindent 4 }}
    component: api
  ports:
    - port: 80
      targetPort: 8080
`;
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  selector:
    matchLabels:
      component: api
  template:
    metadata:
      labels:
        component: api
        release: {{ include "api.release" . }}
    spec:
      containers:
        - name: worker
          image: ghcr.io/acme/worker:1.0
`;
    const ingress = INGRESS.replace('name: chat\n', 'name: {{ include "chat.fullname" . }}\n');

    it('never links an unknown backend name to another chart\'s unknown Service name', () => {
      const report = run({ 'chat/Chart.yaml': CHART, 'chat/values.yaml': 'readTimeout: "300"\n', 'chat/templates/ingress.yaml': ingress, 'api/Chart.yaml': CHART.replace('chat', 'api'), 'api/values.yaml': '', 'api/templates/service.yaml': service });
      const stop = report.findings.find((f) => f.ruleId === 'unresolved-chain-link' && f.span.file.startsWith('chat/'));
      expect(stop?.message).toMatch(/the backend Service's name is unknown \(<unknown>: a template printed it\)/);
    });

    it('lets a selector holding an unknown helper entry pick no workload, and says why', () => {
      const withName = service.replace('{{ include "api.fullname" . }}', 'api');
      const report = run({ 'api/Chart.yaml': CHART.replace('chat', 'api'), 'api/values.yaml': '', 'api/templates/service.yaml': withName, 'api/templates/deployment.yaml': deployment, 'gw/ingress.yaml': INGRESS.replace('name: chat\n', 'name: api\n').replace(/\{\{[^}]*\}\}/g, 'x') });
      const stop = report.findings.find((f) => f.ruleId === 'unresolved-chain-link' && f.span.file === 'api/templates/service.yaml');
      expect(stop?.message).toMatch(/selector of Service default\/api holds entries a template printed that cannot be known offline/);
    });
  });

  it('an HTTPRoute backend whose name a template left unknown says so, never "not among the manifests"', () => {
    const route = 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: {{ include "llm.routeName" . }}\nspec:\n  rules:\n    - backendRefs:\n        - group: inference.networking.k8s.io\n          kind: InferencePool\n          name: {{ include "llm.poolName" . }}\n          port: 8000\n';
    const report = run({ 'llm/Chart.yaml': CHART.replace('chat', 'llm'), 'llm/values.yaml': '', 'llm/templates/httproute.yaml': route });
    const stop = report.findings.find((f) => f.ruleId === 'unresolved-chain-link');
    expect(stop?.message).toMatch(/HTTPRoute default\/<unknown>.*the InferencePool name of backend <unknown> is unknown: a template printed it/);
  });

  describe('a chart folder without its Chart.yaml', () => {
    const values = 'readTimeout: "300s"\n';

    it('is read as a chart when templates/ sits beside values.yaml, and .Chart is unknown, never empty', () => {
      const named = INGRESS.replace('name: {{ .Release.Name }}-chat', 'name: {{ .Chart.Name }}-chat');
      const report = run({ 'deploy/chat/values.yaml': values, 'deploy/chat/templates/ingress.yaml': named });
      const finding = report.findings.find((f) => f.ruleId === 'ingress-nginx-annotation-unit');
      expect(finding?.span.file).toBe('deploy/chat/values.yaml');
      expect(report.notAnalysed).toEqual([]);
    });

    it('is not a chart without a values file: its templates are read as they are', () => {
      const report = run({ 'deploy/chat/templates/ingress.yaml': INGRESS });
      expect(report.notAnalysed.map((n) => n.file)).toEqual(['deploy/chat/templates/ingress.yaml']);
      expect(report.notAnalysed[0]!.reason).toMatch(/template/);
    });
  });
});
