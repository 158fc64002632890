// What one lint run produces, for every formatter and front end.
import type { FileId, Finding, Severity } from './types.js';

/** The language an input shows its files as: `nginx`, `kubernetes` (manifests and compose files), `typescript`, or a new input's own. */
export type Language = string;

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
  /**
   * Findings counted but not listed, per file and rule (see `MAX_FINDINGS_PER_FILE_AND_RULE`);
   * summaries and exit codes count them, so the cap never turns a failing run into a passing one.
   */
  leftOut?: LeftOutCount[];
}

/** How many findings of one rule in one file were left out of `findings`. */
export interface LeftOutCount {
  file: FileId;
  ruleId: string;
  severity: Severity;
  count: number;
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

/**
 * At most this many findings of one rule are reported per file; the rest are counted in one
 * `not-analysed` summary finding. A hostile or generated file (200 KB of `;` is 200,000 parse
 * errors) would otherwise bury every other finding and make each output format, the editor and
 * CI logs pay for each one. Per rule, so a flood of one kind never hides another kind.
 */
export const MAX_FINDINGS_PER_FILE_AND_RULE = 200;

/** What {@link capFindings} left out for one file and rule. */
export interface LeftOutFindings {
  file: FileId;
  ruleId: string;
  /** How many findings were dropped (including any the runner never kept, see `alreadyDropped`). */
  count: number;
  /** The first dropped finding, where the summary is anchored. */
  first: Finding;
}

/**
 * Keeps the first `limit` findings of each (file, rule) in the given order (callers sort first)
 * and says what was left out. `alreadyDropped` counts findings per `file\0rule` that were never
 * kept at all (the runner's memory bound); they are added to the summary's count.
 */
export function capFindings(
  findings: readonly Finding[],
  limit: number,
  alreadyDropped: ReadonlyMap<string, number> = new Map(),
): { kept: Finding[]; leftOut: LeftOutFindings[] } {
  const seen = new Map<string, number>();
  const leftOut = new Map<string, LeftOutFindings>();
  const kept: Finding[] = [];
  for (const finding of findings) {
    const key = findingGroupKey(finding.span.file, finding.ruleId);
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (count <= limit) {
      kept.push(finding);
      continue;
    }
    const entry = leftOut.get(key);
    if (entry) entry.count++;
    else leftOut.set(key, { file: finding.span.file, ruleId: finding.ruleId, count: 1 + (alreadyDropped.get(key) ?? 0), first: finding });
  }
  return { kept, leftOut: [...leftOut.values()] };
}

/** The key findings are capped by: one file and one rule. */
export function findingGroupKey(file: FileId, ruleId: string): string {
  return `${file}\0${ruleId}`;
}
