// A hand-made LintReport that exercises every formatter feature; spans are found by text, never typed as numbers.
import type { LintReport, LintedFile } from '../../server/src/engine/report.js';
import { LineIndex } from '../../server/src/engine/text.js';
import type { Span } from '../../server/src/engine/types.js';

const DOCS = 'https://github.com/timeout-lint/timeout-lint/blob/main/rules/';

// CRLF line endings and tab indentation, with a tab right before the flagged value.
const nginxConf = [
  'http {',
  '\tupstream api {',
  '\t\tserver api:8080;',
  '\t}',
  '\tserver {',
  '\t\tlocation /api/ {',
  '\t\t\tproxy_pass http://api;',
  '\t\t\tproxy_read_timeout\t30s;',
  '\t\t}',
  '\t}',
  '}',
  '',
].join('\r\n');

const k8sYaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          readinessProbe:
            periodSeconds: 60
            timeoutSeconds: 60
`;

const serverTs = `import http from 'node:http';

const server = http.createServer(handler);
server.requestTimeout = 60_000;

export async function callModel(url: string) {
  const response = await fetch(url, {
    method: 'POST',
  });
  return response.json();
}
`;

const files: LintedFile[] = [
  { file: 'k8s/api.yaml', language: 'kubernetes', text: k8sYaml },
  { file: 'nginx/api.conf', language: 'nginx', text: nginxConf },
  { file: 'src/server.ts', language: 'typescript', text: serverTs },
];

/** The span of `needle` (the `occurrence`-th match, from 0) inside `within`, inside a fixture file. */
export function spanOf(file: string, needle: string, within?: string, occurrence = 0): Span {
  const text = files.find((entry) => entry.file === file)!.text;
  const base = within === undefined ? 0 : text.indexOf(within);
  let start = text.indexOf(needle, base);
  for (let i = 0; i < occurrence; i++) start = text.indexOf(needle, start + 1);
  if (base < 0 || start < 0) throw new Error(`fixture: ${JSON.stringify(needle)} not found in ${file}`);
  return { file, start, end: start + needle.length };
}

function place(span: Span): string {
  const position = new LineIndex(files.find((entry) => entry.file === span.file)!.text).positionAt(span.start);
  return `${span.file}:${position.line + 1}:${position.character + 1}`;
}

const readTimeout = spanOf('nginx/api.conf', '30s');
const probeTimeout = spanOf('k8s/api.yaml', '60', 'timeoutSeconds');
const requestTimeout = spanOf('src/server.ts', '60_000');
const fetchCall = spanOf('src/server.ts', "fetch(url, {\n    method: 'POST',\n  })");
const readTimeoutLine = spanOf('nginx/api.conf', '\t\t\tproxy_read_timeout');
const afterMethod = spanOf('src/server.ts', "method: 'POST',\n");

export const report: LintReport = {
  toolVersion: '0.1.0',
  complete: false,
  files,
  notAnalysed: [
    { file: 'charts/api/templates/deployment.yaml', reason: 'Helm template: {{ .Values.timeout }} is only known after rendering' },
  ],
  rules: [
    {
      id: 'gateway-timeout-below-upstream',
      description: 'A proxy must wait longer than the service behind it.',
      defaultSeverity: 'error',
      fixable: 'sometimes',
      docsUrl: `${DOCS}gateway-timeout-below-upstream.md`,
    },
    {
      id: 'http-call-without-timeout',
      description: 'An outgoing HTTP call must have a timeout.',
      defaultSeverity: 'warning',
      fixable: 'sometimes',
      docsUrl: `${DOCS}http-call-without-timeout.md`,
    },
    {
      id: 'probe-timeout-equals-period',
      description: 'A probe timeout should be shorter than the probe period.',
      defaultSeverity: 'info',
      fixable: 'never',
      docsUrl: `${DOCS}probe-timeout-equals-period.md`,
    },
  ],
  findings: [
    {
      ruleId: 'probe-timeout-equals-period',
      severity: 'info',
      messageId: 'equalsPeriod',
      // '%' and ',' check the GitHub escaping.
      message: 'readinessProbe timeoutSeconds 60 is 100% of periodSeconds 60, so probes overlap.',
      data: { timeoutSeconds: 60, periodSeconds: 60 },
      span: probeTimeout,
      related: [],
      fixes: [],
      docsUrl: `${DOCS}probe-timeout-equals-period.md`,
    },
    {
      ruleId: 'gateway-timeout-below-upstream',
      severity: 'error',
      messageId: 'gatewayShorter',
      message:
        `nginx \`proxy_read_timeout\` 30s at \`${place(readTimeout)}\` gives up before ` +
        `the service's 60s \`requestTimeout\` at \`${place(requestTimeout)}\`.`,
      data: { gatewayKnob: 'proxy_read_timeout', gatewayValue: '30s', serviceKnob: 'requestTimeout', serviceValue: '60s' },
      span: readTimeout,
      related: [
        { span: requestTimeout, message: 'service: requestTimeout 60s' },
        { span: probeTimeout, message: 'service: readinessProbe timeoutSeconds 60' },
      ],
      fixes: [
        {
          title: 'Raise proxy_read_timeout to 65s',
          safety: 'unsafe',
          preferred: true,
          edits: [{ file: 'nginx/api.conf', start: readTimeout.start, end: readTimeout.end, newText: '65s' }],
        },
        {
          title: 'Write the default proxy_connect_timeout 60s explicitly',
          safety: 'safe',
          edits: [
            {
              file: 'nginx/api.conf',
              start: readTimeoutLine.start,
              end: readTimeoutLine.start,
              newText: '\t\t\tproxy_connect_timeout 60s;\r\n',
            },
          ],
        },
      ],
      docsUrl: `${DOCS}gateway-timeout-below-upstream.md`,
    },
    {
      // The file is missing from `files`: formatters fall back to 1:1 and say so.
      ruleId: 'include-error',
      severity: 'error',
      messageId: 'unreadable',
      message: 'include nginx/conf.d/*.conf: nginx/conf.d/extra.conf could not be read.',
      data: { pattern: 'nginx/conf.d/*.conf' },
      span: { file: 'nginx/conf.d/extra.conf', start: 0, end: 0 },
      related: [],
      fixes: [],
      docsUrl: `${DOCS}include-error.md`,
    },
    {
      ruleId: 'http-call-without-timeout',
      severity: 'warning',
      messageId: 'noTimeout',
      message: `\`fetch\` at \`${place(fetchCall)}\` has no timeout; it waits as long as the server lets it.`,
      data: { callee: 'fetch' },
      span: fetchCall,
      related: [],
      fixes: [
        {
          title: 'Add signal: AbortSignal.timeout(55_000)',
          safety: 'unsafe',
          edits: [
            { file: 'src/server.ts', start: afterMethod.end, end: afterMethod.end, newText: '    signal: AbortSignal.timeout(55_000),\n' },
          ],
        },
      ],
      docsUrl: `${DOCS}http-call-without-timeout.md`,
    },
  ],
};
