// The bundled example workspace: `npm start` shows every chain rule with related locations in other files, and examples/clean shows nothing.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const EXAMPLES = path.resolve(__dirname, '../../examples');

/** The rules that compare hops of a call chain (issue: call chains), plus the LLM rules that find the model through the code. */
const CHAIN_RULES = [
  'outer-timeout-below-inner',
  'retry-amplification',
  'backend-keepalive-below-proxy-idle',
  'termination-grace-below-request-time',
  'platform-limit-below-code-budget',
  'unresolved-chain-link',
];

interface JsonFinding { ruleId: string; file: string; related: Array<{ file: string }> }
interface JsonReport { findings: JsonFinding[]; summary: { problems: number; chains?: { linked: number; unresolved: number } } }

function lintJson(root: string): { status: number | null; report: JsonReport } {
  const result = spawnSync(process.execPath, [CLI, '--root', root, '--format', 'json'], { encoding: 'utf8' });
  return { status: result.status, report: JSON.parse(result.stdout) as JsonReport };
}

describe.skipIf(!fs.existsSync(CLI))('examples/', () => {
  it('shows each chain rule, with related locations in another file', () => {
    const { status, report } = lintJson(EXAMPLES);
    expect(status).toBe(1);
    for (const rule of CHAIN_RULES) {
      const findings = report.findings.filter((f) => f.ruleId === rule);
      expect(findings.length, rule).toBeGreaterThan(0);
      if (rule !== 'unresolved-chain-link') expect(findings.some((f) => f.related.some((r) => r.file !== f.file)), `${rule} points at another file`).toBe(true);
    }
    expect(report.summary.chains?.linked).toBeGreaterThanOrEqual(10);
  });

  it('the clean variant (examples/clean, ignored by the main run) has no finding and links every chain', () => {
    const { status, report } = lintJson(path.join(EXAMPLES, 'clean'));
    expect(report.findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual([]);
    expect(status).toBe(0);
    expect(report.summary.chains).toEqual({ linked: 1, unresolved: 0 });
    const main = lintJson(EXAMPLES).report;
    expect(main.findings.filter((f) => f.file.includes('clean/'))).toEqual([]);
  });
});
