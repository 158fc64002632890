// Traefik and Kong linked into call chains through the registry: routers and routes reach code by compose service and Kubernetes Service, hovers explain their values, Traefik resources are not unknown kinds, and no input throws on mangled text.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { timeoutHoverAt } from '../../server/src/lsp/chain-view.js';

const API = {
  'api/package.json': '{ "name": "api", "engines": { "node": "22.x" }, "dependencies": { "express": "^4.21.0" } }\n',
  'api/src/server.ts': [
    "import express from 'express';",
    'const app = express();',
    "app.get('/api/orders', async (req, res) => {",
    "  const r = await fetch('https://erp.example.com/orders', { signal: AbortSignal.timeout(45_000) });",
    '  res.json(await r.json());',
    '});',
    'const server = app.listen(3000);',
    'server.keepAliveTimeout = 120_000;',
    '',
  ].join('\n'),
};

const TRAEFIK_TOML = '[http.serversTransports.api.forwardingTimeouts]\n  responseHeaderTimeout = "30s"\n';
const KONG = '_format_version: "3.0"\nservices:\n  - name: api\n    url: http://api:3000\n    read_timeout: 20000\n    routes:\n      - name: orders\n        paths: [/api/orders]\n';

const FILES: Record<string, string> = {
  ...API,
  'docker-compose.yml': [
    'services:',
    '  api:',
    '    build: ./api',
    '    labels:',
    '      - traefik.http.routers.api.rule=PathPrefix(`/api`)',
    '      - traefik.http.services.api.loadbalancer.server.port=3000',
    '      - traefik.http.services.api.loadbalancer.serverstransport=api@file',
    '',
  ].join('\n'),
  'traefik/dynamic.toml': TRAEFIK_TOML,
  'kong/kong.yml': KONG,
};

function linked(files: Record<string, string>) {
  const fs = new MemoryFs(files);
  const capture = createModelCapture();
  const report = lint({ fs, files: fs.list(), config: defaultConfig(allRules), rules: [...allRules, capture.rule], toolVersion: 'test' });
  return { report, model: capture.model()! };
}

describe('Traefik and Kong in linked chains', () => {
  const { report, model } = linked(FILES);

  it('links a labelled router and a Kong route through the compose service to the handler', () => {
    const labels = chainsOf(model).chains.map((c) => c.hops.map((h) => h.label));
    expect(labels).toContainEqual(['Traefik router api@docker', 'compose service api', 'express server `server` in api', 'GET /api/orders handler', 'fetch GET https://erp.example.com/orders']);
    expect(labels).toContainEqual(['Kong route orders (service api)', 'compose service api', 'express server `server` in api', 'GET /api/orders handler', 'fetch GET https://erp.example.com/orders']);
  });

  it('reports both gateways giving up before the 45 s call, on their own values', () => {
    const outer = report.findings.filter((f) => f.ruleId === 'outer-timeout-below-inner');
    expect(outer.map((f) => [f.span.file, FILES[f.span.file]!.slice(f.span.start, f.span.end), f.data['outerMs'], f.data['innerMs']]).sort()).toStrictEqual([
      ['kong/kong.yml', '20000', 20_000, 45_000],
      ['traefik/dynamic.toml', '30s', 30_000, 45_000],
    ]);
  });

  it('explains a TOML value and a Kong value on hover with their source and chains', () => {
    const traefik = timeoutHoverAt([model], 'traefik/dynamic.toml', TRAEFIK_TOML.indexOf('30s') + 1) ?? '';
    expect(traefik).toContain('**forwardingTimeouts.responseHeaderTimeout** of Traefik router api@docker');
    expect(traefik).toContain('Effective value: `30s`');
    expect(traefik).toContain('In 1 call chain');
    const kong = timeoutHoverAt([model], 'kong/kong.yml', KONG.indexOf('20000') + 2) ?? '';
    expect(kong).toContain('**read\\_timeout** of Kong route orders (service api)');
    expect(kong).toContain('kong/kong.yml:5');
  });

  it('reads Traefik resources without the Kubernetes input reporting them', () => {
    const crd = linked({ 'k8s/route.yaml': 'apiVersion: traefik.io/v1alpha1\nkind: IngressRoute\nmetadata:\n  name: web\nspec:\n  routes:\n    - match: PathPrefix(`/`)\n      services:\n        - name: web\n          port: 80\n' });
    expect(crd.report.findings.filter((f) => f.ruleId !== 'unresolved-chain-link')).toStrictEqual([]);
    expect(crd.model.traefik.routers.map((r) => r.rule?.text)).toStrictEqual(['PathPrefix(`/`)']);
    expect(crd.model.k8s.problems).toStrictEqual([]);
  });
});

describe('mangled Traefik and Kong files', () => {
  // A seeded generator: the same cases on every run.
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const mangle = (text: string) => {
    let out = text;
    for (let i = 0; i < 4; i++) {
      const at = Math.floor(random() * out.length);
      const pieces = ['"', '[', ']', '{', '}', '\n', '=', ':', '#', '${{ env "X" }}', '`', '@', '-'];
      out = out.slice(0, at) + pieces[Math.floor(random() * pieces.length)] + out.slice(at + Math.floor(random() * 3));
    }
    return out;
  };

  it('never throws, whatever the text', () => {
    for (let i = 0; i < 60; i++) {
      const files = { ...API, 'traefik/dynamic.toml': mangle(TRAEFIK_TOML), 'kong/kong.yml': mangle(KONG), 'docker-compose.yml': mangle(FILES['docker-compose.yml']!), 'traefik/d.yml': mangle('http:\n  routers:\n    a:\n      service: a\n  services:\n    a:\n      loadBalancer:\n        servers: [{ url: "http://a:1" }]\n') };
      expect(() => linked(files)).not.toThrow();
      expect(linked(files).report.findings.some((f) => f.ruleId === 'internal-error')).toBe(false);
    }
  });
});
