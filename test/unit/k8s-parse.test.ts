// Tests for the Kubernetes YAML reader: spans, documents, templates, syntax errors and file kinds.
import { isComposeFileName, parseComposeText } from '../../server/src/engine/yaml/compose.js';
import { describe, expect, it } from 'vitest';
import { k8sFileKindByPath, looksLikeK8s, parseK8sText } from '../../server/src/engine/inputs/k8s/file.js';
import type { Span } from '../../server/src/engine/types.js';

const slice = (text: string, span: Span): string => text.slice(span.start, span.end);

function annotationValue(text: string, key: string): { keyText: string; valueText: string } {
  const parsed = parseK8sText('k8s/a.yaml', text);
  const object = parsed.objects[0]!;
  const field = object.view.field(object.view.getIn(object.node, ['metadata', 'annotations']), key)!;
  const value = object.view.scalar(field.value)!;
  return { keyText: slice(text, field.key.span), valueText: slice(text, value.span) };
}

describe('parseK8sText spans', () => {
  const cases: Array<{ name: string; text: string }> = [
    { name: 'LF', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  annotations:\n    konghq.com/read-timeout: "300"\n' },
    { name: 'CRLF', text: 'apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: api\r\n  annotations:\r\n    konghq.com/read-timeout: "300"\r\n' },
    {
      name: 'CRLF after multi-byte characters (é, an emoji surrogate pair)',
      text: '# café ☕ 😀\r\napiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: ünïcode-😀\r\n  annotations:\r\n    konghq.com/read-timeout: "300" # réponse\r\n',
    },
  ];
  for (const { name, text } of cases) {
    it(`gives exact UTF-16 spans of a key and a quoted value (${name})`, () => {
      const { keyText, valueText } = annotationValue(text, 'konghq.com/read-timeout');
      expect(keyText).toBe('konghq.com/read-timeout');
      expect(valueText).toBe('"300"');
    });
  }

  it('gives the span of a plain non-ASCII scalar', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ünïcode-😀\n';
    const object = parseK8sText('a.yaml', text).objects[0]!;
    expect(slice(text, object.name!.span)).toBe('ünïcode-😀');
    expect(object.name!.text).toBe('ünïcode-😀');
  });

  it('reports scalar style and the YAML 1.1 type Kubernetes decodes', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: 300\n  b: "300"\n  c: on\n  d: \'x\'\n  e: |\n    block\n  f: !!str 300\n';
    const object = parseK8sText('a.yaml', text).objects[0]!;
    const data = object.view.get(object.node, 'data');
    const fact = (k: string) => object.view.scalar(object.view.get(data, k))!;
    expect([fact('a').style, fact('a').yamlType]).toEqual(['plain', 'int']);
    expect([fact('b').style, fact('b').yamlType]).toEqual(['double', 'string']);
    expect(fact('c').yamlType).toBe('bool');
    expect(fact('d').style).toBe('single');
    expect([fact('e').style, fact('e').text]).toEqual(['literal', 'block\n']);
    expect([fact('f').style, fact('f').yamlType]).toEqual(['plain', 'string']);
  });
});

describe('parseK8sText documents', () => {
  it('reads every document of a multi-document file and keeps comments in the Document', () => {
    const text = [
      '# leading comment',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: a}  # trailing',
      '---',
      '# just a comment',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: b',
      '  namespace: prod',
      '---',
      'not: kubernetes',
      '',
    ].join('\n');
    const parsed = parseK8sText('k8s/all.yaml', text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.documents.map((d) => d.status)).toEqual(['object', 'empty', 'object', 'other']);
    expect(parsed.objects.map((o) => [o.kind, o.name?.text, o.namespace, o.namespaceExplicit])).toEqual([
      ['Service', 'a', 'default', false],
      ['Deployment', 'b', 'prod', true],
    ]);
    expect(String(parsed.documents[0]!.document)).toContain('# leading comment');
    expect(String(parsed.documents[0]!.document)).toContain('# trailing');
    // Document extents tile the file.
    expect(parsed.documents[0]!.span.start).toBe(0);
    expect(parsed.documents.at(-1)!.span.end).toBe(text.length);
    expect(parsed.objects[1]!.group).toBe('apps');
  });

  it('expands kind: List items into objects', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: one}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: two}\n';
    const parsed = parseK8sText('list.yaml', text);
    expect(parsed.documents[0]!.status).toBe('list');
    expect(parsed.objects.map((o) => o.name?.text)).toEqual(['one', 'two']);
  });

  it('follows anchors, aliases and merge keys', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: &labels {app: api}\n  annotations:\n    <<: *labels\n    own: "1"\n';
    const object = parseK8sText('a.yaml', text).objects[0]!;
    const annotations = object.view.getIn(object.node, ['metadata', 'annotations']);
    expect(object.view.fields(annotations).map((f) => f.key.text)).toEqual(['own', 'app']);
    expect(object.view.text(annotations, 'app')).toBe('api');
  });
});

const HELM_INGRESS = `{{- if .Values.ingress.enabled -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "chart.fullname" . }}
  labels:
    {{- include "chart.labels" . | nindent 4 }}
  annotations:
    nginx.ingress.kubernetes.io/proxy-read-timeout: {{ .Values.ingress.readTimeout | quote }}
spec:
  ingressClassName: nginx
{{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: "{{ .Release.Name }}-api"
spec:
  ports:
    - port: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  replicas: {{ .Values.replicaCount }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: plain
data:
  READ_TIMEOUT: "60"
`;

describe('parseK8sText templates', () => {
  it('analyses the valid documents of a Helm template and marks the rest not analysed', () => {
    const parsed = parseK8sText('chart/templates/ingress.yaml', HELM_INGRESS);
    expect(parsed.documents.map((d) => d.status)).toEqual(['template', 'object', 'template', 'object']);
    expect(parsed.problems.map((p) => [p.kind, slice(HELM_INGRESS, p.span)])).toEqual([
      ['not-analysed', '{{- if .Values.ingress.enabled -}}'],
      ['not-analysed', '{{ .Values.replicaCount }}'],
    ]);
    expect(parsed.problems[0]!.message).toContain('not analysed: template');
    // A quoted template expression is a value whose rendered text is unknown, not structure.
    const service = parsed.objects.find((o) => o.kind === 'Service')!;
    expect(service.name).toMatchObject({ text: '{{ .Release.Name }}-api', unresolved: true });
    expect(parsed.objects.find((o) => o.kind === 'ConfigMap')!.name?.text).toBe('plain');
  });

  it('treats envsubst placeholders as unresolved values in valid YAML', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  T: ${READ_TIMEOUT}\n';
    const parsed = parseK8sText('a.yaml', text);
    expect(parsed.problems).toEqual([]);
    const object = parsed.objects[0]!;
    expect(object.view.scalar(object.view.getIn(object.node, ['data', 'T']))).toMatchObject({ text: '${READ_TIMEOUT}', unresolved: true });
  });

  it('treats a Jinja statement as a template', () => {
    const text = '{% if ingress %}\napiVersion: v1\nkind: Service\nmetadata: {name: a}\n{% endif %}\n';
    const parsed = parseK8sText('a.yaml.j2', text);
    expect(parsed.problems.map((p) => [p.kind, slice(text, p.span)])).toEqual([['not-analysed', '{% if ingress %}']]);
    expect(parsed.objects).toEqual([]);
  });

  it('does not mistake a template expression in a comment or a block scalar for structure', () => {
    const text = '# {{ not a template }}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: alerts}\ndata:\n  rule: |\n    {{ $labels.instance }} is down\n';
    const parsed = parseK8sText('a.yaml', text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.objects).toHaveLength(1);
  });
});

describe('parseK8sText syntax errors', () => {
  it('reports invalid YAML with the error position and keeps the other documents', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n';
    const parsed = parseK8sText('a.yaml', text);
    expect(parsed.objects.map((o) => o.name?.text)).toEqual(['ok']);
    expect(parsed.problems).toHaveLength(1);
    const problem = parsed.problems[0]!;
    expect(problem.kind).toBe('syntax');
    expect(problem.message).toMatch(/^invalid YAML: /);
    expect(problem.span.start).toBeGreaterThan(text.indexOf('---'));
    expect(problem.span.end).toBeLessThanOrEqual(text.length);
  });

  it('reports a duplicate key as a syntax problem at the key', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  k: "1"\n  k: "2"\n';
    const parsed = parseK8sText('a.yaml', text);
    expect(parsed.problems.map((p) => [p.kind, slice(text, p.span)])).toEqual([['syntax', 'k']]);
  });

  it('reads an empty file and a file of only comments without problems', () => {
    for (const text of ['', '# nothing\n', '---\n---\n']) {
      const parsed = parseK8sText('a.yaml', text);
      expect(parsed.problems).toEqual([]);
      expect(parsed.objects).toEqual([]);
    }
  });
});

describe('file kinds', () => {
  const cases: Array<[string, string]> = [
    ['k8s/deploy.yaml', 'manifests'],
    ['overlays/prod/kustomization.yaml', 'kustomization'],
    ['kustomization.yml', 'kustomization'],
    ['my-compose-notes.yaml', 'manifests'],
  ];
  for (const [file, kind] of cases) it(`reads ${file} as ${kind}`, () => expect(k8sFileKindByPath(file)).toBe(kind));

  // Compose files are the compose input's, by name (a name claim wins over the manifests' content claim).
  const compose: Array<[string, boolean]> = [
    ['docker-compose.yml', true],
    ['docker-compose.override.yaml', true],
    ['deploy/compose.yaml', true],
    ['compose-dev.yml', true],
    ['my-compose-notes.yaml', false],
    ['k8s/deploy.yaml', false],
  ];
  for (const [file, isCompose] of compose) it(`${file} is ${isCompose ? '' : 'not '}a compose file`, () => expect(isComposeFileName(file)).toBe(isCompose));

  const looks: Array<[string, boolean]> = [
    ['apiVersion: v1\nkind: Service\n', true],
    ['  - apiVersion: v1\n    kind: Pod\n', true],
    ['name: ci\non: push\n', false],
    ['apiVersion: v2\nname: chart\n', false],
  ];
  for (const [text, expected] of looks) it(`looksLikeK8s(${JSON.stringify(text)}) is ${expected}`, () => expect(looksLikeK8s(text)).toBe(expected));
});

describe('kustomization and compose files', () => {
  it('reads kustomization resources with spans', () => {
    const text = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: prod\nresources:\n  - deployment.yaml\n  - ../base\n';
    const parsed = parseK8sText('overlays/prod/kustomization.yaml', text);
    expect(parsed.kustomization!.resources.map((r) => slice(text, r.span))).toEqual(['deployment.yaml', '../base']);
    expect(parsed.kustomization!.namespace?.text).toBe('prod');
  });

  it('reads compose services: image, build context, ports and environment', () => {
    const text = [
      'services:',
      '  api:',
      '    build: ./api',
      '    ports:',
      '      - "8080:3000"',
      '      - target: 9229',
      '        published: "9229"',
      '    environment:',
      '      - LLM_TIMEOUT_MS=600000',
      '      - FROM_SHELL',
      '  web:',
      '    image: nginx:1.27',
      '    build:',
      '      context: ./web',
      '    environment:',
      '      UPSTREAM: http://api:3000',
      '',
    ].join('\n');
    const parsed = parseComposeText('docker-compose.yml', text);
    const [api, web] = parsed.compose!.services;
    expect(api!.name).toBe('api');
    expect(slice(text, api!.nameSpan)).toBe('api');
    expect(api!.build!.context!.text).toBe('./api');
    expect(api!.ports.map((p) => [p.published, p.target])).toEqual([['8080', '3000'], ['9229', '9229']]);
    expect(api!.environment.map((e) => [e.name, e.value?.text])).toEqual([['LLM_TIMEOUT_MS', '600000'], ['FROM_SHELL', undefined]]);
    expect(slice(text, api!.environment[0]!.value!.span)).toBe('600000');
    expect(slice(text, api!.environment[0]!.nameSpan)).toBe('LLM_TIMEOUT_MS');
    expect(web!.image!.text).toBe('nginx:1.27');
    expect(web!.build!.context!.text).toBe('./web');
    expect(slice(text, web!.environment[0]!.value!.span)).toBe('http://api:3000');
  });
});
