// The VS Code extension: starts the bundled language server and adds a status bar item, an output channel and commands.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CodeLensRequest, LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { callChainHtml, OPEN_HOP_COMMAND, type HopLocation, type RouteChain } from './call-chain-html.js';
import { LensWindow } from './lens-window.js';
import { registerTasks } from './tasks.js';
import { createTraceChannel } from './trace-channel.js';

/** The server's custom status notification (server/src/lsp/progress.ts). */
interface StatusParams {
  state: 'indexing' | 'idle' | 'disabled';
  queued: number;
  errors: number;
  warnings: number;
  infos: number;
  /** True once the workspace holds a file the linter reads; the item stays hidden until then. */
  inputs: boolean;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('timeout-lint', { log: true });
  const trace = createTraceChannel(output);
  const status = vscode.window.createStatusBarItem('timeoutLint.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'timeout-lint';
  status.command = 'workbench.actions.view.problems';
  status.text = '$(sync~spin) timeout-lint';
  status.tooltip = 'timeout-lint is starting';
  // Shown once the server has found a file it reads: a workspace with nothing to lint (a lone redis.conf, a Python project) gets no item.
  context.subscriptions.push(output, trace, status);

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  // --expose-gc: the server collects once after re-linking the call chains, while idle (server/src/lsp/memory.ts).
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--expose-gc'] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--expose-gc', '--nolazy', '--inspect=6029'] } },
  };
  // Included files can have any name, so the server also registers a `**/*` watcher itself.
  const watcher = vscode.workspace.createFileSystemWatcher('**/{timeout-lint.config.json,vercel.json,package.json,*.conf,nginx.conf,*.conf.template,*.nginx,*.yaml,*.yml,*.cfg,*.tf,*.toml,*.j2,*.jinja,*.jinja2}');
  context.subscriptions.push(watcher);
  const lensWindow = new LensWindow((document) => client?.getFeature(CodeLensRequest.method).getProvider(document)?.onDidChangeCodeLensEmitter.fire());
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'nginx' },
      // Kubernetes manifests, compose files, Traefik/Kong/LiteLLM configuration; the server decides per file whether it reads it.
      { scheme: 'file', language: 'yaml' },
      // VS Code's Docker support calls compose files `dockercompose`: unsaved edits to them count too.
      { scheme: 'file', language: 'dockercompose' },
      { scheme: 'file', language: 'helm' },
      { scheme: 'file', language: 'terraform' },
      { scheme: 'file', language: 'haproxy' },
      // TypeScript and JavaScript services: outbound calls, servers and LLM clients.
      { scheme: 'file', language: 'typescript' },
      { scheme: 'file', language: 'typescriptreact' },
      { scheme: 'file', language: 'javascript' },
      { scheme: 'file', language: 'javascriptreact' },
      { scheme: 'file', pattern: '**/*.conf' },
      { scheme: 'file', pattern: '**/nginx.conf' },
      { scheme: 'file', pattern: '**/*.conf.template' },
      { scheme: 'file', pattern: '**/*.nginx' },
      // Traefik's TOML configuration (its YAML is covered above).
      { scheme: 'file', pattern: '**/*.toml' },
      { scheme: 'file', pattern: '**/*.cfg' },
      { scheme: 'file', pattern: '**/*.tf' },
      // Ansible Jinja templates (roles/<role>/templates/*.j2), rendered with the project's vars files.
      { scheme: 'file', pattern: '**/*.{j2,jinja,jinja2}' },
      // Vercel's functions settings (maxDuration), checked against the files beside them.
      { scheme: 'file', pattern: '**/vercel.json' },
      // A framework server's start script (`next start`, `node build`): its findings and fixes are in package.json.
      { scheme: 'file', pattern: '**/package.json' },
    ],
    synchronize: { fileEvents: watcher },
    outputChannel: output,
    traceOutputChannel: trace,
    middleware: {
      provideCodeLenses: async (document, token, next) => lensWindow.filter(document, await next(document, token)),
    },
    initializationOptions: { showDocumentationCommand: 'timeoutLint.showDocumentation', offlineDocsLinks: true, showCallChainCommand: 'timeoutLint.showCallChain' },
  };

  client = new LanguageClient('timeoutLint', 'timeout-lint', serverOptions, clientOptions);
  context.subscriptions.push(
    lensWindow,
    client.onNotification('timeoutLint/status', (params: StatusParams) => showStatus(status, params)),
    vscode.commands.registerCommand('timeoutLint.restart', async () => {
      output.appendLine('Restarting the timeout-lint server.');
      await client?.restart();
    }),
    vscode.commands.registerCommand('timeoutLint.showDocumentation', (ruleId: unknown, url: unknown) =>
      showDocumentation(context, typeof ruleId === 'string' ? ruleId : undefined, typeof url === 'string' ? url : undefined)),
    vscode.commands.registerCommand('timeoutLint.createConfig', () => createConfig(output)),
    registerTasks(),
    vscode.commands.registerCommand('timeoutLint.showCallChain', (uri: unknown, position: unknown) => showCallChain(uri, position)),
    vscode.commands.registerCommand(OPEN_HOP_COMMAND, (location: unknown) => openHop(location)),
  );
  try {
    await client.start();
  } catch (error) {
    status.text = '$(error) timeout-lint';
    status.tooltip = 'The timeout-lint server did not start; see the output channel.';
    status.show();
    output.appendLine(`The server failed to start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

function showStatus(item: vscode.StatusBarItem, params: StatusParams): void {
  if (!params.inputs) {
    item.hide();
    return;
  }
  item.show();
  const counts = `${plural(params.errors, 'error')}, ${plural(params.warnings, 'warning')}, ${plural(params.infos, 'info')}`;
  if (params.state === 'indexing') {
    item.text = `$(sync~spin) timeout-lint ${params.queued}`;
    item.tooltip = `timeout-lint is indexing (${params.queued} entries left). ${counts} so far.`;
  } else if (params.state === 'disabled') {
    item.text = '$(circle-slash) timeout-lint';
    item.tooltip = 'timeout-lint is disabled (timeoutLint.enable).';
  } else {
    item.text = params.errors + params.warnings > 0 ? `$(warning) timeout-lint ${params.errors + params.warnings}` : '$(check) timeout-lint';
    item.tooltip = `${counts}. Click to open the Problems view.`;
  }
}

/** Opens the rule's doc shipped in the extension (works offline) in the Markdown preview, else its URL. */
async function showDocumentation(context: vscode.ExtensionContext, ruleId: string | undefined, url: string | undefined): Promise<void> {
  if (ruleId === undefined) {
    // From the command palette: pick among the docs shipped with the extension.
    const docs = fs.readdirSync(context.asAbsolutePath('rules')).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3));
    ruleId = await vscode.window.showQuickPick(docs, { placeHolder: 'Rule to show the documentation of' });
    if (ruleId === undefined) return;
  }
  const shipped = /^[a-z0-9-]+$/.test(ruleId) ? context.asAbsolutePath(path.join('rules', `${ruleId}.md`)) : undefined;
  if (shipped && fs.existsSync(shipped)) {
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(shipped));
    return;
  }
  if (url && /^https?:/.test(url)) await vscode.env.openExternal(vscode.Uri.parse(url));
}

/** What the server's timeoutLint/suggestConfig request answers (server/src/lsp/suggest-config.ts). */
interface SuggestedConfig {
  configUri: string;
  exists: boolean;
  text: string;
  notes: string[];
}

/**
 * Writes timeout-lint.config.json from what the linter found (include prefixes, services' code
 * folders) and opens it; when the file exists, the suggestion opens beside it to merge by hand.
 */
async function createConfig(output: vscode.LogOutputChannel): Promise<void> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder = folders.length <= 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Workspace folder to write timeout-lint.config.json in' });
  if (!folder || !client) return;
  const suggestion = await client.sendRequest<SuggestedConfig | null>('timeoutLint/suggestConfig', { uri: folder.uri.toString() });
  if (!suggestion) return;
  for (const note of suggestion.notes) output.info(`suggested configuration: ${note}`);
  if (suggestion.exists) {
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: suggestion.text });
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.Beside);
    void vscode.window.showInformationMessage('timeout-lint.config.json exists already: the suggested settings are beside it, to merge by hand. The output channel says why each was chosen.');
    return;
  }
  const uri = vscode.Uri.parse(suggestion.configUri);
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(uri, { ignoreIfExists: true, contents: new TextEncoder().encode(suggestion.text) });
  if (!(await vscode.workspace.applyEdit(edit))) return;
  await vscode.window.showTextDocument(uri);
  void vscode.window.showInformationMessage(suggestion.notes.join(' '));
}

/** The one call-chain view: each Show call chain updates it (a new tab per click was the complaint). */
let chainPanel: vscode.WebviewPanel | undefined;

/** Shows the call chain of the route under the cursor (or the code lens's location) in a webview. */
async function showCallChain(uri: unknown, position: unknown): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const documentUri = typeof uri === 'string' ? uri : editor?.document.uri.toString();
  const at = isPosition(position) ? position : editor ? { line: editor.selection.active.line, character: editor.selection.active.character } : undefined;
  if (!client || !documentUri || !at) return;
  const chains = await client.sendRequest<RouteChain[]>('timeoutLint/routeChain', { textDocument: { uri: documentUri }, position: at });
  const title = `Call chain: ${chains[0]?.route ?? 'no route'}`;
  if (chainPanel) {
    chainPanel.title = title;
    chainPanel.reveal(chainPanel.viewColumn ?? vscode.ViewColumn.Beside, true);
  } else {
    chainPanel = vscode.window.createWebviewPanel('timeoutLint.callChain', title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: false,
      // Only the hop links' command: the page has no script of its own.
      enableCommandUris: [OPEN_HOP_COMMAND],
      localResourceRoots: [],
    });
    chainPanel.onDidDispose(() => {
      chainPanel = undefined;
    });
  }
  chainPanel.webview.html = callChainHtml(chains, nonce());
}

/** Opens the file of a hop at its range, in the editor column (not over the chain view). */
async function openHop(location: unknown): Promise<void> {
  if (!isHopLocation(location)) return;
  const { start, end } = location.range;
  const range = new vscode.Range(start.line, start.character, end.line, end.character);
  const column = vscode.window.visibleTextEditors.find((e) => e.viewColumn !== chainPanel?.viewColumn)?.viewColumn ?? vscode.ViewColumn.One;
  await vscode.window.showTextDocument(vscode.Uri.parse(location.uri), { selection: range, viewColumn: column });
}

function isHopLocation(value: unknown): value is HopLocation {
  const v = value as Partial<HopLocation> | undefined;
  return typeof v === 'object' && v !== null && typeof v.uri === 'string' && isPosition(v.range?.start) && isPosition(v.range?.end);
}

function isPosition(value: unknown): value is { line: number; character: number } {
  return typeof value === 'object' && value !== null && typeof (value as { line?: unknown }).line === 'number' && typeof (value as { character?: unknown }).character === 'number';
}

function nonce(): string {
  return randomBytes(16).toString('hex');
}

/** `1 error`, `2 errors`; "info" has no plural (`1 info`, `3 info`), as in the CLI's summary. */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 || noun === 'info' ? '' : 's'}`;
}
