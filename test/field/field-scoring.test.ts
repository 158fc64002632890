// The field-case scorer must match the field corpus scorer: same window, same rule mapping, primary
// ranges only. Checked here on hand-made reports so a change to the matching shows on its own.
import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../server/src/engine/types.js';
import { capabilityTable, expectedToday, loadMapping, scoreCase, type FieldCase, type FieldLabel } from './field-cases.js';

const mapping = loadMapping();
const FILE = 'nginx.conf';
// 20 numbered lines: offset of line n (1-based) is (n - 1) * 8 ("line 01\n" is 8 characters).
const TEXT = Array.from({ length: 20 }, (_, i) => `line ${String(i + 1).padStart(2, '0')}`).join('\n');
const offsetOf = (line: number) => (line - 1) * 8;

function finding(ruleId: string, line: number, options: { lineEnd?: number; severity?: Severity; file?: string; relatedLine?: number } = {}): Finding {
  const file = options.file ?? FILE;
  return {
    ruleId,
    severity: options.severity ?? 'warning',
    messageId: 'm',
    message: ruleId,
    data: {},
    span: { file, start: offsetOf(line), end: offsetOf(options.lineEnd ?? line) + 7 },
    related: options.relatedLine ? [{ span: { file: FILE, start: offsetOf(options.relatedLine), end: offsetOf(options.relatedLine) + 7 }, message: 'r' }] : [],
    fixes: [],
    docsUrl: '',
  } as Finding;
}

function label(overrides: Partial<FieldLabel>): FieldLabel {
  return { file: FILE, line: 10, rule: 'nginx-stream-buffering-on', expect: 'report', capability: 'c', issue: 13, modelledOn: 'x', why: 'y', ...overrides };
}

function score(labels: FieldLabel[], findings: Finding[]) {
  const fieldCase: FieldCase = {
    name: 'synthetic',
    dir: '',
    labels,
    report: { findings, files: [], notAnalysed: [], complete: true, rules: [], toolVersion: 'test' },
    texts: new Map([[FILE, TEXT], ['other.conf', TEXT]]),
  };
  return scoreCase(fieldCase, mapping).map((s) => s.outcome);
}

describe('field-case scoring', () => {
  it('counts a mapped finding whose primary range overlaps [line - 3, line_end + 3]', () => {
    expect(score([label({ line: 10, line_end: 12 })], [finding('streaming-route-buffered', 7)])).toEqual(['hit']);
    expect(score([label({ line: 10, line_end: 12 })], [finding('streaming-route-buffered', 15)])).toEqual(['hit']);
    expect(score([label({ line: 10, line_end: 12 })], [finding('streaming-route-buffered', 6)])).toEqual(['miss']);
    expect(score([label({ line: 10, line_end: 12 })], [finding('streaming-route-buffered', 16)])).toEqual(['miss']);
    // A multi-line finding that starts before the window and ends inside it overlaps.
    expect(score([label({ line: 10 })], [finding('streaming-route-buffered', 2, { lineEnd: 8 })])).toEqual(['hit']);
  });

  it('maps rule ideas to rule ids, accepts a rule id as itself, and ignores other rules and other files', () => {
    expect(score([label({ rule: 'nginx-llm-stream-default-read-timeout' })], [finding('outer-timeout-below-inner', 10)])).toEqual(['hit']);
    expect(score([label({ rule: 'streaming-route-buffered' })], [finding('streaming-route-buffered', 10)])).toEqual(['hit']);
    expect(score([label({})], [finding('llm-route-default-read-timeout', 10)])).toEqual(['miss']);
    expect(score([label({})], [finding('streaming-route-buffered', 10, { file: 'other.conf' })])).toEqual(['miss']);
  });

  it('does not count a finding that reaches the window only through a related location', () => {
    expect(score([label({ line: 10 })], [finding('streaming-route-buffered', 1, { relatedLine: 10 })])).toEqual(['miss']);
  });

  it('scores no-report labels as ok or fp, with "*" meaning any rule but the diagnostics', () => {
    expect(score([label({ expect: 'no-report' })], [])).toEqual(['ok']);
    expect(score([label({ expect: 'no-report' })], [finding('streaming-route-buffered', 11)])).toEqual(['fp']);
    expect(score([label({ expect: 'no-report', rule: 'not-a-timeout' })], [finding('unresolved-chain-link', 10)])).toEqual(['ok']);
    expect(score([label({ expect: 'no-report', rule: 'not-a-timeout' })], [finding('invalid-timeout-value', 10)])).toEqual(['fp']);
  });

  it('fails a robustness label on a warning in the window or a crash anywhere, not on info', () => {
    const robust = label({ expect: 'no-report', rule: 'robustness-envsubst-placeholder' });
    expect(score([robust], [finding('not-analysed', 10, { severity: 'info' })])).toEqual(['ok']);
    expect(score([robust], [finding('invalid-timeout-value', 10)])).toEqual(['fp']);
    expect(score([robust], [finding('internal-error', 1, { file: 'other.conf', severity: 'error' })])).toEqual(['fp']);
  });

  it('expects known gaps to stay as they are until the label is updated', () => {
    expect(expectedToday(label({}))).toBe('hit');
    expect(expectedToday(label({ known: 'miss', knownReason: 'r' }))).toBe('miss');
    expect(expectedToday(label({ expect: 'no-report', known: 'fp', knownReason: 'r' }))).toBe('fp');
  });

  it('tabulates hits and ok per capability', () => {
    const table = capabilityTable([
      { caseName: 'a', label: label({ capability: 'sse' }), outcome: 'hit', matched: [], nearby: [] },
      { caseName: 'a', label: label({ capability: 'sse' }), outcome: 'miss', matched: [], nearby: [] },
      { caseName: 'a', label: label({ capability: 'sse', expect: 'no-report' }), outcome: 'ok', matched: [], nearby: [] },
    ]);
    expect(table).toMatch(/^sse\s+#13\s+1\/2\s+1\/1$/m);
    expect(table).toMatch(/^total\s+1\/2\s+1\/1$/m);
  });
});
