// The CLI: argv in, report out, exit code back (bin.ts alone hands it to the process).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../../../rules/index.js';
import { buildConfigSchema, CONFIG_FILE_NAME, formatConfigProblem, loadConfigText, type ResolvedConfig } from '../engine/config.js';
import { fixToFixpoint } from '../engine/fix.js';
import { toCrossplanePayload } from '../engine/inputs/nginx/crossplane.js';
import { parseNginxConfig } from '../engine/inputs/nginx/parser.js';
import type { LintReport, RunTiming } from '../engine/report.js';
import { lint, type LintOptions } from '../engine/run.js';
import { INPUTS } from '../engine/inputs/index.js';
import { AheadOfTime } from '../host/ahead-of-time.js';
import { isDeploymentFile } from '../engine/inputs/nginx/detect.js';
import { isTsSource } from '../engine/inputs/ts/select.js';
import { OverlayFs } from '../engine/workspace-fs.js';
import { parseCliArgs, USAGE, type CliOptions } from './args.js';
import { discoverFiles } from '../host/discover.js';
import { formatReport } from './formatters/index.js';
import { printable } from './formatters/escape.js';
import { formatChains } from './formatters/chains/index.js';
import { chainsOf } from '../engine/chain/chains.js';
import type { ChainModel } from '../engine/chain/chain-types.js';
import { createModelCapture } from '../host/model-capture.js';
import { NodeWorkspaceFs } from '../host/node-workspace-fs.js';
import { writeFixedFiles, type FixedFile } from './write-files.js';
import { cacheKey, isCacheFileName, codeFingerprint, countsOf, DEFAULT_CACHE_LOCATION, LintCache, RecordingFs, stableJson, type FindingCounts } from './cache.js';
import { readConfigFile } from '../host/config-file.js';
import { ConfinedFolder } from '../host/confined-fs.js';
import { openCache, writeOutputFile } from './io-targets.js';
import type { NotAnalysed } from '../engine/report.js';
import { TOOL_VERSION } from '../engine/version.js';
import type { WorkspaceFs } from '../engine/workspace-fs.js';
import type { FileId } from '../engine/types.js';
import { DEFAULT_STDIN_FILENAME, StdinFs, type StdinRead } from './stdin.js';
import { bytesOfPieces } from '../host/byte-pieces.js';

export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  /** Raw bytes to stdout (fixed piped text, kept byte for byte); without it they are written as UTF-8 text. */
  stdoutBytes?: (bytes: Uint8Array) => void;
  /** Standard input, read before the run when the arguments ask for it (`--stdin`, `-`). */
  stdin?: StdinRead;
  /** The script worker threads run to compute per-file work ahead (the CLI bundle); without it a run uses one thread. */
  aheadWorkerScript?: string;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

export function runCli(argv: string[], io: CliIo): number {
  const { options, error } = parseCliArgs(argv);
  if (!options) {
    io.stderr(`timeout-lint: ${error}\n\n${USAGE}\n`);
    return EXIT_ERROR;
  }
  if (options.command === 'help') {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (options.command === 'version') {
    io.stdout(`${TOOL_VERSION}\n`);
    return EXIT_OK;
  }
  if (options.command === 'lsp') {
    // The language server is its own bundle beside this one (dist/server.js, which starts on load), so
    // that linting never compiles or initialises the LSP libraries. The server keeps the process alive
    // on its connection; it ends on the client's `exit`.
    require(path.join(__dirname, 'server.js'));
    return EXIT_OK;
  }
  if (options.command === 'print-config-schema') {
    io.stdout(`${JSON.stringify(buildConfigSchema(allRules), null, 2)}\n`);
    return EXIT_OK;
  }
  try {
    if (options.command === 'print-nginx') return printNginx(options, io);
    return options.command === 'chains' ? chainsCommand(options, io) : lintCommand(options, io);
  } catch (failure) {
    io.stderr(`timeout-lint: internal error: ${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}\n`);
    return EXIT_ERROR;
  }
}

function openWorkspace(options: CliOptions, io: CliIo): NodeWorkspaceFs | undefined {
  const root = path.resolve(io.cwd, options.root ?? '.');
  let isFolder = false;
  try {
    isFolder = fs.statSync(root).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) {
    io.stderr(`timeout-lint: workspace root "${options.root}" is not a folder\n`);
    return undefined;
  }
  return new NodeWorkspaceFs(root, { rememberFolders: true });
}

function loadConfig(options: CliOptions, workspace: NodeWorkspaceFs, io: CliIo): ResolvedConfig | undefined {
  const configPath = options.config ? path.resolve(io.cwd, options.config) : path.join(workspace.root, CONFIG_FILE_NAME);
  // Inside the root through the confined file system (a symlink out is refused); outside only because --config named it.
  const configId = workspace.fileIdOf(configPath);
  const read = readConfigFile(configId !== undefined ? { fs: workspace, file: configId } : { outsidePath: configPath });
  if (read.status === 'refused') {
    io.stderr(`timeout-lint: cannot read configuration ${displayPath(io, configPath)}: it ${read.reason}\n`);
    return undefined;
  }
  if (read.status !== 'read' && options.config) {
    io.stderr(`timeout-lint: configuration file ${displayPath(io, configPath)} does not exist\n`);
    return undefined;
  }
  // Problems name positions, never the text: the file may be any file --config named.
  const text = read.status === 'read' ? new TextDecoder().decode(read.bytes) : undefined;
  const { config, problems } = loadConfigText(text, allRules);
  if (problems.length > 0) {
    io.stderr(`timeout-lint: invalid configuration ${displayPath(io, configPath)}:\n${problems.map((p) => `  ${printable(formatConfigProblem(p))}`).join('\n')}\n`);
    return undefined;
  }
  if (options.includePrefix !== undefined) {
    const prefix = workspace.fileIdOf(path.resolve(io.cwd, options.includePrefix));
    if (prefix === undefined) {
      io.stderr('timeout-lint: --include-prefix must be a folder inside the workspace root\n');
      return undefined;
    }
    config.nginx.includePrefix = prefix;
  }
  return config;
}

/** What every command that lints needs: the confined workspace, its configuration and the files to read. */
interface LintInputs {
  workspace: NodeWorkspaceFs;
  config: ResolvedConfig;
  files: string[];
  explicitFiles: Set<string>;
  /** Entries discovery had to leave out (odd names, symlinks out, huge .gitignore files): they make the report incomplete. */
  dropped: NotAnalysed[];
  /** What lint() reads: the workspace, or the workspace with the piped text standing in for one file. */
  lintFs: WorkspaceFs;
  /** The file the piped text is linted as, with --stdin. */
  stdinFile?: { file: FileId; bytes: Uint8Array; size: number };
}

/** Opens the workspace, loads the configuration and discovers the files; undefined after printing a usage or configuration error. */
function prepareLint(options: CliOptions, io: CliIo): LintInputs | undefined {
  const workspace = openWorkspace(options, io);
  if (!workspace) return undefined;
  const config = loadConfig(options, workspace, io);
  if (!config) return undefined;
  const targets: string[] = [];
  for (const given of lintTargets(options, workspace)) {
    const id = workspace.fileIdOf(path.resolve(io.cwd, given));
    if (id === undefined) {
      io.stderr(`timeout-lint: ${given} is outside the workspace root ${displayPath(io, workspace.root)}; use --root\n`);
      return undefined;
    }
    targets.push(id);
  }
  const discovery = discoverFiles(workspace, targets, config.ignore);
  if (discovery.missing.length > 0) {
    io.stderr(`timeout-lint: no such file or folder: ${discovery.missing.join(', ')}\n`);
    return undefined;
  }
  const explicitFiles = new Set(targets.filter((t) => workspace.stat(t)?.isFile));
  const inputs: LintInputs = { workspace, config, files: discovery.files, explicitFiles, dropped: discovery.notAnalysed, lintFs: workspace };
  return options.stdin ? withStdin(inputs, options, io) : inputs;
}

/** The paths to discover: those given, else the root, except that piped text alone is linted alone (unless --root names a workspace). */
function lintTargets(options: CliOptions, workspace: NodeWorkspaceFs): string[] {
  if (options.paths.length > 0) return options.paths;
  return options.stdin && options.root === undefined ? [] : [workspace.root];
}

/**
 * Adds the piped text as the file --stdin-filename names (resolved like any path, so it must be
 * inside the root): it is an explicit file, read from the text whatever the disk holds under that
 * name. Undefined after saying why not.
 */
function withStdin(inputs: LintInputs, options: CliOptions, io: CliIo): LintInputs | undefined {
  const piped = io.stdin;
  if (!piped || 'error' in piped) {
    io.stderr(`timeout-lint: cannot read standard input${piped ? ` (${piped.error})` : ''}\n`);
    return undefined;
  }
  const { workspace } = inputs;
  const named = options.stdinFilename;
  const file = named === undefined ? DEFAULT_STDIN_FILENAME : workspace.fileIdOf(path.resolve(io.cwd, named));
  if (file === undefined || file === '' || workspace.stat(file)?.isDirectory) {
    io.stderr(`timeout-lint: --stdin-filename ${named ?? DEFAULT_STDIN_FILENAME} must name a file inside the workspace root ${displayPath(io, workspace.root)}; use --root\n`);
    return undefined;
  }
  const files = inputs.files.includes(file) ? inputs.files : [...inputs.files, file].sort();
  return {
    ...inputs,
    files,
    explicitFiles: new Set([...inputs.explicitFiles, file]),
    lintFs: new StdinFs(workspace, file, piped),
    stdinFile: { file, bytes: piped.bytes, size: piped.size },
  };
}

/** Paths are printed relative to the current folder, so that terminals, GitHub and SARIF viewers find the files. */
function cwdPrefixOf(io: CliIo, workspace: NodeWorkspaceFs): string | undefined {
  const rootFromCwd = path.relative(io.cwd, workspace.root);
  return rootFromCwd === '' || rootFromCwd.startsWith('..') ? undefined : `${rootFromCwd.split(path.sep).join('/')}/`;
}

/**
 * GitHub places annotations and code-scanning results by paths relative to the repository, whatever
 * folder the step runs in or --root names: in Actions (GITHUB_WORKSPACE is the checkout) the github
 * and sarif reports are relative to it. Elsewhere, and for a root outside the checkout, to the current folder.
 */
function reportPrefixOf(format: CliOptions['format'], io: CliIo, workspace: NodeWorkspaceFs): string | undefined {
  const checkout = process.env.GITHUB_WORKSPACE;
  if ((format === 'github' || format === 'sarif') && checkout) {
    const rootFromCheckout = path.relative(path.resolve(io.cwd, checkout), workspace.root);
    if (rootFromCheckout === '') return undefined;
    if (rootFromCheckout !== '..' && !rootFromCheckout.startsWith(`..${path.sep}`) && !path.isAbsolute(rootFromCheckout)) return `${rootFromCheckout.split(path.sep).join('/')}/`;
  }
  return cwdPrefixOf(io, workspace);
}

const STDOUT_NAMES = new Set(['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']);
const STDERR_NAMES = new Set(['/dev/stderr', '/dev/fd/2', '/proc/self/fd/2']);

/** Writes a command's output to --output-file (see writeOutputFile), or stdout; false after saying why the file could not be written. */
/** Writes the formatted output; a stored output (UTF-8 bytes, from the cache) goes out as it is where the stream takes bytes. */
function writeOutput(options: CliOptions, io: CliIo, output: string | Uint8Array, workspaceRoot: string): boolean {
  const text = () => (typeof output === 'string' ? output : Buffer.from(output.buffer, output.byteOffset, output.byteLength).toString('utf8'));
  // `-o /dev/stdout` (or /dev/stderr), as CI scripts write it: the process's own stream, which may be
  // a socket that cannot be re-opened by name.
  if (!options.outputFile || STDOUT_NAMES.has(options.outputFile)) {
    if (typeof output !== 'string' && io.stdoutBytes) io.stdoutBytes(output);
    else io.stdout(text());
    return true;
  }
  if (STDERR_NAMES.has(options.outputFile)) {
    io.stderr(text());
    return true;
  }
  const target = path.resolve(io.cwd, options.outputFile);
  const written = writeOutputFile(target, workspaceRoot, text());
  if (!written.ok) io.stderr(`timeout-lint: cannot write --output-file ${displayPath(io, target)}: it ${written.reason}\n`);
  return written.ok;
}

function lintCommand(options: CliOptions, io: CliIo): number {
  const inputs = prepareLint(options, io);
  if (!inputs) return EXIT_ERROR;
  const { workspace } = inputs;
  let files = inputs.files;
  // Piped text is not a file the cache could stat again: a run on it is never cached.
  const useCache = options.cache && !options.fix && !options.fixDryRun && !inputs.stdinFile;
  let cache: LintCache | undefined;
  if (useCache) {
    const location = options.cacheLocation !== undefined ? path.resolve(io.cwd, options.cacheLocation) : path.join(workspace.root, DEFAULT_CACHE_LOCATION);
    const opened = openCache(location, workspace.root);
    if ('note' in opened) io.stderr(`timeout-lint: --cache not used: ${opened.note.replace(location, displayPath(io, location))}\n`);
    else cache = opened.cache;
    // The cache's own files are never candidates (they change on every run); other files beside them are.
    const inside = workspace.fileIdOf(location);
    if (inside !== undefined) {
      const prefix = inside === '' ? '' : `${inside}/`;
      files = files.filter((f) => !(f.startsWith(prefix) && isCacheFileName(f.slice(prefix.length))));
    }
  }
  // TIMING=1 (the ten slowest rules) or TIMING=all, as in ESLint; the table goes to stderr.
  const timing = timingRequest(process.env.TIMING);
  const ahead = new AheadWork(options, io, inputs, files);
  try {
    return lintAndReport(options, io, inputs, files, cache, timing, ahead);
  } finally {
    ahead.close();
  }
}

/** Worker threads that compute per-file work ahead, started when a run is about to read files (a cache hit starts none). */
class AheadWork {
  private started: AheadOfTime | undefined | null = null;
  constructor(private readonly options: CliOptions, private readonly io: CliIo, private readonly inputs: LintInputs, private readonly files: readonly string[]) {}

  /** lint()'s `precomputed` option for the next run. */
  option(): LintOptions['precomputed'] {
    if (this.started === null) {
      const script = this.io.aheadWorkerScript;
      this.started = script
        ? AheadOfTime.start({ root: this.inputs.workspace.root, files: this.files, inputs: INPUTS, claim: { config: this.inputs.config, explicit: false }, concurrency: this.options.concurrency, workerScript: script })
        : undefined;
    }
    const started = this.started;
    return started ? (input, file, text) => started.get(input, file, text) : undefined;
  }

  close(): void {
    this.started?.close();
  }

  /** For TIMING: how much the workers took off the run. */
  describe(): string {
    const started = this.started;
    if (!started) return 'Sources read ahead: none (one thread)\n';
    const { fromWorkers, byRun } = started.counts;
    return `Sources read ahead: ${fromWorkers} of ${fromWorkers + byRun} parsed on ${started.workerCount} worker thread${started.workerCount === 1 ? '' : 's'}\n`;
  }
}

function lintAndReport(options: CliOptions, io: CliIo, inputs: LintInputs, files: readonly string[], cache: LintCache | undefined, timing: ReturnType<typeof timingRequest>, ahead: AheadWork): number {
  const { workspace, config, explicitFiles } = inputs;
  const lintWith = (overrides: ReadonlyMap<string, string>): LintReport =>
    stdinFixesOnly(withNamedFilesListed(withDropped(lint({ fs: overrides.size > 0 ? new OverlayFs(inputs.lintFs, overrides) : inputs.lintFs, files, explicitFiles, config, rules: allRules, toolVersion: TOOL_VERSION, timing: timing !== undefined, precomputed: ahead.option() }), inputs.dropped), explicitFiles, files), options.fix ? inputs.stdinFile?.file : undefined);

  const color = options.color ?? (io.isTTY && !options.outputFile && !process.env.NO_COLOR);
  const formatOptions = { color, codeFrame: options.codeFrame, cwdPrefix: reportPrefixOf(options.format, io, workspace) };
  let report: LintReport;
  let fixSummary = '';
  let storeOutput: ((output: string) => void) | undefined;
  let writeFailed = false;
  if (options.fix || options.fixDryRun) {
    const result = fixToFixpoint(lintWith, { unsafe: options.unsafeFixes });
    report = result.report;
    if (options.fix && inputs.stdinFile) {
      const printed = printFixedStdin(inputs.stdinFile, result.origins.get(inputs.stdinFile.file), io);
      writeFailed = !printed;
    } else if (options.fix) {
      const fixed: FixedFile[] = [...result.origins].map(([file, origin]) => ({ file, ...origin }));
      const written = writeFixedFiles(new ConfinedFolder(workspace.root), fixed);
      // Every file was tried; each one left unwritten is named. The report describes the fixed texts, so a file not written makes the run fail (exit 2).
      for (const { file, reason } of written.skipped) io.stderr(`timeout-lint: not fixed ${file}: it ${reason}; left unchanged\n`);
      for (const { file, reason } of written.failed) io.stderr(`timeout-lint: could not write ${file}: ${reason}\n`);
      writeFailed = written.skipped.length + written.failed.length > 0;
    }
    const verb = options.fix ? 'Fixed' : 'Would fix';
    fixSummary = `${verb} ${result.appliedFixes} problem${result.appliedFixes === 1 ? '' : 's'} in ${result.changed.size} file${result.changed.size === 1 ? '' : 's'}${result.hitPassLimit ? ' (stopped after 10 passes)' : ''}.\n`;
    if (options.fixDryRun && options.format === 'stylish') {
      for (const file of result.changed.keys()) fixSummary += `  would change ${file}\n`;
    }
  } else if (cache) {
    const key = cacheKey({ toolVersion: TOOL_VERSION, codeFingerprint: codeFingerprint(), config, ruleIds: allRules.map((r) => r.id), files, explicitFiles });
    const hit = cache.lookup(key, workspace, options.cacheStrategy);
    const outputOptions = stableJson({ format: options.format, quiet: options.quiet, root: workspace.root, cwd: io.cwd, ...formatOptions });
    // The formatted output is stored beside the report: a hit in the same format only writes it out.
    const storedOutput = hit?.output(outputOptions);
    if (hit && storedOutput !== undefined) {
      if (!writeOutput(options, io, storedOutput, workspace.root)) return EXIT_ERROR;
      if (timing !== undefined) io.stderr(CACHED_TIMING_NOTE);
      return exitCodeForCounts(options.quiet ? { ...hit.counts, warnings: 0 } : hit.counts, options.maxWarnings);
    }
    const reported = hit?.withTexts();
    if (hit && reported) {
      report = reported;
      storeOutput = (output) => hit.storeOutput(outputOptions, output);
    } else {
      const recording = new RecordingFs(workspace);
      report = withDropped(lint({ fs: recording, files, explicitFiles, config, rules: allRules, toolVersion: TOOL_VERSION, timing: timing !== undefined, precomputed: ahead.option() }), inputs.dropped);
      const { timing: _measured, ...stored } = report;
      const entry = cache.store(key, recording.observations(), stored);
      if (cache.warning) io.stderr(`timeout-lint: ${cache.warning}\n`);
      if (entry) storeOutput = (output) => entry.storeOutput(outputOptions, output);
    }
  } else {
    report = lintWith(new Map());
  }
  if (options.quiet) report = errorsOnly(report);

  const output = formatReport(report, options.format, formatOptions);
  // An output with TIMING's measurements in it is this run's alone.
  if (!report.timing) storeOutput?.(output);
  // With --fix, the fixed piped text is stdout's: the report goes to stderr unless --output-file names a place.
  const outputWritten = options.fix && inputs.stdinFile && !options.outputFile ? (io.stderr(output), true) : writeOutput(options, io, output, workspace.root);
  if (fixSummary && options.format === 'stylish') io.stderr(fixSummary);
  if (timing !== undefined) io.stderr(report.timing ? formatTiming(report.timing, timing) + ahead.describe() : CACHED_TIMING_NOTE);
  if (writeFailed || !outputWritten) return EXIT_ERROR;
  return exitCodeFor(report, options.maxWarnings);
}

/**
 * With --fix on piped text only the piped file may change (nothing on disk is written): fixes that
 * edit another file are dropped from the findings, which stay reported.
 */
function stdinFixesOnly(report: LintReport, stdinFile: FileId | undefined): LintReport {
  if (stdinFile === undefined) return report;
  const findings = report.findings.map((f) => (f.fixes.every((fix) => fix.edits.every((e) => e.file === stdinFile)) ? f : { ...f, fixes: f.fixes.filter((fix) => fix.edits.every((e) => e.file === stdinFile)) }));
  return { ...report, findings };
}

/**
 * Prints the piped text with the fixes applied (the text unchanged when nothing was fixed or it was
 * not analysed), byte for byte outside the edits, as Ruff does for `check --fix -`. False after
 * saying why it cannot (text kept only in part, or bytes that do not decode back).
 */
function printFixedStdin(piped: NonNullable<LintInputs['stdinFile']>, origin: { original: string; pieces: Parameters<typeof bytesOfPieces>[2] } | undefined, io: CliIo): boolean {
  if (piped.size !== piped.bytes.length) {
    io.stderr(`timeout-lint: standard input is larger than ${piped.bytes.length} bytes; it cannot be printed back fixed\n`);
    return false;
  }
  const bytes = origin ? bytesOfPieces(piped.bytes, origin.original, origin.pieces) : piped.bytes;
  if (!bytes) {
    io.stderr('timeout-lint: the fixed text of standard input could not be rebuilt from its bytes; nothing printed\n');
    return false;
  }
  if (io.stdoutBytes) io.stdoutBytes(bytes);
  else io.stdout(new TextDecoder().decode(bytes));
  return true;
}

/** The report with what discovery left out added to notAnalysed (and so not complete). */
/**
 * Every file named on the command line is analysed or listed: one that lint() read nothing from
 * (not a config, manifest or source it knows) is listed as not analysed with the reason, never
 * skipped without a word. Sources, Dockerfiles and scripts were read (for calls, images, envsubst).
 */
function withNamedFilesListed(report: LintReport, explicitFiles: ReadonlySet<string>, candidates: readonly string[]): LintReport {
  const analysed = new Set(report.files.map((f) => f.file));
  const listed = new Set(report.notAnalysed.map((n) => n.file));
  const candidateSet = new Set(candidates);
  const unread: NotAnalysed[] = [];
  for (const file of explicitFiles) {
    // Read for what they say about code and containers (package manifests, Dockerfiles, scripts), or claimed by an input by name.
    if (analysed.has(file) || listed.has(file) || isTsSource(file) || isDeploymentFile(file) || /(^|\/)(package\.json|tsconfig[\w.-]*\.json)$/.test(file)) continue;
    const reason = !candidateSet.has(file)
      ? 'named on the command line but ignored (.gitignore or the `ignore` setting)'
      : /\.ya?ml$/i.test(file)
        ? 'named on the command line but not a Kubernetes manifest or compose file'
        : 'named on the command line but no input reads it (nginx, HAProxy, Kubernetes, Helm, compose, Terraform, CloudFormation, Elastic Beanstalk, TypeScript/JavaScript; by name and content)';
    unread.push({ file, reason });
  }
  return unread.length === 0 ? report : { ...report, notAnalysed: [...report.notAnalysed, ...unread], complete: false };
}

function withDropped(report: LintReport, dropped: readonly NotAnalysed[]): LintReport {
  if (dropped.length === 0) return report;
  return { ...report, notAnalysed: [...report.notAnalysed, ...dropped], complete: false };
}

const CACHED_TIMING_NOTE = 'TIMING: the report came from the cache; nothing was measured.\n';

function errorsOnly(report: LintReport): LintReport {
  return { ...report, findings: report.findings.filter((f) => f.severity === 'error') };
}

/** How many rules TIMING asks for: `all` or a number; 1 (ESLint's usual value) and other truthy words mean ten. */
export function timingRequest(value: string | undefined): number | undefined {
  if (value === undefined || value === '' || value === '0' || value.toLowerCase() === 'false') return undefined;
  if (value.toLowerCase() === 'all') return Infinity;
  const n = Number(value);
  return Number.isInteger(n) && n > 1 ? n : 10;
}

/** The TIMING table: parsing and linking, then the slowest rules, with their share of the whole run. */
export function formatTiming(timing: RunTiming, limit: number): string {
  const rules = Object.entries(timing.rules).sort((a, b) => b[1] - a[1]);
  const total = timing.parseMs + timing.linkMs + rules.reduce((sum, [, ms]) => sum + ms, 0);
  const rows: Array<[string, number]> = [['(reading and parsing files)', timing.parseMs], ['(linking call chains)', timing.linkMs], ...rules.slice(0, limit)];
  const width = Math.max(4, ...rows.map(([name]) => name.length));
  const line = (name: string, ms: string, share: string) => `${name.padEnd(width)} | ${ms.padStart(10)} | ${share.padStart(8)}\n`;
  let out = line('Rule', 'Time (ms)', 'Relative');
  out += `${'-'.repeat(width)}:|${'-'.repeat(11)}:|${'-'.repeat(9)}:\n`;
  for (const [name, ms] of rows) out += line(name, ms.toFixed(3), `${total > 0 ? ((ms / total) * 100).toFixed(1) : '0.0'}%`);
  return out;
}

export function exitCodeFor(report: LintReport, maxWarnings: number | undefined): number {
  return exitCodeForCounts(countsOf(report), maxWarnings);
}

function exitCodeForCounts(counts: FindingCounts, maxWarnings: number | undefined): number {
  if (counts.internalError) return EXIT_ERROR;
  if (counts.errors > 0) return EXIT_FINDINGS;
  if (maxWarnings !== undefined && counts.warnings > maxWarnings) return EXIT_FINDINGS;
  return EXIT_OK;
}

/**
 * `timeout-lint chains`: lints as usual (same workspace, configuration and discovery), keeps the
 * run's model and prints its chains. Findings are not printed and never change the exit code:
 * explaining is not checking, so the command exits with 0, or 2 on usage and configuration errors.
 */
function chainsCommand(options: CliOptions, io: CliIo): number {
  const inputs = prepareLint(options, io);
  if (!inputs) return EXIT_ERROR;
  const capture = createModelCapture();
  const { workspace, config, files, explicitFiles } = inputs;
  lint({ fs: inputs.lintFs, files, explicitFiles, config, rules: [...allRules, capture.rule], toolVersion: TOOL_VERSION });
  // A workspace with nothing to analyse runs no rule, so nothing is captured: it has no chains.
  const model = capture.model();
  const chains: ChainModel = model ? chainsOf(model) : { chains: [], unresolved: [] };
  const written = writeOutput(options, io, formatChains(chains, model ?? { sources: new Map() }, options.chainFormat, { cwdPrefix: cwdPrefixOf(io, workspace) }), workspace.root);
  return written ? EXIT_OK : EXIT_ERROR;
}

function printNginx(options: CliOptions, io: CliIo): number {
  const workspace = openWorkspace(options, io);
  if (!workspace) return EXIT_ERROR;
  const entry = workspace.fileIdOf(path.resolve(io.cwd, options.paths[0]!));
  if (entry === undefined || !workspace.stat(entry)?.isFile) {
    io.stderr(`timeout-lint: ${options.paths[0]} is not a file inside the workspace root\n`);
    return EXIT_ERROR;
  }
  const prefix = options.includePrefix !== undefined ? workspace.fileIdOf(path.resolve(io.cwd, options.includePrefix)) : undefined;
  const config = parseNginxConfig(workspace, entry, { absoluteIncludePrefix: prefix });
  // Paths come out relative to the workspace root, as crossplane prints them relative to where it runs.
  const payload = toCrossplanePayload(config);
  io.stdout(`${JSON.stringify(payload, null, 2)}\n`);
  return EXIT_OK;
}

/** Paths in messages are relative to the current folder, as the user typed them. */
function displayPath(io: CliIo, absolute: string): string {
  const relative = path.relative(io.cwd, absolute);
  return relative === '' ? '.' : relative === '..' || relative.startsWith(`..${path.sep}`) ? absolute : relative;
}
