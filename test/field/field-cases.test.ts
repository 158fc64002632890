// Field cases: small realistic workspaces modelled on patterns seen in public repositories, each with
// labels saying where a finding must (report) or must not (no-report) appear. The test pins today's
// state: a label that fails today carries `known` with its cause, and flips when the capability lands.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { capabilityTable, expectedToday, fieldCaseNames, labelProblems, lintCase, loadMapping, scoreCase, type ScoredLabel } from './field-cases.js';

const mapping = loadMapping();
const ruleIds = new Set(allRules.map((r) => r.id));
const cases = fieldCaseNames().map(lintCase);
const scored: ScoredLabel[] = cases.flatMap((c) => scoreCase(c, mapping));

// The baseline, printed on every run so a change in any capability shows in the log.
process.stdout.write(`\nField cases: ${cases.length} cases, ${scored.length} labels\n${capabilityTable(scored)}\n\n`);
// FIELD_VERBOSE=1 also lists every label's outcome and every finding of every case (for writing labels).
if (process.env.FIELD_VERBOSE) {
  for (const s of scored) process.stdout.write(`${describeLabel(s)}\n`);
  for (const c of cases) {
    for (const f of c.report.findings) {
      const line = (c.texts.get(f.span.file) ?? '').slice(0, f.span.start).split('\n').length;
      process.stdout.write(`  ${c.name} ${f.span.file}:${line} ${f.ruleId}: ${f.message.slice(0, 160)}\n`);
    }
  }
}

function describeLabel(s: ScoredLabel): string {
  const { label } = s;
  const where = `${label.file}:${label.line}${label.line_end ? `-${label.line_end}` : ''}`;
  return `${s.caseName} ${where} ${label.rule} (${label.expect}) → ${s.outcome}; matched [${s.matched.join(', ')}] other in window [${s.nearby.join(', ')}]`;
}

describe('field cases', () => {
  it('has enough cases, and every label file is well-formed', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(cases.flatMap((c) => labelProblems(c, mapping, ruleIds))).toEqual([]);
  });

  it('no case crashes a rule', () => {
    const crashes = cases.flatMap((c) => c.report.findings.filter((f) => f.ruleId === 'internal-error').map((f) => `${c.name}: ${f.message}`));
    expect(crashes).toEqual([]);
  });

  it.each(scored.map((s) => [describeLabel(s).split(' → ')[0]!, s] as const))('%s', (_title, s) => {
    const today = expectedToday(s.label);
    if (s.outcome === today) return;
    const detail = describeLabel(s);
    if (s.label.known === 'miss') {
      throw new Error(`KNOWN MISS NOW HITS: ${detail}. The capability "${s.label.capability}" seems to have landed: remove "known"/"knownReason" from ${s.caseName}/labels.json.`);
    }
    if (s.label.known === 'fp') {
      throw new Error(`KNOWN FALSE POSITIVE NOW QUIET: ${detail}. The capability "${s.label.capability}" seems to have landed: remove "known"/"knownReason" from ${s.caseName}/labels.json.`);
    }
    if (s.label.expect === 'no-report') throw new Error(`FALSE POSITIVE (regression): ${detail}. ${s.label.why}`);
    throw new Error(`MISS (regression): ${detail}. ${s.label.why}`);
  });
});
