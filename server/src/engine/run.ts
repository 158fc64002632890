// The lint runner: read files through the WorkspaceFs, parse, build the model, run rules, collect findings.
import type { ResolvedConfig } from './config.js';
import { linkedChains, linkTimeOf } from './chain/chains.js';
import { ENGINE_DIAGNOSTICS, engineDiagnostic } from './engine-diagnostics.js';
import { engineMessage } from './headline.js';
import { INPUTS, recordInputs } from './inputs/index.js';
import type { ClaimContext, DerivedSource, Input, InputReader, ReadContext } from './inputs/input.js';
import { ParseCache } from './parse-cache.js';
import type { InputModels, SourceText, WorkspaceModel } from './workspace-model.js';
import { capFindings, findingGroupKey, MAX_FINDINGS_PER_FILE_AND_RULE, type LeftOutCount, type LintedFile, type LintReport, type NotAnalysed, type RuleMeta } from './report.js';
import { renderMessage, type ReportDescriptor, type Rule } from './rule.js';
import { LintStopped, rethrowStop, StopCheck, STOPPED_REASON, withStopCheck } from './run-deadline.js';
import { applySuppressions } from './run-suppressions.js';
import { decodeTextOnce, type DecodedText } from './text.js';
import { parseYamlFile, type YamlFile } from './yaml/file.js';
import type { FileId, Finding, Fix, MessageData, Problem, Related, Severity, Span } from './types.js';
import { joinFileId, readFileBounded, type BoundedRead, type FileStat, type WorkspaceFs } from './workspace-fs.js';

export { ParseCache } from './parse-cache.js';
export { STOPPED_REASON } from './run-deadline.js';

export interface LintOptions {
  fs: WorkspaceFs;
  /** Candidate files (discovered by a front end, ignores already applied). */
  files: readonly FileId[];
  /** Files the user named explicitly: a `.conf` among them is nginx whatever its content. */
  explicitFiles?: ReadonlySet<FileId>;
  config: ResolvedConfig;
  rules: readonly Rule[];
  toolVersion: string;
  /** Files larger than this are reported as not analysed (default 8 MiB). */
  maxFileBytes?: number;
  /**
   * Parsed files from earlier runs, reused when a file's text is unchanged (STYLE.md §1: per-file
   * facts are values). Long-lived front ends (the language server) pass one per workspace folder.
   */
  parseCache?: ParseCache;
  /** Measure where the time goes (report.timing): per rule, parsing and linking. */
  timing?: boolean;
  /**
   * Asked often during the run (every file read, between files, entries and rules, every finding);
   * once it answers true the run stops and returns no findings, every input listed as not analysed
   * with {@link STOPPED_REASON}. The language server passes a deadline per unit. A computation
   * between two checks (one YAML document, one model build) still runs to its end.
   */
  shouldStop?: () => boolean;
  /** The inputs to read with (default: the registry, inputs/index.ts). */
  inputs?: readonly Input[];
  /**
   * Results of inputs' {@link Input.precompute} that a front end computed ahead (the CLI, on worker
   * threads): by input id, file and the exact text; undefined when it has none.
   */
  precomputed?: (input: string, file: FileId, text: string) => unknown;
}

const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;

/** Lints a set of workspace files. Never throws: every failure becomes a finding or a not-analysed entry. */
export function lint(options: LintOptions): LintReport {
  if (!options.shouldStop) return lintUnstoppable(options, new StopCheck(undefined));
  const stop = new StopCheck(options.shouldStop);
  try {
    return withStopCheck(stop, () => lintUnstoppable(options, stop));
  } catch (error) {
    if (!(error instanceof LintStopped)) throw error;
    // Partial findings would read as "this is all there is": a stopped run reports none.
    return {
      findings: [],
      files: [],
      notAnalysed: options.files.map((file) => ({ file, reason: STOPPED_REASON })),
      complete: false,
      rules: ruleMetasOf(options.rules),
      toolVersion: options.toolVersion,
    };
  }
}

function lintUnstoppable(options: LintOptions, stop: StopCheck): LintReport {
  const started = performance.now();
  const state = new RunState(options, stop);
  const models = state.readInputs();
  const model: WorkspaceModel = {
    ...models,
    sources: state.sources,
    settings: { llm: options.config.llm, chains: options.config.chains, ...(options.config.nginx.version ? { nginxVersion: options.config.nginx.version } : {}) },
  };
  const placeSpan = state.spanPlacer();
  if (placeSpan) model.placeSpan = placeSpan;
  recordInputs(model, state.inputs);
  const parsedAt = performance.now();
  const ruleMs: Record<string, number> = {};
  for (const rule of options.rules) {
    if (!options.timing) {
      state.runRule(rule, model);
      continue;
    }
    const linkedBefore = linkTimeOf(model);
    const ruleStarted = performance.now();
    if (state.runRule(rule, model)) ruleMs[rule.id] = performance.now() - ruleStarted - (linkTimeOf(model) - linkedBefore);
  }
  const chains = linkedChains(model);
  // Chains cut short at the walk's bounds: findings may be missing, so the run is not complete.
  if (chains?.truncated) state.reportProblems([{ kind: 'not-analysed', message: chains.truncated, span: { file: chains.chains[0]?.hops[0]?.span.file ?? '', start: 0, end: 0 } }]);
  let report = state.finish();
  if (chains) report = { ...report, chains: { linked: chains.chains.length, unresolved: chains.unresolved.length } };
  if (options.timing) report = { ...report, timing: { parseMs: parsedAt - started, linkMs: linkTimeOf(model), rules: ruleMs } };
  return report;
}

/** Which inputs claim a file: the first by name, else those that want to look at its content. */
interface FileClaims {
  byName: Input | undefined;
  byContent: readonly Input[];
}

const NO_INPUTS: readonly Input[] = [];

// A claim is a function of the file's name and the configuration only (Input.claim), and the
// language server re-lints the same thousands of files on every edit: the answers are kept per
// input list and configuration object (a changed configuration is a new object).
const claimsByConfig = new WeakMap<readonly Input[], WeakMap<ResolvedConfig, Map<FileId, FileClaims>>>();

// An input's look at a text (Input.accepts) depends on the name, the text, the configuration and
// whether the file was named; a file the language server re-lints unchanged keeps its decoded text
// object, so the answer is kept with it.
const acceptedByText = new WeakMap<DecodedText, Map<Input, { file: FileId; config: ResolvedConfig; accepted: boolean }>>();

function acceptsText(input: Input, file: FileId, decoded: DecodedText, claim: ClaimContext): boolean {
  if (!input.accepts) return true;
  if (claim.explicit) return input.accepts(file, decoded.text, claim);
  let byInput = acceptedByText.get(decoded);
  if (!byInput) acceptedByText.set(decoded, (byInput = new Map()));
  const known = byInput.get(input);
  if (known && known.file === file && known.config === claim.config) return known.accepted;
  const accepted = input.accepts(file, decoded.text, claim);
  byInput.set(input, { file, config: claim.config, accepted });
  return accepted;
}

function claimsMemo(inputs: readonly Input[], config: ResolvedConfig): Map<FileId, FileClaims> {
  let byConfig = claimsByConfig.get(inputs);
  if (!byConfig) claimsByConfig.set(inputs, (byConfig = new WeakMap()));
  let claims = byConfig.get(config);
  if (!claims) byConfig.set(config, (claims = new Map()));
  return claims;
}

/**
 * Bytes already found to be no binary file. A long-lived front end hands every run the same bytes
 * of each unchanged file (its file cache): the check is made once per file version, not per run.
 */
const checkedText = new WeakSet<Uint8Array>();

class RunState {
  readonly sources = new Map<FileId, SourceText>();
  private readonly files: LintedFile[] = [];
  private readonly notAnalysed: NotAnalysed[] = [];
  private findings: Finding[] = [];
  private readonly findingKeys = new Set<string>();
  /** Findings kept and dropped per file and rule, to bound memory (see `addFinding`). */
  private readonly findingsPerGroup = new Map<string, number>();
  private readonly droppedPerGroup = new Map<string, number>();
  private leftOut: LeftOutCount[] = [];
  private readonly cachedFs: WorkspaceFs;
  readonly inputs: readonly Input[];
  private readonly readers = new Map<Input, InputReader<unknown>>();
  /** Inputs whose model is built: a text derived after that is not theirs to read. */
  private readonly built = new Set<Input>();
  /** Texts inputs derived from workspace files, by their made-up name: findings in them are placed back. */
  private readonly derived = new Map<FileId, DerivedSource>();
  /** Bytes of every file read in this run (and of derived texts), read once. */
  private readonly bytes = new Map<FileId, Uint8Array | undefined>();
  /** Derived texts an input gave back unchanged, by file: the inputs that passed each on (each passes one on once). */
  private readonly passedOn = new Map<FileId, Set<string>>();
  /** The decoded text of each derived source (the one its taker was given). */
  private readonly derivedTexts = new Map<FileId, DecodedText>();
  /** Files refused as binary, huge or unreadable (already listed as not analysed). */
  private readonly rejectedFiles = new Set<FileId>();

  constructor(private readonly options: LintOptions, readonly stop: StopCheck) {
    this.inputs = options.inputs ?? INPUTS;
    // Parsers read through this overlay so that each file is read and decoded once per run. Every
    // call is also a stop check: an include expansion that reads on and on stops at its next read.
    const bytes = this.bytes;
    const stats = new Map<FileId, FileStat | undefined>();
    const listings = new Map<FileId, string[] | undefined>();
    const fs = options.fs;
    this.cachedFs = {
      readFile: (file) => {
        this.stop.check();
        if (!bytes.has(file)) {
          // A derived text is read like a file (a parser that reads its entry through the file system
          // finds it); it is encoded only when something reads it (most are taken as text).
          const derived = this.derived.get(file);
          bytes.set(file, derived ? new TextEncoder().encode(derived.text) : this.readWithinLimits(file));
        }
        return bytes.get(file);
      },
      stat: (file) => {
        this.stop.check();
        const derived = this.derived.has(file) ? this.cachedFs.readFile(file) : undefined;
        if (derived) return { isFile: true, isDirectory: false, size: derived.length };
        // Asked once per run: every package asks for the same root files (.nvmrc, package.json, tsconfig).
        if (!stats.has(file)) stats.set(file, fs.stat(file));
        return stats.get(file);
      },
      readDirectory: (dir) => {
        this.stop.check();
        if (!listings.has(dir)) listings.set(dir, fs.readDirectory(dir));
        // A copy: a caller may sort or filter the list it gets.
        return listings.get(dir)?.slice();
      },
    };
  }

  /**
   * Reads every candidate into the input that claims it (by name first, else by content, in
   * registry order), in workspace order; then each input builds its model, in registry order.
   */
  /** How spans of derived texts are placed back in the workspace; undefined when the run derived none. */
  spanPlacer(): ((span: Span) => Span) | undefined {
    const derived = this.derived;
    return derived.size > 0 ? (span) => placeSpan(span, derived) : undefined;
  }

  readInputs(): InputModels {
    for (const input of this.inputs) this.readers.set(input, input.reader(this.readContext(input)));
    const claims = claimsMemo(this.inputs, this.options.config);
    // The language server runs this loop over thousands of unchanged files on every edit: the claim
    // context is made only for a file whose claims are not remembered, or that is read by content.
    const claimOf = (file: FileId): ClaimContext => ({ config: this.options.config, explicit: this.options.explicitFiles?.has(file) ?? false });
    for (const file of this.options.files) {
      this.stop.check();
      let claimed = claims.get(file);
      if (!claimed) {
        const claim = claimOf(file);
        const byName = this.inputs.find((input) => input.claim(file, claim) === 'name');
        claimed = byName ? { byName, byContent: NO_INPUTS } : { byName: undefined, byContent: this.inputs.filter((input) => input.claim(file, claim) === 'content') };
        claims.set(file, claimed);
      }
      const { byName, byContent } = claimed;
      if (byName) {
        this.readers.get(byName)!.take(file, undefined);
        continue;
      }
      if (byContent.length === 0) continue;
      const decoded = this.readText(file);
      if (!decoded) continue;
      const claim = claimOf(file);
      const taker = byContent.find((input) => acceptsText(input, file, decoded, claim));
      if (taker) this.readers.get(taker)!.take(file, decoded);
    }
    // Registry inputs a caller left out still have a model (an empty one): rules read every input's.
    const models: Record<string, unknown> = Object.fromEntries(INPUTS.filter((i) => !this.inputs.includes(i)).map((i) => [i.id, i.empty()]));
    for (const input of this.inputs) {
      models[input.id] = this.readers.get(input)!.build();
      this.built.add(input);
    }
    return models as unknown as InputModels;
  }

  /** A derived text goes to the first input (not yet built, not its own) that claims it, by name first, then by content. */
  private takeDerived(source: DerivedSource, from: Input): void {
    const known = this.derived.get(source.file);
    // An input that was handed a derived text and gives it back unchanged (Helm, for a `templates/`
    // file outside any chart) passes it on: the text keeps the placement it was derived with.
    const passedBy = this.passedOn.get(source.file);
    const passedOn = known !== undefined && known.text === source.text && !passedBy?.has(from.id);
    if (passedOn) {
      if (passedBy) passedBy.add(from.id);
      else this.passedOn.set(source.file, new Set([from.id]));
    } else if (known || this.sources.has(source.file)) return;
    else this.derived.set(source.file, source);
    // The file's own bytes (if read) no longer stand for it: its derived text does, encoded when read.
    this.bytes.delete(source.file);
    const decoded: DecodedText = { text: source.text, eol: source.text.includes('\r\n') ? '\r\n' : '\n', hadBom: false, hadInvalidUtf8: false };
    this.derivedTexts.set(source.file, decoded);
    // Asked for each of the hundreds of files a Helm reader hands back on every re-lint: no list is built.
    const passed = this.passedOn.get(source.file);
    const isOpen = (input: Input) => input !== from && !this.built.has(input) && !passed?.has(input.id);
    const claim: ClaimContext = { config: this.options.config, explicit: false };
    let taker: Input | undefined;
    for (const input of this.inputs) {
      if (isOpen(input) && input.claim(source.file, claim) === 'name') {
        taker = input;
        break;
      }
    }
    if (!taker) {
      for (const input of this.inputs) {
        if (isOpen(input) && input.claim(source.file, claim) === 'content' && (input.accepts?.(source.file, source.text, claim) ?? true)) {
          taker = input;
          break;
        }
      }
    }
    taker && this.readers.get(taker)!.take(source.file, decoded);
  }

  private readContext(input: Input): ReadContext {
    const options = this.options;
    const cache = options.parseCache?.of(input.id);
    return {
      config: options.config,
      explicitFiles: options.explicitFiles,
      fs: this.cachedFs,
      stat: (file) => options.fs.stat(file),
      release: (file) => options.fs.release?.(file),
      cache,
      stop: this.stop,
      wanted: options.rules.some((r) => (r.inputs as readonly string[]).includes(input.id) && options.config.rules.get(r.id)?.severity !== 'off'),
      readText: (file) => this.readText(file),
      candidates: options.files,
      yaml: (file) => this.yaml(file),
      addSource: (file, decoded, language) => this.addSource(file, language ?? input.language, decoded.text, decoded.eol, decoded.hadInvalidUtf8),
      hasSource: (file) => this.sources.has(file),
      sourceText: (file) => this.sources.get(file)?.text,
      reportProblems: (problems, includeBase) => this.reportProblems(problems, includeBase),
      notAnalysed: (file, reason) => this.markNotAnalysed(file, reason),
      derive: (source) => this.takeDerived(source, input),
      precomputed: (file, text) => options.precomputed?.(input.id, file, text),
    };
  }

  private readonly yamlFiles = new Map<FileId, YamlFile | undefined>();

  /** Parsed YAML, shared by the inputs that read the same file (a compose file is also an nginx container's deployment). */
  private yaml(file: FileId): YamlFile | undefined {
    if (this.yamlFiles.has(file)) return this.yamlFiles.get(file);
    const decoded = this.readText(file);
    let parsed: YamlFile | undefined;
    if (decoded) {
      const cache = this.options.parseCache?.of('yaml');
      try {
        parsed = cache ? cache.byText(file, decoded.text, () => parseYamlFile(file, decoded.text)) : parseYamlFile(file, decoded.text);
      } catch (error) {
        rethrowStop(error);
        // The reader promises never to throw; if it does, the file is listed, not lost.
        this.markNotAnalysed(file, `the YAML parser failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.yamlFiles.set(file, parsed);
    return parsed;
  }

  private readText(file: FileId): DecodedText | undefined {
    // A derived text is its own decoded text: no bytes to encode and decode again.
    const derived = this.derivedTexts.get(file);
    if (derived) return derived;
    const bytes = this.cachedFs.readFile(file);
    return bytes ? decodeTextOnce(bytes) : undefined;
  }

  private addSource(file: FileId, language: LintedFile['language'], text: string, eol: '\n' | '\r\n', hadInvalidUtf8: boolean): void {
    if (hadInvalidUtf8) this.markNotAnalysed(file, 'contains bytes that are not UTF-8 (read with replacement characters)');
    this.sources.set(file, { file, text, eol });
    this.files.push({ file, language, text });
  }

  /** Bytes of a file, or undefined (and a not-analysed entry) when it is binary, huge or unreadable. */
  private readWithinLimits(file: FileId): Uint8Array | undefined {
    const limit = this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    let read: BoundedRead | undefined;
    try {
      read = readFileBounded(this.options.fs, file, limit);
    } catch (error) {
      rethrowStop(error);
      this.reject(file, `could not be read: ${errorText(error)}`);
      return undefined;
    }
    if (!read || !read.stat.isFile) return undefined;
    if (read.stat.size > limit) {
      this.reject(file, `larger than ${Math.round(limit / 1024 / 1024)} MiB (${read.stat.size} bytes)`);
      return undefined;
    }
    const bytes = read.bytes;
    if (!bytes) {
      this.reject(file, 'could not be read');
      return undefined;
    }
    if (!checkedText.has(bytes)) {
      if (bytes.subarray(0, 8192).includes(0)) {
        this.reject(file, 'is a binary file');
        return undefined;
      }
      checkedText.add(bytes);
    }
    return bytes;
  }

  reportProblems(problems: readonly Problem[], includeBase = ''): void {
    for (const problem of problems) {
      if (this.isAboutRejectedFile(problem, includeBase)) continue;
      if (problem.kind === 'syntax') this.addEngineFinding('parse-error', problem.message, problem.span, {}, problem.severity);
      else if (problem.kind === 'include') this.addEngineFinding('include-error', problem.message, problem.span, {}, problem.severity);
      else {
        this.addEngineFinding('not-analysed', problem.message, problem.span);
        this.markNotAnalysed(problem.span.file, problem.message);
      }
    }
  }

  /**
   * An include of a binary or huge file fails to read only because the runner refused it; that
   * file is already listed as not analysed, so the include is not reported as missing too.
   */
  private isAboutRejectedFile(problem: Problem, includeBase: FileId): boolean {
    const quoted = problem.kind === 'include' ? /: '([^']+)'$/.exec(problem.message)?.[1] : undefined;
    if (quoted === undefined) return false;
    const target = joinFileId(includeBase, quoted);
    return target !== undefined && this.rejectedFiles.has(target);
  }

  private textOf(span: Span): string {
    const source = this.sources.get(span.file);
    if (!source) return '';
    const lineStart = source.text.lastIndexOf('\n', span.start) + 1;
    return source.text.slice(lineStart, Math.max(span.end, lineStart));
  }

  /** Runs one rule over the model; false when it did not run (off, or none of its inputs present). */
  runRule(rule: Rule, model: WorkspaceModel): boolean {
    const setting = this.options.config.rules.get(rule.id);
    const severity = setting?.severity ?? rule.defaultSeverity;
    if (severity === 'off') return false;
    // Rules whose inputs are all absent have nothing to look at.
    if (!rule.inputs.some((id) => this.inputs.some((input) => input.id === id && input.present(model[input.id] as never)))) return false;
    this.stop.check();
    try {
      rule.check({
        options: (setting?.options ?? rule.options.defaults) as never,
        model,
        report: (descriptor: ReportDescriptor) => {
          // A rule that reports on and on stops at its next report.
          this.stop.check();
          const template = rule.messages[descriptor.messageId];
          if (template === undefined) throw new Error(`rule ${rule.id} reported unknown messageId "${descriptor.messageId}"`);
          this.addFinding({
            ruleId: rule.id,
            severity: descriptor.severity ?? severity,
            messageId: descriptor.messageId,
            message: renderMessage(template, descriptor.data),
            data: descriptor.data,
            span: descriptor.span,
            related: descriptor.related ?? [],
            fixes: descriptor.fixes ?? [],
            docsUrl: rule.docsUrl,
          });
        },
      });
    } catch (error) {
      rethrowStop(error);
      this.stop.check();
      const anchor: Span = { file: this.files[0]?.file ?? '', start: 0, end: 0 };
      this.addEngineFinding('internal-error', `rule ${rule.id} crashed and was skipped: ${errorText(error)}`, anchor, { rule: rule.id });
      this.notAnalysed.push({ file: anchor.file, reason: `rule ${rule.id} crashed` });
    }
    // A rule that swallowed a stop and returned has not finished either.
    this.stop.check();
    return true;
  }

  addEngineFinding(id: string, message: string, span: Span, data: MessageData = {}, lowered?: Severity): void {
    const meta = engineDiagnostic(id);
    let severity = this.options.config.rules.get(id)?.severity ?? meta.defaultSeverity;
    if (severity === 'off') return;
    // A lowered severity applies where the configuration keeps the default; a severity the user chose wins.
    if (lowered !== undefined && severity === meta.defaultSeverity) severity = lowered;
    message = engineMessage(id, message);
    this.addFinding({ ruleId: id, severity, messageId: id, message, data: { ...data, message }, span, related: [], fixes: [], docsUrl: meta.docsUrl });
  }

  private addFinding(found: Finding): void {
    const finding = this.derived.size > 0 ? placeDerived(found, this.derived) : found;
    // A file included by several configs yields the same finding once per config: keep one.
    // Memory bound: far past the reported cap, a file's further findings of the rule are only
    // counted. (The reported cap is applied in finish(), after suppressions, so a suppression
    // comment matches its finding whatever the cap leaves out.)
    const group = findingGroupKey(finding.span.file, finding.ruleId);
    const count = this.findingsPerGroup.get(group) ?? 0;
    if (count >= COLLECTED_FINDINGS_PER_FILE_AND_RULE) {
      this.droppedPerGroup.set(group, (this.droppedPerGroup.get(group) ?? 0) + 1);
      return;
    }
    const key = `${finding.ruleId}\0${finding.messageId}\0${finding.span.file}\0${finding.span.start}\0${finding.span.end}\0${finding.message}`;
    if (this.findingKeys.has(key)) return;
    this.findingsPerGroup.set(group, count + 1);
    this.findingKeys.add(key);
    this.findings.push(finding);
  }

  private reject(file: FileId, reason: string): void {
    this.rejectedFiles.add(file);
    this.markNotAnalysed(file, reason);
  }

  private markNotAnalysed(derivedOrFile: FileId, reason: string): void {
    const file = this.derived.get(derivedOrFile)?.fallback.file ?? derivedOrFile;
    if (!this.notAnalysed.some((n) => n.file === file && n.reason === reason)) this.notAnalysed.push({ file, reason });
  }

  /** Keeps the first findings of each file and rule, and says in one finding how many more there were. */
  private capFindingsPerFileAndRule(): void {
    const { kept, leftOut } = capFindings(this.findings, MAX_FINDINGS_PER_FILE_AND_RULE, this.droppedPerGroup);
    if (leftOut.length === 0) return;
    this.findings = kept;
    this.leftOut = leftOut.map((group) => ({ file: group.file, ruleId: group.ruleId, severity: group.first.severity, count: group.count }));
    for (const group of leftOut) {
      const message = `${group.count} more ${group.ruleId} findings in this file are not shown (at most ${MAX_FINDINGS_PER_FILE_AND_RULE} per rule and file).`;
      this.addEngineFinding('not-analysed', message, group.first.span, { rule: group.ruleId, leftOut: group.count, limit: MAX_FINDINGS_PER_FILE_AND_RULE });
    }
    this.findings.sort(compareFindings);
  }

  finish(): LintReport {
    const ruleIds = new Set(this.options.rules.map((r) => r.id));
    this.findings = applySuppressions(this.findings, this.sources, ruleIds, (id, message, span, fix) => {
      const meta = engineDiagnostic(id);
      const severity = this.options.config.rules.get(id)?.severity ?? meta.defaultSeverity;
      if (severity === 'off') return undefined;
      return { ruleId: id, severity, messageId: id, message, data: { message }, span, related: [], fixes: fix ? [fix] : [], docsUrl: meta.docsUrl };
    });
    this.findings.sort(compareFindings);
    this.capFindingsPerFileAndRule();
    const rules = ruleMetasOf(this.options.rules);
    return {
      findings: this.findings,
      // A derived text is not a file of the workspace: its findings were placed on the files it came from.
      // (A text handed back under its own name, as a templates/ file outside any chart, is one.)
      files: this.files.filter((f) => (this.derived.get(f.file)?.fallback.file ?? f.file) === f.file).sort((a, b) => a.file.localeCompare(b.file)),
      notAnalysed: this.notAnalysed,
      complete: this.notAnalysed.length === 0,
      rules,
      toolVersion: this.options.toolVersion,
      ...(this.leftOut.length > 0 ? { leftOut: this.leftOut } : {}),
    };
  }
}

/** Far above the reported cap, so suppressions and the summary's count stay exact in practice. */
const COLLECTED_FINDINGS_PER_FILE_AND_RULE = 50 * MAX_FINDINGS_PER_FILE_AND_RULE;

/** Every rule known to a run (its own and the engine's diagnostics), sorted by id. */
function ruleMetasOf(rules: readonly Rule[]): RuleMeta[] {
  return [
    ...rules.map((r) => ({ id: r.id, description: r.description, defaultSeverity: r.defaultSeverity, fixable: r.fixable, docsUrl: r.docsUrl })),
    ...ENGINE_DIAGNOSTICS,
  ].sort((a, b) => a.id.localeCompare(b.id));
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.span.file.localeCompare(b.span.file) || a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId) || a.message.localeCompare(b.message);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Places a finding made in a derived text (a rendered template) on the workspace files it came
 * from: its range at the origin of the range (else the source's fallback), related places likewise
 * plus what the source says the range rests on, and each fix's edits where they are verbatim copies
 * of a workspace range (else the fix is left out: generated text cannot be edited).
 */
/** Where a span of a derived text is written in the workspace (the span itself for workspace files). */
function placeSpan(span: Span, derived: ReadonlyMap<FileId, DerivedSource>): Span {
  const source = derived.get(span.file);
  return source ? (source.origin(span.start, span.end) ?? source.fallback) : span;
}

function placeDerived(finding: Finding, derived: ReadonlyMap<FileId, DerivedSource>): Finding {
  const place = (span: Span): Span => placeSpan(span, derived);
  const from = derived.get(finding.span.file);
  const touches = from !== undefined || finding.related.some((r) => derived.has(r.span.file)) || finding.fixes.some((f) => f.edits.some((e) => derived.has(e.file)));
  if (!touches) return finding;
  const related: Related[] = [...(from?.related?.(finding.span.start, finding.span.end) ?? []), ...finding.related.map((r) => ({ ...r, span: place(r.span) }))];
  const fixes: Fix[] = [];
  for (const fix of finding.fixes) {
    const edits = fix.edits.map((edit) => {
      const source = derived.get(edit.file);
      if (!source) return edit;
      const copied = source.copiedFrom?.(edit.start, edit.end);
      return copied ? { file: copied.file, start: copied.start, end: copied.end, newText: edit.newText } : undefined;
    });
    if (edits.every((e) => e !== undefined)) fixes.push({ ...fix, edits: edits.sort((a, b) => a.file.localeCompare(b.file) || a.start - b.start) });
  }
  return { ...finding, span: place(finding.span), related, fixes };
}

