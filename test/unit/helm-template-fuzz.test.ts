// Fuzzing the Helm template engine: random token soup and mutated chart idioms never make it throw, hang or leave its bounds.
import { describe, expect, it } from 'vitest';
import { parseChartTemplates, readValuesYaml, renderTemplate, type RenderResult } from '../../server/src/engine/inputs/helm/template/index.js';

/** A small seeded generator (mulberry32), so a failure reproduces from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  '{{', '}}', '{{- ', ' -}}', '{{/*', '*/}}', ' ', '\n', 'text', ': ', '- ',
  'if', 'else', 'else if', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue',
  '"x.name"', '"a"', '`raw`', "'c'", '"%s-%d"', '"\\n"', '$', '$x', '$i', '$v', ':=', '=', ',', '|', '(', ')', '.', '.Values', '.a', '.b', '.Release.Name',
  '.Capabilities.KubeVersion.GitVersion', '.Files.Get', '.Chart.Name', 'nil', 'true', 'false', '0', '1', '-1', '63', '1e3', '0x1F', '1.5', '99999999999999999999',
  'include', 'tpl', 'required', 'fail', 'toYaml', 'fromYaml', 'toJson', 'nindent', 'indent', 'quote', 'default', 'printf', 'print', 'dict', 'list', 'set', 'unset',
  'merge', 'mergeOverwrite', 'until', 'index', 'len', 'eq', 'ne', 'lt', 'and', 'or', 'not', 'lookup', 'randAlpha', 'semverCompare', '">=1.19-0"', 'trunc', 'trimSuffix',
  'split', 'join', 'keys', 'append', 'first', 'hasKey', 'add', 'div', 'mod', 'repeat', 'regexMatch', '"[a-"', 'b64enc', 'sha256sum', 'toString', 'int', 'unknownFn',
];

const IDIOMS = [
  '{{- define "x.name" -}}{{ default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}{{- end }}name: {{ include "x.name" . }}',
  'metadata:\n  {{- with .Values.a }}\n  annotations:\n    {{- toYaml . | nindent 4 }}\n  {{- end }}',
  '{{- range $i, $h := .Values.hosts }}\n- host: {{ $h.host | quote }}\n  port: {{ $.Values.port }}\n{{- end }}',
  '{{- if semverCompare ">=1.19-0" .Capabilities.KubeVersion.GitVersion }}v1{{ else }}v1beta1{{ end }}',
  '{{ $d := merge (dict "a" 1) .Values.a }}{{ toJson $d }} {{ printf "%s-%v" .Release.Name (len $d) }}',
  '{{ tpl .Values.t . }} {{ required "need" .Values.port }} {{ lookup "v1" "Secret" "" "" }}',
  '{{ range until 5 }}{{ if eq . 3 }}{{ break }}{{ end }}{{ . }}{{ end }}{{ block "b" . }}blk{{ end }}',
];

const VALUES = readValuesYaml(['a:', '  k: v', '  n: 3', 'hosts:', '  - host: x', '  - host: y', 'port: 80', 't: "{{ .Release.Name }}"', 'nameOverride: ""'].join('\n')).values;
const LIMITS = { maxTemplateDepth: 20, maxOutputChars: 20_000, maxSteps: 20_000 };

function tokenSoup(next: () => number): string {
  const count = Math.floor(next() * 40);
  let text = '';
  for (let i = 0; i < count; i++) text += TOKENS[Math.floor(next() * TOKENS.length)];
  return text;
}

function mutate(text: string, next: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(next() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * (out.length + 1));
    const length = Math.floor(next() * 8);
    switch (Math.floor(next() * 4)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + length);
        break;
      case 1:
        out = out.slice(0, at) + TOKENS[Math.floor(next() * TOKENS.length)] + out.slice(at);
        break;
      case 2:
        out = out.slice(0, at) + out.slice(at, at + length) + out.slice(at);
        break;
      default: {
        const other = Math.floor(next() * out.length);
        out = out.slice(0, at) + out.slice(other, other + length) + out.slice(at + length);
      }
    }
  }
  return out;
}

/** What is wrong with one render's result against the engine's contract (plain checks: thousands run per test). */
function contractViolation(result: RenderResult, text: string): string | undefined {
  if (!result.ok) {
    const { kind, reason, offset, template } = result.error;
    if (!['parse', 'exec', 'fail', 'required', 'limit'].includes(kind)) return `unknown error kind ${kind}`;
    if (reason.length === 0) return 'an error without a reason';
    if (reason.startsWith('internal error')) return reason;
    if (offset < 0 || (template === 'fuzz/templates/main.yaml' && offset > text.length)) return `error offset ${offset} outside the template`;
    return undefined;
  }
  if (result.output.length > LIMITS.maxOutputChars) return 'output over the bound';
  let at = 0;
  for (const segment of result.segments) {
    if (segment.outStart !== at || segment.outEnd <= segment.outStart) return `segment ${JSON.stringify(segment)} does not continue at ${at}`;
    at = segment.outEnd;
  }
  if (at !== result.output.length) return 'segments do not cover the output';
  for (const range of result.unresolved) {
    if (range.outStart < 0 || range.outEnd > result.output.length || range.outStart > range.outEnd) return `unresolved range ${JSON.stringify(range)} outside the output`;
    if (range.reason.length === 0) return 'an unresolved range without a reason';
  }
  return undefined;
}

/** Renders, turning a throw into a violation. */
function violationOf(text: string, helpers: string): { violation: string | undefined; ok: boolean } {
  try {
    const result = render(text, helpers);
    return { violation: contractViolation(result, text), ok: result.ok };
  } catch (error) {
    return { violation: `threw ${String(error)}`, ok: false };
  }
}

function render(text: string, helpers: string): RenderResult {
  const chart = parseChartTemplates([
    { name: 'fuzz/templates/main.yaml', text },
    { name: 'fuzz/templates/_helpers.tpl', text: helpers },
  ]);
  return renderTemplate(chart, 'fuzz/templates/main.yaml', { values: VALUES, files: { read: (path) => (path.length < 5 ? 'file' : null), list: () => ['a.txt', 'b/c.txt'] } }, { limits: LIMITS });
}

describe('Helm template engine fuzzing', () => {
  it('never throws on random token soup', () => {
    const next = random(20261206);
    const failures: string[] = [];
    for (let i = 0; i < 2500; i++) {
      const text = tokenSoup(next);
      const helpers = tokenSoup(next);
      const { violation } = violationOf(text, helpers);
      if (violation) failures.push(`${i}: ${violation} in ${JSON.stringify(text)} with helpers ${JSON.stringify(helpers)}`);
    }
    expect(failures).toEqual([]);
  });

  it('never throws on mutated chart idioms', () => {
    const next = random(15);
    const failures: string[] = [];
    let rendered = 0;
    for (let i = 0; i < 2500; i++) {
      const text = mutate(IDIOMS[i % IDIOMS.length]!, next);
      const { violation, ok } = violationOf(text, IDIOMS[0]!);
      if (violation) failures.push(`${i}: ${violation} in ${JSON.stringify(text)}`);
      if (ok) rendered++;
    }
    expect(failures).toEqual([]);
    // The mutations leave many templates valid, so execution (not only parsing) is exercised.
    expect(rendered).toBeGreaterThan(500);
  });

  it('renders every idiom unmutated', () => {
    for (const idiom of IDIOMS) expect(violationOf(idiom, IDIOMS[0]!), idiom).toEqual({ violation: undefined, ok: true });
  });
});
