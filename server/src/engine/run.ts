// The lint runner: read files through the WorkspaceFs, parse, build the model, run rules, collect findings.
import type { ResolvedConfig } from './config.js';
import { linkedChains, linkTimeOf } from './chain/chains.js';
import { readCodePackages, type CodePackage } from './inputs/ts/packages.js';
import { compileGlobs, isDeploymentFile, kindByPath, looksLikeNginx, nginxVariantVerdict } from './detect.js';
import { deploymentNeighbours, readNginxDeployment, type NginxDeployment } from './inputs/nginx/deployment.js';
import { problemPolicy } from './inputs/nginx/problem-policy.js';
import { embeddedNginxConfigs, findEmbeddedNginx } from './inputs/nginx/embedded.js';
import { ENGINE_DIAGNOSTICS, engineDiagnostic } from './engine-diagnostics.js';
import { buildK8sModel } from './inputs/k8s/model.js';
import { extractTsFacts, type TsFileFacts } from './inputs/ts/facts.js';
import { relinkImportedCallees } from './inputs/ts/imports.js';
import { isTsSource, shouldParseTs } from './inputs/ts/select.js';
import { parseTsText } from './inputs/ts/file.js';
import { buildNginxModel, type NginxModel } from './inputs/nginx/model.js';
import { k8sFileKindByPath, looksLikeK8s, parseK8sText, type K8sFile } from './inputs/k8s/file.js';
import type { SourceText, WorkspaceModel } from './workspace-model.js';
import type { NginxConfig } from './inputs/nginx/ast.js';
import { parseNginxConfig } from './inputs/nginx/parser.js';
import { capFindings, findingGroupKey, MAX_FINDINGS_PER_FILE_AND_RULE, type LeftOutCount, type LintedFile, type LintReport, type NotAnalysed, type RuleMeta } from './report.js';
import { renderMessage, type ReportDescriptor, type Rule } from './rule.js';
import { LintStopped, rethrowStop, StopCheck, STOPPED_REASON, withStopCheck } from './run-deadline.js';
import { applySuppressions } from './run-suppressions.js';
import { decodeText, decodeTextOnce, keepDecodedText, keptDecodedText } from './text.js';
import type { FileId, Finding, MessageData, Problem, Severity, Span } from './types.js';
import { dirnameOf, joinFileId, readFileBounded, type BoundedRead, type FileStat, type WorkspaceFs } from './workspace-fs.js';

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
}

/** Parsed files by path, valid while the text is the same. Parsed files and facts are never mutated. */
export class ParseCache {
  private readonly k8s = new Map<FileId, { text: string; parsed: K8sFile }>();
  private readonly ts = new Map<FileId, { text: string; facts: TsFileFacts }>();
  private readonly nginx = new Map<FileId, { includePrefix: string | undefined; answers: Answer[]; config: NginxConfig }>();
  private readonly nginxModels = new WeakMap<NginxConfig, NginxModel>();
  /** Sources the pre-scan skipped, by size and modification time: not read again while both stay. */
  private readonly skippedSources = new Map<FileId, string>();
  private stored = 0;

  /**
   * How many results were ever stored: a run that was stopped but stored some made progress that
   * the next run reuses (the language server tries such a unit again instead of giving up).
   */
  get resultsStored(): number {
    return this.stored;
  }

  tsFacts(file: FileId, text: string, extract: () => TsFileFacts): TsFileFacts {
    const hit = this.ts.get(file);
    if (hit && hit.text === text) return hit.facts;
    const facts = extract();
    this.ts.set(file, { text, facts });
    this.stored++;
    return facts;
  }

  k8sFile(file: FileId, text: string, parse: () => K8sFile): K8sFile {
    const hit = this.k8s.get(file);
    if (hit && hit.text === text) return hit.parsed;
    const parsed = parse();
    this.k8s.set(file, { text, parsed });
    this.stored++;
    return parsed;
  }

  /**
   * A parsed nginx entry with its includes, reused while every file, stat and folder listing the
   * parse looked at answers the same (a glob include depends on listings, not only on texts).
   */
  nginxConfig(entry: FileId, includePrefix: string | undefined, fs: WorkspaceFs, parse: (fs: WorkspaceFs) => NginxConfig): NginxConfig {
    const hit = this.nginx.get(entry);
    if (hit && hit.includePrefix === includePrefix && hit.answers.every((answer) => answer.sameAs(fs))) return hit.config;
    const recorder = new AnswerRecorder(fs);
    const config = parse(recorder);
    this.nginx.set(entry, { includePrefix, answers: recorder.answers, config });
    this.stored++;
    return config;
  }

  /** The nginx model of a cached config: built once, shared by every run that reuses the config. */
  nginxModel(config: NginxConfig, build: () => NginxModel): NginxModel {
    let model = this.nginxModels.get(config);
    if (!model) {
      model = build();
      this.nginxModels.set(config, model);
      this.stored++;
    }
    return model;
  }

  wasSkipped(file: FileId, stamp: string): boolean {
    return this.skippedSources.get(file) === stamp;
  }

  markSkipped(file: FileId, stamp: string): void {
    this.skippedSources.set(file, stamp);
    this.stored++;
  }

  forget(file: FileId): void {
    this.k8s.delete(file);
    this.ts.delete(file);
    this.nginx.delete(file);
    this.skippedSources.delete(file);
  }
}

/** One question a parse asked the file system, and whether the file system still answers it the same. */
interface Answer {
  sameAs(fs: WorkspaceFs): boolean;
}

/** A WorkspaceFs that remembers its answers, so a cached parse can tell whether it is still valid. */
class AnswerRecorder implements WorkspaceFs {
  readonly answers: Answer[] = [];

  constructor(private readonly base: WorkspaceFs) {}

  readFile(file: FileId): Uint8Array | undefined {
    const bytes = this.base.readFile(file);
    this.answers.push({ sameAs: (fs) => sameBytes(fs.readFile(file), bytes) });
    return bytes;
  }

  stat(file: FileId): FileStat | undefined {
    const stat = this.base.stat(file);
    this.answers.push({ sameAs: (fs) => sameStat(fs.stat(file), stat) });
    return stat;
  }

  readDirectory(dir: FileId): string[] | undefined {
    const names = this.base.readDirectory(dir);
    this.answers.push({ sameAs: (fs) => sameNames(fs.readDirectory(dir), names) });
    return names;
  }
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameStat(a: FileStat | undefined, b: FileStat | undefined): boolean {
  if (!a || !b) return a === b;
  return a.size === b.size && a.isFile === b.isFile && a.isDirectory === b.isDirectory;
}

function sameNames(a: string[] | undefined, b: string[] | undefined): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && a.every((name, i) => name === b[i]);
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
  const { nginx: nginxFiles, k8s: k8sFiles, ts: tsFacts } = state.readCandidates();
  // Calls through a library or client another module exports need the other module's facts: read those files again.
  relinkImportedCallees(tsFacts, (file) => state.sources.get(file)?.text);
  const nginxConfigs = [...state.parseNginxEntries(nginxFiles), ...state.embeddedNginx(k8sFiles)];
  const k8sModel = buildK8sModel(k8sFiles, {
    ingressNginxAnnotationPrefix: options.config.kubernetes.ingressNginxAnnotationPrefix,
    ingressNginxConfigMapNames: options.config.kubernetes.ingressNginxConfigMapNames,
  });
  const model: WorkspaceModel = {
    nginx: nginxConfigs.map((c) => {
      state.stop.check();
      return options.parseCache ? options.parseCache.nginxModel(c, () => buildNginxModel(c)) : buildNginxModel(c);
    }),
    k8s: k8sModel,
    ts: { files: tsFacts },
    packages: state.readPackages(tsFacts.keys()),
    sources: state.sources,
    settings: { llm: options.config.llm, chains: options.config.chains, ...(options.config.nginx.version ? { nginxVersion: options.config.nginx.version } : {}) },
  };
  for (const config of nginxConfigs) state.reportProblems(config.problems, dirnameOf(config.entry));
  state.reportProblems(k8sModel.problems);
  for (const facts of tsFacts.values()) state.reportProblems(facts.problems);
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

/** Size and modification time, when the file system knows both (an editor buffer has no modification time). */
function stampOf(stat: FileStat | undefined): string | undefined {
  return stat?.isFile && stat.mtimeMs !== undefined ? `${stat.size}:${stat.mtimeMs}` : undefined;
}

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
  /** Source files are read only when an enabled rule looks at them: most repositories hold far more code than configs. */
  private readonly wantsTs: boolean;
  /** Files refused as binary, huge or unreadable (already listed as not analysed). */
  private readonly rejectedFiles = new Set<FileId>();
  /** Dockerfiles and envsubst scripts: where nginx containers put their configuration (inputs/nginx/deployment.ts). */
  private readonly deploymentFiles = { dockerfiles: new Map<FileId, string>(), scripts: new Map<FileId, string>() };
  private deployment: NginxDeployment | undefined;

  constructor(private readonly options: LintOptions, readonly stop: StopCheck) {
    this.wantsTs = options.rules.some((r) => r.inputs.includes('ts') && options.config.rules.get(r.id)?.severity !== 'off');
    // Parsers read through this overlay so that each file is read and decoded once per run. Every
    // call is also a stop check: an include expansion that reads on and on stops at its next read.
    const bytes = new Map<FileId, Uint8Array | undefined>();
    const fs = options.fs;
    this.cachedFs = {
      readFile: (file) => {
        this.stop.check();
        if (!bytes.has(file)) bytes.set(file, this.readWithinLimits(file));
        return bytes.get(file);
      },
      stat: (file) => {
        this.stop.check();
        return fs.stat(file);
      },
      readDirectory: (dir) => {
        this.stop.check();
        return fs.readDirectory(dir);
      },
    };
  }

  /** Reads every candidate; returns the nginx files (nginx.conf files first) and the parsed Kubernetes files. */
  readCandidates(): { nginx: FileId[]; k8s: K8sFile[]; ts: Map<FileId, TsFileFacts> } {
    const globs = compileGlobs(this.options.config.nginx.files);
    const nginx: FileId[] = [];
    const k8s: K8sFile[] = [];
    const ts = new Map<FileId, TsFileFacts>();
    for (const file of this.options.files) {
      this.stop.check();
      if (isTsSource(file)) {
        if (this.wantsTs) this.readTs(file, ts);
        continue;
      }
      if (isDeploymentFile(file)) {
        this.readDeploymentFile(file);
        continue;
      }
      let kind = kindByPath(file, globs);
      const yaml = kind === 'unknown' && /\.ya?ml$/i.test(file);
      if (kind === 'unknown' && !yaml) continue;
      const bytes = this.cachedFs.readFile(file);
      if (!bytes) continue;
      const decoded = decodeTextOnce(bytes);
      if (yaml) {
        // A cheap look at the text first: most YAML in a repository (CI, Helm values) is not a manifest.
        if (k8sFileKindByPath(file) === 'manifests' && !looksLikeK8s(decoded.text)) continue;
        const cache = this.options.parseCache;
        k8s.push(cache ? cache.k8sFile(file, decoded.text, () => this.safeParseK8s(file, decoded.text)) : this.safeParseK8s(file, decoded.text));
        this.addSource(file, 'kubernetes', decoded.text, decoded.eol, decoded.hadInvalidUtf8);
        continue;
      }
      if (kind === 'maybe-nginx') {
        if (!this.options.explicitFiles?.has(file) && !looksLikeNginx(decoded.text)) continue;
        kind = 'nginx';
      }
      if (kind === 'maybe-nginx-variant') {
        const verdict = nginxVariantVerdict(decoded.text);
        if (verdict !== 'nginx') {
          if (verdict !== 'other') this.markNotAnalysed(file, verdict);
          continue;
        }
      }
      this.addSource(file, 'nginx', decoded.text, decoded.eol, decoded.hadInvalidUtf8);
      nginx.push(file);
    }
    this.deployment = this.readDeployment([...k8s, ...this.readDeploymentNeighbours(nginx)]);
    const isMain = (f: FileId) => (f.endsWith('nginx.conf') ? 0 : 1);
    return { nginx: nginx.sort((a, b) => isMain(a) - isMain(b) || a.localeCompare(b)), k8s, ts };
  }

  /**
   * Compose files, Dockerfiles and scripts beside the nginx files or in a folder above them that
   * the candidates do not hold (a front end that lints one entry, or named files): read as evidence
   * of the container layout only, never linted.
   */
  private readDeploymentNeighbours(nginx: readonly FileId[]): K8sFile[] {
    const candidates = new Set(this.options.files);
    const compose: K8sFile[] = [];
    for (const file of deploymentNeighbours(nginx, (file) => this.cachedFs.stat(file)?.isFile === true)) {
      if (candidates.has(file)) continue;
      if (!/\.ya?ml$/.test(file)) this.readDeploymentFile(file);
      else {
        const bytes = this.cachedFs.readFile(file);
        if (bytes) compose.push(this.safeParseK8s(file, decodeText(bytes).text));
      }
    }
    return compose;
  }

  private readDeploymentFile(file: FileId): void {
    const bytes = this.cachedFs.readFile(file);
    if (!bytes) return;
    const text = decodeText(bytes).text;
    if (/\.sh$/.test(file)) {
      if (text.includes('envsubst')) this.deploymentFiles.scripts.set(file, text);
    } else this.deploymentFiles.dockerfiles.set(file, text);
  }

  /** The nginx containers' layout and variables, from what lint() read (linking never reads). */
  private readDeployment(yaml: K8sFile[]): NginxDeployment | undefined {
    const mounts = this.options.config.nginx.includeMounts ?? {};
    if (this.deploymentFiles.dockerfiles.size === 0 && this.deploymentFiles.scripts.size === 0 && Object.keys(mounts).length === 0 && !yaml.some((f) => f.kind === 'compose' || f.kind === 'kustomization')) return undefined;
    const candidates = new Set(this.options.files);
    const text = (file: FileId): string | undefined => {
      // Only files discovery kept: a .env the project ignores (it often holds secrets) is never read.
      if (!candidates.has(file)) return undefined;
      const stat = this.options.fs.stat(file);
      if (!stat?.isFile || stat.size > 1024 * 1024) return undefined;
      const bytes = this.cachedFs.readFile(file);
      return bytes ? decodeText(bytes).text : undefined;
    };
    const script = (file: FileId): string | undefined => {
      const stat = this.cachedFs.stat(file);
      if (!stat?.isFile || stat.size > 1024 * 1024) return undefined;
      const bytes = this.cachedFs.readFile(file);
      return bytes ? decodeText(bytes).text : undefined;
    };
    return readNginxDeployment({ yaml, ...this.deploymentFiles, configuredMounts: mounts }, {
      text,
      script,
      list: (dir) => this.cachedFs.readDirectory(dir),
      isDirectory: (file) => (file === '' ? true : this.cachedFs.stat(file)?.isDirectory === true),
    });
  }

  /** The packages of the analysed sources: package.json names and Node pins, read through the same confined file system. */
  readPackages(files: Iterable<FileId>): CodePackage[] {
    return readCodePackages(files, (file) => {
      let stat: FileStat | undefined;
      try {
        stat = this.options.fs.stat(file);
      } catch {
        return undefined;
      }
      // Pins and manifests are small; a huge or odd one is not worth reading (or reporting).
      if (!stat?.isFile || stat.size > 1024 * 1024) return undefined;
      const bytes = this.cachedFs.readFile(file);
      return bytes ? decodeText(bytes).text : undefined;
    });
  }

  /** Reads a TypeScript/JavaScript file; the text pre-scan skips the many files that call no HTTP API. */
  private readTs(file: FileId, out: Map<FileId, TsFileFacts>): void {
    // Most sources are skipped by the pre-scan. A long-lived front end remembers which (by size and
    // modification time) and lets its file cache drop their bytes: neither read nor kept again.
    const cache = this.options.parseCache;
    const stamp = cache ? stampOf(this.options.fs.stat(file)) : undefined;
    if (stamp !== undefined && cache!.wasSkipped(file, stamp)) return;
    const bytes = this.cachedFs.readFile(file);
    if (!bytes) return;
    // Only sources the pre-scan kept have their text kept: a kept text means these bytes passed before.
    let decoded = keptDecodedText(bytes);
    if (!decoded) {
      const fresh = decodeText(bytes);
      if (!shouldParseTs(file, fresh.text)) {
        if (stamp !== undefined) {
          cache!.markSkipped(file, stamp);
          this.options.fs.release?.(file);
        }
        return;
      }
      decoded = keepDecodedText(bytes, fresh);
    }
    let facts: TsFileFacts;
    try {
      const extract = () => extractTsFacts(parseTsText(file, decoded.text));
      facts = this.options.parseCache ? this.options.parseCache.tsFacts(file, decoded.text, extract) : extract();
    } catch (error) {
      rethrowStop(error);
      // Both promise never to throw; if they do, the file is listed, not lost.
      this.markNotAnalysed(file, `the TypeScript reader failed: ${errorText(error)}`);
      return;
    }
    out.set(file, facts);
    this.addSource(file, 'typescript', decoded.text, decoded.eol, decoded.hadInvalidUtf8);
  }

  private addSource(file: FileId, language: LintedFile['language'], text: string, eol: '\n' | '\r\n', hadInvalidUtf8: boolean): void {
    if (hadInvalidUtf8) this.markNotAnalysed(file, 'contains bytes that are not UTF-8 (read with replacement characters)');
    this.sources.set(file, { file, text, eol });
    this.files.push({ file, language, text });
  }

  private safeParseK8s(file: FileId, text: string): K8sFile {
    try {
      return parseK8sText(file, text);
    } catch (error) {
      rethrowStop(error);
      // The parser promises never to throw; if it does, the file is listed, not lost.
      this.markNotAnalysed(file, `the YAML parser failed: ${errorText(error)}`);
      return { file, kind: k8sFileKindByPath(file), documents: [], objects: [], problems: [] };
    }
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
    if (bytes.subarray(0, 8192).includes(0)) {
      this.reject(file, 'is a binary file');
      return undefined;
    }
    return bytes;
  }

  /**
   * Parses nginx entries: every file that no other config includes becomes an entry, so a conf.d
   * fragment is analysed inside the nginx.conf that includes it, and on its own otherwise.
   */
  parseNginxEntries(files: FileId[]): NginxConfig[] {
    const includedBy = new Map<FileId, FileId>();
    const configs = new Map<FileId, NginxConfig>();
    for (const file of files) {
      if (includedBy.has(file)) continue;
      this.stop.check();
      const config = this.safeParse(file);
      if (!config) continue;
      configs.set(file, config);
      for (const included of config.files.slice(1)) {
        if (included.file === file) continue;
        includedBy.set(included.file, file);
        configs.delete(included.file);
      }
    }
    for (const config of configs.values()) {
      for (const parsed of config.files) {
        if (this.sources.has(parsed.file)) continue;
        // An included file outside the candidate set (ignored by name, say) is still shown in output.
        this.sources.set(parsed.file, { file: parsed.file, text: parsed.text, eol: parsed.text.includes('\r\n') ? '\r\n' : '\n' });
        this.files.push({ file: parsed.file, language: 'nginx', text: parsed.text });
      }
    }
    return [...configs.values()];
  }

  private safeParse(file: FileId): NginxConfig | undefined {
    try {
      const prefix = this.options.config.nginx.includePrefix;
      const deployment = this.deployment;
      const parse = (fs: WorkspaceFs) => {
        const config = parseNginxConfig(fs, file, {
          ...(prefix !== undefined ? { absoluteIncludePrefix: prefix } : {}),
          ...(deployment && !deployment.layout.empty ? { layout: deployment.layout } : {}),
          ...(deployment ? { variablesOf: deployment.variablesOf } : {}),
        });
        // The parser turns a stop thrown by a read into a problem and carries on; such a parse is
        // incomplete, so it must neither count nor be cached (the throw leaves before the cache keeps it).
        this.stop.check();
        return config;
      };
      const cacheKey = deployment ? `${prefix ?? ''}\0${deployment.key}` : prefix;
      return this.options.parseCache ? this.options.parseCache.nginxConfig(file, cacheKey, this.cachedFs, parse) : parse(this.cachedFs);
    } catch (error) {
      rethrowStop(error);
      // The parser promises never to throw; if it does, the file is listed, not lost.
      this.markNotAnalysed(file, `the nginx parser failed: ${errorText(error)}`);
      return undefined;
    }
  }

  /** nginx written inside the manifests (ConfigMap keys, snippet annotations), with spans in the YAML files. */
  embeddedNginx(k8sFiles: K8sFile[]): NginxConfig[] {
    const { pieces, skipped } = findEmbeddedNginx(k8sFiles);
    this.reportProblems(skipped);
    return embeddedNginxConfigs(pieces, (file) => this.sources.get(file)?.text);
  }

  reportProblems(problems: readonly Problem[], includeBase = ''): void {
    for (const problem of problems) {
      if (this.isAboutRejectedFile(problem, includeBase)) continue;
      // What the tool cannot read in a template or a container path is not the project's error (rules/include-error.md).
      const policy = problemPolicy(problem, this.textOf(problem.span));
      if (policy.id !== 'not-analysed') {
        this.addEngineFinding(policy.id, policy.message, problem.span, {}, policy.severity);
        continue;
      }
      this.addEngineFinding('not-analysed', policy.message, problem.span);
      this.markNotAnalysed(problem.span.file, policy.message);
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
    const present = { nginx: model.nginx.length > 0, k8s: model.k8s.objects.length > 0, ts: model.ts.files.size > 0 };
    if (!rule.inputs.some((input) => present[input])) return false;
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
    this.addFinding({ ruleId: id, severity, messageId: id, message, data: { ...data, message }, span, related: [], fixes: [], docsUrl: meta.docsUrl });
  }

  private addFinding(finding: Finding): void {
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

  private markNotAnalysed(file: FileId, reason: string): void {
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
      files: this.files.sort((a, b) => a.file.localeCompare(b.file)),
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
