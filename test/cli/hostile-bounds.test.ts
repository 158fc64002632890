// The bundled command on hostile workspaces (#20): it finishes, prints its report and says what it did not analyse.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

if (!fs.existsSync(CLI)) console.warn('SKIPPED: dist/cli.js is not built; `npm test` builds it first.');

function nestedNginx(depth: number): string {
  return `events {}\nhttp {\nserver {\n${'location / {\n'.repeat(depth)}proxy_pass http://127.0.0.1:1;\n${'}\n'.repeat(depth)}}\n}\n`;
}

function includeBomb(): Record<string, string> {
  const files: Record<string, string> = { 'nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n' };
  for (let i = 0; i < 13; i++) files[`conf.d/f${i}.conf`] = `server { listen ${8000 + i}; include conf.d/*.conf; }\n`;
  return files;
}

function mergeBomb(): Record<string, string> {
  let anchors = '    x0: &a0 {timeoutSeconds: 7}\n';
  for (let i = 1; i <= 9; i++) anchors += `    x${i}: &a${i} {<<: [${Array(9).fill(`*a${i - 1}`).join(', ')}], k${i}: 1}\n`;
  return {
    'k8s/bomb.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bomb\n  annotations:\n${anchors}spec:\n  template:\n    spec:\n      containers:\n        - name: app\n          readinessProbe: {<<: *a9, httpGet: {path: /, port: 80}}\n`,
  };
}

function regexBomb(): Record<string, string> {
  return {
    'nginx.conf': 'events {}\nhttp {\n  server {\n    listen 80;\n    server_name api.example.com;\n    location ~ ^/(a+)+$ { proxy_pass http://127.0.0.1:1; }\n    location / { proxy_pass http://127.0.0.1:2; }\n  }\n}\n',
    'web/client.ts': `export const ask = () => fetch('http://api.example.com/${'a'.repeat(50_000)}!', { signal: AbortSignal.timeout(5_000) });\n`,
  };
}

interface Report {
  complete: boolean;
  notAnalysed: Array<{ file: string; reason: string }>;
  findings: Array<{ ruleId: string }>;
}

describe.skipIf(!fs.existsSync(CLI))('dist/cli.js on hostile workspaces', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-hostile-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  function runOn(name: string, files: Record<string, string>): { status: number | null; report: Report } {
    const dir = path.join(root, name);
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    const run = spawnSync(process.execPath, [CLI, '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    return { status: run.status, report: JSON.parse(run.stdout) as Report };
  }

  it('2,500 nested nginx blocks: a report, the deep blocks listed as not analysed', () => {
    const { status, report } = runOn('nested', { 'nginx.conf': nestedNginx(2500) });
    expect(status).not.toBe(2);
    expect(report.notAnalysed).toEqual([{ file: 'nginx.conf', reason: expect.stringContaining('nested more than 100 levels deep') }]);
  });

  it('thirteen files including each other by glob: the entry is listed as not analysed', () => {
    const { status, report } = runOn('includes', includeBomb());
    expect(status).not.toBe(2);
    expect(report.complete).toBe(false);
    expect(report.notAnalysed).toEqual([{ file: 'nginx.conf', reason: expect.stringContaining('includes that include each other multiply') }]);
  });

  it('a YAML merge bomb: analysed completely', () => {
    const { status, report } = runOn('merges', mergeBomb());
    expect(status).not.toBe(2);
    expect(report.complete).toBe(true);
  });

  it('a catastrophic location regex and a long URL in the code: analysed completely', () => {
    const { status, report } = runOn('regex', regexBomb());
    expect(status).not.toBe(2);
    expect(report.complete).toBe(true);
  });
});
