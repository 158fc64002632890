// Loads the field cases (test/field/cases/<case>/), lints each one with the real engine the way the
// CLI does with no configuration file, and scores every label with the field corpus's matching rule.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../../rules/index.js';
import { resolveConfig } from '../../server/src/engine/config.js';
import type { LintReport } from '../../server/src/engine/report.js';
import { lint } from '../../server/src/engine/run.js';
import { LineIndex } from '../../server/src/engine/text.js';
import type { Finding } from '../../server/src/engine/types.js';
import { MemoryFs } from '../../server/src/engine/workspace-fs.js';
import { discoverFiles } from '../../server/src/host/discover.js';
import { listFilesRecursively } from '../helpers/fixture-fs.js';

export const FIELD_DIR = __dirname;
export const CASES_DIR = path.join(FIELD_DIR, 'cases');
export const LABELS_FILE = 'labels.json';

/** Lines of slack on both sides of a label, as in the corpus scorer. */
export const SLACK = 3;

/** Open issues a label can belong to (13 streams, 14 linking, 15 templates, 16 LB/LLM gateways, 17 databases, 22 nginx truth). */
export const ISSUES = new Set([13, 14, 15, 16, 17, 22]);

/** Findings about the run itself, never counted as a rule's finding (same set as the corpus scorer). */
const DIAGNOSTICS = new Set(['not-analysed', 'parse-error', 'include-error', 'internal-error', 'invalid-suppression', 'unused-suppression', 'unresolved-chain-link']);

export interface FieldLabel {
  file: string;
  line: number;
  line_end?: number;
  /** A rule id of this project, or a rule idea of the corpus (mapped through mapping.json). */
  rule: string;
  expect: 'report' | 'no-report';
  capability: string;
  issue: number;
  modelledOn: string;
  why: string;
  /** Today's state when it differs from `expect`: a report label that misses, a no-report label that fires. */
  known?: 'miss' | 'fp';
  knownReason?: string;
}

export type Outcome = 'hit' | 'miss' | 'ok' | 'fp';

export interface ScoredLabel {
  caseName: string;
  label: FieldLabel;
  outcome: Outcome;
  /** The findings that decided the outcome (matching rule in the window), as `rule@line`. */
  matched: string[];
  /** Other findings in the window, for the failure message. */
  nearby: string[];
}

export interface FieldCase {
  name: string;
  dir: string;
  labels: FieldLabel[];
  report: LintReport;
  texts: Map<string, string>;
}

type Mapping = Record<string, string[] | '*'>;

export function loadMapping(): Mapping {
  const raw = JSON.parse(fs.readFileSync(path.join(FIELD_DIR, 'mapping.json'), 'utf8')) as Record<string, unknown>;
  const out: Mapping = {};
  for (const [idea, ids] of Object.entries(raw)) if (!idea.startsWith('_')) out[idea] = ids as string[] | '*';
  return out;
}

export const isRobustness = (rule: string) => rule.startsWith('robustness-');

/** Does a finding of `ruleId` express the label's rule (a rule id itself, or an idea mapped to ids)? */
export function expresses(mapping: Mapping, labelRule: string, ruleId: string): boolean {
  if (labelRule === ruleId) return true;
  const ids = mapping[labelRule];
  if (ids === '*') return !DIAGNOSTICS.has(ruleId);
  return ids?.includes(ruleId) ?? false;
}

export function fieldCaseNames(): string[] {
  if (!fs.existsSync(CASES_DIR)) return [];
  return fs.readdirSync(CASES_DIR).filter((name) => fs.statSync(path.join(CASES_DIR, name)).isDirectory()).sort();
}

/** Lints one case as `timeout-lint --root <case>` would: discovery from the root, default configuration. */
export function lintCase(name: string): FieldCase {
  const dir = path.join(CASES_DIR, name);
  const memory = new MemoryFs();
  // The labels are the test's, not the workspace's.
  for (const file of listFilesRecursively(dir, (relative) => relative === LABELS_FILE)) memory.write(file, fs.readFileSync(path.join(dir, file)));
  const { files } = discoverFiles(memory, [''], []);
  const { config, errors } = resolveConfig(undefined, allRules);
  if (errors.length > 0) throw new Error(errors.join('; '));
  const report = lint({ fs: memory, files, config, rules: allRules, toolVersion: 'field' });
  const texts = new Map(files.map((f) => [f, new TextDecoder().decode(memory.readFile(f)!).replace(/^\uFEFF/, '')]));
  const labels = JSON.parse(fs.readFileSync(path.join(dir, LABELS_FILE), 'utf8')) as FieldLabel[];
  return { name, dir, labels, report, texts };
}

/** 1-based first and last line of a finding's primary span. */
function linesOf(finding: Finding, indexes: Map<string, LineIndex>, texts: Map<string, string>): [number, number] | undefined {
  const text = texts.get(finding.span.file);
  if (text === undefined) return undefined;
  let index = indexes.get(finding.span.file);
  if (!index) indexes.set(finding.span.file, (index = new LineIndex(text)));
  return [index.positionAt(finding.span.start).line + 1, index.positionAt(Math.max(finding.span.start, finding.span.end)).line + 1];
}

/**
 * The corpus scorer's matching: a finding counts when it is in the label's file and its primary
 * range overlaps [line - 3, line_end + 3]. Robustness labels fail on any warning or error in the
 * window (or a crash); the others count findings of the rules the label's idea maps to.
 */
export function scoreCase(fieldCase: FieldCase, mapping: Mapping): ScoredLabel[] {
  const indexes = new Map<string, LineIndex>();
  const crashed = fieldCase.report.findings.some((f) => f.ruleId === 'internal-error');
  return fieldCase.labels.map((label) => {
    const low = label.line - SLACK;
    const high = (label.line_end ?? label.line) + SLACK;
    const matched: string[] = [];
    const nearby: string[] = [];
    for (const finding of fieldCase.report.findings) {
      if (finding.span.file !== label.file) continue;
      const lines = linesOf(finding, indexes, fieldCase.texts);
      if (!lines || lines[0] > high || lines[1] < low) continue;
      const tag = `${finding.ruleId}@${lines[0]}`;
      const counts = isRobustness(label.rule) ? finding.severity !== 'info' : expresses(mapping, label.rule, finding.ruleId);
      (counts ? matched : nearby).push(tag);
    }
    const fired = matched.length > 0 || (isRobustness(label.rule) && crashed);
    const outcome: Outcome = label.expect === 'report' ? (fired ? 'hit' : 'miss') : fired ? 'fp' : 'ok';
    return { caseName: fieldCase.name, label, outcome, matched, nearby };
  });
}

/** What a label is expected to score today: its expectation, or the known gap it carries. */
export function expectedToday(label: FieldLabel): Outcome {
  if (label.known) return label.known;
  return label.expect === 'report' ? 'hit' : 'ok';
}

/** Problems in a label file that would make its scores meaningless (unknown rule, line outside the file, missing provenance). */
export function labelProblems(fieldCase: FieldCase, mapping: Mapping, ruleIds: Set<string>): string[] {
  const problems: string[] = [];
  fieldCase.labels.forEach((label, i) => {
    const at = `${fieldCase.name} label ${i} (${label.file}:${label.line} ${label.rule})`;
    const text = fieldCase.texts.get(label.file);
    if (text === undefined) problems.push(`${at}: file is not in the case (or not discovered)`);
    else if (label.line < 1 || (label.line_end ?? label.line) > text.split(/\r\n|\r|\n/).length || (label.line_end ?? label.line) < label.line) problems.push(`${at}: lines outside the file`);
    if (!ruleIds.has(label.rule) && !(label.rule in mapping) && !isRobustness(label.rule)) problems.push(`${at}: rule is neither a rule id nor a mapped rule idea`);
    if (label.expect !== 'report' && label.expect !== 'no-report') problems.push(`${at}: expect must be report or no-report`);
    if (!ISSUES.has(label.issue)) problems.push(`${at}: issue ${label.issue} is not one of ${[...ISSUES].join(', ')}`);
    for (const key of ['capability', 'modelledOn', 'why'] as const) if (!label[key] || typeof label[key] !== 'string') problems.push(`${at}: ${key} is missing`);
    if (label.known !== undefined) {
      if (label.known !== (label.expect === 'report' ? 'miss' : 'fp')) problems.push(`${at}: known "${label.known}" does not fit expect ${label.expect} (report labels can only be a known miss, no-report labels a known fp)`);
      if (!label.knownReason) problems.push(`${at}: known "${label.known}" needs a knownReason (the cause)`);
    } else if (label.knownReason) problems.push(`${at}: knownReason without known`);
  });
  return problems;
}

/** Per-capability table: hits/report labels and ok/no-report labels, with the known gaps counted. */
export function capabilityTable(scored: ScoredLabel[]): string {
  const rows = new Map<string, { issue: number; hits: number; reports: number; ok: number; quiet: number }>();
  for (const s of scored) {
    const row = rows.get(s.label.capability) ?? { issue: s.label.issue, hits: 0, reports: 0, ok: 0, quiet: 0 };
    if (s.label.expect === 'report') {
      row.reports++;
      if (s.outcome === 'hit') row.hits++;
    } else {
      row.quiet++;
      if (s.outcome === 'ok') row.ok++;
    }
    rows.set(s.label.capability, row);
  }
  const sorted = [...rows.entries()].sort(([a, x], [b, y]) => x.issue - y.issue || a.localeCompare(b));
  const width = Math.max(10, ...sorted.map(([c]) => c.length));
  const cell = (n: number, of: number) => (of === 0 ? '-' : `${n}/${of}`);
  const lines = [`${'capability'.padEnd(width)}  issue  hits    ok`];
  for (const [capability, r] of sorted) lines.push(`${capability.padEnd(width)}  #${String(r.issue).padEnd(4)}  ${cell(r.hits, r.reports).padEnd(6)}  ${cell(r.ok, r.quiet)}`);
  const reports = scored.filter((s) => s.label.expect === 'report');
  const quiet = scored.filter((s) => s.label.expect === 'no-report');
  lines.push(`${'total'.padEnd(width)}         ${cell(reports.filter((s) => s.outcome === 'hit').length, reports.length).padEnd(6)}  ${cell(quiet.filter((s) => s.outcome === 'ok').length, quiet.length)}`);
  return lines.join('\n');
}
