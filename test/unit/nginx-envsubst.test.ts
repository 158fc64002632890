// envsubst templates, container paths and the severity of what the linter cannot read, through lint() on in-memory workspaces.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig, resolveConfig } from '../../server/src/engine/config.js';
import { kindByPath, nginxVariantVerdict } from '../../server/src/engine/inputs/nginx/detect.js';
import { interpolateCompose, officialRenderOf, parseDotEnv, scriptDefaults, scriptRenders, templateSettingsOf } from '../../server/src/engine/inputs/nginx/envsubst.js';
import { effectiveValue, buildNginxModel } from '../../server/src/engine/inputs/nginx/model.js';
import { parseNginxConfig, parseNginxText } from '../../server/src/engine/inputs/nginx/parser.js';
import { readDockerfile } from '../../server/src/engine/inputs/nginx/dockerfile.js';
import { lint } from '../../server/src/engine/run.js';
import type { ResolvedConfig } from '../../server/src/engine/config.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

function lintFiles(files: Record<string, string>, config: ResolvedConfig = defaultConfig(allRules)) {
  return lint({ fs: new MemoryFs(files), files: Object.keys(files), config, rules: allRules, toolVersion: 'test' });
}

function summary(files: Record<string, string>, config?: ResolvedConfig): string[] {
  return lintFiles(files, config).findings.map((f) => `${f.severity} ${f.ruleId} ${f.span.file}: ${f.message}`);
}

describe('placeholder statements', () => {
  it('reads a statement that is only ${VAR} as an unknown statement, not as the next statement\'s name', () => {
    const file = parseNginxText('t.conf.template', 'server {\n    ${ACME_LOCATION}\n    location / { proxy_pass http://web:3000; }\n    ${HTTPS_CONFIG}\n}\n');
    const server = file.nodes[0];
    expect(server?.type === 'directive' && server.block?.map((n) => (n.type === 'directive' ? [n.name, n.placeholder ?? false] : []))).toStrictEqual([
      ['${ACME_LOCATION}', true], ['location', false], ['${HTTPS_CONFIG}', true],
    ]);
    expect(file.problems.map((p) => p.kind)).toStrictEqual(['not-analysed', 'not-analysed']);
  });

  it('keeps a placeholder followed by arguments on its line as an ordinary directive', () => {
    const file = parseNginxText('t.conf', 'proxy_read_timeout ${READ};\n${DIRECTIVE} 30s;\n');
    expect(file.nodes.map((n) => (n.type === 'directive' ? `${n.name}:${n.args.length}:${n.placeholder ?? false}` : ''))).toStrictEqual(['proxy_read_timeout:1:false', '${DIRECTIVE}:1:false']);
    expect(file.problems).toStrictEqual([]);
  });

  it('makes the settings of a block holding a placeholder unknown, never the nginx default', () => {
    const fs = new MemoryFs({ 'a.conf': 'server {\n  ${EXTRA}\n  location / { proxy_pass http://x; }\n  location /set { proxy_read_timeout 5s; proxy_pass http://x; }\n}\n' });
    const model = buildNginxModel(parseNginxConfig(fs, 'a.conf'));
    const [unset, set] = model.locations;
    expect(effectiveValue(unset!, 'proxy_read_timeout')).toMatchObject({ unresolved: true, source: { kind: 'inherited' } });
    expect(effectiveValue(unset!, 'proxy_read_timeout')?.ms).toBeUndefined();
    expect(effectiveValue(set!, 'proxy_read_timeout')?.ms).toBe(5000);
  });

  it('reports a placeholder statement as info, and no parse error, so the CLI does not fail', () => {
    const found = summary({ 'conf.d/default.conf.template': 'server {\n    listen 80;\n    location / { proxy_pass http://web:3000; }\n    ${HTTPS_CONFIG}\n}\n' });
    expect(found).toStrictEqual([expect.stringMatching(/^info not-analysed conf\.d\/default\.conf\.template: Not analysed\. \$\{HTTPS_CONFIG\} is a placeholder/)]);
  });
});

describe('severity of what the linter cannot read', () => {
  it('keeps a missing relative include of a plain config an error, and lowers it to a warning in a template', () => {
    expect(summary({ 'nginx.conf': 'events {}\nhttp { include missing.conf; }\n' })).toStrictEqual([expect.stringMatching(/^error include-error nginx\.conf: \[Errno 2\]/)]);
    expect(summary({ 'nginx.conf.template': 'events {}\nhttp { include missing.conf; }\n' })).toStrictEqual([expect.stringMatching(/^warning include-error nginx\.conf\.template: \[Errno 2\].*in a template/)]);
  });

  it('keeps a genuine syntax error of a plain config an error, and lowers it in a template', () => {
    expect(summary({ 'nginx.conf': 'events {}\nhttp { }\n}\n' })).toStrictEqual([expect.stringMatching(/^error parse-error/)]);
    expect(summary({ 'conf.d/a.conf.template': 'server { listen 80; }\n}\n' })).toStrictEqual([expect.stringMatching(/^warning parse-error .*in a template/)]);
  });

  it('keeps a severity the configuration sets other than the default', () => {
    // Setting the default severity (error) again cannot be told from not setting it: the template policy applies.
    const { config } = resolveConfig({ rules: { 'include-error': 'error' } }, allRules);
    const { config: info } = resolveConfig({ rules: { 'include-error': 'info' } }, allRules);
    expect(summary({ 'a.conf.template': 'server { include missing.conf; }\n' }, info)).toStrictEqual([expect.stringMatching(/^info include-error/)]);
    expect(summary({ 'a.conf.template': 'server { include missing.conf; }\n' }, config)).toStrictEqual([expect.stringMatching(/^warning include-error/)]);
  });

  it('says which setting maps an absolute include nothing maps, for globs too', () => {
    const found = summary({ 'nginx.conf': 'events {}\nhttp {\n  include /etc/nginx/conf.d/*.conf;\n  server { listen 80; }\n}\n' });
    expect(found).toStrictEqual([expect.stringMatching(/^info not-analysed nginx\.conf: include "\/etc\/nginx\/conf\.d\/\*\.conf" names a folder inside the nginx container\. nothing in the workspace maps .*`nginx\.includePrefix`/)]);
  });
});

describe('container paths', () => {
  const gateway = {
    'nginx/nginx.conf': 'events {}\nhttp {\n  proxy_connect_timeout 5s;\n  include /etc/nginx/conf.d/*.conf;\n}\n',
    'nginx/conf.d/api.conf': 'server {\n  listen 80;\n  location /api/ { proxy_pass http://api:8080; }\n}\n',
  };

  it('maps /etc/nginx/conf.d to the folder a compose volume mounts there, so nginx.conf values reach the included files', () => {
    const files = {
      ...gateway,
      'docker-compose.yml': 'services:\n  proxy:\n    image: nginx:1.27\n    volumes:\n      - ./nginx/nginx.conf:/etc/nginx/nginx.conf:ro\n      - ./nginx/conf.d:/etc/nginx/conf.d:ro\n',
    };
    const fs = new MemoryFs(files);
    const report = lintFiles(files);
    expect(report.findings.filter((f) => f.ruleId === 'not-analysed' || f.ruleId === 'include-error')).toStrictEqual([]);
    // The fragment is analysed inside nginx.conf, not on its own.
    const config = parseNginxConfig(fs, 'nginx/nginx.conf', {});
    expect(config.files.map((f) => f.file)).toStrictEqual(['nginx/nginx.conf']);
  });

  it('says where a mapped container path was looked for when the file is not there, as a warning', () => {
    const files = {
      'nginx/nginx.conf': 'events {}\nhttp {\n  include /etc/nginx/conf.d/generated.conf;\n}\n',
      'docker-compose.yml': 'services:\n  proxy:\n    image: nginx\n    volumes:\n      - ./nginx/nginx.conf:/etc/nginx/nginx.conf\n      - ./nginx/conf.d:/etc/nginx/conf.d\n',
    };
    expect(summary(files)).toStrictEqual([expect.stringMatching(/^warning include-error nginx\/nginx\.conf: \[Errno 2\].*the container path maps to nginx\/conf\.d by volume \.\/nginx\/conf\.d:\/etc\/nginx\/conf\.d of compose service proxy/)]);
  });

  it('finds the compose file above an entry linted on its own (one editor unit, or a file named on the command line)', () => {
    const files = {
      ...gateway,
      'docker-compose.yml': 'services:\n  proxy:\n    image: nginx:1.27\n    volumes:\n      - ./nginx/nginx.conf:/etc/nginx/nginx.conf:ro\n      - ./nginx/conf.d:/etc/nginx/conf.d:ro\n',
    };
    const report = lint({ fs: new MemoryFs(files), files: ['nginx/nginx.conf'], config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' });
    expect(report.findings.filter((f) => f.ruleId === 'not-analysed')).toStrictEqual([]);
    expect(report.files.map((f) => f.file)).toStrictEqual(['nginx/conf.d/api.conf', 'nginx/nginx.conf']);
  });

  it('maps files a Dockerfile copies into an nginx image', () => {
    const files = {
      ...gateway,
      'nginx/Dockerfile': 'FROM node:20 AS build\nCOPY . /app\nFROM nginx:1.27-alpine\nCOPY nginx.conf /etc/nginx/nginx.conf\nCOPY conf.d/ /etc/nginx/conf.d/\n',
    };
    expect(lintFiles(files).findings.filter((f) => f.ruleId === 'not-analysed')).toStrictEqual([]);
  });

  it('reads the final stage of a Dockerfile only, skipping COPY --from', () => {
    const image = readDockerfile('web/Dockerfile', 'FROM nginx AS base\nCOPY a.conf /etc/nginx/conf.d/\nFROM nginx:1.27\nCOPY --from=base /etc/nginx /etc/nginx\nCOPY default.conf.template /etc/nginx/templates/\nENV NGINX_PORT=8080 UPSTREAM="api:80"\n');
    expect(image.nginx).toBe(true);
    expect(image.copies.map((c) => `${c.workspace} -> ${c.container}`)).toStrictEqual(['web/default.conf.template -> /etc/nginx/templates/default.conf.template']);
    expect([...image.env]).toStrictEqual([['NGINX_PORT', '8080'], ['UPSTREAM', 'api:80']]);
  });

  it('maps ConfigMap volumes a kustomize configMapGenerator makes from workspace files', () => {
    const files = {
      'deploy/kustomization.yaml': 'resources:\n  - gateway.yaml\nconfigMapGenerator:\n  - name: gateway-conf\n    files:\n      - nginx/nginx.conf\n      - default.conf=nginx/site.conf\n',
      'deploy/gateway.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: gateway\nspec:\n  template:\n    spec:\n      containers:\n        - name: nginx\n          image: nginx:1.27\n          volumeMounts:\n            - { name: conf, mountPath: /etc/nginx/nginx.conf, subPath: nginx.conf }\n            - { name: conf, mountPath: /etc/nginx/conf.d }\n      volumes:\n        - name: conf\n          configMap: { name: gateway-conf }\n',
      'deploy/nginx/nginx.conf': 'events {}\nhttp {\n  proxy_read_timeout 20s;\n  include /etc/nginx/conf.d/*.conf;\n}\n',
      'deploy/nginx/site.conf': 'server {\n  location /v1/chat/completions { proxy_pass http://llm:8000; proxy_buffering off; }\n}\n',
    };
    const found = summary(files).filter((f) => !f.includes('unresolved-chain-link'));
    expect(found).toStrictEqual([expect.stringMatching(/^warning llm-route-default-read-timeout deploy\/nginx\/site\.conf: .*20s \(inherited from http at deploy\/nginx\/nginx\.conf:3\)/)]);
  });

  it('accepts nginx.includePrefix as a map of container paths to workspace folders', () => {
    const { config, errors } = resolveConfig({ nginx: { includePrefix: { '/etc/nginx': 'nginx' } } }, allRules);
    expect(errors).toStrictEqual([]);
    expect(lintFiles(gateway, config).findings.filter((f) => f.ruleId === 'not-analysed')).toStrictEqual([]);
    const bad = resolveConfig({ nginx: { includePrefix: { 'etc/nginx': 'nginx', '/srv': '/abs' } } }, allRules);
    expect(bad.errors).toHaveLength(2);
  });
});

describe('envsubst templates', () => {
  it('renders templates/ into conf.d/ the way the official image does, honouring its settings', () => {
    expect(officialRenderOf('/etc/nginx/templates/sub/default.conf.template', templateSettingsOf(new Map()))).toBe('/etc/nginx/conf.d/sub/default.conf');
    const custom = templateSettingsOf(new Map([['NGINX_ENVSUBST_TEMPLATE_SUFFIX', '.tpl'], ['NGINX_ENVSUBST_OUTPUT_DIR', '/etc/nginx']]));
    expect(officialRenderOf('/etc/nginx/templates/nginx.conf.tpl', custom)).toBe('/etc/nginx/nginx.conf');
    expect(officialRenderOf('/etc/nginx/templates/x.conf.template', custom)).toBeUndefined();
  });

  it('reads envsubst redirects from entrypoint scripts, never paths built at run time', () => {
    const script = [
      '#!/bin/sh',
      'envsubst "$env_vars" < /etc/nginx/proxy.conf.template > /etc/nginx/proxy.conf',
      "envsubst '$HOST' < \"/etc/nginx/conf.d/$1\" > /etc/nginx/conf.d/app.conf",
      '# envsubst < /a.template > /a',
      "if [ x ]; then envsubst '${HTTPS_CONFIG}' < /etc/nginx/conf.d/default.conf.template > /etc/nginx/conf.d/default.conf; fi",
    ].join('\n');
    expect(scriptRenders(script, 'run.sh').map((r) => `${r.template} -> ${r.rendered}`)).toStrictEqual([
      '/etc/nginx/proxy.conf.template -> /etc/nginx/proxy.conf',
      '/etc/nginx/conf.d/default.conf.template -> /etc/nginx/conf.d/default.conf',
    ]);
  });

  it('reads the defaults a rendering script gives its variables at top level only', () => {
    const script = 'export READ="${READ:-300}"\nHOST=api\nif [ "$TLS" = 1 ]; then\n  export PORT=443\nfi\nexport NAME="$(hostname)"\n';
    expect([...scriptDefaults(script)]).toStrictEqual([['READ', '300'], ['HOST', 'api']]);
  });

  it('resolves compose interpolation from .env, else the default, else not at all', () => {
    const env = new Map([['SET', '90s'], ['EMPTY', '']]);
    expect(interpolateCompose('${SET:-30s}', env)).toBe('90s');
    expect(interpolateCompose('${UNSET:-30s}', env)).toBe('30s');
    expect(interpolateCompose('${EMPTY:-30s}', env)).toBe('30s');
    expect(interpolateCompose('${EMPTY-30s}', env)).toBe('');
    expect(interpolateCompose('${UNSET}', env)).toBeUndefined();
    expect(interpolateCompose('${UNSET:?required}', env)).toBeUndefined();
    expect(interpolateCompose('$$HOME-${SET}', env)).toBe('$HOME-90s');
    expect([...parseDotEnv('# c\nexport A=1\nB="two words"\nC=3 # note\n')]).toStrictEqual([['A', '1'], ['B', 'two words'], ['C', '3']]);
  });

  it('resolves an include of a rendered file to its template and substitutes the container\'s variables', () => {
    const files = {
      'docker-compose.yml': 'services:\n  gateway:\n    image: nginx\n    environment:\n      UPSTREAM: api:8000\n      READ: ${READ:-20s}\n    volumes:\n      - ./templates:/etc/nginx/templates\n  api:\n    image: vllm/vllm-openai\n',
      'templates/default.conf.template': 'server {\n  listen 80;\n  location /v1/chat/completions {\n    include /etc/nginx/conf.d/llm.conf;\n    proxy_pass http://${UPSTREAM};\n  }\n}\n',
      'templates/llm.conf.template': 'proxy_read_timeout ${READ};\nproxy_buffering off;\n',
    };
    const found = summary(files);
    // The message says where the value is set: that is where the fix goes.
    expect(found).toStrictEqual([expect.stringMatching(/^warning llm-route-default-read-timeout templates\/llm\.conf\.template: .*proxy_read_timeout is 20s \(set at templates\/llm\.conf\.template:1, with READ=20s from the environment of compose service gateway \(its default there\) at docker-compose\.yml:6\)/)]);
    expect(summary({ ...files, '.env': 'READ=900s\n' })).toStrictEqual([]);
    expect(summary({ ...files, '.env': 'READ=40s\n' })).toStrictEqual([expect.stringMatching(/READ=40s from the environment of compose service gateway \(value from \.env\)/)]);
  });

  it('leaves a variable nobody sets statically as a placeholder, never a default', () => {
    const files = {
      'Dockerfile': 'FROM nginx\nCOPY default.conf.template /etc/nginx/templates/default.conf.template\n',
      'default.conf.template': 'server {\n  location /v1/chat/completions {\n    proxy_read_timeout ${READ};\n    proxy_buffering off;\n    proxy_pass http://api:8000;\n  }\n}\n',
    };
    expect(summary(files)).toStrictEqual([]);
  });
});

describe('config variants and templates of other languages', () => {
  it('finds config variants by name and decides by content', () => {
    for (const name of ['mcp.conf.inc.template', 'app.conf.python', 'site.conf.tmpl', 'nginx.conf.j2', 'default.conf.ejs']) {
      expect(kindByPath(`deploy/${name}`, undefined), name).toBe('maybe-nginx-variant');
    }
    expect(kindByPath('deploy/notes.template', undefined)).toBe('unknown');
    expect(nginxVariantVerdict('location /mcp { proxy_pass http://mcp; }\n')).toBe('nginx');
    expect(nginxVariantVerdict('server { listen {{ port }}; }\n')).toMatch(/^a Jinja template/);
    expect(nginxVariantVerdict('server {\n{{- if .Values.tls }}\n listen 443;\n{{- end }}\n}\n')).toMatch(/^a Go template/);
    expect(nginxVariantVerdict('server { listen <%= port %>; }\n')).toMatch(/^an EJS/);
    expect(nginxVariantVerdict('[section]\nkey = value\n')).toBe('other');
  });

  it('analyses a content-detected variant and lists a Jinja one as not analysed', () => {
    const report = lintFiles({
      'nginx/mcp.conf.inc.template': 'location /mcp { proxy_pass http://mcp:8000; proxy_read_timeout 5s; }\n',
      'nginx/site.conf.j2': 'server {\n  listen {{ port }};\n  {% if tls %}listen 443 ssl;{% endif %}\n}\n',
    });
    expect(report.files.map((f) => f.file)).toStrictEqual(['nginx/mcp.conf.inc.template']);
    expect(report.notAnalysed).toStrictEqual([{ file: 'nginx/site.conf.j2', reason: expect.stringMatching(/^a Jinja template of nginx/) }]);
  });
});

describe('nginx inside Kubernetes YAML', () => {
  const configMap = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gw\ndata:\n${data}`;

  it('parses ConfigMap *.conf keys with spans in the YAML file, other keys of the ConfigMap included by name', () => {
    const text = configMap('  nginx.conf: |\n    events {}\n    http { include /etc/nginx/conf.d/*.conf; }\n  api.conf: |\n    server { location /v1/chat/completions { proxy_pass http://llm:8000; proxy_buffering off; proxy_read_timeout 20s; } }\n  redis.conf: |\n    maxmemory 2mb\n');
    const report = lintFiles({ 'k8s/gw.yaml': text });
    const finding = report.findings.find((f) => f.ruleId === 'llm-route-default-read-timeout');
    expect(finding && text.slice(finding.span.start, finding.span.end)).toBe('20s');
    expect(report.findings.map((f) => f.ruleId)).toStrictEqual(['llm-route-default-read-timeout']);
  });

  it('reports a syntax error of an ingress-nginx snippet at its place in the YAML file', () => {
    const text = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: chat\n  annotations:\n    nginx.ingress.kubernetes.io/configuration-snippet: |\n      proxy_set_header X-Stream on;\n      more_set_headers "X-Accel-Buffering: no"\n';
    const report = lintFiles({ 'ingress.yaml': text });
    const errors = report.findings.filter((f) => f.ruleId === 'parse-error');
    expect(errors).toHaveLength(1);
    expect(text.slice(errors[0]!.span.start, errors[0]!.span.end)).toBe('"X-Accel-Buffering: no"');
  });

  it('lists nginx written as a quoted or folded scalar instead of guessing its offsets', () => {
    const report = lintFiles({ 'gw.yaml': configMap('  default.conf: "server { listen 80; }\\nserver { listen 81; }"\n') });
    expect(report.findings.map((f) => `${f.ruleId}: ${f.message}`)).toStrictEqual([expect.stringMatching(/^not-analysed: the nginx in ConfigMap default\/gw key default\.conf is not analysed\. it is written as a double scalar/)]);
  });
});
