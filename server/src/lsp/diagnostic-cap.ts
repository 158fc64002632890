// The per-file cap on published diagnostics: the most severe ones are kept, and one summary says how many were left out and how to see them.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { DIAGNOSTIC_SOURCE } from './convert.js';
import type { FindingTotals } from './publisher.js';

/** VS Code shows at most 1,000 markers per file and owner; the cap stays below so the summary is one of them. */
export const MAX_DIAGNOSTICS_PER_FILE = 999;
export const DEFAULT_DIAGNOSTICS_PER_FILE = 500;
/** The code of the summary diagnostic (not a rule: it offers no fix and cannot be disabled). */
export const DIAGNOSTICS_CAPPED_CODE = 'diagnostics-capped';

export interface CappedDiagnostics {
  diagnostics: Diagnostic[];
  /** The findings left out, by severity, so the status bar still counts them. */
  hidden: FindingTotals;
}

/**
 * Keeps at most `cap` diagnostics, errors before warnings before infos and then in file order, plus
 * a summary at the top of the file with the severity of the most severe finding left out. `file` is
 * the workspace-relative path the summary's command names.
 */
export function capDiagnostics(diagnostics: Diagnostic[], cap: number, file: string): CappedDiagnostics {
  const hidden: FindingTotals = { errors: 0, warnings: 0, infos: 0 };
  if (diagnostics.length <= cap) return { diagnostics, hidden };
  const ranked = diagnostics
    .map((d, order) => ({ d, order }))
    .sort((a, b) => rank(a.d) - rank(b.d) || a.order - b.order);
  const kept = ranked.slice(0, cap).sort((a, b) => a.order - b.order).map((x) => x.d);
  const dropped = ranked.slice(cap).map((x) => x.d);
  for (const d of dropped) {
    if (d.severity === DiagnosticSeverity.Error) hidden.errors++;
    else if (d.severity === DiagnosticSeverity.Warning) hidden.warnings++;
    else hidden.infos++;
  }
  const summary: Diagnostic = {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: Math.min(...dropped.map((d) => d.severity ?? DiagnosticSeverity.Information)) as DiagnosticSeverity,
    source: DIAGNOSTIC_SOURCE,
    code: DIAGNOSTICS_CAPPED_CODE,
    message: `${dropped.length} more timeout-lint findings in this file are not shown (${describe(hidden)}; at most ${cap} per file, setting timeoutLint.maxDiagnosticsPerFile). ` +
      `To see them all, run \`npx timeout-lint ${quoteForShell(file)}\` in the workspace folder.`,
  };
  return { diagnostics: [summary, ...kept], hidden };
}

/** Reads the setting: a whole number from 1 to MAX_DIAGNOSTICS_PER_FILE, else the default. */
export function normalizeCap(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) return DEFAULT_DIAGNOSTICS_PER_FILE;
  return Math.min(MAX_DIAGNOSTICS_PER_FILE, Math.floor(value));
}

function rank(d: Diagnostic): number {
  return d.severity ?? DiagnosticSeverity.Information;
}

function describe(totals: FindingTotals): string {
  const parts: string[] = [];
  if (totals.errors) parts.push(`${totals.errors} ${totals.errors === 1 ? 'error' : 'errors'}`);
  if (totals.warnings) parts.push(`${totals.warnings} ${totals.warnings === 1 ? 'warning' : 'warnings'}`);
  if (totals.infos) parts.push(`${totals.infos} info`);
  return parts.join(', ');
}

function quoteForShell(path: string): string {
  return /^[\w./@+-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
