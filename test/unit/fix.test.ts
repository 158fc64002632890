// applyEdits and the fixpoint loop: sorting, overlap handling, convergence and the pass limit.
import { describe, expect, it } from 'vitest';
import { applyEdits, chooseFix, fixToFixpoint, MAX_FIX_PASSES } from '../../server/src/engine/fix.js';
import type { LintReport } from '../../server/src/engine/report.js';
import type { Finding, Fix } from '../../server/src/engine/types.js';

const edit = (start: number, end: number, newText: string) => ({ file: 'a', start, end, newText });

describe('applyEdits', () => {
  it.each([
    ['applies edits given out of order', 'abcdef', [edit(4, 5, 'E'), edit(0, 1, 'A')], 'AbcdEf'],
    ['skips an edit that overlaps an applied one', 'abcdef', [edit(1, 4, 'X'), edit(2, 3, 'Y')], 'aXef'],
    ['keeps adjacent edits', 'abcdef', [edit(0, 2, 'X'), edit(2, 4, 'Y')], 'XYef'],
    ['inserts at the end', 'abc', [edit(3, 3, '\n')], 'abc\n'],
    ['deletes', 'a;\nb;\n', [edit(0, 3, '')], 'b;\n'],
  ])('%s', (_name, text, edits, expected) => {
    expect(applyEdits(text, edits).text).toBe(expected);
  });
});

function finding(fixes: Fix[], ruleId = 'r'): Finding {
  return { ruleId, severity: 'error', messageId: 'm', message: 'm', data: {}, span: { file: 'a', start: 0, end: 1 }, related: [], fixes, docsUrl: '' };
}

function report(text: string, findings: Finding[]): LintReport {
  return { findings, files: [{ file: 'a', language: 'nginx', text }], notAnalysed: [], complete: true, rules: [], toolVersion: 't' };
}

describe('chooseFix', () => {
  const safe: Fix = { title: 's', safety: 'safe', edits: [edit(0, 1, 'x')] };
  const unsafe: Fix = { title: 'u', safety: 'unsafe', edits: [edit(0, 1, 'y')], preferred: true };
  it('takes only safe fixes unless unsafe ones are allowed', () => {
    expect(chooseFix(finding([unsafe, safe]), { unsafe: false })).toBe(safe);
    expect(chooseFix(finding([unsafe, safe]), { unsafe: true })).toBe(unsafe);
  });
  it('filters by rule id', () => {
    expect(chooseFix(finding([safe], 'other'), { unsafe: false, ruleIds: new Set(['r']) })).toBeUndefined();
  });
});

describe('fixToFixpoint', () => {
  it('re-lints until no fix applies', () => {
    // A fake linter that asks to replace one "a" with "b" per pass, one finding at a time.
    const lintWith = (overrides: ReadonlyMap<string, string>) => {
      const text = overrides.get('a') ?? 'aaa';
      const at = text.indexOf('a');
      return report(text, at < 0 ? [] : [finding([{ title: 't', safety: 'safe', edits: [edit(at, at + 1, 'b')] }])]);
    };
    const result = fixToFixpoint(lintWith, { unsafe: false });
    expect(result.changed.get('a')).toBe('bbb');
    expect(result.passes).toBe(3);
    expect(result.hitPassLimit).toBe(false);
  });

  it('stops at the pass limit when fixes never converge', () => {
    const lintWith = (overrides: ReadonlyMap<string, string>) => {
      const text = overrides.get('a') ?? 'x';
      return report(text, [finding([{ title: 'grow', safety: 'safe', edits: [edit(0, 0, 'x')] }])]);
    };
    const result = fixToFixpoint(lintWith, { unsafe: false });
    expect(result.hitPassLimit).toBe(true);
    expect(result.changed.get('a')).toBe('x'.repeat(MAX_FIX_PASSES + 1));
  });

  it('applies a multi-edit fix whole or not at all', () => {
    const first: Fix = { title: 'f1', safety: 'safe', edits: [edit(0, 1, 'A'), edit(2, 3, 'C')] };
    const second: Fix = { title: 'f2', safety: 'safe', edits: [edit(2, 3, 'Z'), edit(4, 5, 'E')] };
    let calls = 0;
    const lintWith = (overrides: ReadonlyMap<string, string>) => {
      calls++;
      return report(overrides.get('a') ?? 'abcde', calls === 1 ? [finding([first]), finding([second])] : []);
    };
    expect(fixToFixpoint(lintWith, { unsafe: false }).changed.get('a')).toBe('AbCde');
  });
});
