// Hostile workspaces (#20): content alone must never hang or crash a run; what is not analysed is said.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { MAX_BLOCK_DEPTH } from '../../server/src/engine/parse/nginx/ast.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

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
    expect(notAnalysed.map((f) => f.message)).toEqual([expect.stringMatching(/expands to more than 250,000 statements and included files .* not analysed/)]);
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
