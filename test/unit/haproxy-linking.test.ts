// HAProxy linked into call chains through the registry: a client on the same host reaches a frontend by its bind port, backends reach code by server address, and hovers explain the values.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { timeoutHoverAt } from '../../server/src/lsp/chain-view.js';

const HAPROXY = [
  'defaults',
  '    mode http',
  '    timeout connect 5s',
  '    timeout client 1m',
  '    timeout server 30s',
  'frontend edge',
  '    bind 127.0.0.1:8080',
  '    use_backend api if { path_beg /api }',
  '    default_backend static',
  'backend api',
  '    server a1 127.0.0.1:3000',
  'backend static',
  '    server s1 127.0.0.1:4000',
  '',
].join('\n');

const FILES: Record<string, string> = {
  'lb/haproxy.cfg': HAPROXY,
  'api/package.json': '{ "name": "api", "engines": { "node": "22.x" }, "dependencies": { "express": "^4.21.0" } }\n',
  'api/src/server.ts': [
    "import express from 'express';",
    'const app = express();',
    "app.get('/api/orders', async (req, res) => {",
    "  const r = await fetch('https://erp.example.com/orders', { signal: AbortSignal.timeout(45_000) });",
    '  res.json(await r.json());',
    '});',
    'const server = app.listen(3000);',
    'server.keepAliveTimeout = 65_000;',
    '',
  ].join('\n'),
  'scripts/package.json': '{ "name": "scripts" }\n',
  'scripts/report.ts': "export async function run(): Promise<unknown> {\n  return (await fetch('http://localhost:8080/api/orders', { signal: AbortSignal.timeout(120_000) })).json();\n}\n",
};

function linked() {
  const fs = new MemoryFs(FILES);
  const capture = createModelCapture();
  const report = lint({ fs, files: fs.list(), config: defaultConfig(allRules), rules: [...allRules, capture.rule], toolVersion: 'test' });
  return { report, model: capture.model()! };
}

describe('HAProxy in linked chains', () => {
  const { report, model } = linked();

  it('links a client calling the bind port through the path-matched backend to the code behind it', () => {
    const labels = chainsOf(model).chains.map((c) => c.hops.map((h) => h.label));
    expect(labels).toContainEqual([
      'fetch GET http://localhost:8080/api/orders', 'HAProxy backend api (frontend edge)', 'express server `server` in api', 'GET /api/orders handler', 'fetch GET https://erp.example.com/orders',
    ]);
  });

  it('reports the HAProxy timeout server that gives up before the call behind it', () => {
    const outer = report.findings.filter((f) => f.ruleId === 'outer-timeout-below-inner');
    expect(outer.map((f) => [f.span.file, FILES[f.span.file]!.slice(f.span.start, f.span.end), f.data['outer'], f.data['innerMs']])).toContainEqual(
      ['lb/haproxy.cfg', '30s', 'HAProxy backend api (frontend edge)', 45_000],
    );
  });

  it('explains a HAProxy value on hover with its source and chains', () => {
    const offset = HAPROXY.indexOf('30s') + 1;
    const hover = timeoutHoverAt([model], 'lb/haproxy.cfg', offset) ?? '';
    expect(hover).toContain('**timeout server** of HAProxy backend api (frontend edge)');
    expect(hover).toContain('Effective value: `30s`');
    expect(hover).toContain('lb/haproxy.cfg:5');
  });
});
