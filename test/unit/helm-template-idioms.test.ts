// Table tests: chart idioms rendered by the in-process Go template + Sprig/Helm engine, against exact expected output.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { base64Encode, sha256Hex } from '../../server/src/engine/inputs/helm/template/digest.js';
import { parseChartTemplates, readValuesYaml, renderChart, renderTemplate } from '../../server/src/engine/inputs/helm/template/index.js';
import { outputOf, renderCase, type ChartCase } from './helm-template-helpers.js';

const nodeSha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const lines = (...parts: string[]) => parts.join('\n');

const FULLNAME = lines(
  '{{- define "mychart.name" -}}',
  '{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}',
  '{{- end }}',
  '',
  '{{- define "mychart.fullname" -}}',
  '{{- if .Values.fullnameOverride }}',
  '{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}',
  '{{- else }}',
  '{{- $name := default .Chart.Name .Values.nameOverride }}',
  '{{- if contains $name .Release.Name }}',
  '{{- .Release.Name | trunc 63 | trimSuffix "-" }}',
  '{{- else }}',
  '{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}',
  '{{- end }}',
  '{{- end }}',
  '{{- end }}',
  '',
  '{{- define "mychart.chart" -}}',
  '{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}',
  '{{- end }}',
  '',
  '{{- define "mychart.selectorLabels" -}}',
  'app.kubernetes.io/name: {{ include "mychart.name" . }}',
  'app.kubernetes.io/instance: {{ .Release.Name }}',
  '{{- end }}',
  '',
  '{{- define "mychart.labels" -}}',
  'helm.sh/chart: {{ include "mychart.chart" . }}',
  '{{ include "mychart.selectorLabels" . }}',
  '{{- if .Chart.AppVersion }}',
  'app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}',
  '{{- end }}',
  'app.kubernetes.io/managed-by: {{ .Release.Service }}',
  '{{- end }}',
  '',
);

const INGRESS_API = lines(
  '{{- if semverCompare ">=1.19-0" .Capabilities.KubeVersion.GitVersion -}}',
  'apiVersion: networking.k8s.io/v1',
  '{{- else if semverCompare ">=1.14-0" .Capabilities.KubeVersion.GitVersion -}}',
  'apiVersion: networking.k8s.io/v1beta1',
  '{{- else -}}',
  'apiVersion: extensions/v1beta1',
  '{{- end }}',
);

const HOSTS = lines(
  'rules:',
  '{{- range .Values.ingress.hosts }}',
  '  - host: {{ .host | quote }}',
  '    http:',
  '      paths:',
  '      {{- range .paths }}',
  '        - path: {{ .path }}',
  '          pathType: {{ .pathType | default "Prefix" }}',
  '          backend:',
  '            service:',
  '              name: {{ include "mychart.fullname" $ }}',
  '              port:',
  '                number: {{ $.Values.service.port }}',
  '      {{- end }}',
  '{{- end }}',
);

const HOSTS_VALUES = lines(
  'service:',
  '  port: 8080',
  'ingress:',
  '  hosts:',
  '    - host: chat.example.com',
  '      paths:',
  '        - path: /',
  '        - path: /api',
  '          pathType: Exact',
  '    - host: admin.example.com',
  '      paths: []',
);

interface Row extends ChartCase {
  name: string;
  expected: string;
}

const rows: Row[] = [
  // ---- _helpers.tpl names and labels ----
  { name: 'fullname joins release and chart names', helpers: FULLNAME, template: 'name: {{ include "mychart.fullname" . }}', expected: 'name: rel-mychart' },
  { name: 'fullname is the release name when it contains the chart name', helpers: FULLNAME, release: { name: 'mychart-prod' }, template: 'name: {{ include "mychart.fullname" . }}', expected: 'name: mychart-prod' },
  {
    name: 'fullnameOverride is cut to 63 characters and loses a trailing dash',
    helpers: FULLNAME,
    values: `fullnameOverride: ${'x'.repeat(62)}-yyyyyy`,
    template: 'name: {{ include "mychart.fullname" . }}',
    expected: `name: ${'x'.repeat(62)}`,
  },
  { name: 'nameOverride replaces the chart name', helpers: FULLNAME, values: 'nameOverride: chat', template: '{{ include "mychart.fullname" . }}', expected: 'rel-chat' },
  {
    name: 'labels helper through nindent',
    helpers: FULLNAME,
    template: lines('metadata:', '  labels:', '    {{- include "mychart.labels" . | nindent 4 }}', ''),
    expected: lines('metadata:', '  labels:', '    helm.sh/chart: mychart-1.2.3', '    app.kubernetes.io/name: mychart', '    app.kubernetes.io/instance: rel', '    app.kubernetes.io/version: "2.0.0"', '    app.kubernetes.io/managed-by: Helm', ''),
  },
  {
    name: 'selector labels in matchLabels',
    helpers: FULLNAME,
    template: lines('  selector:', '    matchLabels:', '      {{- include "mychart.selectorLabels" . | nindent 6 }}'),
    expected: lines('  selector:', '    matchLabels:', '      app.kubernetes.io/name: mychart', '      app.kubernetes.io/instance: rel'),
  },
  // ---- with / toYaml / nindent ----
  {
    name: 'annotations block from values with toYaml and nindent',
    values: lines('ingress:', '  annotations:', '    nginx.ingress.kubernetes.io/proxy-read-timeout: "300"', '    kubernetes.io/ingress.class: nginx'),
    template: lines('metadata:', '  {{- with .Values.ingress.annotations }}', '  annotations:', '    {{- toYaml . | nindent 4 }}', '  {{- end }}', 'spec: {}'),
    expected: lines('metadata:', '  annotations:', '    kubernetes.io/ingress.class: nginx', '    nginx.ingress.kubernetes.io/proxy-read-timeout: "300"', 'spec: {}'),
  },
  {
    name: 'empty annotations leave no block',
    values: lines('ingress:', '  annotations: {}'),
    template: lines('metadata:', '  {{- with .Values.ingress.annotations }}', '  annotations:', '    {{- toYaml . | nindent 4 }}', '  {{- end }}', 'spec: {}'),
    expected: lines('metadata:', 'spec: {}'),
  },
  {
    name: 'resources map through toYaml',
    values: lines('resources:', '  requests:', '    cpu: 50m', '  limits:', '    memory: 128Mi', '    cpu: 100m'),
    template: lines('resources:', '  {{- toYaml .Values.resources | nindent 2 }}'),
    expected: lines('resources:', '  limits:', '    cpu: 100m', '    memory: 128Mi', '  requests:', '    cpu: 50m'),
  },
  {
    name: 'list of maps through toYaml keeps go-yaml sequence indentation',
    values: lines('env:', '  - name: TIMEOUT', '    value: "30"', '  - name: MODE', '    value: fast'),
    template: lines('        env:', '          {{- toYaml .Values.env | nindent 10 }}'),
    expected: lines('        env:', '          - name: TIMEOUT', '            value: "30"', '          - name: MODE', '            value: fast'),
  },
  {
    name: 'toYaml quotes strings that would read as other types',
    values: lines('a: "true"', 'b: ""', 'c: "*"', 'd: "x: y"', 'e: "8080"', 'f: "yes"', 'g: "1.5"', 'h: "null"', 'i: plain text'),
    template: '{{ toYaml .Values }}',
    expected: lines('a: "true"', 'b: ""', "c: '*'", "d: 'x: y'", 'e: "8080"', 'f: "yes"', 'g: "1.5"', 'h: "null"', 'i: plain text'),
  },
  {
    name: 'toYaml writes multi-line strings as literal blocks',
    values: lines('config: |', '  line one', '  line two', 'script: "a\\nb"'),
    template: lines('data:', '  {{- toYaml .Values | nindent 2 }}'),
    expected: lines('data:', '  config: |', '    line one', '    line two', '  script: |-', '    a', '    b'),
  },
  {
    name: 'toYaml of nested lists, empty collections and numbers',
    values: lines('a: [[1, 2], []]', 'b: {}', 'c: 1000000', 'd: 0.25', 'e: null'),
    template: '{{ toYaml .Values }}',
    expected: lines('a:', '- - 1', '  - 2', '- []', 'b: {}', 'c: 1000000', 'd: 0.25', 'e: null'),
  },
  { name: 'toYaml orders keys with numbers compared as numbers', values: lines('item10: a', 'item2: b', 'item1: c'), template: '{{ toYaml .Values }}', expected: lines('item1: c', 'item2: b', 'item10: a') },
  { name: 'toYaml of a scalar', values: 'port: 8080', template: '{{ toYaml .Values.port }}', expected: '8080' },
  { name: 'toYaml and toJson print nothing for a value JSON cannot hold, as Helm swallows the error', values: 'x: .nan', template: '[{{ toYaml .Values.x }}][{{ toJson .Values.x }}]', expected: '[][]' },
  // ---- ranges ----
  {
    name: 'range over hosts and paths with $ inside',
    helpers: FULLNAME,
    values: HOSTS_VALUES,
    template: HOSTS,
    expected: lines(
      'rules:',
      '  - host: "chat.example.com"',
      '    http:',
      '      paths:',
      '        - path: /',
      '          pathType: Prefix',
      '          backend:',
      '            service:',
      '              name: rel-mychart',
      '              port:',
      '                number: 8080',
      '        - path: /api',
      '          pathType: Exact',
      '          backend:',
      '            service:',
      '              name: rel-mychart',
      '              port:',
      '                number: 8080',
      '  - host: "admin.example.com"',
      '    http:',
      '      paths:',
    ),
  },
  { name: 'range over a map goes in sorted key order', values: lines('env:', '  B_VAR: 2', '  A_VAR: x'), template: '{{ range $k, $v := .Values.env }}{{ $k }}={{ $v }};{{ end }}', expected: 'A_VAR=x;B_VAR=2;' },
  { name: 'range with index and value', values: 'l: [a, b, c]', template: '{{ range $i, $v := .Values.l }}{{ $i }}:{{ $v }} {{ end }}', expected: '0:a 1:b 2:c ' },
  { name: 'range else on an empty list', values: 'l: []', template: '{{ range .Values.l }}x{{ else }}none{{ end }}', expected: 'none' },
  { name: 'range over a missing value runs the else branch', template: '{{ range .Values.nothing }}x{{ else }}none{{ end }}', expected: 'none' },
  { name: 'range over an integer', template: '{{ range 3 }}{{ . }}{{ end }}', expected: '012' },
  { name: 'break and continue', values: 'l: [1, 2, 3, 4, 5]', template: '{{ range .Values.l }}{{ if eq . 2.0 }}{{ continue }}{{ end }}{{ if eq . 4.0 }}{{ break }}{{ end }}{{ . }}{{ end }}', expected: '13' },
  { name: 'a variable assigned inside range keeps its value after it', values: 'l: [a, b]', template: '{{ $found := false }}{{ range .Values.l }}{{ if eq . "b" }}{{ $found = true }}{{ end }}{{ end }}{{ $found }}', expected: 'true' },
  { name: 'range over until', template: '{{ range $i := until 3 }}[{{ $i }}]{{ end }}', expected: '[0][1][2]' },
  // ---- conditions and API switches ----
  { name: 'semverCompare picks networking.k8s.io/v1 on 1.28', template: INGRESS_API, expected: 'apiVersion: networking.k8s.io/v1' },
  { name: 'semverCompare picks v1beta1 on 1.16', kubeVersion: 'v1.16.2', template: INGRESS_API, expected: 'apiVersion: networking.k8s.io/v1beta1' },
  { name: 'semverCompare picks extensions on 1.12', kubeVersion: 'v1.12.0', template: INGRESS_API, expected: 'apiVersion: extensions/v1beta1' },
  { name: 'a prerelease cluster version matches ">=1.19-0"', kubeVersion: 'v1.28.3-gke.1286000', template: INGRESS_API, expected: 'apiVersion: networking.k8s.io/v1' },
  { name: 'a prerelease cluster version never matches ">=1.19"', kubeVersion: 'v1.28.3-eks-1', template: '{{ semverCompare ">=1.19" .Capabilities.KubeVersion.GitVersion }}', expected: 'false' },
  { name: 'semverCompare with caret and tilde', template: '{{ semverCompare "^1.20" "1.28.0" }} {{ semverCompare "~1.2.3" "1.3.0" }} {{ semverCompare ">=1.18, <1.20" "1.19.4" }} {{ semverCompare "1.x || >=3" "2.0.0" }}', expected: 'true false true false' },
  { name: 'APIVersions.Has checks a group/version', template: '{{ if .Capabilities.APIVersions.Has "autoscaling/v2" }}autoscaling/v2{{ else }}autoscaling/v2beta2{{ end }}', expected: 'autoscaling/v2' },
  { name: 'APIVersions.Has is false for an unknown CRD', template: '{{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}', expected: 'false' },
  { name: 'if, else if and else with eq on strings', values: 'tier: gold', template: '{{ if eq .Values.tier "silver" }}s{{ else if eq .Values.tier "gold" }}g{{ else }}x{{ end }}', expected: 'g' },
  { name: 'disabled feature renders nothing', values: lines('autoscaling:', '  enabled: false'), template: 'a\n{{- if .Values.autoscaling.enabled }}\nhpa\n{{- end }}\nb', expected: 'a\nb' },
  { name: 'YAML 1.1 yes is true', values: 'enabled: yes', template: '{{ if .Values.enabled }}on{{ end }}', expected: 'on' },
  { name: 'go-yaml v2 reads y and n as booleans, even as keys', values: lines('answers: [y, n]', 'n: 1'), template: '{{ .Values.answers }} {{ .Values.false }}', expected: '[true false] 1' },
  { name: 'an exponent without a sign is a string in go-yaml v2', values: lines('a: 1e6', 'b: 1e+6', 'c: 0x1F', 'd: 0777'), template: '{{ .Values.a }} {{ .Values.b }} {{ .Values.c }} {{ .Values.d }}', expected: '1e6 1e+06 31 511' },
  { name: 'a date is kept as a string and quoted by toYaml', values: 'day: 2024-01-31', template: '{{ .Values.day }} {{ toYaml .Values }}', expected: '2024-01-31 day: "2024-01-31"' },
  { name: 'with else', template: '{{ with .Values.nothing }}{{ . }}{{ else }}empty{{ end }}', expected: 'empty' },
  { name: 'and or not return the deciding operand', values: 'a: ""', template: '{{ or .Values.a "fallback" }} {{ and 1 0 }} {{ not .Values.a }}', expected: 'fallback 0 true' },
  // ---- defaults, required, quoting ----
  { name: 'default ingress class name', values: lines('ingress:', '  enabled: true'), template: 'ingressClassName: {{ default "nginx" .Values.ingress.className }}', expected: 'ingressClassName: nginx' },
  { name: 'a set class name wins over the default', values: lines('ingress:', '  className: traefik'), template: 'ingressClassName: {{ default "nginx" .Values.ingress.className }}', expected: 'ingressClassName: traefik' },
  { name: 'default treats false as empty', values: 'flag: false', template: '{{ .Values.flag | default true }}', expected: 'true' },
  { name: 'image tag defaults to the app version', values: lines('image:', '  repository: ghcr.io/acme/api'), template: 'image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"', expected: 'image: "ghcr.io/acme/api:2.0.0"' },
  { name: 'required passes a present value through', values: lines('image:', '  repository: nginx'), template: '{{ required "image.repository is required" .Values.image.repository }}', expected: 'nginx' },
  { name: 'quote of an integer from values', values: 'port: 8080', template: 'port: {{ .Values.port | quote }}', expected: 'port: "8080"' },
  { name: 'quote of a missing value is empty', template: '[{{ .Values.missing | quote }}]', expected: '[]' },
  { name: 'squote and quote escaping', values: 'v: say "hi"', template: "{{ squote .Values.v }} {{ quote .Values.v }}", expected: `'say "hi"' "say \\"hi\\""` },
  { name: 'a missing value prints empty', template: 'x={{ .Values.missing }}.', expected: 'x=.' },
  { name: 'coalesce picks the first non-empty', values: 'b: second', template: '{{ coalesce .Values.a .Values.b "third" }}', expected: 'second' },
  { name: 'ternary', values: 'tls: true', template: '{{ ternary "https" "http" .Values.tls }}', expected: 'https' },
  { name: 'empty', values: lines('l: []', 's: x'), template: '{{ empty .Values.l }} {{ empty .Values.s }} {{ empty .Values.none }}', expected: 'true false true' },
  // ---- numbers as Helm reads them ----
  { name: 'a values integer prints as an integer', values: 'timeout: 300', template: '{{ .Values.timeout }}', expected: '300' },
  { name: 'a large values integer prints in exponent form, as Helm does', values: 'big: 1000000', template: '{{ .Values.big }} {{ .Values.big | int }} {{ .Values.big | quote }}', expected: '1e+06 1000000 "1e+06"' },
  { name: 'a float value', values: 'ratio: 0.5', template: '{{ .Values.ratio }}', expected: '0.5' },
  { name: 'printf %d of a values number is Go\'s bad-verb text', values: 'replicas: 3', template: '{{ printf "%d" .Values.replicas }}', expected: '%!d(float64=3)' },
  { name: 'int conversion before arithmetic', values: 'replicas: 3', template: '{{ add .Values.replicas 1 }} {{ .Values.replicas | int | mul 2 }} {{ sub 10 3 }} {{ div 7 2 }} {{ mod 7 2 }}', expected: '4 6 7 3 1' },
  { name: 'max and min', template: '{{ max 3 9 4 }} {{ min 3 9 4 }}', expected: '9 3' },
  { name: 'number literals', template: '{{ 0x1F }} {{ 1e3 }} {{ 1_000 }} {{ -2 }} {{ 1.5 }}', expected: '31 1000 1000 -2 1.5' },
  { name: 'atoi, int64, float64 and toString', template: '{{ atoi "42" }} {{ int64 "7" }} {{ float64 "2.5" }} {{ toString 12 }}', expected: '42 7 2.5 12' },
  // ---- printf and printing ----
  { name: 'printf %s-%s', template: '{{ printf "%s-%s" .Release.Name "worker" }}', expected: 'rel-worker' },
  { name: 'printf with %v, %q, %f, %5.1f and padding', template: '{{ printf "%v|%q|%f|%5.1f|%-4s|%03d" true "x" 1.5 3.14159 "ab" 7 }}', expected: 'true|"x"|1.500000|  3.1|ab  |007' },
  { name: 'a piped value is the last printf argument', template: '{{ "a" | printf "%s-%s" "b" }}', expected: 'b-a' },
  { name: 'lists and maps print as Go does', values: lines('l: [a, b]', 'm: {z: 1, x: [2]}'), template: '{{ .Values.l }} {{ .Values.m }} {{ printf "%v" .Values.l }}', expected: '[a b] map[x:[2] z:1] [a b]' },
  { name: 'print and println', template: '{{ print "a" 1 2 "b" }}|{{ println "x" 1 }}', expected: 'a1 2b|x 1\n' },
  // ---- strings ----
  { name: 'trim functions', template: '{{ trim "  a  " }}|{{ trimPrefix "v" "v1.2" }}|{{ trimSuffix ".yaml" "x.yaml" }}|{{ trimAll "-" "--a--" }}', expected: 'a|1.2|x|a' },
  { name: 'case functions', template: '{{ upper "ab" }} {{ lower "AB" }} {{ title "hello wide world" }} {{ title "don\'t-stop_now" }}', expected: "AB ab Hello Wide World Don'T-Stop_now" },
  { name: 'replace, contains, hasPrefix, hasSuffix', template: '{{ replace "." "-" "a.b.c" }} {{ contains "b" "abc" }} {{ hasPrefix "ab" "abc" }} {{ hasSuffix "x" "abc" }}', expected: 'a-b-c true true false' },
  { name: 'trunc from the end with a negative count', template: '{{ trunc -3 "abcdef" }} {{ trunc 10 "abc" }}', expected: 'def abc' },
  { name: 'indent and nindent', template: 'a:{{ "x\\ny" | nindent 2 }}\n{{ "p\\nq" | indent 3 }}', expected: 'a:\n  x\n  y\n   p\n   q' },
  { name: 'split, splitList and join', template: '{{ $p := split ":" "host:8080" }}{{ $p._0 }} {{ $p._1 }} {{ join "," (splitList "-" "a-b-c") }}', expected: 'host 8080 a,b,c' },
  { name: 'len counts bytes of strings, items of lists', values: lines('s: héllo', 'l: [1, 2]'), template: '{{ len .Values.s }} {{ len .Values.l }}', expected: '6 2' },
  { name: 'b64enc and sha256sum', template: '{{ b64enc "user:pass" }} {{ sha256sum "abc" }}', expected: 'dXNlcjpwYXNz ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
  { name: 'regexMatch and regexReplaceAll', template: '{{ regexMatch "^[0-9]+s$" "30s" }} {{ regexReplaceAll "([0-9]+)s" "30s" "${1}000ms" }}', expected: 'true 30000ms' },
  { name: 'char constants and raw strings', template: '{{ printf "%c" \'A\' }}{{ `raw\\n` }}', expected: 'Araw\\n' },
  // ---- lists and dicts ----
  { name: 'list, append, first, last', template: '{{ $l := list "a" "b" }}{{ $l = append $l "c" }}{{ first $l }}{{ last $l }}{{ len $l }}', expected: 'ac3' },
  { name: 'join until', template: '{{ join "," (until 3) }}', expected: '0,1,2' },
  { name: 'index into maps and lists', values: lines('m:', '  a.b: [first, second]'), template: '{{ index .Values.m "a.b" 1 }}', expected: 'second' },
  { name: 'keys sorted and joined', values: lines('m: {b: 1, a: 2, c: 3}'), template: '{{ keys .Values.m | sortAlpha | join "," }}', expected: 'a,b,c' },
  { name: 'dict merge keeps the first value', template: '{{- $d := merge (dict "a" 1) (dict "a" 2 "b" 3) }}{{ $d.a }} {{ $d.b }}', expected: '1 3' },
  { name: 'mergeOverwrite takes the later value', template: '{{- $d := mergeOverwrite (dict "a" 1) (dict "a" 2 "b" 3) }}{{ $d.a }} {{ $d.b }}', expected: '2 3' },
  { name: 'merge overwrites an empty destination value (Sprig)', template: '{{- $d := merge (dict "enabled" false) (dict "enabled" true) }}{{ $d.enabled }}', expected: 'true' },
  { name: 'merge of values over defaults, deep', values: lines('probe:', '  timeoutSeconds: 5'), template: '{{- $p := merge (deepCopy .Values.probe) (dict "timeoutSeconds" 1 "periodSeconds" 10) }}{{ toYaml $p }}', expected: lines('periodSeconds: 10', 'timeoutSeconds: 5') },
  { name: 'set, unset, get and hasKey', template: '{{- $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $_ := unset $d "a" }}{{ hasKey $d "a" }} {{ get $d "b" }} [{{ get $d "zz" }}]', expected: 'false 2 []' },
  { name: 'pick and omit', template: '{{ $d := dict "a" 1 "b" 2 "c" 3 }}{{ pick $d "a" "c" | toJson }} {{ omit $d "a" | toJson }}', expected: '{"a":1,"c":3} {"b":2,"c":3}' },
  { name: 'toJson escapes HTML characters like Go', values: lines('m:', '  b: 1', '  a: "<x>"'), template: '{{ toJson .Values.m }}', expected: '{"a":"\\u003cx\\u003e","b":1}' },
  { name: 'fromYaml then field access', template: '{{ $c := fromYaml "a:\\n  b: 5" }}{{ $c.a.b }}', expected: '5' },
  { name: 'dict passed to include', helpers: '{{- define "x.port" -}}{{ .name }}:{{ .port }}{{- end }}', template: '{{ include "x.port" (dict "name" "http" "port" 80) }}', expected: 'http:80' },
  { name: 'chained fields on a parenthesised pipeline', template: '{{ (dict "a" (dict "b" "c")).a.b }}', expected: 'c' },
  { name: 'kindIs and typeOf', values: lines('m: {}', 'port: 80', 's: x'), template: '{{ kindIs "map" .Values.m }} {{ typeOf .Values.port }} {{ kindIs "string" .Values.s }}', expected: 'true float64 true' },
  { name: 'toPrettyJson indents with two spaces', template: '{{ toPrettyJson (dict "b" (list 1 2) "a" (dict)) }}', expected: lines('{', '  "a": {},', '  "b": [', '    1,', '    2', '  ]', '}') },
  { name: 'path functions for chart files', template: '{{ base "conf/nginx/app.conf" }} {{ dir "conf/nginx/app.conf" }} {{ ext "app.conf" }} {{ clean "a/../b//c/" }}', expected: 'app.conf conf/nginx .conf b/c' },
  { name: 'deepEqual and the must variants', template: '{{ deepEqual (list 1 "a") (list 1 "a") }} {{ deepEqual (dict "a" 1) (dict "a" 2) }} {{ mustFirst (list "x" "y") }}', expected: 'true false x' },
  { name: 'toStrings', template: '{{ toStrings (list 1 "a" true) | join "/" }}', expected: '1/a/true' },
  // ---- tpl, template, block, Files, Release, Chart ----
  { name: 'tpl renders a values string with the chart context', values: 'host: "{{ .Release.Name }}.example.com"', template: 'host: {{ tpl .Values.host . }}', expected: 'host: rel.example.com' },
  { name: 'tpl sees the chart\'s defines', helpers: FULLNAME, values: 'svc: "{{ include \\"mychart.fullname\\" . }}-svc"', template: '{{ tpl .Values.svc . }}', expected: 'rel-mychart-svc' },
  { name: 'template runs a define with the given dot', helpers: '{{- define "x.hello" }}hello {{ . }}{{ end }}', template: '{{ template "x.hello" "world" }}', expected: 'hello world' },
  { name: 'block defines and runs in place', template: '{{ block "x.b" . }}default body{{ end }}', expected: 'default body' },
  { name: 'Files.Get reads a chart file', files: { 'config/app.conf': 'timeout=30\n' }, template: '{{ .Files.Get "config/app.conf" | indent 2 }}', expected: '  timeout=30\n  ' },
  { name: 'Files.Get of a missing file is empty', files: {}, template: '[{{ .Files.Get "nope.txt" }}]', expected: '[]' },
  { name: 'Files.Glob AsConfig', files: { 'conf/a.conf': 'k=1', 'conf/b.conf': 'k=2', 'other.txt': 'z' }, template: '{{ (.Files.Glob "conf/*.conf").AsConfig }}', expected: lines('a.conf: k=1', 'b.conf: k=2') },
  { name: 'Release, Chart and Template objects', template: '{{ .Release.Namespace }} {{ .Release.IsInstall }} {{ .Chart.Name }}-{{ .Chart.Version }} {{ .Template.Name }} {{ .Template.BasePath }}', expected: 'ns true mychart-1.2.3 mychart/templates/main.yaml mychart/templates' },
  // ---- whitespace and comments ----
  { name: 'trim markers remove whitespace on their side only', template: 'a  {{- "b" -}}  c|a {{ "b" }} c', expected: 'abc|a b c' },
  { name: 'trim markers remove newlines', template: 'x:\n  {{- "y" }}\n  {{- "z" }}\nw', expected: 'x:yz\nw' },
  { name: 'comments print nothing, trimmed comments eat whitespace', template: 'a {{/* note */}} b\nc {{- /* trimmed */ -}} d', expected: 'a  b\ncd' },
  { name: 'a declaration prints nothing', template: '{{ $x := "v" }}[{{ $x }}]', expected: '[v]' },
  { name: 'a dash without a space is a negative number, not a trim', template: 'a {{-3}} b', expected: 'a -3 b' },
];

describe('Helm template idioms', () => {
  it('has at least 60 cases', () => {
    expect(rows.length).toBeGreaterThanOrEqual(60);
    expect(new Set(rows.map((row) => row.name)).size).toBe(rows.length);
  });

  it.each(rows)('$name', (row) => {
    expect(outputOf(row)).toBe(row.expected);
  });
});

describe('Helm template idioms across files', () => {
  it('a checksum annotation includes another template by its path', () => {
    const chart = parseChartTemplates([
      { name: 'mychart/templates/deployment.yaml', text: 'checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}' },
      { name: 'mychart/templates/configmap.yaml', text: 'data:\n  a: "1"' },
    ]);
    const result = renderTemplate(chart, 'mychart/templates/deployment.yaml', { values: readValuesYaml('').values });
    expect(result).toMatchObject({ ok: true, output: `checksum/config: ${nodeSha256('data:\n  a: "1"')}` });
  });

  it('the pure SHA-256 and base64 agree with node:crypto and Buffer', () => {
    for (const text of ['', 'abc', 'héllo wörld ✓', 'x'.repeat(55), 'x'.repeat(56), 'y'.repeat(64), 'z'.repeat(1000)]) {
      expect(sha256Hex(text)).toBe(nodeSha256(text));
      expect(base64Encode(text)).toBe(Buffer.from(text).toString('base64'));
    }
  });

  it('renderChart renders every template but partials, each on its own', () => {
    const results = renderChart(
      [
        { name: 'c/templates/_helpers.tpl', text: '{{ define "c.n" }}n{{ end }}' },
        { name: 'c/templates/ok.yaml', text: 'name: {{ include "c.n" . }}' },
        { name: 'c/templates/broken.yaml', text: '{{ if }}' },
        { name: 'c/templates/failing.yaml', text: '{{ required "x is required" .Values.x }}' },
      ],
      { values: readValuesYaml('').values },
    );
    expect([...results.keys()].sort()).toEqual(['c/templates/broken.yaml', 'c/templates/failing.yaml', 'c/templates/ok.yaml']);
    expect(results.get('c/templates/ok.yaml')).toMatchObject({ ok: true, output: 'name: n' });
    expect(results.get('c/templates/broken.yaml')).toMatchObject({ ok: false, error: { kind: 'parse', reason: 'missing value for if' } });
    expect(results.get('c/templates/failing.yaml')).toMatchObject({ ok: false, error: { kind: 'required', reason: 'x is required' } });
  });

  it('a parent chart define wins over a subchart define of the same name', () => {
    const results = renderChart(
      [
        { name: 'app/charts/sub/templates/_helpers.tpl', text: '{{ define "shared.name" }}from-sub{{ end }}' },
        { name: 'app/templates/_helpers.tpl', text: '{{ define "shared.name" }}from-parent{{ end }}' },
        { name: 'app/templates/x.yaml', text: '{{ include "shared.name" . }}' },
      ],
      { values: readValuesYaml('').values },
    );
    expect(results.get('app/templates/x.yaml')).toMatchObject({ ok: true, output: 'from-parent' });
  });
});

describe('Helm template errors', () => {
  it('required on a missing value fails the template with its message', () => {
    const result = renderCase({ values: 'image: {}', template: 'image: {{ required "image.repository is required" .Values.image.repository }}' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'required', reason: 'image.repository is required', template: 'mychart/templates/main.yaml', offset: 10 } });
  });

  it('fail stops the template with its message', () => {
    expect(renderCase({ template: '{{ fail "unsupported mode" }}' })).toMatchObject({ ok: false, error: { kind: 'fail', reason: 'unsupported mode' } });
  });

  it('a field of a missing map is Go\'s nil pointer error', () => {
    expect(renderCase({ template: '{{ .Values.ingress.host }}' })).toMatchObject({ ok: false, error: { kind: 'exec', reason: 'nil pointer evaluating interface {}.host' } });
  });

  it('comparing a values number with an int literal is an error, as in Helm', () => {
    expect(renderCase({ values: 'replicas: 1', template: '{{ if eq .Values.replicas 1 }}one{{ end }}' })).toMatchObject({ ok: false, error: { reason: 'error calling eq: incompatible types for comparison: float64 and int64' } });
  });

  it('a values number where an int is wanted is a type error', () => {
    expect(renderCase({ values: 'count: 2', template: '{{ trunc .Values.count "abc" }}' })).toMatchObject({ ok: false, error: { reason: 'error calling trunc: wrong type for value; expected int; got float64' } });
  });

  it('a parse error carries the offset', () => {
    expect(renderCase({ template: 'ok\n{{ if .Values.x }}never closed' })).toMatchObject({ ok: false, error: { kind: 'parse', offset: 3 } });
    expect(renderCase({ template: 'a {{ $undefined }}' })).toMatchObject({ ok: false, error: { kind: 'parse', reason: 'undefined variable "$undefined"', offset: 5 } });
    expect(renderCase({ template: '{{ "unterminated }}' })).toMatchObject({ ok: false, error: { kind: 'parse', reason: 'unterminated quoted string', offset: 3 } });
  });

  it('include of an undefined template is an error', () => {
    expect(renderCase({ template: '{{ include "nope" . }}' })).toMatchObject({ ok: false, error: { kind: 'exec' } });
  });
});
