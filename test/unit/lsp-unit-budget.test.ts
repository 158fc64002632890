// The language server's unit budget: the deadline, the "too slow" message, and the not-analysed findings for files lint() refused.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { defaultConfig, resolveConfig } from '../../server/src/engine/config.js';
import { lint, STOPPED_REASON } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { notAnalysedFindings, startDeadline, tooSlowMessage } from '../../server/src/lsp/unit-budget.js';
import { CHAIN_UNIT, KUBERNETES_UNIT, TYPESCRIPT_UNIT } from '../../server/src/lsp/unit-index.js';

describe('startDeadline', () => {
  it('answers false until the budget has passed, then true for good', () => {
    let now = 1000;
    const deadline = startDeadline(500, () => now);
    expect(deadline.shouldStop()).toBe(false);
    now = 1499;
    expect(deadline.shouldStop()).toBe(false);
    expect(deadline.fired).toBe(false);
    now = 1500;
    expect(deadline.shouldStop()).toBe(true);
    now = 0; // A clock that went back changes nothing once it fired.
    expect(deadline.shouldStop()).toBe(true);
    expect(deadline.fired).toBe(true);
  });
});

describe('tooSlowMessage', () => {
  it.each([
    ['conf.d/api.conf', 10_000, 'too slow: analysis stopped after 10 s (the nginx entry conf.d/api.conf and the files it includes); the rest of the folder was analysed'],
    [KUBERNETES_UNIT, 800, 'too slow: analysis stopped after 800 ms (the Kubernetes manifests, linted together); the rest of the folder was analysed'],
    [TYPESCRIPT_UNIT, 2500, 'too slow: analysis stopped after 2.5 s (the TypeScript and JavaScript sources, linted together); the rest of the folder was analysed'],
    [CHAIN_UNIT, 60_000, 'too slow: analysis stopped after 60 s (the call chains of the folder); the rest of the folder was analysed'],
  ])('names the unit %j and the budget', (entry, budgetMs, message) => {
    expect(tooSlowMessage(entry, budgetMs)).toBe(message);
  });
});

describe('notAnalysedFindings', () => {
  const fs = new MemoryFs({
    'conf.d/big.conf': `# ${'x'.repeat(2000)}\n`,
    'conf.d/binary.conf': new Uint8Array([0x6c, 0x00, 0x01, 0x02]),
    'conf.d/ok.conf': 'server { listen 80; }\n',
  });
  const files = ['conf.d/big.conf', 'conf.d/binary.conf', 'conf.d/ok.conf'];
  const report = lint({ fs, files, config: defaultConfig(allRules), rules: allRules, toolVersion: 'test', maxFileBytes: 1000 });

  it('gives each refused file one finding at its start, saying why, at the severity of not-analysed', () => {
    const findings = notAnalysedFindings(report, defaultConfig(allRules));
    expect(findings.map((f) => [f.span, f.ruleId, f.severity, f.message])).toEqual([
      [{ file: 'conf.d/big.conf', start: 0, end: 0 }, 'not-analysed', 'info', 'not analysed: conf.d/big.conf larger than 0 MiB (2003 bytes)'],
      [{ file: 'conf.d/binary.conf', start: 0, end: 0 }, 'not-analysed', 'info', 'not analysed: conf.d/binary.conf is a binary file'],
    ]);
  });

  it('follows the configured severity, and gives none when not-analysed is off', () => {
    const warning = resolveConfig({ rules: { 'not-analysed': 'warning' } }, allRules).config;
    expect(notAnalysedFindings(report, warning).map((f) => f.severity)).toEqual(['warning', 'warning']);
    const off = resolveConfig({ rules: { 'not-analysed': 'off' } }, allRules).config;
    expect(notAnalysedFindings(report, off)).toEqual([]);
  });

  it('adds nothing for a stopped run (the server says "too slow" itself) or a crashed rule (internal-error says it)', () => {
    const stopped = { ...report, findings: [], notAnalysed: files.map((file) => ({ file, reason: STOPPED_REASON })) };
    expect(notAnalysedFindings(stopped, defaultConfig(allRules))).toEqual([]);
    const crashed = { ...report, findings: [], notAnalysed: [{ file: 'conf.d/ok.conf', reason: 'rule some-rule crashed' }] };
    expect(notAnalysedFindings(crashed, defaultConfig(allRules))).toEqual([]);
  });
});
