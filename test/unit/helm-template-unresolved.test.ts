// What the Helm template engine cannot know stays unknown (never a guess), and every bound ends a render with a reason.
import { describe, expect, it } from 'vitest';
import { parseChartTemplates, readValuesYaml, renderString, renderTemplate, type RenderResult } from '../../server/src/engine/inputs/helm/template/index.js';
import { HELPERS, MAIN, renderCase } from './helm-template-helpers.js';

function ok(result: RenderResult): Extract<RenderResult, { ok: true }> {
  if (!result.ok) throw new Error(`render failed: ${result.error.reason}`);
  return result;
}

/** Output with each unresolved range shown as ⟨…⟩ (zero-width ones as ⟨⟩), and the reasons. */
function marked(result: RenderResult): { text: string; reasons: string[] } {
  const r = ok(result);
  let text = '';
  let at = 0;
  for (const range of r.unresolved) {
    text += `${r.output.slice(at, range.outStart)}⟨${r.output.slice(range.outStart, range.outEnd)}⟩`;
    at = range.outEnd;
  }
  return { text: text + r.output.slice(at), reasons: r.unresolved.map((range) => range.reason) };
}

describe('unresolved values', () => {
  it.each([
    ['lookup', 'password: {{ (lookup "v1" "Secret" "ns" "db").data.password }}', 'password: ⟨⟩', 'lookup reads live cluster state'],
    ['a random string', 'token: {{ randAlphaNum 16 }}', 'token: ⟨⟩', 'randAlphaNum is random'],
    ['the clock', 'at: {{ now | date "2006-01-02" }}', 'at: ⟨⟩', 'now reads the clock'],
    ['an unknown function', 'x: {{ frobnicate .Values.x }}', 'x: ⟨⟩', 'function "frobnicate" is not supported'],
    ['a function of an unknown value', 'x: {{ printf "%s-suffix" (randAlpha 3) | quote }}', 'x: ⟨⟩', 'randAlpha is random'],
    ['default of an unknown value (never the default)', 'x: {{ default "fallback" (randAlpha 3) }}', 'x: ⟨⟩', 'randAlpha is random'],
    ['a condition on an unknown value', 'a{{ if lookup "v1" "Namespace" "" "x" }}yes{{ else }}no{{ end }}b', 'a⟨⟩b', 'the condition of {{if}} is unresolved: lookup reads live cluster state'],
    ['a range over an unknown value', '[{{ range (lookup "v1" "Pod" "ns" "").items }}x{{ end }}]', '[⟨⟩]', 'the value {{range}} iterates over is unresolved: lookup reads live cluster state'],
    ['toYaml of a dict holding an unknown value', '{{ toYaml (dict "a" 1 "b" (uuidv4)) }}', '⟨⟩', 'uuidv4 is random'],
    ['required of an unknown value (not an error)', 'x: {{ required "needed" (randNumeric 4) }}', 'x: ⟨⟩', 'randNumeric is random'],
    ['eq with an unknown value', '{{ eq (randAlpha 1) "a" }}', '⟨⟩', 'randAlpha is random'],
    ['a chart file with no reader', '{{ .Files.Get "a.txt" }}', '⟨⟩', 'chart file a.txt cannot be read here'],
  ])('%s', (_, template, expected, reason) => {
    expect(marked(renderCase({ template }))).toEqual({ text: expected, reasons: [reason] });
  });

  it('keeps what is known beside what is not', () => {
    const result = marked(renderCase({ values: 'name: api', template: 'name: {{ .Values.name }}\npassword: {{ randAlphaNum 8 | b64enc | quote }}\nport: 80' }));
    expect(result.text).toBe('name: api\npassword: ⟨⟩\nport: 80');
  });

  it('short-circuits and/or and picks known operands', () => {
    expect(marked(renderCase({ values: 'x: set', template: '{{ and false (lookup "a" "b" "c" "d") }} {{ or true (now) }} {{ .Values.x | default (randAlpha 2) }} {{ coalesce "first" (now) }}' })).text).toBe('false true set first');
  });

  it('prints the visible part of an included helper and marks the whole action', () => {
    const helpers = '{{- define "x.name" -}}name-{{ randAlpha 3 }}{{- end }}';
    const result = ok(renderCase({ helpers, template: 'a:{{ include "x.name" . | nindent 2 }}\nb: ok' }));
    expect(result.output).toBe('a:\n  name-\nb: ok');
    expect(result.unresolved).toEqual([{ outStart: 2, outEnd: 10, reason: 'randAlpha is random', template: MAIN, srcStart: 2, srcEnd: 38 }]);
  });

  it('prints the configured placeholder where a value is unknown', () => {
    const result = ok(renderCase({ template: 'timeout: {{ lookup "v1" "ConfigMap" "ns" "t" }}s', options: { unresolvedText: '?UNRESOLVED?' } }));
    expect(result.output).toBe('timeout: ?UNRESOLVED?s');
    expect(result.unresolved[0]).toMatchObject({ outStart: 9, outEnd: 21 });
  });

  it('an include of a define from a helpers file that failed to parse is unresolved, not an error', () => {
    const chart = parseChartTemplates([
      { name: MAIN, text: 'name: {{ include "x.fullname" . }}' },
      { name: HELPERS, text: '{{- define "x.fullname" -}}{{ .Release.Name {{- end }}' },
    ]);
    expect(chart.parseErrors.get(HELPERS)).toMatchObject({ kind: 'parse' });
    const result = ok(renderTemplate(chart, MAIN, { values: readValuesYaml('').values }));
    expect(result.output).toBe('name: ');
    expect(result.unresolved[0]!.reason).toContain(HELPERS);
  });

  it('reads chart files through the reader', () => {
    expect(marked(renderCase({ files: { 'f.txt': 'hello' }, template: '{{ .Files.Get "f.txt" }}' })).text).toBe('hello');
    expect(marked(renderCase({ files: {}, template: '{{ (.Files.Glob "*.txt").AsConfig }}' })).text).toBe('');
  });
});

describe('bounds', () => {
  const limit = (result: RenderResult) => (result.ok ? 'rendered' : `${result.error.kind}: ${result.error.reason}`);

  it('stops include recursion', () => {
    expect(limit(renderString('{{ define "r" }}x{{ include "r" . }}{{ end }}{{ include "r" . }}', {}))).toBe('limit: templates nest deeper than 100 calls');
  });

  it('stops template recursion at a configured depth', () => {
    expect(limit(renderString('{{ define "t" }}{{ template "t" . }}{{ end }}{{ template "t" . }}', {}, { limits: { maxTemplateDepth: 10 } }))).toBe('limit: templates nest deeper than 10 calls');
  });

  it('stops output that grows past the bound', () => {
    expect(limit(renderString('{{ range until 100000 }}0123456789{{ end }}', {}, { limits: { maxOutputChars: 1000 } }))).toBe('limit: output exceeded 1000 characters');
  });

  it('stops a string doubling in a loop', () => {
    expect(limit(renderString('{{ $s := "x" }}{{ range until 64 }}{{ $s = printf "%s%s" $s $s }}{{ end }}{{ len $s }}', {}, { limits: { maxOutputChars: 100000 } }))).toBe('limit: a string exceeded 100000 characters');
  });

  it('stops a long loop at the step budget', () => {
    expect(limit(renderString('{{ range until 1000000 }}{{ end }}', {}, { limits: { maxSteps: 10000 } }))).toBe('limit: evaluation exceeded 10000 steps');
    expect(limit(renderString('{{ range 100000000000 }}{{ end }}', {}, { limits: { maxSteps: 10000 } }))).toBe('limit: range over 100000000000 exceeds the step budget');
  });

  it('fails on a map that contains itself instead of recursing forever', () => {
    // Helm's toYaml would print nothing (Go's JSON encoder reports the cycle and toYaml swallows it): unknown here.
    expect(renderString('{{ $d := dict }}{{ $_ := set $d "self" $d }}{{ toYaml $d }}', {})).toMatchObject({ ok: true, output: '', unresolved: [{ reason: 'value nests deeper than 100 levels' }] });
    expect(limit(renderString('{{ $d := dict }}{{ $_ := set $d "self" $d }}{{ mustToYaml $d }}', {}))).toBe('exec: value nests deeper than 100 levels');
    expect(limit(renderString('{{ $d := dict }}{{ $_ := set $d "a" $d }}{{ $_ := set $d "b" $d }}{{ $d }}', {}))).toBe('exec: value nests deeper than 100 levels');
  });

  it('refuses nesting deeper than the parser bound', () => {
    expect(limit(renderString(`{{ ${'('.repeat(500)}1${')'.repeat(500)} }}`, {}))).toMatch(/^parse: template nests deeper than 200 levels/);
    expect(limit(renderString(`${'{{ if 1 }}'.repeat(300)}x${'{{ end }}'.repeat(300)}`, {}))).toMatch(/^parse: template nests deeper than 200 levels/);
  });

  it('renders nesting within the bound', () => {
    expect(renderString(`${'{{ if 1 }}'.repeat(150)}x${'{{ end }}'.repeat(150)}`, {})).toMatchObject({ ok: true, output: 'x' });
  });

  it('bounds until, repeat and the like', () => {
    expect(limit(renderString('{{ until 100000000 | len }}', {}))).toBe('exec: error calling until: 100000000 is more than 1000000 items');
    expect(limit(renderString('{{ repeat 100000000 "ab" | len }}', {}))).toBe('exec: error calling repeat: 100000000 is more than 1000000 items');
    expect(limit(renderString('{{ repeat 100000 "ab" | len }}', {}, { limits: { maxOutputChars: 1000 } }))).toBe('limit: a string exceeded 1000 characters');
    expect(limit(renderString('{{ $s := repeat 500 "\\n" }}{{ indent 100000 $s | len }}', {}, { limits: { maxOutputChars: 100000 } }))).toBe('exec: error calling indent: the result would exceed 100000 characters');
  });
});
