// Runs every fixture case: inline markers must match the findings exactly, and fixes must reproduce fixed/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { LineIndex } from '../../server/src/engine/text.js';
import { fixFixture, fixtureCases, lintFixture } from '../helpers/fixture-cases.js';
import { listFilesRecursively } from '../helpers/fixture-fs.js';
import { readFixtureMarkers } from '../helpers/markers.js';

const cases = fixtureCases();

describe.each(cases)('fixture $ruleId/$name', (fixture) => {
  const { report, texts } = lintFixture(fixture.dir);
  const lineIndexes = new Map([...texts].map(([f, t]) => [f, new LineIndex(t)]));

  it('reports exactly the findings its markers expect', () => {
    const expected = readFixtureMarkers(texts).expected;
    const actual = report.findings.map((f) => {
      const index = lineIndexes.get(f.span.file) ?? new LineIndex('');
      const start = index.positionAt(f.span.start);
      const end = index.positionAt(f.span.end);
      return { finding: f, file: f.span.file, line: start.line, columns: [start.character, end.line === start.line ? end.character : -1] as const };
    });
    const unmatched = [...actual];
    const missing: string[] = [];
    for (const e of expected) {
      const at = unmatched.findIndex((a) =>
        a.file === e.file && a.line === e.line && a.finding.ruleId === e.ruleId &&
        (e.text === undefined || a.finding.message.includes(e.text)) &&
        (e.columns === undefined || (a.columns[0] === e.columns[0] && a.columns[1] === e.columns[1])));
      if (at < 0) missing.push(`${e.file}:${e.line + 1} ${e.ruleId}${e.text ? ` "${e.text}"` : ''}${e.columns ? ` cols ${e.columns.join('-')}` : ''}`);
      else unmatched.splice(at, 1);
    }
    const unexpected = unmatched.map((a) => `${a.file}:${a.line + 1}:${a.columns[0] + 1} ${a.finding.ruleId}: ${a.finding.message}`);
    // False negatives and false positives are reported together so one run shows the whole picture.
    expect({ missing, unexpected }).toEqual({ missing: [], unexpected: [] });
  });

  it('points related information where its markers say', () => {
    for (const { file, line, ruleId } of readFixtureMarkers(texts).related) {
      const hit = report.findings.some((f) => f.ruleId === ruleId && f.related.some((rel) => rel.span.file === file && (lineIndexes.get(file)!.positionAt(rel.span.start).line === line)));
      expect(hit, `related ${ruleId} at ${file}:${line + 1}`).toBe(true);
    }
  });

  it(fixture.quiet ? 'is quiet: no expect markers at all' : 'fires: has at least one expect marker for its rule', () => {
    const markers = readFixtureMarkers(texts).expected;
    if (fixture.quiet) expect(markers).toEqual([]);
    else expect(markers.some((m) => m.ruleId === fixture.ruleId)).toBe(true);
  });

  it('honours the rule\'s fixable declaration and titles every fix', () => {
    const rule = allRules.find((r) => r.id === fixture.ruleId);
    for (const finding of report.findings) {
      const owner = allRules.find((r) => r.id === finding.ruleId);
      if (owner?.fixable === 'never') expect(finding.fixes, `${finding.ruleId} is fixable: never`).toEqual([]);
      if (owner?.fixable === 'always') expect(finding.fixes.length, `${finding.ruleId} is fixable: always`).toBeGreaterThan(0);
      for (const fix of finding.fixes) expect(fix.title.trim()).not.toBe('');
    }
    if (rule && rule.fixable !== 'never' && !fixture.quiet && report.findings.some((f) => f.ruleId === rule.id && f.fixes.length > 0)) {
      expect(fs.existsSync(path.join(fixture.dir, 'fixed')), 'a fixable case keeps its fixed output in fixed/').toBe(true);
    }
  });

  const fixedDir = path.join(fixture.dir, 'fixed');
  if (fs.existsSync(fixedDir)) {
    it('fixes to exactly the files in fixed/, converging without new parse errors', () => {
      const result = fixFixture(fixture.dir);
      expect(result.hitPassLimit).toBe(false);
      const expectedFiles = listFilesRecursively(fixedDir);
      for (const file of expectedFiles) {
        expect(result.changed.get(file) ?? texts.get(file), `fixed ${file}`).toBe(fs.readFileSync(path.join(fixedDir, file), 'utf8'));
      }
      for (const file of result.changed.keys()) expect(expectedFiles, `${file} changed by the fix must have a fixed/ copy`).toContain(file);
      const parseErrors = (r: typeof report) => r.findings.filter((f) => f.ruleId === 'parse-error').length;
      expect(parseErrors(result.report)).toBeLessThanOrEqual(parseErrors(report));
    });
  }
});

describe('fixture coverage', () => {
  it.each(allRules.map((r) => r.id))('%s has a firing case and a quiet case', (id) => {
    const mine = cases.filter((c) => c.ruleId === id);
    expect(mine.some((c) => !c.quiet), 'firing case').toBe(true);
    expect(mine.some((c) => c.quiet), 'quiet-* case').toBe(true);
  });
});
