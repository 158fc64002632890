// Output from a hostile workspace: file names and content cannot forge CI log lines or terminal escapes, and huge reports neither crash nor flood a formatter.
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { formatChainsDot, formatChainsMermaid, formatChainsText } from '../../server/src/cli/formatters/chains/index.js';
import { printable } from '../../server/src/cli/formatters/escape.js';
import { escapeData, escapeProperty } from '../../server/src/cli/formatters/github.js';
import { FORMATS, formatReport, summarize } from '../../server/src/cli/formatters/index.js';
import { countsOf } from '../../server/src/cli/cache.js';
import { createModelCapture } from '../../server/src/host/model-capture.js';
import { chainsOf } from '../../server/src/engine/chain/chains.js';
import { defaultConfig } from '../../server/src/engine/config.js';
import { MAX_FINDINGS_PER_FILE_AND_RULE, type LintReport } from '../../server/src/engine/report.js';
import { lint } from '../../server/src/engine/run.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';

/** Characters that must never reach a terminal or a CI log raw (tab and the formatter's own line breaks aside). */
const RAW_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const INJECTED_NAME = 'nginx/site\n::error file=README.md,line=1::forged\r::add-mask::x\u202e\u2066.conf';

/** An nginx file whose name forges workflow commands, and whose content carries ESC, BEL, C1 and bidi controls. */
function hostileWorkspace(): MemoryFs {
  return new MemoryFs({
    [INJECTED_NAME]: [
      'events {}',
      'http {',
      '    server {',
      '        location /api/ {',
      '            proxy_pass http://api\u202e:8080;',
      '            proxy_read_timeout 3\u001b]0;pwned\u0007\u009b2J\u200fs;',
      '        }',
      '    }',
      '}',
      '',
    ].join('\n'),
  });
}

function lintHostile(): LintReport {
  const fs = hostileWorkspace();
  return lint({ fs, files: fs.list(), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' });
}

/** Every line of output that a CI runner would read as a workflow command (it trims leading spaces first). */
function commandLines(output: string): string[] {
  return output.split('\n').filter((line) => line.trimStart().startsWith('::'));
}

describe('workspace text in terminal and CI output', () => {
  const report = lintHostile();

  it('has findings that quote the hostile name and value (the premise of the other tests)', () => {
    expect(report.findings.some((f) => f.span.file === INJECTED_NAME && f.ruleId === 'invalid-timeout-value')).toBe(true);
    expect(report.findings.some((f) => f.message.includes('\u001b'))).toBe(true);
  });

  for (const codeFrame of [false, true]) {
    it(`stylish${codeFrame ? ' with code frames' : ''} starts no line with workspace text and prints no control or bidi character`, () => {
      const output = formatReport(report, 'stylish', { codeFrame });
      expect(commandLines(output)).toEqual([]);
      expect(output).not.toMatch(RAW_UNSAFE);
      // The name stays readable: line breaks and controls are shown as pictures.
      expect(output).toContain('nginx/site␊::error file=README.md,line=1::forged␍::add-mask::x<U+202E><U+2066>.conf');
      if (codeFrame) expect(output).toContain('3␛]0;pwned␇<U+009B>2J<U+200F>s;');
    });
  }

  it('github output is one workflow command per finding, with nothing raw in it', () => {
    const output = formatReport(report, 'github');
    const lines = output.trimEnd().split('\n');
    expect(lines.length).toBe(report.findings.length + report.notAnalysed.length);
    for (const line of lines) expect(line).toMatch(/^::(error|warning|notice) file=/);
    expect(output).not.toMatch(RAW_UNSAFE);
    // GitHub decodes %0A and %0D back, so the annotation still names the real file.
    expect(output).toContain('file=nginx/site%0A%3A%3Aerror file=README.md%2Cline=1%3A%3Aforged%0D%3A%3Aadd-mask%3A%3Ax<U+202E><U+2066>.conf,');
  });

  it('JSON and SARIF keep every string exact and escaped', () => {
    for (const format of ['json', 'sarif'] as const) {
      const output = formatReport(report, format);
      expect(output).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
      expect(commandLines(output)).toEqual([]);
    }
    expect(formatReport(report, 'json')).toContain(JSON.stringify(INJECTED_NAME));
    const sarif = JSON.parse(formatReport(report, 'sarif')) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(decodeURIComponent(sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri)).toBe(INJECTED_NAME);
  });

  it('chains text, mermaid and dot print hop labels and places without raw controls', () => {
    const fs = hostileWorkspace();
    const capture = createModelCapture();
    lint({ fs, files: fs.list(), config: defaultConfig(allRules), rules: [...allRules, capture.rule], toolVersion: 'test' });
    const model = capture.model()!;
    const chains = chainsOf(model);
    expect(chains.chains.length + chains.unresolved.length).toBeGreaterThan(0);
    for (const output of [formatChainsText(chains, model), formatChainsMermaid(chains, model), formatChainsDot(chains, model)]) {
      expect(commandLines(output)).toEqual([]);
      expect(output).not.toMatch(RAW_UNSAFE);
    }
  });

  it.each([
    ['ESC and BEL', 'a\u001b[31mb\u0007', 'a␛[31mb␇'],
    ['line breaks', 'a\r\nb\nc\rd', 'a␍␊b␊c␍d'],
    ['DEL and C1', 'a\u007fb\u0085c\u009b', 'a␡b<U+0085>c<U+009B>'],
    ['bidi overrides and isolates', 'x\u202ey\u2066z\u2069\u061c\u200e', 'x<U+202E>y<U+2066>z<U+2069><U+061C><U+200E>'],
    ['line and paragraph separators', 'a\u2028b\u2029', 'a<U+2028>b<U+2029>'],
    ['tabs and ordinary text', 'a\tb 超時 🙂', 'a\tb 超時 🙂'],
  ])('printable shows %s', (_name, text, expected) => expect(printable(text)).toBe(expected));

  it('escapes GitHub command data and properties as the runner decodes them', () => {
    expect(escapeData('50%\r\n::error::x\u001b')).toBe('50%25%0D%0A::error::x␛');
    expect(escapeProperty('a:b,c\nd')).toBe('a%3Ab%2Cc%0Ad');
  });
});

describe('huge reports', () => {
  function lintText(file: string, text: string): LintReport {
    const fs = new MemoryFs({ [file]: text });
    return lint({ fs, files: fs.list(), config: defaultConfig(allRules), rules: allRules, toolVersion: 'test' });
  }

  it(`keeps ${MAX_FINDINGS_PER_FILE_AND_RULE} findings of a rule per file and says how many more there were`, () => {
    // 900 problems: under the parser's own cap (MAX_SYNTAX_PROBLEMS), over the report's.
    const report = lintText('nginx.conf', ';'.repeat(900));
    const parseErrors = report.findings.filter((f) => f.ruleId === 'parse-error');
    expect(parseErrors).toHaveLength(MAX_FINDINGS_PER_FILE_AND_RULE);
    // The first ones in file order are kept.
    expect(parseErrors.map((f) => f.span.start)).toEqual([...Array(MAX_FINDINGS_PER_FILE_AND_RULE).keys()]);
    const summary = report.findings.filter((f) => f.ruleId === 'not-analysed');
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatchObject({
      severity: 'info',
      data: { rule: 'parse-error', leftOut: 900 - MAX_FINDINGS_PER_FILE_AND_RULE, limit: MAX_FINDINGS_PER_FILE_AND_RULE },
      span: { file: 'nginx.conf', start: MAX_FINDINGS_PER_FILE_AND_RULE },
    });
    // Left out of the list, not out of the counts: totals and the exit code see every finding.
    expect(report.leftOut).toEqual([{ file: 'nginx.conf', ruleId: 'parse-error', severity: 'error', count: 900 - MAX_FINDINGS_PER_FILE_AND_RULE }]);
    expect(summarize(report)).toMatchObject({ problems: 901, errors: 900, info: 1 });
    expect(countsOf(report).errors).toBe(900);
    expect(formatReport(report, 'stylish')).toContain('✖ 901 problems (900 errors, 0 warnings, 1 info)');
  }, 60_000);

  it('matches suppression comments before the cap, so a suppressed finding past it is neither counted nor unused', () => {
    const lines = Array.from({ length: 300 }, () => ';');
    lines.splice(250, 0, '# timeout-lint-disable-next-line parse-error -- generated file');
    const report = lintText('nginx.conf', lines.join('\n'));
    expect(report.findings.filter((f) => f.ruleId === 'unused-suppression')).toEqual([]);
    expect(report.findings.filter((f) => f.ruleId === 'parse-error')).toHaveLength(MAX_FINDINGS_PER_FILE_AND_RULE);
    expect(report.leftOut?.[0]?.count).toBe(299 - MAX_FINDINGS_PER_FILE_AND_RULE);
  });

  it('formats 200 KB of ";" in every format, stylish with code frames too', () => {
    const report = lintText('nginx.conf', ';'.repeat(200_000));
    for (const format of FORMATS) expect(formatReport(report, format).length).toBeGreaterThan(0);
    const stylish = formatReport(report, 'stylish', { codeFrame: true });
    // The parser keeps 1,000 syntax problems and one that counts the rest; the report shows 200 of those.
    expect(stylish).toContain('this file has 199,000 more syntax errors than the 1,000 listed');
    expect(stylish).toContain(`${1_001 - MAX_FINDINGS_PER_FILE_AND_RULE} more parse-error findings in this file are not shown`);
  }, 60_000);

  it('formats a report of 200,000 findings (no formatter spreads an array into a call)', () => {
    const finding = lintText('nginx.conf', ';').findings.find((f) => f.ruleId === 'parse-error')!;
    const text = ';'.repeat(200_000);
    const findings = Array.from({ length: 200_000 }, (_, start) => ({ ...finding, span: { file: 'nginx.conf', start, end: start + 1 } }));
    const report: LintReport = {
      findings,
      files: [{ file: 'nginx.conf', language: 'nginx', text }],
      notAnalysed: Array.from({ length: 200_000 }, (_, i) => ({ file: `big/${i}.conf`, reason: 'too large' })),
      complete: false,
      rules: [],
      toolVersion: 'test',
    };
    // JSON and SARIF only map arrays (no spread into a call); they are left out here because
    // stringifying 200,000 findings takes seconds, not because they would fail.
    for (const format of ['stylish', 'github'] as const) expect(formatReport(report, format).length).toBeGreaterThan(0);
  }, 120_000);

  it('cuts a megabyte-long line to the stretch around the span in a code frame', () => {
    const text = `${'x'.repeat(4_000_000)}proxy_read_timeout 3q;${'y'.repeat(4_000_000)}`;
    const start = text.indexOf('3q');
    const report: LintReport = {
      findings: [{ ...lintText('nginx.conf', ';').findings[0]!, span: { file: 'big.conf', start, end: start + 2 } }],
      files: [{ file: 'big.conf', language: 'nginx', text }],
      notAnalysed: [],
      complete: true,
      rules: [],
      toolVersion: 'test',
    };
    const frame = formatReport(report, 'stylish', { codeFrame: true });
    expect(frame.length).toBeLessThan(2_000);
    expect(frame).toMatch(/ \| …x+proxy_read_timeout 3q;y+…\n/);
    const [sourceLine, caretLine] = frame.split('\n').filter((line) => line.includes('proxy_read_timeout 3q') || /\^/.test(line));
    expect(caretLine!.indexOf('^')).toBe(sourceLine!.indexOf('3q'));
  });
});
