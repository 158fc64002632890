// The time budget of one lint unit, and the findings that say a file was not analysed (too slow, too large, binary) where an editor shows them.
import type { ResolvedConfig } from '../engine/config.js';
import { engineDiagnostic } from '../engine/engine-diagnostics.js';
import { engineMessage } from '../engine/headline.js';
import type { LintReport } from '../engine/report.js';
import { STOPPED_REASON } from '../engine/run.js';
import type { FileId, Finding } from '../engine/types.js';
import type { WorkspaceFs } from '../engine/workspace-fs.js';
import { CHAIN_UNIT, KUBERNETES_UNIT, TYPESCRIPT_UNIT } from './unit-index.js';

/**
 * How long one run of a unit (an nginx entry with its includes, the Kubernetes manifests, the
 * TypeScript sources, the call chains) may take before it is stopped. lint() is synchronous, so
 * the server answers nothing else while a unit runs: the budget bounds that wait. A stopped run
 * that cached parsed files is tried again (it goes further each time: a big cold unit is linted in
 * slices); one that did not is reported as not analysed. On a 10,000-file monorepo no run that
 * cannot be sliced takes 2 s; 5 s leaves room for a slower machine.
 */
export const DEFAULT_UNIT_BUDGET_MS = 5_000;

/** A deadline for one lint() run: `shouldStop` for LintOptions, and whether it fired. */
export interface UnitDeadline {
  shouldStop(): boolean;
  readonly fired: boolean;
}

export function startDeadline(budgetMs: number, now: () => number = () => performance.now()): UnitDeadline {
  // Asked at every read and step of a run: the end is computed once.
  const end = now() + budgetMs;
  let fired = false;
  return {
    shouldStop: () => (fired ||= now() >= end),
    get fired() {
      return fired;
    },
  };
}

/**
 * `fs` that adds every file read through it to `read`. A stopped run reports nothing, yet the
 * files it read belong to it (the includes of an nginx entry): said "not analysed" on each, they
 * are not linted again one by one as entries of their own, each as slow as the whole.
 */
export function recordReads(fs: WorkspaceFs, read: Set<FileId>): WorkspaceFs {
  const recording: WorkspaceFs = {
    readFile: (file) => {
      read.add(file);
      return fs.readFile(file);
    },
    stat: (file) => fs.stat(file),
    readDirectory: (dir) => fs.readDirectory(dir),
  };
  if (fs.readFileBounded) {
    recording.readFileBounded = (file, maxBytes) => {
      read.add(file);
      return fs.readFileBounded!(file, maxBytes);
    };
  }
  if (fs.release) recording.release = (file) => fs.release!(file);
  return recording;
}

/** "too slow: analysis stopped after 5 s (the nginx entry nginx.conf and the files it includes); …". */
export function tooSlowMessage(entry: FileId, budgetMs: number): string {
  return `too slow: analysis stopped after ${formatSeconds(budgetMs)} (${describeUnit(entry)}); the rest of the folder was analysed`;
}

/**
 * The not-analysed findings the editor shows at the top of each file lint() could not read
 * (larger than the size cap, binary, not UTF-8, unreadable): the CLI lists them in its summary,
 * the editor has no summary, so without these such a file would look clean. Files that already
 * have a not-analysed finding are skipped.
 */
export function notAnalysedFindings(report: LintReport, config: ResolvedConfig): Finding[] {
  const already = new Set(report.findings.filter((f) => f.ruleId === 'not-analysed').map((f) => f.span.file));
  const findings: Finding[] = [];
  for (const entry of report.notAnalysed) {
    // A crashed rule is reported as internal-error already; a stopped run is reported by the server.
    if (entry.file === '' || already.has(entry.file) || entry.reason === STOPPED_REASON || /^rule .* crashed$/.test(entry.reason)) continue;
    const finding = notAnalysedFinding(entry.file, `not analysed: ${entry.file} ${entry.reason}`, config);
    if (finding) findings.push(finding);
    already.add(entry.file);
  }
  return findings;
}

/** A not-analysed finding at the start of `file`, at the configured severity (none when it is off). */
export function notAnalysedFinding(file: FileId, message: string, config: ResolvedConfig): Finding | undefined {
  const meta = engineDiagnostic('not-analysed');
  const severity = config.rules.get(meta.id)?.severity ?? meta.defaultSeverity;
  if (severity === 'off') return undefined;
  const text = engineMessage(meta.id, message);
  return {
    ruleId: meta.id,
    severity,
    messageId: meta.id,
    message: text,
    data: { message: text },
    span: { file, start: 0, end: 0 },
    related: [],
    fixes: [],
    docsUrl: meta.docsUrl,
  };
}

function describeUnit(entry: FileId): string {
  if (entry === KUBERNETES_UNIT) return 'the Kubernetes manifests, linted together';
  if (entry === TYPESCRIPT_UNIT) return 'the TypeScript and JavaScript sources, linted together';
  if (entry === CHAIN_UNIT) return 'the call chains of the folder';
  return `the nginx entry ${entry} and the files it includes`;
}

function formatSeconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
