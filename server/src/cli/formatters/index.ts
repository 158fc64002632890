// Picks the output formatter for `--format`; every formatter is a pure function of the report.
import type { LintReport } from '../../engine/report.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';

/** The values `--format` accepts; the first is the default. */
export const FORMATS = ['stylish', 'json', 'sarif', 'github'] as const;

export type FormatName = (typeof FORMATS)[number];

export interface FormatOptions {
  /** ANSI colour in stylish output (and its code frames); the other formats ignore it. */
  color?: boolean;
  /** Add a source excerpt with an underline under each stylish finding. */
  codeFrame?: boolean;
  /**
   * Prepended to every printed path (`examples/` turns `nginx.conf` into `examples/nginx.conf`),
   * so paths are relative to where the output is read: the shell's directory, or the repository
   * root for GitHub annotations and SARIF uploads. File ids in the report stay workspace-relative.
   */
  cwdPrefix?: string;
}

export function isFormat(value: string): value is FormatName {
  return (FORMATS as readonly string[]).includes(value);
}

/** Renders a report; the result is written to stdout as is (it ends with a newline unless empty). */
export function formatReport(report: LintReport, format: FormatName, options: FormatOptions = {}): string {
  switch (format) {
    case 'stylish':
      return formatStylish(report, options);
    case 'json':
      return formatJson(report, options);
    case 'sarif':
      return formatSarif(report, options);
    case 'github':
      return formatGithub(report, options);
  }
}

export { formatCodeFrame, SourceLocator } from './code-frame.js';
export type { LineColumn, LineColumnRange } from './code-frame.js';
export { JSON_FORMAT_VERSION, summarize } from './json.js';
export type { JsonReport, JsonFinding, Summary } from './json.js';
export { toSarifLog } from './sarif.js';
