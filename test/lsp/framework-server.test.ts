// A framework server's finding in package.json, in the editor over real stdio: published for package.json, a quick fix that keeps it JSON, no suppression comment offered (JSON has none), and the finding gone after the fix.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTextEdits, CLI, copyWorkspace, editsFor, LspTestClient, type CodeAction } from './lsp-harness.js';

const WORKSPACE = path.resolve(__dirname, '../fixtures/backend-keepalive-below-proxy-idle/next-start-behind-nginx-pool');
const MANIFEST = 'web/package.json';
const RULE = 'backend-keepalive-below-proxy-idle';
const built = fs.existsSync(CLI);
if (!built) console.warn('SKIPPED: dist/cli.js is not built; `npm test` builds it first.');

describe.skipIf(!built)('a Next.js server finding in package.json', () => {
  let client: LspTestClient;

  beforeAll(async () => {
    client = new LspTestClient(copyWorkspace(WORKSPACE));
    await client.initialize();
  });
  afterAll(async () => {
    await client?.shutdown();
    if (client) fs.rmSync(client.root, { recursive: true, force: true });
  });

  it('is published on the `next start` command, fixed by adding the flag, and gone once fixed', async () => {
    const text = await client.open(MANIFEST);
    const diagnostics = await client.waitForDiagnostics(MANIFEST, (ds) => ds.some((d) => d.code === RULE));
    const finding = diagnostics.find((d) => d.code === RULE)!;
    const line = text.split('\n')[finding.range.start.line]!;
    expect(line.slice(finding.range.start.character, finding.range.end.character)).toBe('next start -p 3000');
    expect(finding.relatedInformation?.some((r) => r.location.uri.endsWith('nginx.conf'))).toBe(true);

    const uri = client.uri(MANIFEST);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: finding.range, context: { diagnostics: [finding] } })) as CodeAction[];
    const titles = actions.map((a) => a.title);
    expect(titles[0]).toBe('Set --keepAliveTimeout of Next.js server in web to 65 s (unsafe: idle sockets stay open longer)');
    // JSON has no comments: a suppression comment would break the file, so none is offered.
    expect(titles.some((t) => t.startsWith('Disable '))).toBe(false);

    const fixed = applyTextEdits(text, editsFor(actions[0]!.edit, uri));
    expect(() => JSON.parse(fixed)).not.toThrow();
    expect((JSON.parse(fixed) as { scripts: { start: string } }).scripts.start).toBe('next start -p 3000 --keepAliveTimeout 65000');
    await client.change(MANIFEST, fixed);
    await client.waitForDiagnostics(MANIFEST, (ds) => !ds.some((d) => d.code === RULE));
  });
});
