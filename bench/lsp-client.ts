// A minimal LSP client for the benchmark: spawns the bundled server over stdio and timestamps its diagnostics.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

interface Diagnostic {
  code?: string;
  data?: { version: number | null };
}

export class BenchLspClient {
  readonly connection: MessageConnection;
  private readonly process: ChildProcess;
  private readonly waiters = new Set<() => void>();
  private readonly latest = new Map<string, { at: number; diagnostics: Diagnostic[] }>();
  private readonly versions = new Map<string, number>();
  readonly exited: Promise<unknown>;
  /** When the server first reported idle after indexing. */
  idleAt: number | undefined;
  /** When the server last reported that it has nothing left to do (after an edit: the call chains are re-linked). */
  lastIdleAt: number | undefined;
  lastBusyAt: number | undefined;
  private sawIndexing = false;
  readonly stderr: string[] = [];

  constructor(readonly root: string, cli: string, env: NodeJS.ProcessEnv, nodeArgs: string[]) {
    this.process = spawn(process.execPath, [...nodeArgs, cli, 'lsp', '--stdio'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.stderr!.on('data', (chunk) => this.stderr.push(String(chunk)));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: Diagnostic[] }) => {
      this.latest.set(params.uri, { at: performance.now(), diagnostics: params.diagnostics });
      for (const wake of [...this.waiters]) wake();
    });
    this.connection.onNotification('timeoutLint/status', (params: { state: string }) => {
      if (params.state === 'indexing') this.sawIndexing = true;
      if (params.state === 'idle' && this.sawIndexing && this.idleAt === undefined) this.idleAt = performance.now();
      if (params.state === 'idle') this.lastIdleAt = performance.now();
      else this.lastBusyAt = performance.now();
      for (const wake of [...this.waiters]) wake();
    });
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('$/progress', () => undefined);
    this.connection.listen();
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  uri(file: string): string {
    return pathToFileURL(path.join(this.root, file)).toString();
  }

  /** `beforeInitialized` runs between the initialize answer and the initialized notification (the server starts indexing on the latter). */
  async initialize(debounceMs: number, beforeInitialized?: () => Promise<void>): Promise<void> {
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(this.root).toString(),
      workspaceFolders: [{ uri: pathToFileURL(this.root).toString(), name: 'bench' }],
      initializationOptions: { debounceMs },
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { relatedInformation: true } },
      },
    });
    await beforeInitialized?.();
    await this.connection.sendNotification('initialized', {});
  }

  async open(file: string, text: string, languageId: string): Promise<void> {
    this.versions.set(file, 1);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: this.uri(file), languageId, version: 1, text } });
  }

  async change(file: string, text: string): Promise<number> {
    const version = (this.versions.get(file) ?? 0) + 1;
    this.versions.set(file, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: this.uri(file), version }, contentChanges: [{ text }] });
    return version;
  }

  /** Resolves with the time diagnostics of `file` stamped with `version` arrived (non-empty ones carry it in data). */
  waitForVersion(file: string, version: number, limitMs: number): Promise<number> {
    const uri = this.uri(file);
    return this.waitFor(() => {
      const got = this.latest.get(uri);
      return got && got.diagnostics.length > 0 && got.diagnostics.every((d) => d.data?.version === version) ? got.at : undefined;
    }, limitMs, `diagnostics of ${file} v${version}`);
  }

  /** The first idle status that follows a busy one after `since`: every unit the edit queued, the chain unit included, is done. */
  waitForIdleAfter(since: number, limitMs: number): Promise<number> {
    const done = () => this.lastBusyAt !== undefined && this.lastBusyAt > since && this.lastIdleAt !== undefined && this.lastIdleAt > this.lastBusyAt;
    return this.waitFor(() => (done() ? this.lastIdleAt : undefined), limitMs, 'idle status after an edit');
  }

  waitForIdle(limitMs: number): Promise<number> {
    return this.waitFor(() => this.idleAt, limitMs, 'idle status');
  }

  private waitFor(probe: () => number | undefined, limitMs: number, what: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const at = probe();
        if (at === undefined) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(at);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}\n${this.stderr.join('').slice(-2000)}`));
      }, limitMs);
      this.waiters.add(check);
      check();
    });
  }

  async shutdown(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // The process may already be gone; the kill below makes sure.
    }
    const killer = setTimeout(() => this.process.kill(), 5000);
    await this.exited;
    clearTimeout(killer);
    this.connection.dispose();
  }
}
