// The shared data model of findings, spans and fixes (STYLE.md §4); every front end speaks it.

/** Workspace-relative, '/'-separated path. Never absolute in output. */
export type FileId = string;

/** Half-open range of UTF-16 code-unit offsets into a file's text (BOM stripped). */
export interface Span {
  file: FileId;
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** Severity as configured by a user: a severity, or 'off' to disable a rule. */
export type SeverityOrOff = Severity | 'off';

export interface Related {
  span: Span;
  message: string;
}

export interface TextEdit {
  file: FileId;
  start: number;
  end: number;
  newText: string;
}

export type FixSafety = 'safe' | 'unsafe';

export interface Fix {
  title: string;
  safety: FixSafety;
  /** Sorted by start offset, non-overlapping. */
  edits: TextEdit[];
  /** The fix a user most likely wants among several (the editor marks it preferred). */
  preferred?: boolean;
  /**
   * Offered as a quick fix only, never applied by --fix or fix-all: a choice that pulls the other
   * way from the preferred fix (lower the inner timeout instead of raising the outer one), which
   * applied together with other fixes could undo them.
   */
  suggestion?: boolean;
}

export type MessageData = Record<string, string | number>;

export interface Finding {
  ruleId: string;
  severity: Severity;
  messageId: string;
  message: string;
  data: MessageData;
  span: Span;
  related: Related[];
  fixes: Fix[];
  /** Link to the rule documentation (rules/<id>.md). */
  docsUrl: string;
}

/**
 * Something a parser could not read or understand. Problems are reported like findings
 * (rule ids `parse-error`, `include-error`, `not-analysed`) and never stop the analysis.
 */
export interface Problem {
  kind: ProblemKind;
  message: string;
  span: Span;
  related?: Related[];
  /** Lower than the diagnostic's default (a problem in a template is a warning): applies while the configuration keeps the default. */
  severity?: Severity;
}

export type ProblemKind =
  /** The file's syntax is broken; the parser recovered what it could. */
  | 'syntax'
  /** An include could not be resolved or read. */
  | 'include'
  /** Parts of the file were not analysed (a template, a binary or huge file, an unknown unit). */
  | 'not-analysed';
