// Hostile workspaces (#20): content alone must never hang or crash a run; what is not analysed is said.
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import type { WorkspaceModel } from '../../server/src/engine/workspace-model.js';
import { defineRule } from '../../server/src/engine/rule.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { MAX_BLOCK_DEPTH } from '../../server/src/engine/inputs/nginx/ast.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs, type WorkspaceFs } from '../../server/src/engine/workspace-fs.js';

function lintFiles(files: Record<string, string>) {
  return lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: allRules, toolVersion: 't' });
}

const findingsOf = (report: ReturnType<typeof lintFiles>, ruleId: string) => report.findings.filter((f) => f.ruleId === ruleId);

describe('nginx include expansion', () => {
  it('expands thirteen files that include each other by glob once each, not once per include path', () => {
    const files: Record<string, string> = { 'nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n' };
    for (let i = 0; i < 13; i++) files[`conf.d/f${i}.conf`] = `proxy_read_timeout ${i + 1}s;\ninclude conf.d/*.conf;\n`;
    const report = lintFiles(files);
    // Thirteen files in the same http block: nginx would refuse the first duplicate (it never gets
    // that far: it recurses on the cycle until it crashes). Each file is expanded once into the block.
    expect(findingsOf(report, 'duplicate-timeout-directive')).toHaveLength(12);
    expect(report.complete).toBe(true);
  });

  it('reports an entry whose include paths multiply past the statement budget as not analysed', () => {
    // Each file opens a server block and includes every file into it: every block is new, so the
    // per-block memo cannot help, and the number of include paths is factorial.
    const files: Record<string, string> = { 'nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n' };
    for (let i = 0; i < 13; i++) files[`conf.d/f${i}.conf`] = `server { listen ${8000 + i}; proxy_read_timeout 5s; include conf.d/*.conf; }\n`;
    const report = lintFiles(files);
    const notAnalysed = findingsOf(report, 'not-analysed');
    expect(notAnalysed.map((f) => f.message)).toEqual([expect.stringMatching(/expands to more than 100,000 statements and included files .* not analysed/)]);
    expect(notAnalysed[0]!.span.file).toBe('nginx.conf');
    expect(report.complete).toBe(false);
    expect(report.notAnalysed).toContainEqual({ file: 'nginx.conf', reason: expect.stringContaining('expands to more than') });
  });
});

describe('deep nesting', () => {
  it('lints 2,500 nested nginx blocks and reports the blocks past the depth limit', () => {
    const depth = 2500;
    const text = `events {}\nhttp {\nserver {\n${'location / {\n'.repeat(depth)}proxy_pass http://127.0.0.1:1;\n${'}\n'.repeat(depth)}}\n}\n`;
    const report = lintFiles({ 'nginx.conf': text });
    const notAnalysed = findingsOf(report, 'not-analysed');
    expect(notAnalysed).toHaveLength(1);
    expect(notAnalysed[0]!.message).toContain(`more than ${MAX_BLOCK_DEPTH} levels deep`);
    // The first block left out: http and server are levels 1 and 2, so it is location number MAX - 1.
    const line = text.slice(0, notAnalysed[0]!.span.start).split('\n').length;
    expect(line).toBe(3 + MAX_BLOCK_DEPTH - 1);
    expect(findingsOf(report, 'parse-error')).toEqual([]);
    expect(report.complete).toBe(false);
  });

  it('lints blocks nested deep across included files', () => {
    const files: Record<string, string> = { 'nginx.conf': 'events {}\nhttp {\ninclude d0.conf;\n}\n' };
    for (let i = 0; i < 30; i++) files[`d${i}.conf`] = `${'location / {\n'.repeat(10)}include d${i + 1}.conf;\n${'}\n'.repeat(10)}`;
    files['d30.conf'] = 'proxy_pass http://127.0.0.1:1;\n';
    const report = lintFiles(files);
    const notAnalysed = findingsOf(report, 'not-analysed');
    expect(notAnalysed.map((f) => f.message)).toEqual([expect.stringContaining('(counting included files) are not analysed')]);
    expect(report.complete).toBe(false);
  });
});

describe('regexes from the workspace run in linear time', () => {
  function chainsFor(files: Record<string, string>) {
    // The same no-op rule the CLI's `chains` command uses to keep a run's model.
    const capture = createModelCapture();
    const report = lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: [...allRules, capture.rule], toolVersion: 't' });
    return { report, chains: chainsOf(capture.model()!) };
  }
  const gateway = (locations: string) => `events {}\nhttp {\n  server {\n    listen 80;\n    server_name api.example.com;\n${locations}\n  }\n}\n`;
  const client = (path: string) => `export async function ask() {\n  return fetch('http://api.example.com${path}', { signal: AbortSignal.timeout(5_000) });\n}\n`;

  it('matches a catastrophic location regex against a long URL from the code without backtracking', () => {
    const longPath = `/${'a'.repeat(50_000)}!`;
    const { report, chains } = chainsFor({
      'nginx.conf': gateway('    location ~ ^/(a+)+$ { proxy_pass http://127.0.0.1:1; }\n    location / { proxy_pass http://127.0.0.1:2; }'),
      'web/client.ts': client(longPath),
    });
    expect(report.complete).toBe(true);
    // The regex does not match (the `!`), so nginx takes `location /`.
    const hops = chains.chains.find((c) => c.hops[0]?.kind === 'client-call')?.hops.map((h) => h.label) ?? [];
    expect(hops.some((label) => label.includes('location /'))).toBe(true);
    expect(hops.some((label) => label.includes('(a+)+'))).toBe(false);
  });

  it('stops the chain with the reason when a location regex nginx accepts cannot be evaluated safely', () => {
    const { chains } = chainsFor({
      'nginx.conf': gateway('    location ~ ^/(v1|v2)/\\1/ { proxy_pass http://127.0.0.1:1; }\n    location / { proxy_pass http://127.0.0.1:2; }'),
      'web/client.ts': client('/v1/v1/chat'),
    });
    const chain = chains.chains.find((c) => c.hops[0]?.kind === 'client-call');
    expect(chain?.hops).toHaveLength(1);
    expect(chain?.unresolved?.message).toMatch(/^location ~ \^\/\(v1\|v2\)\/\\1\/ cannot be evaluated safely: RE2 cannot evaluate it \(invalid escape sequence/);
  });

  it('stops the chain when a server_name regex before the match cannot be evaluated safely', () => {
    const { chains } = chainsFor({
      'nginx.conf': 'events {}\nhttp {\n  server { listen 80; server_name "~^(?!www)(?<sub>.+)\\.example\\.com$"; location / { proxy_pass http://127.0.0.1:1; } }\n}\n',
      'web/client.ts': client('/x'),
    });
    const chain = chains.chains.find((c) => c.hops[0]?.kind === 'client-call');
    expect(chain?.unresolved?.message).toContain('cannot be evaluated safely');
  });

  it('matches configured llm patterns in linear time and skips one only a backtracking engine can run', () => {
    const config = defaultConfig(allRules);
    config.llm.pathPatterns = ['^/(a+)+$', '^/(?!x)chat', 'completions'];
    const nginx = gateway(`    location /${'a'.repeat(30_000)}! { proxy_pass http://127.0.0.1:1; }\n    location /chat { proxy_pass http://127.0.0.1:2; }\n    location /v1/completions { proxy_pass http://127.0.0.1:3; }`);
    const report = lint({ fs: new MemoryFs({ 'nginx.conf': nginx }), files: ['nginx.conf'], config, rules: allRules, toolVersion: 't' });
    const llm = report.findings.filter((f) => f.ruleId === 'llm-route-default-read-timeout');
    expect(llm.map((f) => nginx.slice(nginx.lastIndexOf('location', f.span.start), f.span.end).split('{')[0]!.trim())).toEqual(['location /v1/completions']);
  });
});

describe('YAML merge keys and nesting', () => {
  /** Nine merges per level, each of the level below: a lookup that followed every path would do 9^levels steps. */
  function mergeBomb(levels: number): string {
    let anchors = '  x0: &a0 {timeoutSeconds: 7}\n';
    for (let i = 1; i <= levels; i++) anchors += `  x${i}: &a${i} {<<: [${Array(9).fill(`*a${i - 1}`).join(', ')}], k${i}: 1}\n`;
    return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bomb\n  annotations:\n${anchors.trimEnd().replace(/^/gm, '  ')}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: app:1\n          readinessProbe:\n            <<: *a${levels}\n            httpGet: {path: /, port: 80}\n`;
  }

  it('resolves a small document of chained merges (a merge bomb) once per mapping', () => {
    const text = mergeBomb(9);
    expect(text.length).toBeLessThan(1200);
    const report = lintFiles({ 'k8s/bomb.yaml': text });
    expect(report.complete).toBe(true);
    expect(findingsOf(report, 'parse-error')).toEqual([]);
  });

  it('reads the value a merge chain brings in', () => {
    let read: unknown;
    const capture = defineRule<object>({
      id: 'capture-probe', description: 'Captures the probe.', defaultSeverity: 'info', fixable: 'never', inputs: ['k8s'],
      options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} }, messages: {},
      check: (ctx) => {
        read = ctx.model.k8s.workloads[0]?.containers[0]?.probes.find((p) => p.probe === 'readiness')?.timeout.ms;
      },
    });
    lint({ fs: new MemoryFs({ 'k8s/bomb.yaml': mergeBomb(9) }), files: ['k8s/bomb.yaml'], config: defaultConfig(allRules), rules: [capture], toolVersion: 't' });
    expect(read).toBe(7_000);
  });

  it('reports a document whose merges cost more than the budget as not analysed', () => {
    // 400 containers each merge a mapping of 5,000 keys: every lookup of a missing key scans all of them.
    const big = Array.from({ length: 5_000 }, (_, i) => `k${i}: v`).join(', ');
    const containers = Array.from({ length: 400 }, (_, i) => `        - {<<: *big, name: c${i}, image: x}`).join('\n');
    const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: wide\n  labels: &big {${big}}\nspec:\n  template:\n    spec:\n      containers:\n${containers}\n`;
    const report = lintFiles({ 'k8s/wide.yaml': text });
    expect(findingsOf(report, 'not-analysed').map((f) => f.message)).toEqual([expect.stringContaining('merge keys (<<) take more than 2,000,000 steps')]);
    expect(report.complete).toBe(false);
  });

  it('reports a merge chain longer than 64 mappings as not analysed instead of cutting it short', () => {
    let anchors = '    x0: &a0 {timeoutSeconds: 7}\n';
    for (let i = 1; i <= 70; i++) anchors += `    x${i}: &a${i} {<<: *a${i - 1}}\n`;
    const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: chain\n  annotations:\n${anchors}spec:\n  template:\n    spec:\n      containers:\n        - name: app\n          readinessProbe: {<<: *a70, httpGet: {path: /, port: 80}}\n`;
    const report = lintFiles({ 'k8s/chain.yaml': text });
    expect(findingsOf(report, 'not-analysed').map((f) => f.message)).toEqual([expect.stringContaining('chain more than 64 mappings deep')]);
  });

  it('still reports a repeated key, found in linear time', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: v`).join(', ');
    const report = lintFiles({ 'k8s/dup.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\ndata: {${keys}, k7: again}\n` });
    const errors = findingsOf(report, 'parse-error');
    expect(errors.map((f) => f.message)).toEqual(['invalid YAML: Map keys must be unique']);
  });

  it('reports YAML and code nested thousands deep as not analysed, and lints the rest', () => {
    const depth = 10_000;
    const report = lintFiles({
      'k8s/deep.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`,
      'src/deep.ts': `export const x = ${'('.repeat(depth)}1${')'.repeat(depth)};\n`,
      'src/call.ts': "export const get = () => fetch('http://a.example/b');\n",
    });
    expect(findingsOf(report, 'not-analysed').map((f) => `${f.span.file}: ${f.message}`).sort()).toEqual([
      'k8s/deep.yaml: not analysed: the YAML is nested too deeply to be read',
      'src/deep.ts: the code is nested too deeply to be parsed',
    ]);
    expect(findingsOf(report, 'parse-error')).toEqual([]);
    expect(findingsOf(report, 'http-call-without-timeout').map((f) => f.span.file)).toEqual(['src/call.ts']);
  });
});

describe('chain walking', () => {
  it('stops at its bounds when calls fan out at every service, and says the run is incomplete', () => {
    // Seven services whose handlers each call the next one twelve times: 12^5 paths within the 24-hop depth.
    const files: Record<string, string> = {};
    const levels = 6;
    for (let i = 0; i <= levels; i++) {
      files[`k8s/s${i}.yaml`] = `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\nspec:\n  selector:\n    app: s${i}\n  ports:\n    - port: 80\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: s${i}\nspec:\n  selector:\n    matchLabels:\n      app: s${i}\n  template:\n    metadata:\n      labels:\n        app: s${i}\n    spec:\n      containers:\n        - name: s${i}\n          image: s${i}:1\n`;
      files[`s${i}/package.json`] = `{"name":"s${i}"}`;
      const calls = i < levels ? Array(12).fill(`await fetch('http://s${i + 1}/x', { signal: AbortSignal.timeout(1000) });`).join(' ') : '';
      files[`s${i}/index.ts`] = `import express from 'express';\nconst app = express();\napp.get('/x', async (_req, res) => { ${calls} res.json(1); });\napp.listen(80);\n`;
    }
    let truncated: string | undefined;
    const capture = defineRule<object>({
      id: 'capture-chains', description: 'Links the chains.', defaultSeverity: 'info', fixable: 'never', inputs: ['nginx', 'k8s', 'ts'],
      options: { schema: { type: 'object', additionalProperties: false, properties: {} }, defaults: {} }, messages: {},
      check: (ctx) => {
        truncated = chainsOf(ctx.model).truncated;
      },
    });
    const report = lint({ fs: new MemoryFs(files), files: Object.keys(files), config: defaultConfig(allRules), rules: [capture], toolVersion: 't' });
    expect(truncated).toMatch(/^call chains were not all followed: the workspace links into more than 20,000 chains/);
    expect(report.complete).toBe(false);
    expect(report.notAnalysed).toEqual([{ file: 's0/index.ts', reason: truncated }]);
  });
});

describe('files that cannot or must not be read', () => {
  /** A MemoryFs with a FIFO (`fifo.conf`) and a file whose read is refused (`refused.conf`). */
  function hostileFs(files: Record<string, string>): WorkspaceFs {
    const memory = new MemoryFs(files);
    return {
      readFile: (file) => {
        if (file === 'fifo.conf') throw new Error('reading a FIFO blocks forever');
        if (file === 'refused.conf') throw new Error('EACCES: permission denied');
        return memory.readFile(file);
      },
      stat: (file) => (file === 'fifo.conf' ? { size: 0, isFile: false, isDirectory: false } : memory.stat(file)),
      readDirectory: (dir) => {
        const names = memory.readDirectory(dir);
        return dir === '' && names ? [...names, 'fifo.conf'] : names;
      },
    };
  }

  it('reports an include of a FIFO (named or globbed) and of a file it may not read, and lints the rest', () => {
    const files = {
      'nginx.conf': 'events {}\nhttp {\n    include fifo.conf;\n    include *.conf;\n    include refused.conf;\n    server { location / { proxy_pass http://127.0.0.1:1; } }\n}\n',
      'refused.conf': 'proxy_read_timeout 5s;\n',
    };
    const fs = hostileFs(files);
    const report = lint({ fs, files: ['nginx.conf', 'refused.conf'], config: defaultConfig(allRules), rules: allRules, toolVersion: 't' });
    const notRegular = findingsOf(report, 'include-error').filter((f) => f.message === 'include "fifo.conf" is not a regular file (a FIFO, a device or a socket). it was not read');
    // Once named, once matched by the glob.
    expect(notRegular.map((f) => files['nginx.conf'].slice(f.span.start, f.span.end))).toEqual(['fifo.conf', '*.conf']);
    expect(report.notAnalysed).toContainEqual({ file: 'refused.conf', reason: 'could not be read: EACCES: permission denied' });
    expect(findingsOf(report, 'internal-error')).toEqual([]);
  });
});
