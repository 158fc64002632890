// Converts engine findings (UTF-16 offsets) into LSP diagnostics whose data carries the fixes and the document version.
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Range,
} from 'vscode-languageserver/node';
import { detailsOf, headlineOf } from '../engine/headline.js';
import { LineIndex } from '../engine/text.js';
import type { FileId, Finding, FixSafety, Severity } from '../engine/types.js';

export const DIAGNOSTIC_SOURCE = 'timeout-lint';

/** One edit of a fix, already in LSP terms so that code actions need no server state. */
export interface DataEdit {
  uri: string;
  range: Range;
  newText: string;
  /** The version of the document the range was computed against (null: the file on disk). */
  version: number | null;
}

export interface DataFix {
  title: string;
  safety: FixSafety;
  preferred: boolean;
  edits: DataEdit[];
}

/** What Diagnostic.data holds (ruff's AssociatedDiagnosticData, vscode-eslint's version check). */
export interface DiagnosticData {
  ruleId: string;
  /** The rule's online documentation (codeDescription may hold a command link instead). */
  docsUrl?: string;
  /** The document version the diagnostic was computed for; null for a file that was not open. */
  version: number | null;
  fixes: DataFix[];
}

export interface ConvertContext {
  /** True when the client shows DiagnosticRelatedInformation; otherwise related hops go in the message. */
  relatedInformation: boolean;
  uriOf(file: FileId): string;
  /** The text a finding's offsets refer to (the text the lint run read). */
  textOf(file: FileId): string | undefined;
  /** The version of an open document at lint time (null when the run read it from disk). */
  versionOf(file: FileId): number | null;
  /**
   * A client command that opens a rule's doc shipped with the extension (VS Code: `timeoutLint.showDocumentation`):
   * the Problems view's link on the rule id then runs it (a `command:` URI) instead of going online.
   */
  docsCommand?: string;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** `ranges` may be shared between findings of one lint run, so each file's lines are indexed once. */
export function toDiagnostic(finding: Finding, ctx: ConvertContext, ranges = new RangeMaker(ctx)): Diagnostic {
  const related = finding.related.map((r): DiagnosticRelatedInformation => ({
    location: { uri: ctx.uriOf(r.span.file), range: ranges.of(r.span.file, r.span.start, r.span.end) },
    message: r.message,
  }));
  let message = finding.message;
  // The Problems view shows one line: the headline. The explanation is details on demand, a related
  // entry at the finding itself, which the Problems view folds under it and the hover shows once (#18).
  const details = detailsOf(finding.message);
  if (ctx.relatedInformation && details) {
    message = headlineOf(finding.message);
    related.unshift({ location: { uri: ctx.uriOf(finding.span.file), range: ranges.of(finding.span.file, finding.span.start, finding.span.end) }, message: details });
  }
  if (!ctx.relatedInformation && related.length > 0) {
    // Without related-information support the hops would vanish; ruff appends them the same way.
    message += finding.related
      .map((r, i) => `\n  related: ${r.span.file}:${related[i]!.location.range.start.line + 1} ${r.message}`)
      .join('');
  }
  const data: DiagnosticData = {
    ruleId: finding.ruleId,
    docsUrl: finding.docsUrl,
    version: ctx.versionOf(finding.span.file),
    fixes: finding.fixes.map((fix) => ({
      title: fix.title,
      safety: fix.safety,
      preferred: fix.preferred === true,
      edits: fix.edits.map((e) => ({ uri: ctx.uriOf(e.file), range: ranges.of(e.file, e.start, e.end), newText: e.newText, version: ctx.versionOf(e.file) })),
    })),
  };
  const diagnostic: Diagnostic = {
    range: ranges.of(finding.span.file, finding.span.start, finding.span.end),
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: ctx.docsCommand ? commandLink(ctx.docsCommand, [finding.ruleId, finding.docsUrl]) : finding.docsUrl },
    source: DIAGNOSTIC_SOURCE,
    message,
    data,
  };
  if (ctx.relatedInformation && related.length > 0) diagnostic.relatedInformation = related;
  if (finding.ruleId === 'unused-suppression') diagnostic.tags = [DiagnosticTag.Unnecessary];
  return diagnostic;
}

/** `command:<id>?<JSON arguments>`, the link form VS Code runs from the Problems view (its links allow commands). */
export function commandLink(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

/** Builds one LineIndex per file and reuses it for every range in that file. */
export class RangeMaker {
  private readonly indexes = new Map<FileId, LineIndex>();

  constructor(private readonly ctx: Pick<ConvertContext, 'textOf'>) {}

  of(file: FileId, start: number, end: number): Range {
    const index = this.lineIndex(file);
    return { start: index.positionAt(start), end: index.positionAt(end) };
  }

  lineIndex(file: FileId): LineIndex {
    let index = this.indexes.get(file);
    if (!index) {
      index = new LineIndex(this.ctx.textOf(file) ?? '');
      this.indexes.set(file, index);
    }
    return index;
  }
}

/** Reads Diagnostic.data back, tolerating anything a client may have sent. */
export function diagnosticDataOf(value: unknown): DiagnosticData | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const data = value as Partial<DiagnosticData>;
  if (typeof data.ruleId !== 'string' || !Array.isArray(data.fixes)) return undefined;
  if (data.version !== null && typeof data.version !== 'number') return undefined;
  return data as DiagnosticData;
}
