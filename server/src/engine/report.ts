// What one lint run produces, for every formatter and front end.
import type { FileId, Finding, Severity } from './types.js';

export type Language = 'nginx' | 'kubernetes' | 'typescript';

export interface LintedFile {
  file: FileId;
  language: Language;
  /** Decoded text (BOM stripped): spans in findings refer to it. */
  text: string;
}

/** A file that was listed for linting but could not be (fully) analysed. */
export interface NotAnalysed {
  file: FileId;
  reason: string;
}

export interface RuleMeta {
  id: string;
  description: string;
  defaultSeverity: Severity;
  fixable: 'never' | 'sometimes' | 'always';
  docsUrl: string;
}

export interface LintReport {
  /** Sorted by file, then start offset, then rule id. */
  findings: Finding[];
  files: LintedFile[];
  notAnalysed: NotAnalysed[];
  /** False when some file or part of a file could not be analysed. */
  complete: boolean;
  /** Every rule known to the run (for SARIF rule metadata), sorted by id. */
  rules: RuleMeta[];
  toolVersion: string;
  /** How many call chains the run linked and how many links it could not make (absent when no chain rule ran). */
  chains?: { linked: number; unresolved: number };
  /** Where the run's time went (only when `timing` was asked for): see `RunTiming`. */
  timing?: RunTiming;
}

/** Milliseconds by phase and by rule, like ESLint's TIMING=1. */
export interface RunTiming {
  /** Reading, parsing and building the nginx, Kubernetes and TypeScript models. */
  parseMs: number;
  /** Linking the call chains (once per run, shared by every chain rule). */
  linkMs: number;
  /** Each rule's own check, linking excluded; rules that did not run are absent. */
  rules: Record<string, number>;
}
