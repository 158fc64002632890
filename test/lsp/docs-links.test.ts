// Offline docs from the Problems view: for a client that asks for it, a diagnostic's code links to its documentation command, not to the web.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, copyWorkspace, LspTestClient, type CodeAction } from './lsp-harness.js';

const WORKSPACE = path.resolve(__dirname, 'workspace');
const GATEWAY = 'conf.d/gateway.conf';
const built = fs.existsSync(CLI);
if (!built) console.warn('SKIPPED: dist/cli.js is not built; `npm test` builds it first.');

describe.skipIf(!built)('documentation links', () => {
  let client: LspTestClient | undefined;
  afterAll(async () => {
    await client?.shutdown();
    if (client) fs.rmSync(client.root, { recursive: true, force: true });
  });

  it('link the rule id to the client command with the rule id and the online URL as arguments; the docs action keeps the URL', async () => {
    client = new LspTestClient(copyWorkspace(WORKSPACE));
    await client.initialize({ showDocumentationCommand: 'test.showDocs', offlineDocsLinks: true });
    await client.open(GATEWAY);
    const diagnostics = await client.waitForDiagnostics(GATEWAY, (ds) => ds.some((d) => d.code === 'invalid-timeout-value'));
    const invalid = diagnostics.find((d) => d.code === 'invalid-timeout-value')! as (typeof diagnostics)[number] & { codeDescription: { href: string } };
    const match = /^command:test\.showDocs\?(.*)$/.exec(invalid.codeDescription.href);
    expect(match).not.toBeNull();
    const [ruleId, url] = JSON.parse(decodeURIComponent(match![1]!)) as [string, string];
    expect(ruleId).toBe('invalid-timeout-value');
    expect(url).toMatch(/^https:\/\/.*rules\/invalid-timeout-value\.md$/);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: client.uri(GATEWAY) }, range: invalid.range, context: { diagnostics: [invalid] },
    })) as CodeAction[];
    expect(actions.find((a) => a.title === 'Show documentation for invalid-timeout-value')?.command).toEqual({
      title: 'Show documentation for invalid-timeout-value', command: 'test.showDocs', arguments: ['invalid-timeout-value', url],
    });
  });
});
