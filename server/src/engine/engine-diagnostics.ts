// Findings the engine itself reports (unreadable input, crashed rules, suppression comments).
import type { RuleMeta } from './report.js';
import { docsUrlFor } from './rule.js';
import type { Severity } from './types.js';

interface EngineDiagnosticDefinition {
  id: string;
  description: string;
  defaultSeverity: Severity;
  fixable: RuleMeta['fixable'];
}

const DEFINITIONS: EngineDiagnosticDefinition[] = [
  { id: 'include-error', description: 'An nginx include points at a file that cannot be read.', defaultSeverity: 'error', fixable: 'never' },
  { id: 'internal-error', description: 'A rule crashed; the rest of the analysis went on without it.', defaultSeverity: 'error', fixable: 'never' },
  { id: 'invalid-suppression', description: 'A suppression comment lacks a reason or names an unknown rule.', defaultSeverity: 'warning', fixable: 'never' },
  { id: 'not-analysed', description: 'A file, or part of one, could not be analysed, so the results are incomplete.', defaultSeverity: 'info', fixable: 'never' },
  { id: 'parse-error', description: 'A file has a syntax error; the statements around it are still analysed.', defaultSeverity: 'error', fixable: 'never' },
  { id: 'unused-suppression', description: 'A suppression comment suppresses nothing.', defaultSeverity: 'warning', fixable: 'always' },
];

export const ENGINE_DIAGNOSTICS: readonly RuleMeta[] = DEFINITIONS.map((d) => ({ ...d, docsUrl: docsUrlFor(d.id) }));

export const ENGINE_DIAGNOSTIC_IDS: ReadonlySet<string> = new Set(DEFINITIONS.map((d) => d.id));

export function engineDiagnostic(id: string): RuleMeta {
  const meta = ENGINE_DIAGNOSTICS.find((d) => d.id === id);
  if (!meta) throw new Error(`unknown engine diagnostic ${id}`);
  return meta;
}
