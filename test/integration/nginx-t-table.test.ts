// `nginx -t` versus the linter over a table of configurations: nginx rejects a configuration exactly when the linter reports an error.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { resolveConfig } from '../../server/src/engine/config.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { NGINX } from './nginx-behaviour-harness.js';

/** The Debian binary the table runs against; the linter is told to target it. */
const TARGET_VERSION = '1.22.1';

type Where = 'location' | 'server' | 'http' | 'upstream' | 'main';
/** Where the snippet goes, the snippet, and whether nginx 1.22 rejects it (facts §1.1–1.3, measured c01–c50). */
const CASES: Array<[Where, string, 'accepts' | 'rejects']> = [
  ['location', 'proxy_read_timeout 30s;', 'accepts'],
  ['location', 'proxy_read_timeout 1.5s;', 'rejects'],
  ['location', 'proxy_read_timeout 1500ms;', 'accepts'],
  ['location', 'proxy_read_timeout 1h 30m;', 'rejects'],
  ['location', 'proxy_read_timeout "1h 30m";', 'accepts'],
  ['location', 'proxy_read_timeout 1h30m;', 'accepts'],
  ['location', 'proxy_read_timeout "30s 1m";', 'rejects'],
  ['location', 'proxy_read_timeout 1m30;', 'accepts'],
  ['location', 'proxy_read_timeout 1s500;', 'accepts'],
  ['location', 'proxy_read_timeout 1hm;', 'accepts'],
  ['location', 'proxy_read_timeout h5;', 'accepts'],
  ['location', 'proxy_read_timeout 5S;', 'rejects'],
  ['location', 'proxy_read_timeout 5sec;', 'rejects'],
  ['location', 'proxy_read_timeout -1;', 'rejects'],
  ['location', 'proxy_read_timeout ms;', 'rejects'],
  ['location', 'proxy_read_timeout "";', 'rejects'],
  ['location', 'proxy_read_timeout 1y;', 'rejects'],
  ['location', 'proxy_read_timeout 1M;', 'rejects'],
  ['location', 'proxy_read_timeout 24d;', 'accepts'],
  ['location', 'proxy_read_timeout 99999999999999999999s;', 'rejects'],
  ['location', 'proxy_read_timeout 0;', 'accepts'],
  ['location', 'proxy_read_timeout $arg_timeout;', 'rejects'],
  ['location', 'proxy_read_timeout $READ_TIMEOUT;', 'rejects'],
  ['location', 'proxy_read_timeout ${READ_TIMEOUT};', 'rejects'],
  ['location', 'proxy_read_timeout " 1s";', 'rejects'],
  ['location', 'proxy_read_timeout "1s  500ms";', 'accepts'],
  ['location', 'proxy_connect_timeout 90s;', 'accepts'],
  ['location', 'proxy_connect_timeout 200s;', 'accepts'],
  ['location', 'keepalive_timeout 30s 25;', 'accepts'],
  ['location', 'keepalive_timeout 30s 25ms;', 'rejects'],
  ['location', 'keepalive_timeout 0;', 'accepts'],
  ['location', 'keepalive_timeout 30s 25 10;', 'rejects'],
  ['location', 'send_timeout 1w;', 'accepts'],
  ['location', 'send_timeout "1h 30m";', 'accepts'],
  ['location', 'client_body_timeout 10s;', 'accepts'],
  ['location', 'grpc_read_timeout 1.5s;', 'rejects'],
  ['location', 'fastcgi_read_timeout 2m;', 'accepts'],
  ['location', 'uwsgi_send_timeout 5x;', 'rejects'],
  ['location', 'proxy_next_upstream_timeout 3s;', 'accepts'],
  ['location', 'proxy_read_timeout 1s; proxy_read_timeout 2s;', 'rejects'],
  ['location', 'Proxy_Read_Timeout 5s;', 'rejects'],
  ['location', 'if ($arg_x) { proxy_read_timeout 5s; }', 'rejects'],
  ['location', 'if ($arg_x) { client_body_timeout 5s; }', 'rejects'],
  ['location', 'if ($arg_x) { proxy_pass http://127.0.0.1:9; }', 'accepts'],
  ['location', 'limit_except GET { proxy_read_timeout 5s; }', 'rejects'],
  ['location', 'limit_except GET { deny all; }', 'accepts'],
  ['location', 'client_header_timeout 5s;', 'rejects'],
  ['location', 'keepalive_min_timeout 1s;', 'rejects'],
  ['location', 'lingering_timeout 5s;', 'accepts'],
  ['location', 'resolver_timeout 5s;', 'accepts'],
  ['location', 'location /inner/ { proxy_send_timeout 10s; }', 'accepts'],
  ['server', 'client_header_timeout 5s;', 'accepts'],
  ['server', 'proxy_read_timeout 5s; proxy_read_timeout 5s;', 'rejects'],
  ['server', 'keepalive_time 1h;', 'accepts'],
  ['server', 'proxy_read_timeout 60s;', 'accepts'],
  ['http', 'client_header_timeout 1.5s;', 'rejects'],
  ['http', 'lingering_time 1M;', 'rejects'],
  ['http', 'proxy_read_timeout 30s;', 'accepts'],
  ['upstream', 'keepalive_timeout 30s;', 'accepts'],
  ['upstream', 'keepalive_timeout 30s 25;', 'rejects'],
  ['upstream', 'keepalive_time 1h;', 'accepts'],
  ['upstream', 'proxy_read_timeout 30s;', 'rejects'],
  ['upstream', 'resolver_timeout 5s;', 'rejects'],
  ['upstream', 'server 127.0.0.1:10 fail_timeout=500ms;', 'rejects'],
  ['upstream', 'server 127.0.0.1:10 fail_timeout=30s max_fails=3;', 'accepts'],
  ['main', 'proxy_read_timeout 5s;', 'rejects'],
  ['location', 'proxy_timeout 5s;', 'rejects'],
  ['location', 'http2_recv_timeout 5s;', 'rejects'],
  ['server', 'http2_idle_timeout 5m;', 'accepts'],
];

function configOf(where: Where, snippet: string): string {
  const at = (w: Where) => (w === where ? snippet : '');
  return `${at('main')}
events {}
http {
    ${at('http')}
    upstream u {
        server 127.0.0.1:9;
        ${at('upstream')}
    }
    server {
        listen 127.0.0.1:1;
        ${at('server')}
        location / {
            ${at('location')}
            proxy_pass http://u;
        }
    }
}
`;
}

/** Error findings the linter reports for one configuration, targeting the Debian nginx version. */
function lintErrors(text: string): string[] {
  const { config } = resolveConfig({ nginx: { version: TARGET_VERSION } }, allRules);
  const report = lint({ fs: new MemoryFs({ 'nginx.conf': text }), files: ['nginx.conf'], config, rules: allRules, toolVersion: 'test' });
  return report.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId}: ${f.message}`);
}

if (!NGINX) console.warn('SKIPPED: the nginx -t half of the table, because no nginx binary is installed (the linter half still runs against the table).');

describe('nginx -t and the linter agree', () => {
  const dir = mkdtempSync(join(tmpdir(), 'timeout-lint-nginx-t-table-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has at least 60 configurations, both accepted and rejected', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c[2]))).toEqual(new Set(['accepts', 'rejects']));
  });

  it.each(CASES.map(([where, snippet, verdict], i) => [i, where, snippet, verdict] as const))('#%i %s `%s`: nginx %s', (i, where, snippet, verdict) => {
    const text = configOf(where, snippet);
    const errors = lintErrors(text);
    expect(errors.length > 0 ? 'rejects' : 'accepts', `linter errors: ${JSON.stringify(errors)}`).toBe(verdict);
    if (!NGINX) return;
    const caseDir = join(dir, String(i));
    mkdirSync(join(caseDir, 'logs'), { recursive: true });
    writeFileSync(join(caseDir, 'nginx.conf'), text);
    const run = spawnSync(NGINX, ['-t', '-q', '-p', caseDir, '-c', join(caseDir, 'nginx.conf'), '-e', join(caseDir, 'logs/error.log'), '-g', `pid ${join(caseDir, 'nginx.pid')};`], { encoding: 'utf8' });
    expect(run.status === 0 ? 'accepts' : 'rejects', `nginx -t: ${run.stderr}`).toBe(verdict);
  });
});
