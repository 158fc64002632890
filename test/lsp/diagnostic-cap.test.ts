// The per-file cap on published diagnostics: which are kept, the summary, the setting's bounds; and over stdio, a file with more findings than the cap.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import { capDiagnostics, DIAGNOSTICS_CAPPED_CODE, normalizeCap } from '../../server/src/lsp/diagnostic-cap.js';
import { CLI, LspTestClient } from './lsp-harness.js';

const at = (line: number, severity: DiagnosticSeverity): Diagnostic => ({
  range: { start: { line, character: 0 }, end: { line, character: 1 } },
  severity,
  message: `finding on line ${line}`,
});

describe('capDiagnostics', () => {
  it('keeps every diagnostic when there are no more than the cap', () => {
    const ds = [at(1, DiagnosticSeverity.Warning), at(2, DiagnosticSeverity.Error)];
    expect(capDiagnostics(ds, 2, 'nginx.conf')).toEqual({ diagnostics: ds, hidden: { errors: 0, warnings: 0, infos: 0 } });
  });

  it('keeps errors before warnings before infos, in file order, and puts a summary of the rest at the top', () => {
    const ds = [at(1, DiagnosticSeverity.Information), at(2, DiagnosticSeverity.Warning), at(3, DiagnosticSeverity.Error), at(4, DiagnosticSeverity.Warning), at(5, DiagnosticSeverity.Error)];
    const { diagnostics, hidden } = capDiagnostics(ds, 3, 'conf.d/my gateway.conf');
    expect(diagnostics.slice(1).map((d) => d.range.start.line)).toEqual([2, 3, 5]);
    expect(hidden).toEqual({ errors: 0, warnings: 1, infos: 1 });
    const summary = diagnostics[0]!;
    expect(summary).toMatchObject({ code: DIAGNOSTICS_CAPPED_CODE, source: 'timeout-lint', severity: DiagnosticSeverity.Warning, range: { start: { line: 0, character: 0 } } });
    expect(summary.message).toBe("2 more timeout-lint findings in this file are not shown (1 warning, 1 info; at most 3 per file, setting timeoutLint.maxDiagnosticsPerFile). To see them all, run `npx timeout-lint 'conf.d/my gateway.conf'` in the workspace folder.");
  });

  it('reads the setting as a whole number from 1 to 999, else 500', () => {
    expect([normalizeCap(undefined), normalizeCap(0), normalizeCap('20'), normalizeCap(20.7), normalizeCap(5000)]).toEqual([500, 500, 500, 20, 999]);
  });
});

const built = fs.existsSync(CLI);
describe.skipIf(!built)('the cap over stdio', () => {
  let client: LspTestClient | undefined;
  afterAll(async () => {
    await client?.shutdown();
    if (client) fs.rmSync(client.root, { recursive: true, force: true });
  });

  it('publishes at most maxDiagnosticsPerFile findings of a file plus the summary, and the status counts them all', async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-cap-')));
    // 30 locations with a connect timeout nginx caps at 75s: 30 findings in one file.
    const locations = Array.from({ length: 30 }, (_, i) => `    location /l${i} { proxy_connect_timeout 90s; proxy_pass http://a; }`).join('\n');
    fs.writeFileSync(path.join(root, 'nginx.conf'), `events {}\nhttp {\n  server {\n${locations}\n  }\n}\n`);
    client = new LspTestClient(root);
    const statuses: Array<{ state: string; warnings: number; errors: number; infos: number }> = [];
    client.connection.onNotification('timeoutLint/status', (p: (typeof statuses)[number]) => {
      statuses.push(p);
    });
    client.settings = { maxDiagnosticsPerFile: 10 };
    await client.initialize();
    await client.open('nginx.conf');
    const ds = await client.waitForDiagnostics('nginx.conf', (d) => d.some((x) => x.code === DIAGNOSTICS_CAPPED_CODE));
    expect(ds).toHaveLength(11);
    const found = ds.filter((d) => d.code === 'connect-timeout-above-75s');
    expect(found).toHaveLength(10);
    expect(ds[0]!.message).toMatch(/^20 more timeout-lint findings in this file are not shown/);
    await client.waitUntil('the status counts the hidden findings', () => statuses.some((s) => s.state === 'idle' && s.errors + s.warnings + s.infos >= 30));
  });
});
