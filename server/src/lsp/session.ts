// The server's state: workspace folders, open documents, settings, the debounced lint loop and diagnostics publishing.
import { fileURLToPath } from 'node:url';
import { CodeLensRefreshRequest, FileChangeType, MessageType, type CancellationToken, ShowMessageNotification, type Connection, type FileEvent, type InitializeParams, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAME } from '../engine/config.js';
import type { Rule } from '../engine/rule.js';
import type { FileId } from '../engine/types.js';
import { FolderState, type FolderHost, type OpenDocument } from './folder.js';
import { FolderDiagnostics } from './folder-diagnostics.js';
import { IndexingProgress, STATUS_NOTIFICATION, type StatusParams } from './progress.js';
import { Publisher } from './publisher.js';
import { Scheduler } from './scheduler.js';
import { DEFAULT_SETTINGS, normalizeSettings, SETTINGS_SECTION, type Settings } from './settings.js';
import { collectGarbage } from './memory.js';
import { countsOf, millis, ServerLog, unitLabel, type TraceLevel } from './log.js';
import { MessageTraffic } from './message-traffic.js';
import { chainQuietMs, editQuietMs } from './quiet-times.js';
import { CHAIN_UNIT, type LintUnit } from './unit-index.js';
import { TOOL_VERSION } from '../engine/version.js';

export interface SessionOptions {
  rules: readonly Rule[];
  /** Quiet time after the last keystroke before re-linting (run: onType). */
  debounceMs: number;
  /** How long one lint unit may run before it is stopped and reported as not analysed. */
  unitBudgetMs: number;
  /** Link rule ids in diagnostics to this client command (offline docs) rather than to the online docs. */
  docsCommand?: string;
  /** The client messages read and not yet answered: the lint loop lets them out between units. */
  traffic?: MessageTraffic;
}

/** Where a document lives: its folder and FileId. */
export interface Located {
  folder: FolderState;
  file: FileId;
}

export class Session implements FolderHost {
  readonly folders: FolderState[] = [];
  readonly publisher: Publisher;
  readonly rules: readonly Rule[];
  readonly unitBudgetMs: number;
  readonly relatedInformation: boolean;
  private readonly settings = new Map<FolderState, Settings>();
  private readonly scheduler: Scheduler;
  private readonly progress: IndexingProgress;
  private readonly justOpened = new Set<string>();
  private readonly located = new Map<string, Located | null>();
  private readonly diagnostics: FolderDiagnostics;
  /** Requests waiting for the lint loop to catch up with a document (see untilFresh). */
  private readonly freshWaiters = new Set<() => void>();
  private lensRefresh: NodeJS.Timeout | undefined;
  /** Folders being indexed since a (re)load: when it started, and its lint runs so far (for the log). */
  private readonly indexing = new Map<FolderState, { started: number; runs: number; lintMs: number }>();
  readonly log: ServerLog;
  /** How long each unit's last lint run took, per folder: the debounce after an edit grows with it. */
  private readonly lintCostMs = new WeakMap<FolderState, Map<FileId, number>>();
  private ready = false;
  /** Lets the client messages that arrived during a unit out before the next unit starts. */
  private readonly traffic: MessageTraffic;

  constructor(
    private readonly connection: Connection,
    readonly documents: TextDocuments<TextDocument>,
    readonly params: InitializeParams,
    private readonly options: SessionOptions,
  ) {
    this.rules = options.rules;
    this.traffic = options.traffic ?? new MessageTraffic();
    this.log = new ServerLog(connection.console, () => this.traceLevel());
    this.unitBudgetMs = options.unitBudgetMs;
    this.publisher = new Publisher(connection);
    this.relatedInformation = params.capabilities.textDocument?.publishDiagnostics?.relatedInformation === true;
    this.diagnostics = new FolderDiagnostics(this.publisher, this.relatedInformation, (uri) => this.locate(uri)?.folder, (folder) => this.settingsOf(folder).maxDiagnosticsPerFile, options.docsCommand);
    this.progress = new IndexingProgress(connection, params.capabilities.window?.workDoneProgress === true);
    this.scheduler = new Scheduler((cancelled, pause) => this.lintLoop(cancelled, pause), (error) => this.logError('lint loop', error));
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    for (const folder of folders) this.addFolder(folder.uri);
  }

  /** After `initialized`: read settings and config, list the files, start indexing. */
  async start(): Promise<void> {
    await this.refreshSettings();
    this.log.info(`timeout-lint ${TOOL_VERSION} language server started (node ${process.version}, ${this.rules.length} rules); ` +
      `workspace folders: ${this.folders.map((f) => f.root).join(', ') || 'none'}`);
    this.ready = true;
    this.reloadFolders(this.folders);
  }

  // --- FolderHost -----------------------------------------------------------------------------

  openDocuments(folder: FolderState): Map<FileId, OpenDocument> {
    const open = new Map<FileId, OpenDocument>();
    for (const doc of this.documents.all()) {
      const located = this.locate(doc.uri);
      if (located?.folder === folder) open.set(located.file, { uri: doc.uri, text: doc.getText(), version: doc.version, languageId: doc.languageId });
    }
    return open;
  }

  unitLinted(folder: FolderState, unit: LintUnit, ms: number): void {
    let costs = this.lintCostMs.get(folder);
    if (!costs) this.lintCostMs.set(folder, (costs = new Map()));
    costs.set(unit.entry, ms);
    const stats = this.indexing.get(folder);
    if (stats) {
      stats.runs++;
      stats.lintMs += ms;
    }
    const findings = [...unit.findings.values()].reduce((sum, list) => sum + list.length, 0);
    this.log.verbose(`linted ${unitLabel(unit.entry)} in ${millis(ms)}: ${unit.texts.size} files read, ${findings} findings${unit.notAnalysed ? ` (not analysed: ${unit.notAnalysed})` : ''}`);
  }

  unitNotAnalysed(folder: FolderState, entry: FileId, message: string, firstTime: boolean): void {
    this.log.warn(`timeout-lint: ${folder.uri}: ${message}`);
    // Per-file units say it in a diagnostic on each of their files; the chain unit has no file of its own.
    // A notification: showWarningMessage would send a request and wait for a click that means nothing here.
    if (entry === CHAIN_UNIT && firstTime) void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `timeout-lint: ${message}` });
  }

  // --- lookups ----------------------------------------------------------------------------------

  /** The innermost workspace folder that holds a document, with its FileId. */
  locate(uri: string): Located | undefined {
    if (this.located.has(uri)) return this.located.get(uri) ?? undefined;
    let best: Located | undefined;
    for (const folder of this.folders) {
      const file = folder.fileIdOf(uri);
      if (file !== undefined && (!best || folder.root.length > best.folder.root.length)) best = { folder, file };
    }
    // Bounded: only document URIs and watched-file URIs get here, and the map is reset with the folders.
    if (this.located.size > 10_000) this.located.clear();
    this.located.set(uri, best ?? null);
    return best;
  }

  /**
   * Resolves once the lint loop has linted the document at `version` (a function: the version it
   * has when asked, so a wait outlives later edits) (or after `maxMs`, or on
   * cancellation), so a request about the current text shares the debounced run instead of
   * linting on its own after every keystroke.
   */
  untilFresh(located: Located, version: number | undefined | (() => number | undefined), maxMs: number, token?: CancellationToken): Promise<void> {
    const fresh = () => located.folder.isFresh(located.file, typeof version === 'function' ? version() : version);
    if (fresh() || token?.isCancellationRequested) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.freshWaiters.delete(check);
        cancellation?.dispose();
        resolve();
      };
      const check = () => {
        if (fresh()) done();
      };
      const timer = setTimeout(done, maxMs);
      const cancellation = token?.onCancellationRequested(done);
      this.freshWaiters.add(check);
    });
  }

  settingsOf(folder: FolderState): Settings {
    return this.settings.get(folder) ?? DEFAULT_SETTINGS;
  }

  // --- events -----------------------------------------------------------------------------------

  documentOpened(doc: TextDocument): void {
    this.justOpened.add(doc.uri);
    const located = this.locate(doc.uri);
    if (!located || !this.settingsOf(located.folder).enable) return;
    if (!located.folder.candidates.has(located.file)) located.folder.discoverOpened(located.file);
    if (this.ready && located.folder.indexing && !located.folder.index.isCovered(located.file)) {
      // On the next turn: diagnostics already queued for another opened document go out first.
      const { folder, file } = located;
      setImmediate(() => {
        if (folder.indexing && !folder.index.isCovered(file) && this.openDocuments(folder).has(file)) this.diagnostics.publishProvisional(folder, file);
      });
    }
    located.folder.documentOpened(located.file, doc.getText(), doc.version);
    this.scheduler.schedule(0);
  }

  documentChanged(doc: TextDocument): void {
    // TextDocuments reports the opening as a change too; the open handler has dealt with it.
    if (this.justOpened.delete(doc.uri)) return;
    const located = this.locate(doc.uri);
    if (!located || this.settingsOf(located.folder).run !== 'onType') return;
    located.folder.fileChanged(located.file);
    this.scheduler.schedule(this.editDebounceMs(located));
  }

  /** The quiet time after a keystroke (quiet-times.ts): as long as the last run of the units reading the file took. */
  private editDebounceMs(located: Located): number {
    const costs = this.lintCostMs.get(located.folder);
    const cost = Math.max(0, ...located.folder.storedUnits(located.file).map((u) => costs?.get(u.entry) ?? 0));
    return editQuietMs(cost, this.options.debounceMs);
  }

  documentSaved(doc: TextDocument): void {
    const located = this.locate(doc.uri);
    if (!located) return;
    located.folder.cache.invalidate(located.file, false);
    if (located.file === CONFIG_FILE_NAME) return this.reloadFolders([located.folder]);
    if (this.settingsOf(located.folder).run === 'onSave') {
      located.folder.fileChanged(located.file);
      this.scheduler.schedule(0);
    }
  }

  documentClosed(doc: TextDocument): void {
    this.justOpened.delete(doc.uri);
    const located = this.locate(doc.uri);
    if (!located) return;
    located.folder.documentClosed(located.file);
    this.scheduler.schedule(0);
  }

  /** Client-registered file watchers: the disk changed under the cache. */
  filesChanged(changes: FileEvent[]): void {
    const reload = new Set<FolderState>();
    const restructure = new Set<FolderState>();
    for (const change of changes) {
      const located = this.locate(change.uri);
      if (!located) continue;
      const { folder, file } = located;
      const structural = change.type !== FileChangeType.Changed;
      folder.cache.invalidate(file, structural);
      if (file === CONFIG_FILE_NAME || file === '.gitignore' || file.endsWith('/.gitignore')) reload.add(folder);
      else if (structural) {
        if (folder.affectsStructure(file)) restructure.add(folder);
      } else if (!this.documents.get(change.uri)) folder.fileChanged(file);
    }
    this.reloadFolders([...reload]);
    for (const folder of restructure) {
      if (reload.has(folder)) continue;
      folder.discover();
      folder.relintAll();
    }
    this.scheduler.schedule(this.options.debounceMs);
  }

  async settingsChanged(): Promise<void> {
    await this.refreshSettings();
    this.reloadFolders(this.folders);
  }

  workspaceFoldersChanged(added: string[], removed: string[]): void {
    this.located.clear();
    for (const uri of removed) {
      const index = this.folders.findIndex((f) => f.uri === uri);
      if (index < 0) continue;
      const [folder] = this.folders.splice(index, 1);
      this.publisher.clearUnder(folderUriPrefix(folder!));
    }
    const fresh = added.map((uri) => this.addFolder(uri)).filter((f): f is FolderState => f !== undefined);
    void this.refreshSettings().then(() => this.reloadFolders(fresh));
  }

  // --- the lint loop ------------------------------------------------------------------------------

  /**
   * Lints queued entries one at a time, yielding to the message loop in between, so that a new
   * edit, a hover or a just-opened document is served while a big workspace is being indexed.
   * A newer edit cancels the rest of this run (the queue keeps it) and restarts after the debounce.
   */
  private async lintLoop(cancelled: () => boolean, pause: (ms: number) => Promise<void>): Promise<void> {
    if (!this.ready) return;
    let lastPublish = Date.now();
    for (;;) {
      const folder = this.folders.find((f) => this.settingsOf(f).enable && f.hasWork());
      if (!folder) {
        this.publishTouched();
        this.logIndexed();
        if (this.folders.some((f) => this.settingsOf(f).enable && f.hasWork())) continue;
        break;
      }
      if (folder.onlyChainWorkLeft()) {
        // Per-file findings go out first; a folder whose chains take long to re-link waits until the
        // user pauses typing (a newer edit cancels the wait and the queue keeps it).
        this.publishTouched();
        lastPublish = Date.now();
        const quiet = chainQuietMs(this.lintCostMs.get(folder)?.get(CHAIN_UNIT));
        if (quiet > 0) {
          await pause(quiet);
          if (cancelled()) return;
        }
      }
      const wasPriority = folder.hasPriority();
      const relinking = folder.onlyChainWorkLeft();
      folder.lintNext();
      this.wakeFreshWaiters();
      // Re-linking allocates a whole workspace model; the previous one just became garbage. The
      // re-linked findings go out first: the full collection (tens to hundreds of milliseconds on a
      // big workspace) then runs while the server is idle, not between the user and the findings.
      if (relinking) {
        this.publishTouched();
        lastPublish = Date.now();
        collectGarbage();
        // Chain lenses follow the re-linked chains; the editor asks for lenses itself only after an edit.
        this.refreshLensesSoon();
      }
      this.progress.report(this.queued());
      // Publish at once for a document the user just opened, and every quarter second while indexing.
      if ((wasPriority && !folder.hasPriority()) || Date.now() - lastPublish > 250) {
        this.publishTouched();
        lastPublish = Date.now();
      }
      await this.traffic.settle();
      if (cancelled()) return;
    }
    // publishTouched above has just sent the final (idle) status.
    this.progress.end();
  }

  /** Recomputes and publishes the diagnostics of every file some run touched (open or closed). */
  publishTouched(): void {
    for (const folder of this.folders) {
      if (this.settingsOf(folder).enable) this.diagnostics.publishTouched(folder);
      else folder.touched.clear();
    }
    this.wakeFreshWaiters();
    this.sendStatus();
  }

  private wakeFreshWaiters(): void {
    for (const check of [...this.freshWaiters]) check();
  }

  get lensRefreshSupported(): boolean {
    return this.params.capabilities.workspace?.codeLens?.refreshSupport === true;
  }

  /** workspace/codeLens/refresh, once per burst of re-links, for clients that support it. */
  refreshLensesSoon(): void {
    if (!this.lensRefreshSupported || this.lensRefresh) return;
    this.lensRefresh = setTimeout(() => {
      this.lensRefresh = undefined;
      this.connection.sendRequest(CodeLensRefreshRequest.type).catch((error: unknown) => this.logError('codeLens/refresh', error));
    }, 100);
  }

  sendStatus(): void {
    const enabled = this.folders.some((f) => this.settingsOf(f).enable);
    const status: StatusParams = {
      state: !enabled && this.folders.length > 0 ? 'disabled' : this.queued() > 0 ? 'indexing' : 'idle',
      queued: this.queued(),
      inputs: this.folders.some((f) => this.settingsOf(f).enable && f.readsInputs()),
      ...this.publisher.totals(),
    };
    void this.connection.sendNotification(STATUS_NOTIFICATION, status);
  }

  logError(what: string, error: unknown): void {
    this.log.error(`timeout-lint: ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }

  /** The most detailed trace any folder asks for (the setting is window-wide in VS Code). */
  private traceLevel(): TraceLevel {
    const levels = this.folders.map((f) => this.settingsOf(f).traceServer);
    return levels.includes('verbose') ? 'verbose' : levels.includes('messages') ? 'messages' : 'off';
  }

  /** One line per folder whose indexing pass has just finished. */
  private logIndexed(): void {
    for (const [folder, stats] of [...this.indexing]) {
      if (folder.hasWork()) continue;
      this.indexing.delete(folder);
      const units = folder.index.all().length + (folder.chainUnit ? 1 : 0);
      this.log.info(`indexed ${folder.root}: ${folder.candidates.size} candidate files, ${units} lint units (${stats.runs} runs, ${millis(stats.lintMs)} linting) in ${millis(Date.now() - stats.started)}; ` +
        `${countsOf(this.publisher.totalsUnder(folderUriPrefix(folder)))}`);
    }
  }

  // --- helpers ----------------------------------------------------------------------------------

  private queued(): number {
    return this.folders.reduce((sum, f) => sum + (this.settingsOf(f).enable ? f.queuedCount() : 0), 0);
  }

  private addFolder(uri: string): FolderState | undefined {
    try {
      const folder = new FolderState(uri, fileURLToPath(uri), this);
      this.folders.push(folder);
      return folder;
    } catch (error) {
      // A folder that is not on disk (a virtual file system) cannot be read; the rest still works.
      this.logError(`opening workspace folder ${uri}`, error);
      return undefined;
    }
  }

  private reloadFolders(folders: FolderState[]): void {
    if (!this.ready) return;
    for (const folder of folders) {
      if (!this.settingsOf(folder).enable) {
        folder.reset();
        this.publisher.clearUnder(folderUriPrefix(folder));
        continue;
      }
      folder.loadConfig(this.settingsOf(folder));
      this.indexing.set(folder, { started: Date.now(), runs: 0, lintMs: 0 });
      for (const error of folder.configErrors) {
        this.log.warn(`configuration: ${error.line !== undefined ? `${CONFIG_FILE_NAME}:${error.line}:${error.column ?? 1}: ` : ''}${error.message}`);
      }
      // Before listing thousands of files: answer the documents the user is looking at.
      if (folder.index.all().length === 0) {
        for (const file of this.openDocuments(folder).keys()) this.diagnostics.publishProvisional(folder, file);
      }
      folder.discover();
      folder.relintAll();
    }
    this.progress.begin(this.queued());
    this.sendStatus();
    this.scheduler.schedule(0);
  }

  private async refreshSettings(): Promise<void> {
    const pull = this.params.capabilities.workspace?.configuration === true;
    const fallback = (this.params.initializationOptions as { settings?: unknown } | undefined)?.settings;
    for (const folder of this.folders) {
      let raw: unknown = fallback;
      if (pull) {
        try {
          raw = await this.connection.workspace.getConfiguration({ scopeUri: folder.uri, section: SETTINGS_SECTION });
        } catch (error) {
          this.logError('reading settings', error);
        }
      }
      this.settings.set(folder, normalizeSettings(raw));
    }
  }
}

function folderUriPrefix(folder: FolderState): string {
  return folder.uri.endsWith('/') ? folder.uri : `${folder.uri}/`;
}
