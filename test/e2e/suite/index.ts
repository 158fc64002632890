// In-editor tests: loaded by the extension host through `extensionTestsPath` (the @vscode/test-electron
// contract: export `run(): Promise<void>`, a rejection fails the run). The workspace is a fresh copy of
// examples/, the extension is the one unpacked from the .vsix, so the real vscode API, language client,
// bundled language server and engine are exercised together. Waits are on VS Code events
// (languages.onDidChangeDiagnostics), bounded by a timeout, never on sleeps. node:assert, no mocha.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

const EXTENSION_ID = 'timeout-lint.timeout-lint';
const SOURCE = 'timeout-lint';
const GATEWAY = 'nginx/conf.d/gateway.conf';
const INGRESS = 'k8s/ingress.yaml';
const CONFIGMAP = 'k8s/ingress-nginx-configmap.yaml';
const WAIT_MS = 30_000;

type Case = { name: string; fn: () => Promise<void> };
const cases: Case[] = [];
const test = (name: string, fn: () => Promise<void>) => cases.push({ name, fn });

function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder must be open');
  return vscode.Uri.joinPath(folder.uri, relative);
}

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const codes = (ds: vscode.Diagnostic[]) => ds.map(codeOf);

/** Resolves with the file's timeout-lint diagnostics once `done` accepts them (checked now and on every change). */
function waitForDiagnostics(uri: vscode.Uri, done: (ds: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    let subscription: vscode.Disposable | undefined;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => { subscription?.dispose(); clearTimeout(timer); };
    const check = () => {
      const ds = ours(uri);
      if (!done(ds)) return;
      finish();
      resolve(ds);
    };
    subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what} in ${vscode.workspace.asRelativePath(uri)}; it has [${codes(ours(uri)).join(', ')}]`));
    }, WAIT_MS);
    check();
  });
}

/** Resolves once the workbench has applied a setting for `doc`'s language and `accept` takes its value (checked now and on every change). */
function configurationApplied(section: string, doc: vscode.TextDocument, accept: (value: unknown) => boolean): Promise<void> {
  const [first, ...rest] = section.split('.');
  const read = () => vscode.workspace.getConfiguration(first, { languageId: doc.languageId, uri: doc.uri }).get(rest.join('.'));
  return new Promise((resolve, reject) => {
    const finish = () => { subscription.dispose(); clearTimeout(timer); };
    const subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(section, { languageId: doc.languageId, uri: doc.uri }) && accept(read())) {
        finish();
        resolve();
      }
    });
    const timer = setTimeout(() => { finish(); reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${section} to be applied`)); }, WAIT_MS);
  });
}

async function open(relative: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(relative));
  await vscode.window.showTextDocument(doc);
  return doc;
}

test('the extension activates and publishes diagnostics for nginx/conf.d/gateway.conf', async () => {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is loaded`);
  const doc = await open(GATEWAY);
  // conf.d/*.conf is nginx through the extension's filenamePatterns (VS Code alone calls .conf "properties").
  assert.equal(doc.languageId, 'nginx');
  await ext.activate();
  const ds = await waitForDiagnostics(doc.uri, (d) => ['invalid-timeout-value', 'llm-route-default-read-timeout', 'outer-timeout-below-inner', 'timeout-in-if'].every((c) => codes(d).includes(c)),
    'the gateway findings');
  // outer-timeout-below-inner is a chain finding, twice: /v1/chat/completions gives up before a call in
  // services/chat-api may finish, and /api/summarise's 1.5m (invalid, compared as the 90 s it means)
  // before the VirtualService behind it (2 min).
  assert.deepEqual(codes(ds).sort(), ['invalid-timeout-value', 'llm-route-default-read-timeout', 'outer-timeout-below-inner', 'outer-timeout-below-inner', 'streaming-route-buffered', 'timeout-in-if']);
  const invalid = ds.find((d) => codeOf(d) === 'invalid-timeout-value')!;
  assert.equal(doc.getText(invalid.range), '1.5m');
  assert.equal(invalid.range.start.line, 16);
  assert.equal(invalid.severity, vscode.DiagnosticSeverity.Error);
  assert.match(invalid.message, /nginx accepts no fractions/);
  // The rule id in the Problems view opens the doc shipped in the extension (a command link), not the web page.
  assert.ok(typeof invalid.code === 'object' && invalid.code.target.scheme === 'command' && invalid.code.target.path === 'timeoutLint.showDocumentation', `code links to the documentation command (got ${typeof invalid.code === 'object' ? invalid.code.target.toString() : invalid.code})`);
  assert.deepEqual(JSON.parse(invalid.code.target.query)[0], 'invalid-timeout-value');
  const llm = ds.find((d) => codeOf(d) === 'llm-route-default-read-timeout')!;
  assert.equal(llm.severity, vscode.DiagnosticSeverity.Warning);
  // The diagnostic is the headline; its explanation is the first related entry (at the finding), the other places follow.
  assert.ok((llm.relatedInformation ?? []).some((r) => doc.getText(r.location.range) === 'http://chat_api'), 'the proxy target is a related location');
});

test('related locations point into another file (closed k8s/ingress.yaml → the controller ConfigMap)', async () => {
  const ingress = workspaceUri(INGRESS);
  // Never opened: the server indexes the workspace and publishes for closed files too.
  const ds = await waitForDiagnostics(ingress, (d) => codes(d).includes('ingress-nginx-annotation-unit'), 'ingress-nginx-annotation-unit');
  const unit = ds.find((d) => codeOf(d) === 'ingress-nginx-annotation-unit')!;
  // The first related entry is the finding's own explanation (in this file); the rest point elsewhere.
  const related = (unit.relatedInformation ?? []).filter((r) => vscode.workspace.asRelativePath(r.location.uri) !== INGRESS);
  assert.equal(related.length, 1, 'one related location in another file');
  const target = related[0]!.location;
  assert.equal(vscode.workspace.asRelativePath(target.uri), CONFIGMAP);
  const configMap = await vscode.workspace.openTextDocument(target.uri);
  const line = configMap.lineAt(target.range.start.line).text;
  assert.match(line, /proxy-read-timeout/);
  assert.match(configMap.getText(target.range), /60/);
  assert.match(related[0]!.message, /proxy-read-timeout 60 is set here/);
});

test('a quick fix applies and its diagnostic goes away', async () => {
  const doc = await open(GATEWAY);
  const [llm] = (await waitForDiagnostics(doc.uri, (d) => codes(d).includes('llm-route-default-read-timeout'), 'llm-route-default-read-timeout'))
    .filter((d) => codeOf(d) === 'llm-route-default-read-timeout');
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, llm!.range,
    vscode.CodeActionKind.QuickFix.value);
  const titles = actions.map((a) => a.title);
  const fix = actions.find((a) => a.title === 'Add `proxy_read_timeout 300s;` to this location (unsafe: holds connections longer)');
  assert.ok(fix?.edit, `the quick fix of llm-route-default-read-timeout (got: ${titles.join(' | ')})`);
  // (The API's converted CodeAction carries no `diagnostics`; the title names the rule's fix.)
  // Raising a timeout changes behaviour: unsafe, so never the preferred fix (preferred ⇒ safe).
  assert.notEqual(fix.isPreferred, true, 'an unsafe fix is not marked preferred');
  assert.equal(fix.kind?.value, 'quickfix');
  assert.ok(titles.includes('Disable llm-route-default-read-timeout for this line'), 'the disable-for-line action is offered');
  assert.ok(titles.includes('Disable llm-route-default-read-timeout for the entire file'), 'the disable-for-file action is offered');
  assert.ok(titles.includes('Show documentation for llm-route-default-read-timeout'), 'the documentation action is offered');
  assert.ok(await vscode.workspace.applyEdit(fix.edit));
  const location = doc.getText().split('location /v1/chat/completions {')[1]!.split('}')[0]!;
  assert.match(location, /proxy_read_timeout 300s;/);
  const after = await waitForDiagnostics(doc.uri, (d) => !codes(d).includes('llm-route-default-read-timeout'), 'llm-route-default-read-timeout to go away');
  assert.ok(codes(after).includes('invalid-timeout-value'), 'the other findings stay');
});

test('fix-all (source.fixAll.timeout-lint) applies the safe fixes only and produces the expected text', async () => {
  const doc = await open(GATEWAY);
  await waitForDiagnostics(doc.uri, (d) => codes(d).includes('invalid-timeout-value') && !codes(d).includes('llm-route-default-read-timeout'), 'the state after the quick fix');
  const before = doc.getText();
  const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(before.length));
  // The 4th argument resolves the lazily computed edit (codeAction/resolve), as the editor does on use.
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, whole,
    'source.fixAll.timeout-lint', 10);
  const fixAll = actions.filter((a) => a.kind?.value === 'source.fixAll.timeout-lint');
  assert.equal(fixAll.length, 1, `one fix-all action (got: ${actions.map((a) => `${a.kind?.value}: ${a.title}`).join(' | ')})`);
  assert.equal(fixAll[0]!.title, 'Fix all safe timeout-lint problems');
  assert.ok(fixAll[0]!.edit, 'the fix-all action resolves to an edit');
  assert.ok(await vscode.workspace.applyEdit(fixAll[0]!.edit));
  // Only the safe fix (1.5m → 90s); the unsafe one of timeout-in-if and streaming-route-buffered are not applied.
  assert.equal(doc.getText(), before.replace('proxy_read_timeout 1.5m;', 'proxy_read_timeout 90s;'));
  // Per-file findings come first; the chain finding follows once the chains are re-linked.
  const after = await waitForDiagnostics(doc.uri, (d) => !codes(d).includes('invalid-timeout-value') && codes(d).includes('outer-timeout-below-inner'), 'invalid-timeout-value to go away and the chain finding to follow');
  // 90s is valid, so the chain check now sees that /api/summarise gives up before the VirtualService behind it (2 min);
  // the chat route's outer-timeout finding went with the quick fix above (300s).
  assert.deepEqual(codes(after).sort(), ['outer-timeout-below-inner', 'streaming-route-buffered', 'timeout-in-if']);
  const outer = after.find((d) => codeOf(d) === 'outer-timeout-below-inner')!;
  assert.match(doc.lineAt(outer.range.start.line).text, /proxy_read_timeout 90s;/);
  const saved = await doc.save();
  // Said in full when it fails, to tell a refused save (the file changed on disk meanwhile) from one with nothing to write.
  assert.ok(saved, `saved (isDirty ${doc.isDirty}; disk has ${/proxy_read_timeout \S+;/.exec(fs.readFileSync(doc.uri.fsPath, 'utf8'))?.[0]})`);
  assert.equal(fs.readFileSync(doc.uri.fsPath, 'utf8'), doc.getText());
});

test('hover explains a timeout, code lenses summarise each location and the chain through it', async () => {
  const doc = await open(GATEWAY);
  const line = doc.getText().split('\n').findIndex((l) => l.includes('proxy_read_timeout 10s;'));
  assert.ok(line >= 0);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri,
    new vscode.Position(line, doc.lineAt(line).text.indexOf('proxy_read_timeout') + 3));
  const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  assert.match(text, /\*\*proxy_read_timeout\*\* in `location \/api\/users`/);
  assert.match(text, /Effective value: `10s`/);
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
  const titles = lenses.map((l) => l.command?.title ?? '');
  assert.ok(titles.some((t) => t.includes('→ http://chat_api')), `a lens on the chat location (got: ${titles.join(' | ')})`);
  assert.ok(titles.some((t) => t.startsWith('read 10s')), `a lens on /api/users with its read timeout (got: ${titles.join(' | ')})`);
  assert.ok(titles.includes('chain: nginx 10 s → user-api → ?'), `a chain lens on /api/users (got: ${titles.join(' | ')})`);
  // YAML too: the Ingress path's lens summarises the chain through it, into the TypeScript service.
  const ingress = await open('k8s/ingress.yaml');
  const yamlTitles = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', ingress.uri, 10)).map((l) => l.command?.title ?? '');
  assert.ok(yamlTitles.some((t) => t.startsWith('chain: Ingress') && t.includes('POST /v1/chat/completions → openai')), `a chain lens on the chat Ingress path (got: ${yamlTitles.join(' | ')})`);
});

test('codeActionsOnSave runs the safe fix-all when the file is saved', async () => {
  const doc = await open(GATEWAY);
  const editor = await vscode.window.showTextDocument(doc);
  const broken = doc.getText().replace('proxy_read_timeout 90s;', 'proxy_read_timeout 2.5m;');
  assert.notEqual(broken, doc.getText(), 'the fix-all test above left 90s in the file');
  await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), broken));
  await waitForDiagnostics(doc.uri, (d) => codes(d).includes('invalid-timeout-value'), 'the invalid value to be reported');
  const settings = vscode.workspace.getConfiguration('editor', { languageId: 'nginx' });
  // This test failed once in four runs with a loaded machine. Two races, both removed here: (1) the
  // save ran before the workbench had applied the setting (waited for below, on the configuration
  // event, rather than trusting update()'s promise); (2) the file on disk was polled for a fixed
  // 20 s while the save participant runs the fix-all, which re-lints to a fixpoint and waits for the
  // server to finish the call-chain re-link of the edit (seconds on 2 loaded cores). The save command
  // resolves once the participants and the write are done, so the file is checked then, with no deadline.
  const applied = configurationApplied('editor.codeActionsOnSave', doc, (value) =>
    typeof value === 'object' && value !== null && (value as Record<string, unknown>)['source.fixAll.timeout-lint'] === 'explicit');
  await settings.update('codeActionsOnSave', { 'source.fixAll.timeout-lint': 'explicit' }, vscode.ConfigurationTarget.Workspace, true);
  try {
    await applied;
    await vscode.commands.executeCommand('workbench.action.files.save');
    assert.equal(doc.isDirty, false, 'saved');
    assert.match(fs.readFileSync(doc.uri.fsPath, 'utf8'), /proxy_read_timeout 150s;/, 'the saved file holds the safe fix (2.5m → 150s)');
    assert.equal(doc.getText(), fs.readFileSync(doc.uri.fsPath, 'utf8'));
  } finally {
    await settings.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace, true);
  }
});

export async function run(): Promise<void> {
  const results: Array<{ name: string; ok: boolean; ms: number; error?: string }> = [];
  for (const c of cases) {
    const started = Date.now();
    try {
      await c.fn();
      results.push({ name: c.name, ok: true, ms: Date.now() - started });
      console.log(`[e2e-suite] ok   ${c.name} (${Date.now() - started} ms)`);
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      results.push({ name: c.name, ok: false, ms: Date.now() - started, error });
      console.error(`[e2e-suite] FAIL ${c.name}: ${error}`);
    }
  }
  const failed = results.filter((r) => !r.ok).length;
  if (process.env.E2E_RESULTS) fs.writeFileSync(process.env.E2E_RESULTS, JSON.stringify(results, null, 2));
  console.log(`[e2e-suite] ${results.length - failed} passed, ${failed} failed`);
  if (failed) throw new Error(`${failed} in-editor test(s) failed`);
}
