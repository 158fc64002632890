// Source mapping of rendered Helm templates: output offsets back to template text, and values paths back to the values file.
import { describe, expect, it } from 'vitest';
import { combineValues, parseChartTemplates, readValuesYaml, renderTemplate, sourceAt, unresolvedIn, type OutputSegment, type RenderResult } from '../../server/src/engine/inputs/helm/template/index.js';
import { HELPERS, MAIN, renderCase } from './helm-template-helpers.js';

function ok(result: RenderResult): Extract<RenderResult, { ok: true }> {
  if (!result.ok) throw new Error(`render failed: ${result.error.reason}`);
  return result;
}

/** The segment that produced the first occurrence of `text` in the output. */
function segmentOf(result: Extract<RenderResult, { ok: true }>, text: string): OutputSegment {
  const at = result.output.indexOf(text);
  expect(at).toBeGreaterThanOrEqual(0);
  const segment = result.segments.find((s) => s.outStart <= at && at < s.outEnd);
  if (!segment) throw new Error(`no segment covers ${JSON.stringify(text)}`);
  return segment;
}

describe('output to template mapping', () => {
  it('maps text 1:1 and an action to its whole span', () => {
    const template = 'kind: Service\nport: {{ .Values.port }}\nname: x\n';
    const result = ok(renderCase({ values: 'port: 8080', template }));
    expect(result.output).toBe('kind: Service\nport: 8080\nname: x\n');
    expect(result.segments.map((s) => [s.kind, s.outStart, s.outEnd, s.srcStart, s.srcEnd])).toEqual([
      ['text', 0, 20, 0, 20],
      ['action', 20, 24, 20, 38],
      ['text', 24, 33, 38, 47],
    ]);
    for (const s of result.segments.filter((s) => s.kind === 'text')) expect(result.output.slice(s.outStart, s.outEnd)).toBe(template.slice(s.srcStart, s.srcEnd));
  });

  it('covers the output with contiguous, ordered segments', () => {
    const result = ok(renderCase({ values: 'l: [a, b]', template: '{{- range .Values.l }}\n- {{ . | upper }}\n{{- end }}\n' }));
    expect(result.output).toBe('\n- A\n- B\n');
    let at = 0;
    for (const s of result.segments) {
      expect(s.outStart).toBe(at);
      at = s.outEnd;
    }
    expect(at).toBe(result.output.length);
  });

  it('maps text of a define run by template to the helpers file', () => {
    const helpers = '{{- define "x.labels" }}\napp: demo\n{{- end }}';
    const result = ok(renderCase({ helpers, template: 'labels:{{ template "x.labels" . }}' }));
    expect(result.output).toBe('labels:\napp: demo');
    const segment = segmentOf(result, 'app: demo');
    expect(segment).toMatchObject({ template: HELPERS, kind: 'text' });
    expect(helpers.slice(segment.srcStart, segment.srcEnd)).toBe('\napp: demo');
  });

  it('maps an include to the action that called it', () => {
    const template = 'labels:\n  {{- include "x.labels" . | nindent 2 }}';
    const result = ok(renderCase({ helpers: '{{- define "x.labels" -}}\napp: demo\n{{- end }}', template }));
    const segment = segmentOf(result, 'app: demo');
    expect(segment).toMatchObject({ template: MAIN, kind: 'action' });
    expect(template.slice(segment.srcStart, segment.srcEnd)).toBe('{{- include "x.labels" . | nindent 2 }}');
  });
});

describe('source map queries', () => {
  it('finds the template offset of a text character and the action span of a printed value', () => {
    const template = 'a: {{ .Values.a }}\nb: {{ randAlpha 2 }}\nc: 3';
    const result = ok(renderCase({ values: 'a: 1', template }));
    expect(result.output).toBe('a: 1\nb: \nc: 3');
    expect(sourceAt(result.segments, result.output.indexOf('c: 3'))).toEqual({ template: MAIN, srcStart: template.indexOf('c: 3'), srcEnd: template.indexOf('c: 3') + 1, kind: 'text' });
    expect(sourceAt(result.segments, 3)).toEqual({ template: MAIN, srcStart: 3, srcEnd: 18, kind: 'action', valuesPath: ['a'] });
    expect(sourceAt(result.segments, result.output.length)).toBeUndefined();
    const b = result.output.indexOf('b: ') + 3;
    expect(unresolvedIn(result.unresolved, b, b).map((r) => r.reason)).toEqual(['randAlpha is random']);
    expect(unresolvedIn(result.unresolved, 0, 4)).toEqual([]);
  });
});

describe('values path attribution', () => {
  const values = ['ingress:', '  className: nginx', '  annotations:', '    nginx.ingress.kubernetes.io/proxy-read-timeout: "300"', '  hosts:', '    - host: a.example.com', '    - host: b.example.com', 'tpls: "{{ .Release.Name }}-x"', 'port: 80'].join('\n');
  const pathOf = (template: string, text: string) => segmentOf(ok(renderCase({ values, template })), text).valuesPath;

  it.each([
    ['a direct lookup', '{{ .Values.ingress.className }}', 'nginx', ['ingress', 'className']],
    ['through quote', '{{ .Values.ingress.className | quote }}', 'nginx', ['ingress', 'className']],
    ['through default when the value is set', '{{ default "traefik" .Values.ingress.className }}', 'nginx', ['ingress', 'className']],
    ['through toString and upper', '{{ .Values.port | toString | upper }}', '80', ['port']],
    ['through toYaml and nindent', '{{ toYaml .Values.ingress.annotations | nindent 4 }}', 'proxy-read-timeout', ['ingress', 'annotations']],
    ['through a variable', '{{ $i := .Values.ingress }}{{ $i.className }}', 'nginx', ['ingress', 'className']],
    ['inside with', '{{ with .Values.ingress }}{{ .className }}{{ end }}', 'nginx', ['ingress', 'className']],
    ['inside range over a list', '{{ range .Values.ingress.hosts }}{{ .host }};{{ end }}', 'b.example.com', ['ingress', 'hosts', 1, 'host']],
    ['through index', '{{ index .Values.ingress.annotations "nginx.ingress.kubernetes.io/proxy-read-timeout" }}', '300', ['ingress', 'annotations', 'nginx.ingress.kubernetes.io/proxy-read-timeout']],
    ['through tpl of a values string', '{{ tpl .Values.tpls . }}', 'rel-x', ['tpls']],
    ['through $.Values inside range', '{{ range .Values.ingress.hosts }}{{ $.Values.port }}{{ end }}', '80', ['port']],
  ])('keeps the path %s', (_, template, text, path) => {
    expect(pathOf(template, text)).toEqual(path);
  });

  it.each([
    ['a computed string', '{{ printf "%s-%s" .Release.Name .Values.ingress.className }}', 'rel-nginx'],
    ['the default when the value is missing', '{{ default "traefik" .Values.ingress.missing }}', 'traefik'],
    ['a release field', '{{ .Release.Name }}', 'rel'],
  ])('has no path for %s', (_, template, text) => {
    expect(pathOf(template, text)).toBeUndefined();
  });

  it('locates a values path in the values file, down to a key under a map printed by toYaml', () => {
    const file = readValuesYaml(values);
    const chart = parseChartTemplates([{ name: MAIN, text: 'metadata:\n  annotations:\n    {{- toYaml .Values.ingress.annotations | nindent 4 }}' }]);
    const result = ok(renderTemplate(chart, MAIN, { values: file.values, release: { name: 'rel' } }));
    const segment = segmentOf(result, 'proxy-read-timeout');
    expect(segment.valuesPath).toEqual(['ingress', 'annotations']);
    // The annotation key rendered inside that segment is the last step of the path.
    const location = file.locate([...segment.valuesPath!, 'nginx.ingress.kubernetes.io/proxy-read-timeout'])!;
    expect(values.slice(location.keyStart, location.keyEnd)).toBe('nginx.ingress.kubernetes.io/proxy-read-timeout');
    expect(values.slice(location.valueStart, location.valueEnd)).toBe('"300"');
    expect(file.locate(['ingress', 'hosts', 1])).toBeDefined();
    expect(file.locate(['nope'])).toBeUndefined();
  });
});

describe('values files', () => {
  it('reads merge keys and anchors as go-yaml v2 does, explicit keys winning', () => {
    const file = readValuesYaml(['base: &b', '  timeout: 30', '  retries: 2', 'svc:', '  <<: *b', '  timeout: 60'].join('\n'));
    const result = ok(renderCase({ values: ['base: &b', '  timeout: 30', '  retries: 2', 'svc:', '  <<: *b', '  timeout: 60'].join('\n'), template: '{{ .Values.svc.timeout }} {{ .Values.svc.retries }}' }));
    expect(result.output).toBe('60 2');
    expect(file.problems).toEqual([]);
  });

  it('reports a syntax error and a non-mapping file as problems', () => {
    expect(readValuesYaml('a: [1, 2').problems.length).toBeGreaterThan(0);
    expect(readValuesYaml('- a\n- b').problems).toEqual([{ message: 'the values file is not a mapping', offset: 0 }]);
    expect(readValuesYaml('').values.size).toBe(0);
  });

  it('stops an alias bomb instead of expanding it', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const file = readValuesYaml(lines.join('\n'));
    expect(file.problems.map((p) => p.message)).toEqual([expect.stringMatching(/more than \d+ nodes/)]);
  });
});

describe('combined values files', () => {
  const base = ['ingress:', '  annotations:', '    a/read-timeout: "60"', '    a/keep: "x"', '  hosts: [one, two]', 'replicas: 1', 'debug: true'].join('\n');
  const prod = ['ingress:', '  annotations:', '    a/read-timeout: "300"', '  hosts: [prod]', 'debug: null'].join('\n');
  const files = [
    { name: 'chart/values.yaml', file: readValuesYaml(base) },
    { name: 'chart/values-prod.yaml', file: readValuesYaml(prod) },
  ];

  it('merges maps, replaces lists and deletes keys set to null, as Helm coalesces values', () => {
    const combined = combineValues(files);
    const result = ok(renderTemplate(parseChartTemplates([{ name: MAIN, text: '{{ toJson .Values }}' }]), MAIN, { values: combined.values }));
    expect(result.output).toBe('{"ingress":{"annotations":{"a/keep":"x","a/read-timeout":"300"},"hosts":["prod"]},"replicas":1}');
    // The files' own values are untouched.
    expect(files[0]!.file.values.get('debug')).toBe(true);
  });

  it('says which file set each value', () => {
    const combined = combineValues(files);
    const where = (path: (string | number)[]) => {
      const found = combined.locate(path);
      if (!found) return undefined;
      const text = found.name === 'chart/values.yaml' ? base : prod;
      return `${found.name}:${text.slice(found.location.valueStart, found.location.valueEnd)}`;
    };
    expect(where(['ingress', 'annotations', 'a/read-timeout'])).toBe('chart/values-prod.yaml:"300"');
    expect(where(['ingress', 'annotations', 'a/keep'])).toBe('chart/values.yaml:"x"');
    expect(where(['ingress', 'hosts', 0])).toBe('chart/values-prod.yaml:prod');
    expect(where(['ingress', 'hosts', 1])).toBeUndefined();
    expect(where(['replicas'])).toBe('chart/values.yaml:1');
  });

  it('tags the combined values with their paths for attribution', () => {
    const combined = combineValues(files);
    const result = ok(renderTemplate(parseChartTemplates([{ name: MAIN, text: '{{ with .Values.ingress.annotations }}{{ index . "a/read-timeout" }}{{ end }}' }]), MAIN, { values: combined.values }));
    expect(segmentOf(result, '300').valuesPath).toEqual(['ingress', 'annotations', 'a/read-timeout']);
  });
});
