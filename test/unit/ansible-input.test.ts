// The Ansible input: role and playbook templates rendered with the project's vars files, read by the nginx, HAProxy and Kubernetes inputs, findings placed on the template with the vars line related.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

function run(files: Record<string, string>) {
  return lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' });
}

const SITE = `server {
    listen 80;
    location /api/ {
        proxy_pass http://127.0.0.1:8080;
        proxy_connect_timeout {{ api_connect_timeout }};
    }
}
`;

describe('the Ansible input', () => {
  it('renders a role template with group_vars/all and places the finding on the template expression, the vars line related', () => {
    const groupVars = '---\napi_connect_timeout: 120s\n';
    const report = run({ 'roles/web/templates/site.conf.j2': SITE, 'group_vars/all.yml': groupVars, 'site.yml': '- hosts: web\n  roles: [web]\n' });
    const finding = report.findings.find((f) => f.ruleId === 'connect-timeout-above-75s');
    expect(finding, JSON.stringify(report.findings.map((f) => [f.ruleId, f.message]))).toBeDefined();
    expect(finding!.span.file).toBe('roles/web/templates/site.conf.j2');
    expect(SITE.slice(finding!.span.start, finding!.span.end)).toContain('{{ api_connect_timeout }}');
    const related = finding!.related.find((r) => r.span.file === 'group_vars/all.yml');
    expect(related, JSON.stringify(finding!.related)).toBeDefined();
    expect(groupVars.slice(related!.span.start, related!.span.end)).toBe('120s');
  });

  it('role vars beat group_vars/all, which beats role defaults', () => {
    const files = {
      'roles/web/templates/site.conf.j2': SITE,
      'roles/web/defaults/main.yml': 'api_connect_timeout: 200s\n',
      'group_vars/all.yml': 'api_connect_timeout: 100s\n',
    };
    expect(run(files).findings.find((f) => f.ruleId === 'connect-timeout-above-75s')?.message).toContain('100');
    const withRoleVars = run({ ...files, 'roles/web/vars/main.yml': 'api_connect_timeout: 30s\n' });
    expect(withRoleVars.findings.filter((f) => f.ruleId === 'connect-timeout-above-75s')).toEqual([]);
    const onlyDefaults = run({ 'roles/web/templates/site.conf.j2': SITE, 'roles/web/defaults/main.yml': 'api_connect_timeout: 200s\n' });
    expect(onlyDefaults.findings.find((f) => f.ruleId === 'connect-timeout-above-75s')?.message).toContain('200');
  });

  it('a name a group- or host-specific file also sets is unknown, never the `all` value', () => {
    const report = run({
      'roles/web/templates/site.conf.j2': SITE,
      'group_vars/all.yml': 'api_connect_timeout: 120s\n',
      'group_vars/edge.yml': 'api_connect_timeout: 10s\n',
    });
    expect(report.findings.filter((f) => f.ruleId === 'connect-timeout-above-75s')).toEqual([]);
  });

  it('resolves a value that is itself a template', () => {
    const report = run({ 'roles/web/templates/site.conf.j2': SITE, 'group_vars/all': 'base_seconds: 90\napi_connect_timeout: "{{ base_seconds }}s"\n' });
    expect(report.findings.find((f) => f.ruleId === 'connect-timeout-above-75s')?.message).toContain('90');
  });

  it('renders a Kubernetes manifest template without an extension, read by the Kubernetes input', () => {
    const manifest = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  annotations:
    nginx.ingress.kubernetes.io/proxy-read-timeout: "{{ ingress_read_timeout }}"
spec:
  ingressClassName: nginx
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: api
                port:
                  number: 80
`;
    const report = run({ 'roles/ingress/templates/ingress.j2': manifest, 'roles/ingress/defaults/main.yml': 'ingress_read_timeout: 300s\n' });
    const finding = report.findings.find((f) => f.ruleId === 'ingress-nginx-annotation-unit');
    expect(finding, JSON.stringify(report.findings.map((f) => f.ruleId))).toBeDefined();
    expect(finding!.span.file).toBe('roles/ingress/templates/ingress.j2');
    // The fix would have to edit the defaults file, whose syntax differs: none is offered on a printed value.
    expect(finding!.fixes ?? []).toEqual([]);
  });

  it('names a rendered text without an extension by its content: HAProxy is read as HAProxy', () => {
    const haproxy = 'defaults\n    mode tcp\n    timeout connect 5s\n    timeout client {{ client_timeout }}\n    timeout server 60s\n\nfrontend fe\n    bind :443\n    default_backend be\n\nbackend be\n    server a 10.0.0.1:443 check\n';
    const report = run({ 'roles/lb/templates/lb.j2': haproxy, 'roles/lb/defaults/main.yml': 'client_timeout: 10s\n' });
    const finding = report.findings.find((f) => f.ruleId === 'haproxy-server-timeout-above-client');
    expect(finding, JSON.stringify(report.findings.map((f) => f.ruleId))).toBeDefined();
    expect(finding!.span.file).toBe('roles/lb/templates/lb.j2');
  });

  it('stops a chain at a backend whose servers a loop over inventory hosts prints, saying so', () => {
    const haproxy = "defaults\n    mode http\n    timeout connect 5s\n    timeout client 60s\n    timeout server 60s\n\nfrontend fe\n    bind :80\n    default_backend be\n\nbackend be\n{% for host in groups['web'] %}\n    server {{ host }} {{ hostvars[host]['ansible_host'] }}:8080 check\n{% endfor %}\n";
    const report = run({ 'roles/lb/templates/haproxy.cfg.j2': haproxy, 'roles/lb/defaults/main.yml': 'x: 1\n', 'svc/k8s.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 8080\n' });
    const stop = report.findings.find((f) => f.ruleId === 'unresolved-chain-link');
    expect(stop?.message, JSON.stringify(report.findings.map((f) => f.message))).toContain('server <unknown> of HAProxy backend be (frontend fe) has an address a template prints, which is not known here');
  });

  it('lists a template whose condition depends on a name no vars file sets as not analysed, and reports nothing in it', () => {
    const template = `server {\n    listen 80;\n{% if tls %}\n    listen 443 ssl;\n{% endif %}\n    location / { proxy_pass http://127.0.0.1:8080; proxy_connect_timeout 120s; }\n}\n`;
    const report = run({ 'roles/web/templates/site.conf.j2': template, 'roles/web/defaults/main.yml': 'workers: 2\n' });
    expect(report.findings.filter((f) => f.ruleId === 'connect-timeout-above-75s')).toEqual([]);
    expect(report.notAnalysed.map((n) => n.reason).join('\n')).toMatch(/cannot be rendered offline, because the condition `tls`/);
  });

  it('lists nothing for a template of a file no input reads, even when it cannot be rendered', () => {
    const report = run({ 'roles/web/templates/app.service.j2': '[Service]\n{% include "env.j2" %}\nExecStart=/usr/bin/node server.js\n', 'roles/web/defaults/main.yml': 'port: 3000\n' });
    expect(report.notAnalysed).toEqual([]);
    expect(report.findings).toEqual([]);
  });

  it('leaves a template outside any Ansible project to the nginx input, as before', () => {
    const report = run({ 'docker/nginx.conf.j2': SITE });
    expect(report.findings.filter((f) => f.ruleId === 'connect-timeout-above-75s')).toEqual([]);
    expect(report.notAnalysed.map((n) => n.reason).join('\n')).toMatch(/Jinja template of nginx/);
  });
});
