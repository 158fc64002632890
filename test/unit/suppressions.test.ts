// Suppression comments: they silence the next line only, need a reason, and are reported when unused.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { applyEdits } from '../../server/src/engine/fix.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

const conf = (body: string) => `events {}\nhttp {\n    server {\n        listen 8080;\n${body}    }\n}\n`;
const run = (text: string) => lint({ fs: new MemoryFs({ 'nginx.conf': text }), files: ['nginx.conf'], config: defaultConfig(allRules), rules: allRules, toolVersion: 't' });
const ids = (text: string) => run(text).findings.map((f) => f.ruleId);

describe('suppressions', () => {
  it('silence the next line with a reason', () => {
    expect(ids(conf('        # timeout-lint-disable-next-line connect-timeout-above-75s -- slow satellite link\n        proxy_connect_timeout 2m;\n'))).toEqual([]);
  });

  it('do not reach further than the next line', () => {
    expect(ids(conf('        # timeout-lint-disable-next-line connect-timeout-above-75s -- x\n\n        proxy_connect_timeout 2m;\n'))).toEqual(['unused-suppression', 'connect-timeout-above-75s']);
  });

  it('still suppress without a reason, but ask for one', () => {
    expect(ids(conf('        # timeout-lint-disable-next-line connect-timeout-above-75s\n        proxy_connect_timeout 2m;\n'))).toEqual(['invalid-suppression']);
  });

  it('report unknown rule ids', () => {
    const report = run(conf('        # timeout-lint-disable-next-line no-such-rule -- x\n        listen 8081;\n'));
    expect(report.findings.map((f) => f.message)).toEqual(['Suppression names unknown rule "no-such-rule".']);
  });

  it('offer a safe fix that removes an unused suppression line', () => {
    const text = conf('        # timeout-lint-disable-next-line connect-timeout-above-75s -- legacy\n        proxy_connect_timeout 5s;\n');
    const [finding] = run(text).findings;
    expect(finding?.ruleId).toBe('unused-suppression');
    expect(finding?.fixes[0]?.safety).toBe('safe');
    expect(applyEdits(text, finding!.fixes[0]!.edits).text).toBe(conf('        proxy_connect_timeout 5s;\n'));
  });

  it('remove only the unused id when a comment names several', () => {
    const text = conf('        # timeout-lint-disable-next-line connect-timeout-above-75s, timeout-in-if -- legacy\n        proxy_connect_timeout 2m;\n');
    const [finding] = run(text).findings;
    expect(finding?.message).toContain('timeout-in-if');
    expect(applyEdits(text, finding!.fixes[0]!.edits).text).toContain('# timeout-lint-disable-next-line connect-timeout-above-75s -- legacy');
  });

  it('silence a rule in the whole file with timeout-lint-disable-file, wherever the comment is', () => {
    const body = '        proxy_connect_timeout 2m;\n        location / { proxy_connect_timeout 3m; proxy_pass http://a; }\n';
    expect(ids(`# timeout-lint-disable-file connect-timeout-above-75s -- satellite links\n${conf(body)}`)).toEqual([]);
    // Another rule is not silenced, and an unused file-wide suppression is reported like any other.
    expect(ids(`# timeout-lint-disable-file timeout-in-if -- x\n${conf(body)}`)).toEqual(['unused-suppression', 'connect-timeout-above-75s', 'connect-timeout-above-75s']);
  });
});
