// The default terminal output: findings grouped by file, ESLint "stylish" style, then a summary.
import type { LintReport } from '../../engine/report.js';
import type { FileId, Finding } from '../../engine/types.js';
import {
  POSITION_UNKNOWN_NOTE,
  SourceLocator,
  createPaint,
  formatCodeFrame,
  printable,
  relatedHeading,
  type Paint,
} from './code-frame.js';
import { summarize, type Summary } from './json.js';

export interface StylishOptions {
  color?: boolean;
  /** Print a source excerpt with an underline under every finding. */
  codeFrame?: boolean;
  cwdPrefix?: string;
}

/** Empty when there is nothing to say: no findings and a complete analysis, as ESLint does. */
export function formatStylish(report: LintReport, options: StylishOptions = {}): string {
  const paint = createPaint(options.color === true);
  const locator = new SourceLocator(report.files, options.cwdPrefix);
  const out: string[] = [];
  // Lines are appended one by one (never `push(...lines)`): a spread of a huge array overflows the stack.
  for (const [file, findings] of groupByFile(report.findings)) {
    out.push('', paint.underline(printable(locator.path(file))));
    fileBlock(out, findings, locator, options);
  }
  const summary = summarize(report);
  if (summary.problems > 0) {
    out.push('');
    for (const line of summaryLines(summary, paint)) out.push(line);
  }
  if (!report.complete || report.notAnalysed.length > 0) {
    if (summary.problems === 0) out.push('');
    incompleteLines(out, report, locator, paint);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

function groupByFile(findings: readonly Finding[]): Map<FileId, Finding[]> {
  const groups = new Map<FileId, Finding[]>();
  for (const finding of findings) {
    const group = groups.get(finding.span.file);
    if (group === undefined) groups.set(finding.span.file, [finding]);
    else group.push(finding);
  }
  return groups;
}

const FRAME_INDENT = '    ';

/** Appends the lines of one file's findings to `out`. */
function fileBlock(out: string[], findings: readonly Finding[], locator: SourceLocator, options: StylishOptions): void {
  const paint = createPaint(options.color === true);
  const rows = findings.map((finding) => {
    const { start } = locator.range(finding.span);
    return { finding, where: `${start.line}:${start.column}` };
  });
  // Pad to the widest cell in this file so messages line up, as ESLint's text-table does.
  // A loop, not Math.max(...rows): spreading a large array overflows the stack.
  let whereWidth = 0;
  let severityWidth = 0;
  for (const { finding, where } of rows) {
    whereWidth = Math.max(whereWidth, where.length);
    severityWidth = Math.max(severityWidth, finding.severity.length);
  }
  // Related lines start under the message column.
  const hanging = ' '.repeat(2 + whereWidth + 2 + severityWidth + 2);
  for (const [index, { finding, where }] of rows.entries()) {
    // Excerpts run together without a gap, so findings with code frames are set apart by a blank line.
    if (options.codeFrame === true && index > 0) out.push('');
    // Messages quote workspace values, so line breaks in them are shown, never printed: a message
    // cannot start a line of the log.
    const message = printable(finding.message);
    const severity = paint.severity(finding.severity, finding.severity.padEnd(severityWidth));
    out.push(`  ${paint.dim(where.padEnd(whereWidth))}  ${severity}  ${message}  ${paint.dim(finding.ruleId)}`);
    if (options.codeFrame === true) {
      // The frame says itself when the source is missing, and a shallow indent leaves room for long lines.
      for (const line of formatCodeFrame(finding, locator, { color: options.color === true, indent: FRAME_INDENT })) out.push(line);
      continue;
    }
    if (!locator.hasText(finding.span.file)) out.push(`${hanging}${paint.dim(`note: ${POSITION_UNKNOWN_NOTE}`)}`);
    for (const related of finding.related) {
      out.push(`${hanging}${paint.dim('related:')} ${relatedHeading(related.span, locator)}  ${printable(related.message)}`);
    }
  }
}

function summaryLines(summary: Summary, paint: Paint): string[] {
  const counts =
    `${plural(summary.problems, 'problem')} (${plural(summary.errors, 'error')}, ` +
    `${plural(summary.warnings, 'warning')}, ${summary.info} info)`;
  const worst = summary.errors > 0 ? 'error' : summary.warnings > 0 ? 'warning' : 'info';
  const lines = [paint.bold(paint.severity(worst, `✖ ${counts}`))];
  if (summary.fixable + summary.fixableUnsafe > 0) {
    // Unsafe fixes change behaviour (STYLE.md §4), so they are counted apart from what --fix does.
    const unsafe = summary.fixableUnsafe > 0 ? `, ${summary.fixableUnsafe} more with --unsafe-fixes` : '';
    lines.push(`  ${summary.fixable} fixable with --fix${unsafe}`);
  }
  if (summary.chains && summary.chains.linked > 0) {
    const unresolved = summary.chains.unresolved > 0 ? `, ${plural(summary.chains.unresolved, 'link')} unresolved` : '';
    lines.push(`  ${plural(summary.chains.linked, 'call chain')} linked${unresolved} (timeout-lint chains shows them)`);
  }
  return lines;
}

function incompleteLines(out: string[], report: LintReport, locator: SourceLocator, paint: Paint): void {
  const count = report.notAnalysed.length;
  const head =
    count === 0
      ? '⚠ The analysis was incomplete.'
      : `⚠ The analysis was incomplete: ${plural(count, 'file')} not analysed:`;
  out.push(paint.bold(paint.severity('warning', head)));
  for (const entry of report.notAnalysed) {
    // Reasons are the engine's sentences, but may quote a parser message: breaks become spaces.
    out.push(`  ${printable(locator.path(entry.file))}: ${printable(entry.reason.replace(/\r\n|\r|\n/g, ' '))}`);
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
