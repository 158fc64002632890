// Validates the SARIF output against the official OASIS SARIF 2.1.0 schema kept in test/cli/schemas/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { toSarifLog } from '../../server/src/cli/formatters/sarif.js';
import { formatReport } from '../../server/src/cli/formatters/index.js';
import type { LintReport } from '../../server/src/engine/report.js';
import { report } from './report-fixture.js';

// The schema's provenance (npm package, version, checksum) is in test/cli/schemas/README.md.
const schema = JSON.parse(readFileSync(join(__dirname, 'schemas', 'sarif-schema-2.1.0.json'), 'utf8')) as {
  $id: string;
  $schema: string;
};

// The schema is draft-07, which is Ajv's default dialect; formats (uri, uri-reference, date-time) need ajv-formats.
// strict: false because the official schema has things Ajv's strict mode rejects (e.g. "default" next to "$ref").
// unicodeRegExp: false because its toolComponent.language pattern has a stray ']' ("[a-zA-Z]{2}]?$") that a
// /u regular expression refuses to compile; without /u it is what the schema's authors ran it as.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function errorsOf(log: unknown): string {
  return validate(log) ? '' : ajv.errorsText(validate.errors, { separator: '\n' });
}

describe('SARIF output', () => {
  it('uses the official OASIS SARIF 2.1.0 schema', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe('https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json');
  });

  it('is valid for the fixture report', () => {
    expect(errorsOf(JSON.parse(formatReport(report, 'sarif')))).toBe('');
  });

  it('is valid for a clean run and with a path prefix that needs escaping', () => {
    const clean: LintReport = { ...report, findings: [], notAnalysed: [], complete: true };
    expect(errorsOf(toSarifLog(clean))).toBe('');
    expect(errorsOf(toSarifLog(report, { cwdPrefix: 'my repo/#1 100%' }))).toBe('');
  });

  it('rejects a log the schema forbids, so the check is not vacuous', () => {
    const log = toSarifLog(report) as { runs: { results: { level: string }[] }[] };
    log.runs[0]!.results[0]!.level = 'fatal';
    expect(errorsOf(log)).toContain('must be equal to one of the allowed values');
  });

  it('points ruleIndex at the matching rule and relatedLocations at distinct ids', () => {
    const run = (toSarifLog(report) as { runs: SarifRun[] }).runs[0]!;
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
      const ids = (result.relatedLocations ?? []).map((location) => location.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});

interface SarifRun {
  tool: { driver: { rules: { id: string }[] } };
  results: { ruleId: string; ruleIndex: number; relatedLocations?: { id: number }[] }[];
}
