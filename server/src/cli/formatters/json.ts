// The `--format json` output: a stable, versioned document for scripts, plus the shared summary counts.
import type { LintReport, RunTiming } from '../../engine/report.js';
import type { FileId, Finding, FixSafety, MessageData, Severity, Span } from '../../engine/types.js';
import { POSITION_UNKNOWN_NOTE, SourceLocator, type LineColumnRange } from './code-frame.js';

/** Bumped whenever a field is renamed or removed; adding a field does not bump it. */
export const JSON_FORMAT_VERSION = 1;

export interface JsonReport {
  version: number;
  toolVersion: string;
  complete: boolean;
  notAnalysed: { file: string; reason: string }[];
  findings: JsonFinding[];
  summary: Summary;
  /** Only with TIMING set in the environment: milliseconds by phase and by rule. */
  timing?: RunTiming;
}

export interface JsonOffsets {
  start: number;
  end: number;
}

export interface JsonFinding {
  ruleId: string;
  severity: Severity;
  messageId: string;
  message: string;
  data: MessageData;
  file: string;
  /** 1-based lines and UTF-16 columns; `end` is exclusive. */
  range: LineColumnRange;
  /** UTF-16 offsets into the file's text (BOM stripped), half-open. */
  offsets: JsonOffsets;
  /** Present only when the file text was missing and `range` is a placeholder. */
  note?: string;
  related: { file: string; range: LineColumnRange; offsets: JsonOffsets; message: string }[];
  fixes: {
    title: string;
    safety: FixSafety;
    preferred: boolean;
    edits: { file: string; range: LineColumnRange; offsets: JsonOffsets; newText: string }[];
  }[];
  docsUrl: string;
}

/** Counts every front end prints the same way. */
export interface Summary {
  problems: number;
  errors: number;
  warnings: number;
  info: number;
  /** Findings that `--fix` fixes: they have at least one safe fix. */
  fixable: number;
  /** Findings fixed only with `--unsafe-fixes`: every fix they have is unsafe. */
  fixableUnsafe: number;
  notAnalysed: number;
  /** Call chains linked and links left unresolved (`timeout-lint chains` lists them). */
  chains?: { linked: number; unresolved: number };
}

export interface JsonFormatOptions {
  cwdPrefix?: string;
}

export function formatJson(report: LintReport, options: JsonFormatOptions = {}): string {
  return `${JSON.stringify(toJsonReport(report, options), null, 2)}\n`;
}

export function toJsonReport(report: LintReport, options: JsonFormatOptions = {}): JsonReport {
  const locator = new SourceLocator(report.files, options.cwdPrefix);
  return {
    version: JSON_FORMAT_VERSION,
    toolVersion: report.toolVersion,
    complete: report.complete,
    notAnalysed: report.notAnalysed.map((entry) => ({ file: locator.path(entry.file), reason: entry.reason })),
    findings: report.findings.map((finding) => toJsonFinding(finding, locator)),
    summary: summarize(report),
    ...(report.timing ? { timing: report.timing } : {}),
  };
}

export function summarize(report: LintReport): Summary {
  const summary: Summary = {
    problems: report.findings.length,
    errors: 0,
    warnings: 0,
    info: 0,
    fixable: 0,
    fixableUnsafe: 0,
    notAnalysed: report.notAnalysed.length,
  };
  if (report.chains) summary.chains = report.chains;
  for (const finding of report.findings) {
    if (finding.severity === 'error') summary.errors++;
    else if (finding.severity === 'warning') summary.warnings++;
    else summary.info++;
    // Suggestions are quick fixes in the editor; --fix never applies them.
    const applicable = finding.fixes.filter((fix) => !fix.suggestion);
    if (applicable.some((fix) => fix.safety === 'safe')) summary.fixable++;
    else if (applicable.length > 0) summary.fixableUnsafe++;
  }
  // Findings left out of the list (the per-file cap) still count, so totals tell the truth.
  for (const group of report.leftOut ?? []) {
    summary.problems += group.count;
    if (group.severity === 'error') summary.errors += group.count;
    else if (group.severity === 'warning') summary.warnings += group.count;
    else summary.info += group.count;
  }
  return summary;
}

function toJsonFinding(finding: Finding, locator: SourceLocator): JsonFinding {
  const located = (span: Span) => ({ file: locator.path(span.file), range: locator.range(span), offsets: offsets(span) });
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    messageId: finding.messageId,
    message: finding.message,
    data: sortedData(finding.data),
    ...located(finding.span),
    ...(locator.hasText(finding.span.file) ? {} : { note: POSITION_UNKNOWN_NOTE }),
    related: finding.related.map((related) => ({ ...located(related.span), message: related.message })),
    fixes: finding.fixes.map((fix) => ({
      title: fix.title,
      safety: fix.safety,
      preferred: fix.preferred === true,
      edits: fix.edits.map((edit) => ({ ...located(edit), newText: edit.newText })),
    })),
    docsUrl: finding.docsUrl,
  };
}

function offsets(span: { file: FileId; start: number; end: number }): JsonOffsets {
  return { start: span.start, end: span.end };
}

/** Keys sorted so the output does not change when a rule builds its data in another order. */
function sortedData(data: MessageData): MessageData {
  const out: MessageData = {};
  for (const key of Object.keys(data).sort()) out[key] = data[key]!;
  return out;
}
