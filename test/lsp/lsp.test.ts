// The language server over real stdio: diagnostics, cross-file updates, code actions, fix-all, hover, crash isolation, stale versions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTextEdits, CLI, copyWorkspace, editsFor, LspTestClient, type CodeAction, type Diagnostic } from './lsp-harness.js';

const WORKSPACE = path.resolve(__dirname, 'workspace');
const GATEWAY = 'conf.d/gateway.conf';
const SNIPPET = 'snippets/llm.conf';
const built = fs.existsSync(CLI);
if (!built) console.warn('SKIPPED: dist/cli.js is not built; `npm test` builds it first.');

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code);
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));

describe.skipIf(!built)('language server over stdio', () => {
  let client: LspTestClient;

  beforeAll(async () => {
    client = new LspTestClient(copyWorkspace(WORKSPACE));
    await client.initialize();
  });
  afterAll(async () => {
    await client?.shutdown();
    if (client) fs.rmSync(client.root, { recursive: true, force: true });
  });

  it('publishes diagnostics for an opened file with its version, range, code, docs link and related information', async () => {
    const text = await client.open(GATEWAY);
    // Per-file findings are published first; llm-route-default-read-timeout also reads code (chain rule), so it follows once the chains are linked.
    const first = await client.waitForDiagnostics(GATEWAY, (ds) => ds.length > 0 && ds.every((d) => d.data?.version === 1));
    expect(codes(first)).toEqual(expect.arrayContaining(['invalid-timeout-value', 'connect-timeout-above-75s']));
    const diagnostics = await client.waitForDiagnostics(GATEWAY, (ds) => codes(ds).includes('llm-route-default-read-timeout') && ds.every((d) => d.data?.version === 1));
    expect(codes(diagnostics)).toEqual(['llm-route-default-read-timeout', 'invalid-timeout-value', 'connect-timeout-above-75s']);
    const invalid = diagnostics.find((d) => d.code === 'invalid-timeout-value')!;
    expect(invalid.range.start).toEqual({ line: lineOf(text, '1.5m'), character: text.split('\n')[lineOf(text, '1.5m')]!.indexOf('1.5m') });
    expect(invalid).toMatchObject({ severity: 1, source: 'timeout-lint', codeDescription: { href: expect.stringMatching(/rules\/invalid-timeout-value\.md$/) } });
    const llm = diagnostics.find((d) => d.code === 'llm-route-default-read-timeout')!;
    expect(llm.relatedInformation?.[0]?.location.uri).toBe(client.uri(GATEWAY));
  });

  it('updates the diagnostics of another, closed file when an included snippet is edited', async () => {
    await client.waitForDiagnostics(GATEWAY, (ds) => codes(ds).includes('llm-route-default-read-timeout'));
    const snippet = await client.open(SNIPPET);
    // The location in gateway.conf includes the snippet: a read timeout there fixes the finding over there.
    await client.change(SNIPPET, `${snippet}proxy_read_timeout 300s;\n`);
    const after = await client.waitForDiagnostics(GATEWAY, (ds) => !codes(ds).includes('llm-route-default-read-timeout'));
    expect(codes(after)).toEqual(['invalid-timeout-value', 'connect-timeout-above-75s']);
    await client.change(SNIPPET, snippet);
    await client.waitForDiagnostics(GATEWAY, (ds) => codes(ds).includes('llm-route-default-read-timeout'));
  });

  it('shows a finding once: its headline as the message, its explanation as related information, not again in the hover', async () => {
    const text = client.openText(GATEWAY);
    const diagnostics = await client.waitForDiagnostics(GATEWAY, (ds) => codes(ds).includes('connect-timeout-above-75s'));
    const finding = diagnostics.find((d) => d.code === 'connect-timeout-above-75s')!;
    // One sentence, values first, short enough for the Problems view at 1280 px.
    expect(finding.message).toMatch(/^proxy_connect_timeout 90s is above the 75s nginx documents for connecting\.$/);
    expect(finding.relatedInformation?.[0]!.message).toMatch(/^Linux honours it/);
    expect(finding.relatedInformation?.[0]!.location.range).toEqual(finding.range);
    const line = finding.range.start.line;
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: client.uri(GATEWAY) },
      position: { line, character: text.split('\n')[line]!.indexOf('proxy_connect_timeout') + 3 },
    })) as { contents: { value: string } } | null;
    expect(hover?.contents.value).toContain('**proxy_connect_timeout**');
    expect(hover?.contents.value).not.toContain('75s nginx documents');
    expect(hover?.contents.value).not.toContain('Linux honours it');
  });

  it('offers quick fixes whose edit leaves the file clean of that rule', async () => {
    const uri = client.uri(GATEWAY);
    const diagnostics = await client.waitForDiagnostics(GATEWAY, (ds) => codes(ds).includes('connect-timeout-above-75s'));
    const target = diagnostics.find((d) => d.code === 'connect-timeout-above-75s')!;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: target.range,
      context: { diagnostics: [target] },
    })) as CodeAction[];
    expect(actions.map((a) => a.title)).toEqual([
      'Lower proxy_connect_timeout to 75s (unsafe: slow connects fail sooner)',
      'Disable connect-timeout-above-75s for this line',
      'Disable connect-timeout-above-75s for the entire file',
      'Show documentation for connect-timeout-above-75s',
    ]);
    // Preferred fixes are safe ones only: the editor's auto-fix must not pick a fix that changes behaviour.
    expect(actions[0]!.isPreferred).toBe(false);
    const fixed = applyTextEdits(client.openText(GATEWAY), editsFor(actions[0]!.edit, uri));
    expect(fixed).toContain('proxy_connect_timeout 75s;');
    await client.change(GATEWAY, fixed);
    const after = await client.waitForDiagnostics(GATEWAY, (ds) => !codes(ds).includes('connect-timeout-above-75s'));
    expect(after.every((d) => d.data?.version === client.version(GATEWAY))).toBe(true);

    const disable = actions[1]!;
    expect(editsFor(disable.edit, uri)[0]!.newText).toBe('        # timeout-lint-disable-next-line connect-timeout-above-75s -- TODO: reason\n');
    const disableFile = editsFor(actions[2]!.edit, uri)[0]!;
    expect(disableFile).toEqual({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# timeout-lint-disable-file connect-timeout-above-75s -- TODO: reason\n' });
    expect(actions[3]!.command).toMatchObject({ arguments: ['connect-timeout-above-75s', expect.stringMatching(/connect-timeout-above-75s\.md$/)] });
  });

  it('fixes all safe problems with source.fixAll.timeout-lint as minimal edits', async () => {
    const uri = client.uri(GATEWAY);
    await client.waitForDiagnostics(GATEWAY, (ds) => codes(ds).includes('invalid-timeout-value') && ds.every((d) => d.data?.version === client.version(GATEWAY)));
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    expect(actions.map((a) => a.kind)).toEqual(['source.fixAll.timeout-lint']);
    const resolved = (await client.connection.sendRequest('codeAction/resolve', actions[0])) as CodeAction;
    const edits = editsFor(resolved.edit, uri);
    // `1.5m` becomes `90s`: the edit touches the value only, not the whole document.
    expect(edits).toHaveLength(1);
    expect(edits[0]!.range.start.line).toBe(edits[0]!.range.end.line);
    const current = client.openText(GATEWAY);
    const fixed = applyTextEdits(current, edits);
    expect(fixed).toContain('proxy_read_timeout 90s;');
    await client.change(GATEWAY, fixed);
    // Unsafe fixes are not part of fix-all unless the setting allows them: the LLM finding is back once the chains are re-linked.
    const after = await client.waitForDiagnostics(GATEWAY, (ds) => !codes(ds).includes('invalid-timeout-value') && codes(ds).includes('llm-route-default-read-timeout'));
    expect(codes(after)).toContain('llm-route-default-read-timeout');
  });

  it('hovers a timeout with its effective value, where it comes from, and the route', async () => {
    const text = client.openText(GATEWAY);
    const line = lineOf(text, 'proxy_read_timeout');
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: client.uri(GATEWAY) },
      position: { line, character: text.split('\n')[line]!.indexOf('proxy_read_timeout') + 3 },
    })) as { contents: { value: string } } | null;
    expect(hover?.contents.value).toContain('**proxy_read_timeout** in `location /api/users`');
    expect(hover?.contents.value).toMatch(/Effective value: `90s` — set here \(conf\.d\/gateway\.conf:\d+\)/);
    expect(hover?.contents.value).toContain('send 30s (server)');
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: client.uri(GATEWAY) } })) as Array<{ command: { title: string } }>;
    expect(lenses.map((l) => l.command.title)).toContain('read 60s (default) · connect 60s (default) · send 30s (server) → http://chat_api');
    const chains = (await client.connection.sendRequest('timeoutLint/routeChain', {
      textDocument: { uri: client.uri(GATEWAY) },
      position: { line: lineOf(text, 'proxy_pass http://chat_api'), character: 8 },
    })) as Array<{ route: string; hops: Array<{ title: string; timeouts: Array<{ name: string; value: string; source: string }> }> }>;
    expect(chains.map((c) => c.route)).toEqual(['location /v1/chat/completions']);
    expect(chains[0]!.hops.map((h) => h.title)).toEqual(['client', 'nginx server', 'http://chat_api']);
    expect(chains[0]!.hops[2]!.timeouts.find((t) => t.name === 'proxy_send_timeout')).toEqual({
      name: 'proxy_send_timeout', value: '30s', source: `inherited from server at ${GATEWAY}:${lineOf(text, 'proxy_send_timeout') + 1}`,
    });
  });

  it('refuses to fix a diagnostic computed for an older version of the document', async () => {
    const uri = client.uri(GATEWAY);
    const diagnostics = await client.waitForDiagnostics(GATEWAY, (ds) => ds.length > 0 && ds.every((d) => d.data?.version === client.version(GATEWAY)));
    const stale = { ...diagnostics[0]!, data: { ...diagnostics[0]!.data!, version: client.version(GATEWAY)! - 1 } };
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: stale.range,
      context: { diagnostics: [stale] },
    })) as CodeAction[];
    expect(actions.filter((a) => a.edit || a.data)).toEqual([]);
    expect(actions.map((a) => a.title)).toEqual([`Show documentation for ${stale.code}`]);
  });
});

describe.skipIf(!built)('language server with a rule that throws (test hook)', () => {
  let client: LspTestClient;

  beforeAll(async () => {
    client = new LspTestClient(copyWorkspace(WORKSPACE), { TIMEOUT_LINT_TEST_CRASH_RULE: '1' });
    await client.initialize();
  });
  afterAll(async () => {
    await client?.shutdown();
    if (client) fs.rmSync(client.root, { recursive: true, force: true });
  });

  it('reports internal-error, keeps the other findings, and still answers requests', async () => {
    await client.open(GATEWAY);
    const diagnostics = await client.waitForDiagnostics('nginx.conf', (ds) => codes(ds).includes('internal-error'));
    expect(diagnostics.find((d) => d.code === 'internal-error')!.message).toContain('test-crash-rule');
    await client.waitForDiagnostics(GATEWAY, (ds) => codes(ds).includes('invalid-timeout-value'));
    const text = client.openText(GATEWAY);
    const line = lineOf(text, 'proxy_connect_timeout');
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: client.uri(GATEWAY) },
      position: { line, character: 10 },
    })) as { contents: { value: string } } | null;
    expect(hover?.contents.value).toContain('Effective value: `90s`');
  });
});
