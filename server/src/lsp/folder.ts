// One workspace folder: its root-confined file system, configuration, candidate files and lint queue.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { allRules } from '../../../rules/index.js';
import { CONFIG_FILE_NAME, loadConfigText, resolveConfig, type ResolvedConfig } from '../engine/config.js';
import { compileGlobs, kindByPath } from '../engine/inputs/nginx/detect.js';
import type { LintReport } from '../engine/report.js';
import type { Rule } from '../engine/rule.js';
import { lint, ParseCache } from '../engine/run.js';
import { INPUTS } from '../engine/inputs/index.js';
import { isTsSource } from '../engine/inputs/ts/select.js';
import { decodeText, splitBom } from '../engine/text.js';
import type { FileId, Finding } from '../engine/types.js';
import { OverlayFs, type WorkspaceFs } from '../engine/workspace-fs.js';
import { TOOL_VERSION } from '../engine/version.js';
import { discoverFiles } from '../host/discover.js';
import { NodeWorkspaceFs } from '../host/node-workspace-fs.js';
import { readConfigFile } from '../host/config-file.js';
import { CachedFs } from './cached-fs.js';
import { EntryQueue } from './entry-queue.js';
import { createModelCapture } from '../host/model-capture.js';
import { applySettings, type Settings } from './settings.js';
import { CHAIN_UNIT, compareEntries, filesToRepublish, isGroupKey, KUBERNETES_UNIT, TYPESCRIPT_UNIT, UnitIndex, type LintUnit } from './unit-index.js';
import { notAnalysedFinding, notAnalysedFindings, recordReads, startDeadline, tooSlowMessage } from './unit-budget.js';

/** How many budgets in a row a unit may use while it makes progress, before it is reported too slow anyway. */
const MAX_STOPPED_ATTEMPTS = 50;

/** A problem with the configuration: a config file problem has its place (1-based, as ConfigProblem), a settings problem none. */
export interface ConfigError {
  message: string;
  line?: number;
  column?: number;
}

export interface OpenDocument {
  uri: string;
  text: string;
  version: number;
  languageId: string;
}

export interface FolderHost {
  /** The open editor buffers that belong to this folder, by FileId. */
  openDocuments(folder: FolderState): Map<FileId, OpenDocument>;
  readonly rules: readonly Rule[];
  /** How long one lint() run may take before it is stopped (see unit-budget.ts). */
  readonly unitBudgetMs: number;
  /** A unit ran out of its budget or failed; `firstTime` is false while it keeps doing so on re-lints. */
  unitNotAnalysed(folder: FolderState, entry: FileId, message: string, firstTime: boolean): void;
  /** A lint() run finished (for the log: which unit, how long, what it read and found). */
  unitLinted?(folder: FolderState, unit: LintUnit, ms: number): void;
}

export class FolderState {
  readonly disk: NodeWorkspaceFs;
  readonly cache: CachedFs;
  readonly index = new UnitIndex();
  config: ResolvedConfig;
  /** Problems with the config file (at their line and column, 1-based) or the settings (no position); shown on the config file. */
  configErrors: ConfigError[] = [];
  candidates = new Set<FileId>();
  /**
   * True from a full re-lint until its queue drains. Meanwhile a fragment linted on its own may
   * still turn out to be included by an entry not linted yet, so only results of nginx.conf
   * entries and groups are published (see FolderDiagnostics.publishTouched).
   */
  indexing = false;
  /** Files whose diagnostics must be recomputed (and republished when they differ). */
  readonly touched = new Set<FileId>();
  private readonly queue = new EntryQueue();
  /**
   * The call-chain unit: every candidate, linted with the rules that read several inputs at once.
   * It lives outside the index (it reads every file, so it would cover every entry) and runs when
   * the per-file queue is empty, so an edit shows its per-file findings first.
   */
  chainUnit: LintUnit | undefined;
  /** True when something changed since the chain unit was linted. */
  private chainStale = false;
  /** Parsed YAML reused across runs while a file's text is unchanged, so a YAML edit re-parses one file. */
  private readonly parseCache = new ParseCache();
  private readonly uris = new Map<FileId, string>();
  /** Units stopped by their budget in a row, each having made progress (see LintUnit.progressed). */
  private readonly stoppedAttempts = new Map<FileId, number>();
  private nginxGlobs: ReturnType<typeof compileGlobs>;

  constructor(readonly uri: string, readonly root: string, private readonly host: FolderHost) {
    this.disk = new NodeWorkspaceFs(root);
    this.cache = new CachedFs(this.disk);
    this.config = resolveConfig(undefined, allRules).config;
  }

  /** The FileId of a document URI, or undefined when it is not a file inside this folder. */
  fileIdOf(uri: string): FileId | undefined {
    let fsPath: string;
    try {
      fsPath = fileURLToPath(uri);
    } catch {
      return undefined;
    }
    const id = this.disk.fileIdOf(fsPath);
    return id === '' ? undefined : id;
  }

  /** The URI of a file: the open document's own URI when it is open (clients compare URIs as strings). */
  uriOf(file: FileId): string {
    const open = this.host.openDocuments(this).get(file);
    if (open) return open.uri;
    let uri = this.uris.get(file);
    if (uri === undefined) {
      // path.join, not `${root}/${file}`: a folder at the file system root would give `//etc/…` (a UNC path on Windows).
      uri = pathToFileURL(path.join(this.root, ...file.split('/'))).toString();
      this.uris.set(file, uri);
    }
    return uri;
  }

  /** Reads the config file (through the confined fs) and applies the editor settings over it. */
  loadConfig(settings: Settings): void {
    const errors: ConfigError[] = [];
    // The same confined, bounded read as the CLI's: a symlink out of the root, a FIFO or a huge file is refused, never read.
    const read = readConfigFile({ fs: this.cache, file: CONFIG_FILE_NAME });
    if (read.status === 'refused') errors.push({ message: `cannot read ${CONFIG_FILE_NAME}: it ${read.reason}` });
    const resolved = loadConfigText(read.status === 'read' ? decodeText(read.bytes).text : undefined, allRules);
    errors.push(...resolved.problems);
    const applied = applySettings(resolved.config, settings, allRules);
    this.config = applied.config;
    this.nginxGlobs = compileGlobs(this.config.nginx.files);
    this.configErrors = [...errors, ...applied.errors.map((message) => ({ message }))];
  }

  /** Lists the files to lint: nginx and YAML files on disk (ignores applied) plus open buffers of those kinds. */
  discover(): void {
    const found = discoverFiles(this.cache, [''], discoveryIgnores(this.root, this.config.ignore)).files.filter((f) => this.isCandidateName(f));
    const open = [...this.host.openDocuments(this).keys()].filter((f) => this.isCandidateName(f));
    this.candidates = new Set([...found, ...open].sort(compareEntries));
  }

  /** Adds an opened document to the candidates when its name says it may be nginx (ignored or new files too). */
  discoverOpened(file: FileId): void {
    if (this.isCandidateName(file)) this.candidates.add(file);
  }

  /** Names lint() looks at: nginx by name or folder, YAML, TS/JS sources, and whatever an input of the registry claims by its name (HAProxy `.cfg`, Terraform, `.ebextensions`); lint() itself checks the content. */
  isCandidateName(file: FileId): boolean {
    return kindByPath(file, this.nginxGlobs) !== 'unknown' || isYaml(file) || isTsSource(file) || INPUTS.some((input) => input.claim(file, { config: this.config, explicit: false }) !== undefined);
  }

  /** The unit a candidate is linted in by the single-input rules: its own (nginx entries), the Kubernetes group or the TypeScript group. */
  groupOf(file: FileId): FileId {
    if (isTsSource(file)) return TYPESCRIPT_UNIT;
    return isYaml(file) ? KUBERNETES_UNIT : file;
  }

  /** Rules that read one kind of input (or each of theirs on its own): they run in the per-entry and group units. */
  private fileRules(): readonly Rule[] {
    return this.host.rules.filter((r) => r.inputs.length === 1 || r.perInput === true);
  }

  /** Rules that read several inputs at once (the call-chain rules): they run in the chain unit, unless the configuration turns them all off. */
  private chainRules(): readonly Rule[] {
    return this.host.rules.filter((r) => r.inputs.length > 1 && r.perInput !== true && (this.config.rules.get(r.id)?.severity ?? r.defaultSeverity) !== 'off');
  }

  private inputsOf(entry: FileId): FileId[] {
    if (entry !== KUBERNETES_UNIT && entry !== TYPESCRIPT_UNIT) return [entry];
    // Each edit of a manifest re-lints the Kubernetes group: its member list is kept until the
    // candidates change (discover() makes a new set; discoverOpened() only adds).
    let groups = this.groupMembers;
    if (!groups || groups.of !== this.candidates || groups.size !== this.candidates.size) {
      const all = [...this.candidates];
      groups = this.groupMembers = { of: this.candidates, size: this.candidates.size, yaml: all.filter(isYaml), ts: all.filter(isTsSource) };
    }
    return (entry === KUBERNETES_UNIT ? groups.yaml : groups.ts).slice();
  }

  private groupMembers: { of: Set<FileId>; size: number; yaml: readonly FileId[]; ts: readonly FileId[] } | undefined;

  /** True while an entry (or group) still has candidates to lint. */
  private isLive(entry: FileId): boolean {
    if (!isGroupKey(entry)) return this.candidates.has(entry) && this.groupOf(entry) === entry;
    // The first candidate of the group decides (asked for every unit after each edit: no list is built).
    const member = entry === KUBERNETES_UNIT ? isYaml : entry === TYPESCRIPT_UNIT ? isTsSource : undefined;
    if (!member) return this.groupOf(entry) === entry;
    for (const file of this.candidates) if (member(file)) return this.groupOf(file) === entry;
    return false;
  }

  /** Forgets every result (the folder was disabled: its diagnostics were cleared, so a re-enable must publish all again). */
  reset(): void {
    this.index.clear();
    this.chainUnit = undefined;
    this.chainStale = false;
    this.touched.clear();
    while (this.queue.take() !== undefined);
  }

  /** Re-lints everything (after a config change or a file was created or deleted), keeping old results until replaced. */
  relintAll(): void {
    this.indexing = true;
    this.chainStale = true;
    if (this.chainUnit && this.chainRules().length === 0) {
      // Every chain rule was turned off: its findings go, and their files are republished without them.
      for (const file of this.chainUnit.findings.keys()) this.touched.add(file);
      this.chainUnit = undefined;
    }
    this.settle();
    for (const unit of this.index.all()) this.queue.add(unit.entry);
    // Open documents first: their entries go to the front of the queue.
    this.queue.clearPriority();
    for (const file of this.host.openDocuments(this).keys()) this.prioritise(file);
  }

  /** True when some run read a file as an input (a lone `redis.conf` is a candidate by name, but no input takes it). */
  readsInputs(): boolean {
    return this.index.all().some((u) => u.texts.size > 0 && !u.notAnalysed) || (this.chainUnit?.texts.size ?? 0) > 0;
  }

  /** True when an nginx.conf entry read the file: its diagnostics cannot change by linting other entries first. */
  isReadByMainEntry(file: FileId): boolean {
    return this.index.unitsReading(file).some((u) => u.entry.endsWith('nginx.conf') || isGroupKey(u.entry));
  }

  /** True when creating or deleting `file` can change what is linted or what an include glob matches. */
  affectsStructure(file: FileId): boolean {
    if (this.isCandidateName(file) || this.index.isCovered(file)) return true;
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    return this.index.all().some((u) => [...u.texts.keys()].some((f) => f.startsWith(`${file}/`) || (f.startsWith(dir) && !f.slice(dir.length).includes('/'))));
  }

  /** An editor opened `file`: if the runs already read this very text, only their version stamps change. */
  documentOpened(file: FileId, text: string, version: number): void {
    const units = this.index.unitsReading(file);
    const current = splitBom(text).text;
    if (units.length > 0 && units.every((u) => u.texts.get(file) === current)) {
      for (const unit of units) unit.versions.set(file, version);
      this.touched.add(file);
      return;
    }
    this.fileChanged(file);
    this.prioritise(file);
  }

  /** The editor closed `file`: from now on the disk is its content. */
  documentClosed(file: FileId): void {
    const units = this.index.unitsReading(file);
    const disk = this.currentText(file);
    if (units.every((u) => u.texts.get(file) === disk)) {
      for (const unit of units) unit.versions.delete(file);
      this.touched.add(file);
      return;
    }
    this.fileChanged(file);
  }

  /** A file's content changed (buffer or disk): re-lint every entry that read it. */
  fileChanged(file: FileId): void {
    this.chainStale = true;
    for (const unit of this.index.unitsReading(file)) this.queue.add(unit.entry);
    if (this.candidates.has(file) && !this.index.isReadByOther(file)) this.queue.add(this.groupOf(file));
  }

  /** Lints these files' entries first (an opened document while indexing is still going on). */
  prioritise(file: FileId): void {
    const entries = this.index.unitsReading(file).map((u) => u.entry);
    // Not indexed yet: the nginx.conf files above it most likely include it.
    if (entries.length === 0 && this.groupOf(file) !== file) entries.push(this.groupOf(file));
    if (entries.length === 0) {
      for (let dir = file; dir.includes('/'); ) {
        dir = dir.slice(0, dir.lastIndexOf('/'));
        if (this.candidates.has(`${dir}/nginx.conf`) && !this.index.isCovered(`${dir}/nginx.conf`)) entries.push(`${dir}/nginx.conf`);
      }
      if (this.candidates.has('nginx.conf') && !this.index.isCovered('nginx.conf')) entries.push('nginx.conf');
      entries.push(file);
    }
    for (const entry of entries) this.queue.addFirst(entry);
  }

  hasWork(): boolean {
    return this.queue.size > 0 || this.chainPending();
  }

  queuedCount(): number {
    return this.queue.size + (this.chainPending() ? 1 : 0);
  }

  /** True when the per-file units are done and only the call chains are left to re-link. */
  onlyChainWorkLeft(): boolean {
    return this.queue.size === 0 && this.chainPending();
  }

  private chainPending(): boolean {
    return this.chainStale && this.chainRules().length > 0;
  }

  /** Lints the next queued entry worth linting. Returns false when the queue ran dry. */
  lintNext(): boolean {
    let entry: FileId | undefined;
    let known: LintUnit | undefined;
    let skipped = false;
    for (;;) {
      entry = this.queue.take();
      // Having skipped entries, come back: the chain unit waits for its quiet moment (Session.lintLoop).
      if (entry === undefined) return skipped || this.lintChainUnit();
      skipped = true;
      known = this.index.get(entry);
      // Skip a queued candidate that an entry linted meanwhile has read: it is not an entry.
      if (known || (this.isLive(entry) && !this.index.isReadByOther(entry))) break;
    }
    const unit = this.lintUnit(entry);
    if (unit.progressed) {
      // Stopped, with parsed files cached: the earlier results stay while it is tried again after the rest.
      this.queue.add(entry);
      return true;
    }
    for (const file of filesToRepublish(known, unit)) this.touched.add(file);
    this.index.set(unit);
    return true;
  }

  /** The stored units that read `file`, fresh or not (nothing is linted). */
  storedUnits(file: FileId): LintUnit[] {
    return this.index.unitsReading(file);
  }

  /**
   * True when the stored units that read `file` were linted with the buffer at `version` (or the
   * disk, for `undefined`), so freshUnits would lint nothing. A file no unit reads is fresh unless
   * one is due to be linted for it.
   */
  isFresh(file: FileId, version: number | undefined): boolean {
    const units = this.index.unitsReading(file);
    if (units.length === 0) return !this.candidates.has(file);
    return units.every((unit) => unit.versions.get(file) === version);
  }

  /**
   * The units that read `file`, re-linted now if they saw another version of it. With `store`
   * the new results replace the old ones (and get published); without, they are only returned,
   * so that hover in run-on-save mode does not refresh diagnostics behind the user's back.
   */
  freshUnits(file: FileId, store: boolean): LintUnit[] {
    const doc = this.host.openDocuments(this).get(file);
    let units = this.index.unitsReading(file);
    if (units.length === 0 && this.candidates.has(file)) units = [this.lintUnit(this.groupOf(file))];
    const result = units.map((unit) => (unit.versions.get(file) === doc?.version && this.index.get(unit.entry) === unit ? unit : this.lintUnit(unit.entry)));
    if (!store) return result;
    let changed = false;
    for (const unit of result) {
      if (this.index.get(unit.entry) === unit) continue;
      if (unit.progressed) {
        // Stopped half way: the lint loop tries it again (see lintNext).
        this.queue.add(unit.entry);
        continue;
      }
      changed = true;
      this.queue.delete(unit.entry);
      for (const f of filesToRepublish(this.index.get(unit.entry), unit)) this.touched.add(f);
      this.index.set(unit);
    }
    if (changed) this.settle();
    return result;
  }

  hasPriority(): boolean {
    return this.queue.hasPriority;
  }

  /** Brings the units in line with lint()'s choice of entries; queues files no entry covers. */
  settle(): void {
    const { dropped, uncovered } = this.index.reconcile(this.candidates, (entry) => this.isLive(entry));
    for (const unit of dropped) for (const file of unit.texts.keys()) this.touched.add(file);
    for (const file of uncovered) this.queue.add(this.groupOf(file));
  }

  /** Every finding in `file` with the unit it came from. */
  findingsFor(file: FileId): Array<{ finding: Finding; unit: LintUnit }> {
    return [...this.index.findingsFor(file), ...this.chainFindingsFor(file, this.index.unitsReading(file))];
  }

  /**
   * Lints the entries that read `file` as if some files had other texts: the `lintWith` that
   * fixToFixpoint needs, scoped to the chains the file takes part in.
   */
  lintWithFor(file: FileId): (overrides: ReadonlyMap<FileId, string>) => LintReport {
    const units = this.index.unitsReading(file);
    const files = units.length > 0 ? [...new Set(units.flatMap((u) => u.inputs))] : this.inputsOf(this.groupOf(file));
    return (overrides) => {
      const fs = new OverlayFs(this.overlay(), overrides);
      // A stopped run reports no findings, so fixing stops there too.
      const { shouldStop } = startDeadline(this.host.unitBudgetMs);
      return lint({ fs, files, explicitFiles: this.explicitFiles(), config: this.config, rules: this.host.rules, toolVersion: TOOL_VERSION, parseCache: this.parseCache, shouldStop });
    };
  }

  /** The current text of a file: the open buffer, else the disk (BOM stripped, as spans count). */
  currentText(file: FileId): string | undefined {
    const doc = this.host.openDocuments(this).get(file);
    if (doc) return splitBom(doc.text).text;
    const bytes = this.cache.readFile(file);
    return bytes ? decodeText(bytes).text : undefined;
  }

  /** Re-links the call chains of the whole folder when something changed; false when there was nothing to do. */
  private lintChainUnit(): boolean {
    if (!this.chainPending()) return false;
    this.chainStale = false;
    // The previous model is garbage once the new one exists; dropped now, the two are never alive at
    // once (its findings stay: they decide which files to republish).
    if (this.chainUnit?.workspace) this.chainUnit = { ...this.chainUnit, workspace: undefined };
    const unit = this.lintUnit(CHAIN_UNIT);
    if (unit.progressed) {
      // Stopped after parsing files the per-file units had not: tried again, with them cached.
      this.chainStale = true;
      return true;
    }
    for (const file of filesToRepublish(this.chainUnit, unit)) this.touched.add(file);
    this.chainUnit = unit;
    return true;
  }

  /** The chain unit's findings in `file`, unless it saw another text of the file than the per-file units did (it is then about to run again). */
  private chainFindingsFor(file: FileId, perFile: readonly LintUnit[]): Array<{ finding: Finding; unit: LintUnit }> {
    const unit = this.chainUnit;
    const findings = unit?.findings.get(file);
    if (!unit || !findings) return [];
    if (perFile.some((u) => u.texts.has(file) && u.texts.get(file) !== unit.texts.get(file))) return [];
    return findings.map((finding) => ({ finding, unit }));
  }

  /** Lints one entry; `narrow` may wrap the file system (the provisional first pass hides files). */
  lintUnit(entry: FileId, narrow?: (fs: WorkspaceFs) => WorkspaceFs, only?: readonly FileId[]): LintUnit {
    const started = performance.now();
    const unit = this.runUnit(entry, narrow, only);
    this.host.unitLinted?.(this, unit, performance.now() - started);
    return unit;
  }

  private runUnit(entry: FileId, narrow?: (fs: WorkspaceFs) => WorkspaceFs, only?: readonly FileId[]): LintUnit {
    const open = this.host.openDocuments(this);
    const capture = createModelCapture();
    const chain = entry === CHAIN_UNIT;
    const inputs = only ? [...only] : chain ? this.chainInputs() : this.inputsOf(entry);
    const rules = chain ? this.chainRules() : this.fileRules();
    const deadline = startDeadline(this.host.unitBudgetMs);
    const storedBefore = this.parseCache.resultsStored;
    const read = new Set<FileId>();
    let report: LintReport;
    try {
      report = lint({
        fs: recordReads(narrow ? narrow(this.overlay(open)) : this.overlay(open), read),
        files: inputs,
        explicitFiles: this.explicitFiles(open),
        config: this.config,
        rules: [...rules, capture.rule],
        toolVersion: TOOL_VERSION,
        parseCache: this.parseCache,
        shouldStop: deadline.shouldStop,
      });
    } catch (error) {
      // lint() promises never to throw, but a stack overflow (say, in a deeply nested input) can still
      // escape it. The unit then says so on its files and the loop goes on with the next one;
      // otherwise this entry would abort every later lint loop and the folder would go quiet.
      return this.unanalysedUnit(entry, inputs, read, open, `not analysed: the analysis failed (${error instanceof Error ? error.message : String(error)})`);
    }
    if (deadline.fired) {
      // Bounded: a unit whose every run stores something (a file rewritten all the time) is given up on at last.
      const attempts = (this.stoppedAttempts.get(entry) ?? 0) + 1;
      this.stoppedAttempts.set(entry, attempts);
      const progressed = this.parseCache.resultsStored > storedBefore && attempts < MAX_STOPPED_ATTEMPTS;
      if (!progressed) this.stoppedAttempts.delete(entry);
      return this.unanalysedUnit(entry, inputs, read, open, tooSlowMessage(entry, this.host.unitBudgetMs), progressed);
    }
    this.stoppedAttempts.delete(entry);
    const texts = new Map(report.files.map((f) => [f.file, f.text]));
    const findings = new Map<FileId, Finding[]>();
    const chainIds = chain ? new Set(rules.map((r) => r.id)) : undefined;
    for (const finding of report.findings) {
      // Parse problems and unreadable files are the per-file units' to report; the chain unit adds only its rules' findings (and their crashes).
      if (chainIds && !chainIds.has(finding.ruleId) && !(finding.ruleId === 'internal-error' && chainIds.has(String(finding.data.rule)))) continue;
      // A crash before any file was read is anchored at '' (lint's fallback): show it on the first input.
      const file = finding.span.file === '' ? (inputs[0] ?? '') : finding.span.file;
      if (file === '') continue;
      if (!findings.has(file)) findings.set(file, []);
      findings.get(file)!.push(file === finding.span.file ? finding : { ...finding, span: { file, start: 0, end: 0 } });
    }
    // Files lint() refused (over the size cap, binary): said where the user looks, on the file itself.
    if (!chain) {
      for (const finding of notAnalysedFindings(report, this.config)) {
        const file = finding.span.file;
        if (!inputs.includes(file) && !texts.has(file)) continue;
        if (!findings.has(file)) findings.set(file, []);
        findings.get(file)!.push(finding);
      }
    }
    const versions = new Map<FileId, number>();
    for (const [file, doc] of open) if (texts.has(file) || inputs.includes(file)) versions.set(file, doc.version);
    // The whole model is kept where the chain features read it: the chain unit (or every unit when no chain rule is on).
    const model = capture.model();
    const workspace = chain || this.chainRules().length === 0 ? model : undefined;
    return { entry, inputs, texts, findings, models: model?.nginx ?? [], ...(workspace ? { workspace } : {}), versions };
  }

  /**
   * The result of a unit that ran out of its budget or failed: no findings but one not-analysed
   * finding per input (and, for an nginx entry, per file it had read: its includes) saying why; the
   * chain unit's inputs are every file, so it tells the user in a message instead. It keeps the
   * texts of its open inputs (and of an nginx entry's files), so that the unit is linted again only
   * when one of them changes, not on every hover or reopening.
   */
  private unanalysedUnit(entry: FileId, inputs: FileId[], read: ReadonlySet<FileId>, open: Map<FileId, OpenDocument>, message: string, progressed = false): LintUnit {
    const previous = entry === CHAIN_UNIT ? this.chainUnit : this.index.get(entry);
    if (!progressed) this.host.unitNotAnalysed(this, entry, message, previous?.notAnalysed === undefined);
    const findings = new Map<FileId, Finding[]>();
    const texts = new Map<FileId, string>();
    const versions = new Map<FileId, number>();
    const files = isGroupKey(entry) ? inputs : [...new Set([...inputs, ...read])];
    for (const file of files) {
      const doc = open.get(file);
      if (doc) {
        texts.set(file, splitBom(doc.text).text);
        versions.set(file, doc.version);
      } else if (!isGroupKey(entry)) {
        const text = this.currentText(file);
        if (text !== undefined) texts.set(file, text);
        // An include that names a missing file was asked for, not read.
        else if (!inputs.includes(file)) continue;
      }
      const finding = entry === CHAIN_UNIT ? undefined : notAnalysedFinding(file, message, this.config);
      if (finding) findings.set(file, [finding]);
    }
    return { entry, inputs, texts, findings, models: [], versions, notAnalysed: message, ...(progressed ? { progressed: true as const } : {}) };
  }

  /**
   * Every candidate except those read only by units that were not analysed (too slow, failed):
   * the chain unit would stop at the same place, and a chain through them could not be right.
   * They come back when an edit lets their own unit finish.
   */
  private chainInputs(): FileId[] {
    return [...this.candidates].filter((file) => {
      const units = this.index.unitsReading(file);
      return units.length === 0 || units.some((u) => u.notAnalysed === undefined);
    });
  }

  private overlay(open = this.host.openDocuments(this)): OverlayFs {
    return new OverlayFs(this.cache, new Map([...open].map(([file, doc]) => [file, splitBom(doc.text).text])));
  }

  /** Open buffers the user marked as nginx count as nginx whatever their content (like named CLI files). */
  private explicitFiles(open = this.host.openDocuments(this)): Set<FileId> {
    return new Set([...open].filter(([, doc]) => doc.languageId === 'nginx').map(([file]) => file));
  }
}

/**
 * Kernel views that look like folders at the root of a Unix file system: no configuration lives
 * there, and walking them (hundreds of thousands of entries, files that never end) would keep a
 * folder opened at `/` from ever being analysed.
 */
const PSEUDO_FILE_SYSTEMS = ['/proc/', '/sys/', '/dev/', '/run/'];

/** The ignore patterns discovery applies in a folder: the configured ones, plus the kernel views when the folder is the file system root. */
export function discoveryIgnores(root: string, configured: readonly string[]): string[] {
  return path.parse(root).root === root ? [...configured, ...PSEUDO_FILE_SYSTEMS] : [...configured];
}

export function isYaml(file: FileId): boolean {
  // `/\.ya?ml$/i`, without a regular expression: asked of every candidate, often.
  const n = file.length;
  const last = file.charCodeAt(n - 1) | 0x20;
  const beforeLast = file.charCodeAt(n - 2) | 0x20;
  if (last !== 0x6c || beforeLast !== 0x6d) return false; // "ml"
  const y = file.charCodeAt(n - 3) | 0x20;
  if (y === 0x79) return file.charCodeAt(n - 4) === 0x2e; // ".yml"
  return y === 0x61 && (file.charCodeAt(n - 4) | 0x20) === 0x79 && file.charCodeAt(n - 5) === 0x2e; // ".yaml"
}
