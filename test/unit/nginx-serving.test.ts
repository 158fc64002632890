// What serves an nginx request once routed, and how long nginx may take: try_files/error_page targets, default-server values, tries over down/backup servers, the next-upstream gate, and the links and findings they drive.
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { mayTake } from '../../server/src/engine/chain/budget.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import { attemptsWords, ChainLocator } from '../../server/src/engine/chain/describe.js';
import { nginxLocationHop } from '../../server/src/engine/inputs/nginx/hops.js';
import { selectLocation, selectServer } from '../../server/src/engine/inputs/nginx/routing.js';
import { clientHeaderTimeout, errorPageFallback, noLiveUpstreamsWindowMs, servingLocation } from '../../server/src/engine/inputs/nginx/serving.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { buildNginxModel, upstreamNamed, type NginxModel } from '../../server/src/engine/inputs/nginx/model.js';
import type { WorkspaceModel } from '../../server/src/engine/workspace-model.js';
import { parseNginxConfig } from '../../server/src/engine/inputs/nginx/parser.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

function modelOf(text: string): NginxModel {
  return buildNginxModel(parseNginxConfig(new MemoryFs({ 'nginx.conf': text }), 'nginx.conf', { absoluteIncludePrefix: 'root' }));
}

const CONF = `events {}
http {
    upstream two { server 127.0.0.1:1; server 127.0.0.1:2 down; server 127.0.0.1:3 backup; }
    upstream three { server 127.0.0.1:1; server 127.0.0.1:2; server 127.0.0.1:3; }
    upstream zero { server 127.0.0.1:1 max_fails=0; server 127.0.0.1:2; }
    upstream slow { server 127.0.0.1:1 fail_timeout=30s; server 127.0.0.1:2 fail_timeout=20; }
    upstream one { server 127.0.0.1:1; }
    server {
        listen 8080;
        server_name first.test;
        client_header_timeout 9s;
        location /a/ { proxy_read_timeout 2s; error_page 502 504 = @fb; proxy_pass http://three; }
        location @fb { proxy_read_timeout 3s; error_page 504 = @other; proxy_pass http://127.0.0.1:9; }
        location @other { proxy_pass http://127.0.0.1:9; }
        location /tf/ { try_files $uri @fb; }
        location /gate/ { proxy_read_timeout 2s; proxy_next_upstream_timeout 3s; proxy_pass http://three; }
        location /down/ { proxy_read_timeout 1s; proxy_pass http://two; }
        location /uri/ { proxy_read_timeout 1s; error_page 504 /a/x?y=1; proxy_pass http://127.0.0.1:9; }
        location /ext/ { error_page 504 http://example.com/; proxy_pass http://127.0.0.1:9; }
        location /if/ { proxy_read_timeout 4s; if ($arg_x) { proxy_pass http://127.0.0.1:9; } }
        location /le/ { limit_except GET { proxy_pass http://127.0.0.1:9; } }
    }
    server {
        listen 8080 default_server;
        server_name dflt.test;
        client_header_timeout 2s;
    }
}
`;

describe('nginx serving blocks', () => {
  const model = modelOf(CONF);
  const first = selectServer(model, { host: 'first.test', port: 8080, path: '/' })!;
  const at = (path: string) => selectLocation(first, path)!;

  it('try_files … @named is served by the named location', () => {
    expect(servingLocation(first, at('/tf/x'))?.location?.pattern).toBe('@fb');
  });
  it('error_page names the fallback for the listed codes only, and never a redirect to another site', () => {
    expect(errorPageFallback(first, at('/a/x'), 504)?.location?.pattern).toBe('@fb');
    expect(errorPageFallback(first, at('/a/x'), 404)).toBeUndefined();
    expect(errorPageFallback(first, at('/uri/x'), 504)?.location?.pattern).toBe('/a/');
    expect(errorPageFallback(first, at('/ext/x'), 504)).toBeUndefined();
  });
  it('a proxy_pass inside if or limit_except makes the location proxy, with its own timeouts', () => {
    expect(at('/if/x').proxyTarget?.port).toBe(9);
    expect(at('/le/x').proxyTarget?.port).toBe(9);
    expect(nginxLocationHop(model, first, at('/if/x'), 'GET').timeouts.find((t) => t.kind === 'idle')?.ms).toBe(4000);
  });
  it('client_header_timeout comes from the default server of the port, not from the named server', () => {
    expect(clientHeaderTimeout(model, first, 8080)?.ms).toBe(2000);
  });
  it('a group is unavailable after one failed request only when every live server counts failures (max_fails=1)', () => {
    expect(noLiveUpstreamsWindowMs(upstreamNamed(model, 'three')!)).toBe(10_000);
    expect(noLiveUpstreamsWindowMs(upstreamNamed(model, 'slow')!)).toBe(20_000);
    expect(noLiveUpstreamsWindowMs(upstreamNamed(model, 'zero')!)).toBeUndefined();
    expect(noLiveUpstreamsWindowMs(upstreamNamed(model, 'one')!)).toBeUndefined();
  });
});

describe('how long an nginx location may take', () => {
  const model = modelOf(CONF);
  const first = selectServer(model, { host: 'first.test', port: 8080, path: '/' })!;
  const hopAt = (path: string, method = 'GET') => nginxLocationHop(model, first, selectLocation(first, path)!, method);

  it('down servers are no try, backup servers are', () => {
    expect(hopAt('/down/').attempts?.count).toBe(2);
  });
  it('proxy_next_upstream_timeout only gates another try: 3 s with 2 s tries is 2 tries, 4 s', () => {
    const hop = hopAt('/gate/');
    expect(hop.attempts).toMatchObject({ count: 2, gate: { knob: 'proxy_next_upstream_timeout', ms: 3000 } });
    expect(hop.timeouts.map((t) => t.knob)).not.toContain('proxy_next_upstream_timeout');
    expect(mayTake(hop)).toMatchObject({ ms: 4000, attempts: 2 });
    const locator = new ChainLocator({ sources: new Map() } as unknown as ConstructorParameters<typeof ChainLocator>[0]);
    expect(attemptsWords(hop, hop.attempts!, locator)).toMatch(/^proxy_next_upstream_tries: 2 attempts \(.*, no new try after proxy_next_upstream_timeout 3s\)$/);
  });
  it('an error_page fallback adds its time, and its own error_page is not followed', () => {
    const take = mayTake(hopAt('/a/x'))!;
    // 3 tries × 2 s, then the fallback's 3 s (default 60 s connect aside: a silent peer answers the connect).
    expect(take.ms).toBe(9000);
    expect(take.fallback?.ms).toBe(3000);
    expect(hopAt('/a/x').fallback?.fallback).toBeUndefined();
  });
});

function workspace(files: Record<string, string>): WorkspaceModel {
  // The same no-op rule the CLI's `chains` command uses to keep a run's model.
  const capture = createModelCapture();
  lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: [capture.rule], toolVersion: 'test' });
  return capture.model()!;
}

describe('linking requests to the nginx block that serves them', () => {
  const conf = `events {}
http {
    server {
        listen 8080;
        server_name api.test;
        location /api/ { proxy_read_timeout 2s; proxy_pass http://127.0.0.1:9000; }
    }
    server {
        listen 8081 default_server;
        server_name other.test;
        location /api/ { proxy_read_timeout 5s; root empty; try_files $uri @app; }
        location @app { proxy_read_timeout 7s; proxy_pass http://127.0.0.1:9001; }
    }
}
`;
  const client = (url: string) => `export async function go() {\n  return fetch('${url}', { signal: AbortSignal.timeout(30_000) });\n}\n`;

  it('a call to the port with an unknown Host reaches that port default server; try_files reaches the named location', () => {
    const model = workspace({ 'nginx.conf': conf, 'client/package.json': '{ "name": "client" }', 'client/src/go.ts': client('http://127.0.0.1:8081/api/x') });
    const chains = chainsOf(model).chains.filter((c) => c.hops[0]!.kind === 'client-call');
    expect(chains.map((c) => c.hops.map((h) => h.label))).toEqual([[expect.stringContaining('127.0.0.1:8081/api/x'), 'nginx location @app']]);
  });
  it('an unknown host that is not this machine links to no nginx', () => {
    const model = workspace({ 'nginx.conf': conf, 'client/package.json': '{ "name": "client" }', 'client/src/go.ts': client('https://elsewhere.example/api/x') });
    const chains = chainsOf(model).chains.filter((c) => c.hops[0]!.kind === 'client-call');
    expect(chains.every((c) => c.hops.length === 1)).toBe(true);
  });
});

describe('outer-timeout-below-inner sees the error_page fallback', () => {
  it('reports a client deadline of 4 s in front of 2 s + 3 s', () => {
    const conf = `events {}
http {
    server {
        listen 8080;
        server_name api.test;
        location /api/ { proxy_read_timeout 2s; error_page 504 = @fb; proxy_pass http://127.0.0.1:9000; }
        location @fb { proxy_read_timeout 3s; proxy_pass http://127.0.0.1:9001; }
    }
}
`;
    const files = {
      'nginx.conf': conf,
      'client/package.json': '{ "name": "client" }',
      'client/src/go.ts': "export async function go() {\n  return fetch('http://api.test/api/x', { signal: AbortSignal.timeout(4_000) });\n}\n",
    };
    const report = lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' });
    const findings = report.findings.filter((f) => f.ruleId === 'outer-timeout-below-inner');
    expect(findings.map((f) => f.data)).toEqual([expect.objectContaining({ outerMs: 4000, innerMs: 5000 })]);
    expect(findings[0]!.message).toContain("then 3 s in the error_page fallback (proxy_read_timeout 3 s");
  });
});

describe('the timeout directive table', () => {
  it('covers every duration knob the model resolves, in the contexts the model resolves it in', async () => {
    const { NGINX_KNOBS, UPSTREAM_KNOBS, TIMEOUT_DIRECTIVES } = await import('../../server/src/engine/inputs/nginx/knobs.js');
    for (const knob of [...NGINX_KNOBS, ...UPSTREAM_KNOBS]) {
      if (knob.value.type !== 'duration') continue;
      const rule = TIMEOUT_DIRECTIVES.get(knob.name);
      expect(rule, knob.name).toBeDefined();
      for (const context of knob.contexts) expect([...rule!.contexts.keys()], `${knob.name} in ${context}`).toContain(context);
    }
  });
  it('compares nginx versions numerically', async () => {
    const { compareNginxVersions } = await import('../../server/src/engine/inputs/nginx/knobs.js');
    expect([compareNginxVersions('1.22.1', '1.27.3'), compareNginxVersions('1.27.10', '1.27.4'), compareNginxVersions('1.27', '1.27.0')]).toEqual([-1, 1, 0]);
  });
});
