// The `--format github` output: GitHub Actions workflow commands that become annotations on a pull request.
import type { LintReport } from '../../engine/report.js';
import type { Finding, Severity } from '../../engine/types.js';
import { POSITION_UNKNOWN_NOTE, SourceLocator, relatedHeading } from './code-frame.js';
import { printableKeepingLineBreaks } from './escape.js';

export interface GithubFormatOptions {
  /** Paths must be relative to the repository root for GitHub to place the annotation. */
  cwdPrefix?: string;
}

export function formatGithub(report: LintReport, options: GithubFormatOptions = {}): string {
  const locator = new SourceLocator(report.files, options.cwdPrefix);
  const lines = report.findings.map((finding) => annotation(finding, locator));
  for (const entry of report.notAnalysed) {
    lines.push(command('warning', { file: locator.path(entry.file), title: 'not-analysed' }, `Not analysed: ${entry.reason}`));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function annotation(finding: Finding, locator: SourceLocator): string {
  const { start, end } = locator.range(finding.span);
  // The span is half-open; GitHub's end line is inclusive, so a span ending at a line start ends on the line before.
  const endLine = end.line > start.line && end.column === 1 ? end.line - 1 : end.line;
  const properties: Record<string, string | number> = { file: locator.path(finding.span.file), line: start.line };
  properties.endLine = endLine;
  // GitHub accepts columns only when the annotation is on one line; its end column is inclusive.
  if (endLine === start.line) {
    properties.col = start.column;
    properties.endColumn = Math.max(start.column, end.column - 1);
  }
  properties.title = finding.ruleId;
  const notes = finding.related.map((related) => `related: ${relatedHeading(related.span, locator)}  ${related.message}`);
  if (!locator.hasText(finding.span.file)) notes.unshift(`note: ${POSITION_UNKNOWN_NOTE}`);
  return command(level(finding.severity), properties, [finding.message, ...notes].join('\n'));
}

function command(name: string, properties: Record<string, string | number>, message: string): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${name} ${props}::${escapeData(message)}`;
}

/**
 * Escapes a command's message the way GitHub's workflow-command syntax asks ('%' first, then line
 * breaks as `%0D`/`%0A`), so no workspace text can end the command and start another (`::error`,
 * `::add-mask`, `::stop-commands`) on a line of its own. The runner decodes no other escape, so
 * the other controls (ESC, BEL, C1) and bidi characters are shown as control pictures or `<U+…>`
 * instead of reaching the log viewer.
 */
export function escapeData(text: string): string {
  return printableKeepingLineBreaks(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value: as data, plus ':' and ',' which separate properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function level(severity: Severity): 'error' | 'warning' | 'notice' {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'notice';
}
