// Rendered snapshots of every output format, plus the edge cases of excerpts and escaping.
import { describe, expect, it } from 'vitest';
import { FORMATS, formatReport, type FormatName } from '../../server/src/cli/formatters/index.js';
import { SourceLocator, formatCodeFrame, printable, renderLine } from '../../server/src/cli/formatters/code-frame.js';
import { escapeData, escapeProperty } from '../../server/src/cli/formatters/github.js';
import type { LintReport } from '../../server/src/engine/report.js';
import type { Finding } from '../../server/src/engine/types.js';
import { report } from './report-fixture.js';

const snapshotFile: Record<FormatName, string> = {
  stylish: '__snapshots__/stylish.txt',
  json: '__snapshots__/report.json',
  sarif: '__snapshots__/report.sarif.json',
  github: '__snapshots__/github.txt',
};

describe('formatReport snapshots', () => {
  for (const format of FORMATS) {
    it(`renders the fixture report as ${format}`, async () => {
      await expect(formatReport(report, format)).toMatchFileSnapshot(snapshotFile[format]);
    });
  }

  it('renders stylish with code frames', async () => {
    await expect(formatReport(report, 'stylish', { codeFrame: true })).toMatchFileSnapshot(
      '__snapshots__/stylish-code-frame.txt',
    );
  });

  it('prefixes every printed path with cwdPrefix', () => {
    const output = formatReport(report, 'github', { cwdPrefix: 'examples' });
    expect(output).toContain('file=examples/nginx/api.conf,');
    expect(output).not.toMatch(/file=nginx\//);
  });
});

describe('stylish', () => {
  it('uses ANSI colour only when asked', () => {
    expect(formatReport(report, 'stylish', { codeFrame: true })).not.toContain('\u001b[');
    const colored = formatReport(report, 'stylish', { color: true, codeFrame: true });
    expect(colored).toContain('\u001b[31merror');
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(formatReport(report, 'stylish', { codeFrame: true }));
  });

  it('prints nothing for a clean, complete run', () => {
    const clean: LintReport = { ...report, findings: [], notAnalysed: [], complete: true };
    expect(formatReport(clean, 'stylish')).toBe('');
  });

  it('still says the analysis was incomplete when there are no findings', () => {
    const quiet: LintReport = { ...report, findings: [] };
    expect(formatReport(quiet, 'stylish')).toMatchInlineSnapshot(`
      "
      ⚠ The analysis was incomplete: 1 file not analysed:
        charts/api/templates/deployment.yaml: Helm template: {{ .Values.timeout }} is only known after rendering
      "
    `);
  });

  it('neutralises escape sequences in workspace-controlled text', () => {
    expect(printable('30s\u001b[2J\u009b')).toBe('30s␛[2J<U+009B>');
  });
});

describe('code frame line rendering', () => {
  const caretLine = (line: string, from: number, to: number) => {
    const rendered = renderLine(line, from, to);
    return `${rendered.text}\n${' '.repeat(rendered.caretColumn)}${'^'.repeat(rendered.caretCount)}`;
  };

  it('expands tabs to tab stops in the line and the underline alike', () => {
    expect(caretLine('\t\tproxy_read_timeout\t30s;', 21, 24)).toBe(
      '        proxy_read_timeout  30s;\n' + '                            ^^^',
    );
  });

  it('counts wide characters as two cells and surrogate pairs as one character', () => {
    expect(caretLine('# 超时 🙂 30s', 8, 11)).toBe('# 超时 🙂 30s\n' + '          ^^^');
  });

  it('keeps the underline under the span after escaped controls and bidi characters', () => {
    expect(caretLine('a\u202eb\u001bc 30s', 6, 9)).toBe('a<U+202E>b␛c 30s\n' + '             ^^^');
  });

  it('shows one caret for an empty span at the end of a line', () => {
    expect(caretLine('abc', 3, 3)).toBe('abc\n' + '   ^');
  });

  it('cuts a very long line around the span', () => {
    const line = `${'x'.repeat(500)}30s${'y'.repeat(500)}`;
    const rendered = renderLine(line, 500, 503);
    expect(rendered.text.length).toBe(162);
    expect(rendered.text.startsWith('…') && rendered.text.endsWith('…')).toBe(true);
    expect(rendered.text.slice(rendered.caretColumn, rendered.caretColumn + rendered.caretCount)).toBe('30s');
  });
});

describe('github', () => {
  it('escapes data and properties like @actions/core', () => {
    expect(escapeData('100%\r\ndone')).toBe('100%25%0D%0Adone');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });

  it('leaves columns out of multi-line annotations', () => {
    const line = formatReport(report, 'github').split('\n').find((entry) => entry.includes('title=http-call'))!;
    expect(line).toMatch(/^::warning file=src\/server.ts,line=\d+,endLine=\d+,title=http-call-without-timeout::/);
  });
});

describe('code frame spans', () => {
  const text = ['a {', '\tb 1;', '\tc 2;', '', '\td 3;', '\te 4;', '}', ''].join('\r\n');
  const locator = new SourceLocator([{ file: 'x.conf', language: 'nginx', text }]);
  const frame = (start: number, end: number) => {
    const finding: Finding = {
      ruleId: 'r',
      severity: 'error',
      messageId: 'm',
      message: 'm',
      data: {},
      span: { file: 'x.conf', start, end },
      related: [],
      fixes: [],
      docsUrl: '',
    };
    return formatCodeFrame(finding, locator).join('\n');
  };

  it('shortens a long span to its first two lines and its last line', () => {
    expect(frame(text.indexOf('a {'), text.indexOf('}') + 1)).toMatchInlineSnapshot(`
      "  |
      1 | a {
        | ^^^
      2 |     b 1;
        |     ^^^^
      ...
      7 | }
        | ^"
    `);
  });

  it('does not reach into the next line when a span ends with its CRLF', () => {
    expect(frame(text.indexOf('b 1;'), text.indexOf('\tc'))).toMatchInlineSnapshot(`
      "  |
      2 |     b 1;
        |     ^^^^"
    `);
  });
});
