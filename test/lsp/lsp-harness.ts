// A minimal LSP client for tests: spawns the bundled server over real stdio and awaits its notifications.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const CLI = path.resolve(__dirname, '../../dist/cli.js');

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface TextEdit {
  range: Range;
  newText: string;
}
export interface Diagnostic {
  range: Range;
  severity?: number;
  code?: string;
  source?: string;
  message: string;
  relatedInformation?: Array<{ location: { uri: string; range: Range }; message: string }>;
  data?: { ruleId: string; version: number | null; fixes: unknown[] };
}
export interface WorkspaceEdit {
  changes?: Record<string, TextEdit[]>;
  documentChanges?: Array<{ textDocument: { uri: string; version: number | null }; edits: TextEdit[] }>;
}
export interface CodeAction {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  edit?: WorkspaceEdit;
  command?: { command: string; arguments?: unknown[] };
  data?: unknown;
}

/** How long a wait may take before the test fails with the last state seen (a guard, not a sleep). */
const WAIT_LIMIT_MS = 15_000;

/** Copies a workspace to a fresh temporary folder, so nothing a test does reaches the repository. */
export function copyWorkspace(source: string): string {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'timeout-lint-lsp-'));
  fs.cpSync(source, target, { recursive: true });
  return fs.realpathSync(target);
}

export class LspTestClient {
  readonly connection: MessageConnection;
  private readonly process: ChildProcess;
  private readonly diagnostics = new Map<string, Diagnostic[]>();
  private readonly waiters = new Set<() => void>();
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  readonly stderr: string[] = [];
  readonly logs: string[] = [];
  /** window/showMessage notifications, in order. */
  readonly shown: Array<{ type: number; message: string }> = [];
  /** What the client answers to workspace/configuration (the `timeoutLint` section). */
  settings: Record<string, unknown> = {};
  /** workspace/codeLens/refresh requests received. */
  lensRefreshes = 0;
  private readonly exited: Promise<unknown>;

  constructor(readonly root: string, env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []) {
    this.process = spawn(process.execPath, [...nodeArgs, CLI, 'lsp', '--stdio'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.stderr!.on('data', (chunk) => this.stderr.push(String(chunk)));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: Diagnostic[] }) => {
      this.diagnostics.set(params.uri, params.diagnostics);
      for (const wake of [...this.waiters]) wake();
    });
    this.connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
    });
    this.connection.onNotification('window/showMessage', (params: { type: number; message: string }) => {
      this.shown.push(params);
    });
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('workspace/codeLens/refresh', () => {
      this.lensRefreshes++;
      return null;
    });
    this.connection.listen();
  }

  uri(file: string): string {
    return pathToFileURL(path.join(this.root, file)).toString();
  }

  /**
   * `initializationOptions` are added to the test default (a 20 ms debounce); `extra` adds
   * client capabilities (`textDocument` and `workspace` entries) to the defaults.
   */
  async initialize(initializationOptions: Record<string, unknown> = {}, extra: { textDocument?: Record<string, unknown>; workspace?: Record<string, unknown> } = {}): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(this.root).toString(),
      workspaceFolders: [{ uri: pathToFileURL(this.root).toString(), name: 'workspace' }],
      initializationOptions: { debounceMs: 20, ...initializationOptions },
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceEdit: { documentChanges: true }, ...extra.workspace },
        window: { workDoneProgress: true },
        textDocument: {
          publishDiagnostics: { relatedInformation: true },
          codeAction: { resolveSupport: { properties: ['edit'] }, codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } },
          hover: { contentFormat: ['markdown'] },
          ...extra.textDocument,
        },
      },
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** Sends textDocument/hover at the first occurrence of `needle` in `file` (as the server has it open). */
  hover(file: string, needle: string): Promise<{ contents: { value: string } } | null> {
    const lines = this.openText(file).split('\n');
    const line = lines.findIndex((l) => l.includes(needle));
    if (line < 0) throw new Error(`${needle} is not in ${file}`);
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri: this.uri(file) }, position: { line, character: lines[line]!.indexOf(needle) + 1 } });
  }

  async open(file: string): Promise<string> {
    const text = fs.readFileSync(path.join(this.root, file), 'utf8');
    this.versions.set(file, 1);
    this.texts.set(file, text);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: this.uri(file), languageId: 'nginx', version: 1, text } });
    return text;
  }

  /** Replaces the whole text of an open document; returns the new version. */
  async change(file: string, text: string): Promise<number> {
    const version = (this.versions.get(file) ?? 0) + 1;
    this.versions.set(file, version);
    this.texts.set(file, text);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: this.uri(file), version }, contentChanges: [{ text }] });
    return version;
  }

  /** The text of an open document as the server has it (after didOpen and didChange). */
  openText(file: string): string {
    const text = this.texts.get(file);
    if (text === undefined) throw new Error(`${file} is not open`);
    return text;
  }

  version(file: string): number | undefined {
    return this.versions.get(file);
  }

  latest(file: string): Diagnostic[] | undefined {
    return this.diagnostics.get(this.uri(file));
  }

  /** Resolves with the diagnostics of `file` as soon as they satisfy `accept` (now or after a later publish). */
  waitForDiagnostics(file: string, accept: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const uri = this.uri(file);
    return new Promise((resolve, reject) => {
      const check = () => {
        const current = this.diagnostics.get(uri);
        if (current && accept(current)) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve(current);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching diagnostics for ${file}; last: ${JSON.stringify(this.diagnostics.get(uri)?.map((d) => `${d.code}: ${d.message}`))}\nstderr: ${this.stderr.join('')}\nlog: ${this.logs.join('\n')}`));
      }, WAIT_LIMIT_MS);
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves once `check()` holds (polled every 20 ms); fails with `what` after the wait limit. */
  async waitUntil(what: string, check: () => boolean): Promise<void> {
    const started = Date.now();
    while (!check()) {
      if (Date.now() - started > WAIT_LIMIT_MS) throw new Error(`gave up waiting until ${what}\nstderr: ${this.stderr.join('')}\nlog: ${this.logs.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async shutdown(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // The process may already be gone; the kill below makes sure.
    }
    const killer = setTimeout(() => this.process.kill(), 2000);
    await this.exited;
    clearTimeout(killer);
    this.connection.dispose();
  }
}

/** Applies LSP text edits (non-overlapping, any order) to a text. */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: Position) => Math.min((lineStarts[p.line] ?? text.length) + p.character, text.length);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}

/** The edits a WorkspaceEdit makes to one document. */
export function editsFor(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  if (!edit) return [];
  if (edit.documentChanges) return edit.documentChanges.filter((c) => c.textDocument.uri === uri).flatMap((c) => c.edits);
  return edit.changes?.[uri] ?? [];
}
