// Code lenses over real stdio for a client that resolves them (vscode-languageclient does): titles on resolve, stored while nothing changed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, copyWorkspace, LspTestClient } from './lsp-harness.js';

const WORKSPACE = path.resolve(__dirname, 'workspace');
const GATEWAY = 'conf.d/gateway.conf';
const built = fs.existsSync(CLI);
if (!built) console.warn('SKIPPED: dist/cli.js is not built; `npm test` builds it first.');

interface Lens { range: { start: { line: number; character: number } }; command?: { title: string; command: string }; data?: { generation: number; index: number } }

describe.skipIf(!built)('code lenses resolved on demand', () => {
  let client: LspTestClient;
  const lenses = async () => (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: client.uri(GATEWAY) } })) as Lens[];
  const resolve = async (lens: Lens) => (await client.connection.sendRequest('codeLens/resolve', lens)) as Lens;

  beforeAll(async () => {
    client = new LspTestClient(copyWorkspace(WORKSPACE));
    await client.initialize({ showCallChainCommand: 'test.showCallChain' }, {
      textDocument: { codeLens: { resolveSupport: { properties: ['command'] } } },
      workspace: { codeLens: { refreshSupport: true } },
    });
    await client.open(GATEWAY);
    await client.waitForDiagnostics(GATEWAY, (ds) => ds.some((d) => d.code === 'invalid-timeout-value'));
  });
  afterAll(async () => {
    await client?.shutdown();
    if (client) fs.rmSync(client.root, { recursive: true, force: true });
  });

  it('sends lenses without titles and words each one when the editor resolves it', async () => {
    const all = await lenses();
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all.every((l) => l.command === undefined && l.data !== undefined)).toBe(true);
    const text = client.openText(GATEWAY);
    const usersLine = text.split('\n').findIndex((l) => l.includes('location /api/users'));
    const users = all.find((l) => l.range.start.line === usersLine)!;
    const resolved = await resolve(users);
    expect(resolved.command).toEqual({
      title: 'read 1.5m ⚠ invalid · connect 90s · send 30s (server) → http://user_api',
      command: 'test.showCallChain',
      arguments: [client.uri(GATEWAY), users.range.start],
    });
  });

  it('answers from the stored lenses while the lint results are unchanged', async () => {
    const first = await lenses();
    const second = await lenses();
    expect(second.map((l) => l.data)).toEqual(first.map((l) => l.data));
  });

  it('answers at once with the lenses it has while an edit is not linted yet, then asks for a refresh and sends the lenses of the new text', async () => {
    const before = await lenses();
    const refreshes = client.lensRefreshes;
    const text = client.openText(GATEWAY);
    // One line added above the locations moves every lens down by one.
    await client.change(GATEWAY, text.replace('    listen 80;\n', '    listen 80;\n    # a comment\n').replace('proxy_read_timeout 1.5m;', 'proxy_read_timeout 45s;'));
    const meanwhile = await lenses();
    await client.waitUntil('the server asks for a lens refresh', () => client.lensRefreshes > refreshes);
    const after = await lenses();
    expect(after.map((l) => l.range.start.line)).toEqual(before.map((l) => l.range.start.line + 1));
    expect(after[0]!.data!.generation).not.toBe(before[0]!.data!.generation);
    const titles = await Promise.all(after.map(async (l) => (await resolve(l)).command!.title));
    expect(titles).toContain('read 45s · connect 90s · send 30s (server) → http://user_api');
    expect((await resolve(before[0]!)).command?.title).toBe('');
    // The answer sent meanwhile was the stored list (unless the lint run was already done by then).
    if (meanwhile[0]!.data!.generation === before[0]!.data!.generation) expect(meanwhile.map((l) => l.range)).toEqual(before.map((l) => l.range));
  });

  it('still asks for a refresh when the document changes again while the lenses wait for a run', async () => {
    const text = client.openText(GATEWAY);
    const refreshes = client.lensRefreshes;
    await client.change(GATEWAY, text.replace('proxy_read_timeout 45s;', 'proxy_read_timeout 46s;'));
    await lenses();
    // The second edit goes out before the first can have been linted: the wait follows the newest version.
    await client.change(GATEWAY, text.replace('proxy_read_timeout 45s;', 'proxy_read_timeout 47s;'));
    await lenses();
    await client.waitUntil('the server asks for a lens refresh', () => client.lensRefreshes > refreshes);
    const titles = await Promise.all((await lenses()).map(async (l) => (await resolve(l)).command!.title));
    expect(titles).toContain('read 47s · connect 90s · send 30s (server) → http://user_api');
  });
});
