// The `--format sarif` output: one SARIF 2.1.0 run for code scanning dashboards such as GitHub's.
import type { LintReport, RuleMeta } from '../../engine/report.js';
import type { Finding, Fix, Severity, Span } from '../../engine/types.js';
import { SourceLocator } from './code-frame.js';

/** The schema the output conforms to (test/cli/sarif-schema.test.ts checks it against the OASIS file). */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The project home; rule pages live under it (see DOCS_BASE_URL in server/src/engine/rule.ts). */
export const TOOL_INFORMATION_URI = 'https://github.com/timeout-lint/timeout-lint';
/** Every uri is relative to this base, so the log holds no absolute paths (STYLE.md §4). */
export const SOURCE_ROOT = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note';
type Json = Record<string, unknown>;

export interface SarifFormatOptions {
  cwdPrefix?: string;
}

export function formatSarif(report: LintReport, options: SarifFormatOptions = {}): string {
  return `${JSON.stringify(toSarifLog(report, options), null, 2)}\n`;
}

export function toSarifLog(report: LintReport, options: SarifFormatOptions = {}): Json {
  const locator = new SourceLocator(report.files, options.cwdPrefix);
  const rules = ruleDescriptors(report);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'timeout-lint',
            version: report.toolVersion,
            informationUri: TOOL_INFORMATION_URI,
            rules: rules.map(ruleDescriptor),
          },
        },
        invocations: [
          {
            // Files that could not be analysed are warnings, not a failed run: the rest of the log is valid.
            executionSuccessful: true,
            toolExecutionNotifications: report.notAnalysed.map((entry) => ({
              level: 'warning',
              message: { text: `Not analysed: ${entry.reason}` },
              locations: [{ physicalLocation: { artifactLocation: artifactLocation(locator.path(entry.file)) } }],
              descriptor: { id: 'not-analysed' },
            })),
          },
        ],
        originalUriBaseIds: {
          [SOURCE_ROOT]: { description: { text: 'The root of the linted workspace.' } },
        },
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((finding) => result(finding, ruleIndex.get(finding.ruleId)!, locator)),
        properties: { complete: report.complete },
      },
    ],
  };
}

/** Known rules in registry order, then any id only seen in findings (parse-error, internal-error). */
function ruleDescriptors(report: LintReport): RuleMeta[] {
  const rules = [...report.rules];
  const known = new Set(rules.map((rule) => rule.id));
  const extra = new Map<string, RuleMeta>();
  for (const finding of report.findings) {
    if (known.has(finding.ruleId) || extra.has(finding.ruleId)) continue;
    extra.set(finding.ruleId, {
      id: finding.ruleId,
      description: `Problems reported as ${finding.ruleId}.`,
      defaultSeverity: finding.severity,
      fixable: 'never',
      docsUrl: finding.docsUrl,
    });
  }
  return [...rules, ...[...extra.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))];
}

function ruleDescriptor(rule: RuleMeta): Json {
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.description },
    ...(rule.docsUrl === '' ? {} : { helpUri: rule.docsUrl }),
    defaultConfiguration: { level: level(rule.defaultSeverity) },
    properties: { fixable: rule.fixable },
  };
}

function result(finding: Finding, ruleIndex: number, locator: SourceLocator): Json {
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: level(finding.severity),
    message: { text: finding.message },
    locations: [{ physicalLocation: physicalLocation(finding.span, locator) }],
    ...(finding.related.length === 0
      ? {}
      : {
          relatedLocations: finding.related.map((related, index) => ({
            id: index + 1,
            physicalLocation: physicalLocation(related.span, locator),
            message: { text: related.message },
          })),
        }),
    ...(finding.fixes.length === 0 ? {} : { fixes: finding.fixes.map((fix) => sarifFix(fix, locator)) }),
    properties: {
      messageId: finding.messageId,
      data: finding.data,
      ...(locator.hasText(finding.span.file) ? {} : { positionUnknown: true }),
    },
  };
}

function sarifFix(fix: Fix, locator: SourceLocator): Json {
  // SARIF groups replacements by artifact; edits are sorted, so one pass keeps their order.
  const byFile = new Map<string, Json[]>();
  for (const edit of fix.edits) {
    const replacements = byFile.get(edit.file) ?? [];
    replacements.push({ deletedRegion: region(edit, locator), insertedContent: { text: edit.newText } });
    byFile.set(edit.file, replacements);
  }
  return {
    description: { text: fix.title },
    artifactChanges: [...byFile].map(([file, replacements]) => ({
      artifactLocation: artifactLocation(locator.path(file)),
      replacements,
    })),
    // SARIF has no notion of fix safety; consumers that apply fixes must read it from here.
    properties: { safety: fix.safety, preferred: fix.preferred === true },
  };
}

function physicalLocation(span: Span, locator: SourceLocator): Json {
  return { artifactLocation: artifactLocation(locator.path(span.file)), region: region(span, locator) };
}

/** Both line/column and character offsets, so a consumer can use whichever it trusts. */
function region(span: Span, locator: SourceLocator): Json {
  const { start, end } = locator.range(span);
  return {
    startLine: start.line,
    startColumn: start.column,
    endLine: end.line,
    endColumn: end.column,
    charOffset: span.start,
    charLength: Math.max(0, span.end - span.start),
  };
}

function artifactLocation(path: string): Json {
  // Percent-encode each segment so spaces, '#' or '%' in a file name still make a valid URI reference.
  const uri = path.split('/').map(encodeURIComponent).join('/');
  return { uri, uriBaseId: SOURCE_ROOT };
}

function level(severity: Severity): SarifLevel {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
