// The CLI's opt-in persistent cache (`--cache`): a report is reused when nothing the run looked at has changed.
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedConfig } from '../engine/config.js';
import type { LintReport, LintedFile } from '../engine/report.js';
import { decodeText } from '../engine/text.js';
import type { FileId } from '../engine/types.js';
import { readFileBounded, type BoundedRead, type FileStat, type WorkspaceFs } from '../engine/workspace-fs.js';
import { readRegularFile, type ConfinedFolder } from '../host/confined-fs.js';
import { isSigned, signPayload, verifySigned, verifySignedBytes } from '../host/signed-files.js';

/** Bumped whenever the cache file's shape or meaning changes (5: signed files, see LintCache). */
const CACHE_FORMAT = 5;
export const DEFAULT_CACHE_LOCATION = '.timeout-lint-cache';
const CACHE_FILE = 'lint-report.json';
/** The stored report and its formatted outputs (one per set of output options): entry-<id>.report.json, entry-<id>.output-<hash>.txt. */
const ENTRY_FILE_PREFIX = 'entry-';
const REPORT_SUFFIX = '.report.json';

/**
 * What the run asked the file system and what it got: sha256 of bytes (or null: unreadable) with
 * the file's "size:mtimeMs" when known, stat as "size:isFile:isDirectory" (or null), a directory
 * listing's hash (or null). lint() is a pure function of its options and these answers, so equal
 * answers mean an equal report.
 */
interface Observations {
  reads: Array<[FileId, string | null, string | null]>;
  stats: Array<[FileId, string | null]>;
  dirs: Array<[FileId, string | null]>;
}

/** lint-report.json: small, read on every run; the report and the outputs are files of their own, read only when needed. */
interface CacheEntry {
  format: number;
  key: string;
  id: string;
  counts: FindingCounts;
  observations: Observations;
}

/** The inputs of a run other than file contents: tool, configuration, rules and the candidate list. */
export interface CacheKeyInputs {
  toolVersion: string;
  /** Fingerprint of the running code (the bundle's bytes), so a rebuilt tool never reuses old results. */
  codeFingerprint: string;
  config: ResolvedConfig;
  ruleIds: readonly string[];
  files: readonly FileId[];
  explicitFiles: ReadonlySet<FileId>;
}

export function cacheKey(inputs: CacheKeyInputs): string {
  return sha256(stableJson({
    format: CACHE_FORMAT,
    toolVersion: inputs.toolVersion,
    code: inputs.codeFingerprint,
    config: inputs.config,
    rules: inputs.ruleIds,
    files: [...inputs.files].sort(),
    explicit: [...inputs.explicitFiles].sort(),
  }));
}

/** The sha256 of the running script (dist/cli.js when bundled); '' when it cannot be read. */
export function codeFingerprint(): string {
  try {
    const read = readRegularFile(fs.realpathSync.native(__filename), 256 * 1024 * 1024);
    return read.ok ? sha256(read.bytes) : '';
  } catch {
    return '';
  }
}

/** A WorkspaceFs that remembers every answer it gave, for the cache entry. */
export class RecordingFs implements WorkspaceFs {
  private readonly reads = new Map<FileId, [string | null, string | null]>();
  private readonly stats = new Map<FileId, string | null>();
  private readonly dirs = new Map<FileId, string | null>();

  constructor(private readonly base: WorkspaceFs) {}

  readFile(file: FileId): Uint8Array | undefined {
    const bytes = this.base.readFile(file);
    this.reads.set(file, [bytes ? sha256(bytes) : null, bytes ? metadataOf(this.base.stat(file)) : null]);
    return bytes;
  }

  stat(file: FileId): FileStat | undefined {
    const stat = this.base.stat(file);
    this.stats.set(file, statText(stat));
    return stat;
  }

  readFileBounded(file: FileId, maxBytes: number): BoundedRead | undefined {
    const read = readFileBounded(this.base, file, maxBytes);
    this.stats.set(file, statText(read?.stat));
    if (read?.bytes) this.reads.set(file, [sha256(read.bytes), metadataOf(read.stat)]);
    else if (read?.stat.isFile && read.stat.size <= maxBytes) this.reads.set(file, [null, null]);
    return read;
  }

  readDirectory(dir: FileId): string[] | undefined {
    const names = this.base.readDirectory(dir);
    this.dirs.set(dir, listingText(names));
    return names;
  }

  observations(): Observations {
    return { reads: [...this.reads].map(([file, [hash, meta]]) => [file, hash, meta]), stats: [...this.stats], dirs: [...this.dirs] };
  }
}

/**
 * Why a forged cache cannot make a failing workspace pass: every file the cache writes starts with
 * an HMAC-SHA256 of its name and content under a secret of this user's, kept outside every workspace
 * (host/signed-files.ts: `$XDG_CACHE_HOME/timeout-lint/cache-secret`, else
 * `~/.cache/timeout-lint/cache-secret`, created 0600 with an exclusive create). A cache committed to a repository, or planted in the cache folder
 * by anyone without that secret, fails the check and is a miss: the workspace is linted afresh.
 * Binding the key to content hashes alone would not do, since a forger can compute those hashes
 * too. Without a usable secret (no writable home, or a home inside the workspace) the cache is off.
 *
 * Why it never deletes what it did not create: the only files it removes are the report and outputs
 * of the entry it replaces, named `entry-<that entry's random id>.…` and found only through an
 * entry that passed the HMAC check; `entry-server.ts` can never match. A `lint-report.json` that is
 * not the cache's own is never overwritten (the cache is then not stored, with a note).
 */
export class LintCache {
  readonly file: string;
  /** Set when storing was refused for a reason the user should hear (a foreign file in the way). */
  warning: string | undefined;

  constructor(private readonly location: string, private readonly folder: ConfinedFolder, private readonly secret: Uint8Array) {
    this.file = path.join(location, CACHE_FILE);
  }

  /**
   * The stored run when its key matches and the file system still answers every question the stored
   * run asked the same way; undefined otherwise. A missing, corrupt, forged or foreign cache file is
   * a miss, never an error. With `metadata`, files whose size and modification time are unchanged
   * count as unchanged (as ESLint's default cache strategy); `content` hashes every file read.
   */
  lookup(key: string, fs: WorkspaceFs, strategy: 'metadata' | 'content' = 'content'): CacheHit | undefined {
    const entry = this.readEntry();
    if (!entry || entry.key !== key) return undefined;
    // Most read files were also stat'ed: one stat answers both checks.
    const stats = new Map<FileId, FileStat | undefined>();
    const statOf = (file: FileId) => {
      if (!stats.has(file)) stats.set(file, fs.stat(file));
      return stats.get(file);
    };
    const expectedHash = new Map<FileId, string | null>();
    try {
      for (const [file, expected] of entry.observations.stats) if (statText(statOf(file)) !== expected) return undefined;
      for (const [dir, expected] of entry.observations.dirs) if (listingText(fs.readDirectory(dir)) !== expected) return undefined;
      for (const [file, expected, meta] of entry.observations.reads) {
        expectedHash.set(file, expected);
        if (strategy === 'metadata' && meta !== null && metadataOf(statOf(file)) === meta) continue;
        const bytes = fs.readFile(file);
        if ((bytes ? sha256(bytes) : null) !== expected) return undefined;
      }
    } catch {
      return undefined;
    }
    return {
      counts: entry.counts,
      withTexts: () => {
        // The report is read only when it has to be formatted (no output stored for these options).
        let stored: StoredReport;
        try {
          const text = this.readSigned(entryName(entry, REPORT_SUFFIX));
          if (text === undefined) return undefined;
          stored = JSON.parse(text) as StoredReport;
          if (!isStoredReport(stored)) return undefined;
        } catch {
          return undefined;
        }
        // Spans refer to the decoded texts: re-attach those of the files findings point into, checked against the stored hashes.
        const needed = referencedFiles(stored);
        const files: LintedFile[] = [];
        try {
          for (const f of stored.files) {
            if (!needed.has(f.file)) continue;
            const bytes = fs.readFile(f.file);
            if (!bytes || sha256(bytes) !== expectedHash.get(f.file)) return undefined;
            files.push({ file: f.file, language: f.language, text: decodeText(bytes).text });
          }
        } catch {
          return undefined;
        }
        return { ...stored, files };
      },
      output: (options) => this.readSignedBytes(entryName(entry, outputSuffix(options))),
      storeOutput: (options, output) => this.writeSigned(entryName(entry, outputSuffix(options)), output),
    };
  }

  /** Stores a report with the observations of the run that produced it. Failing to write is not an error. */
  store(key: string, observations: Observations, report: LintReport): CacheEntryHandle | undefined {
    // A crashed rule may not crash the same way twice: such a report is never reused.
    if (report.findings.some((f) => f.ruleId === 'internal-error')) return undefined;
    const previous = this.readEntry();
    if (!previous && !this.mayReplaceEntryFile()) {
      this.warning = `${this.file} exists and is not a timeout-lint cache file; the cache is not stored there (choose another --cache-location)`;
      return undefined;
    }
    const entry: CacheEntry = {
      format: CACHE_FORMAT,
      key,
      // Names this entry's files (report, outputs): a later entry under the same key never finds them.
      id: randomUUID(),
      counts: countsOf(report),
      observations,
    };
    const stored: StoredReport = { ...report, files: report.files.map((f) => ({ file: f.file, language: f.language })) };
    if (previous) this.removeEntryFiles(previous.id);
    if (!this.writeSigned(entryName(entry, REPORT_SUFFIX), JSON.stringify(stored))) return undefined;
    if (!this.writeSigned(CACHE_FILE, JSON.stringify(entry))) return undefined;
    return { storeOutput: (options, output) => this.writeSigned(entryName(entry, outputSuffix(options)), output) };
  }

  private readEntry(): CacheEntry | undefined {
    const text = this.readSigned(CACHE_FILE);
    if (text === undefined) return undefined;
    try {
      const entry = JSON.parse(text) as unknown;
      return isEntry(entry) ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * lint-report.json may be replaced when it is absent, signed (by anyone: a stale or foreign entry
   * of this tool), of the cache's own shape (an older version's), or in the folder whose name is the
   * tool's own (`.timeout-lint-cache`, where any damage is the cache's). A user's file of that name
   * in a folder given with --cache-location is never overwritten.
   */
  private mayReplaceEntryFile(): boolean {
    if (path.basename(this.location) === DEFAULT_CACHE_LOCATION) return true;
    const read = this.folder.read(this.file, MAX_CACHE_FILE_BYTES);
    if (!read.ok) return read.missing;
    const text = read.bytes.toString('utf8');
    if (isSigned(text)) return true;
    try {
      const old = JSON.parse(text) as { format?: unknown; key?: unknown; observations?: unknown };
      return typeof old.format === 'number' && typeof old.key === 'string' && typeof old.observations === 'object';
    } catch {
      return false;
    }
  }

  /** Removes the report and outputs of the entry being replaced, and nothing else. */
  private removeEntryFiles(previousId: string): void {
    const ownName = new RegExp(`^${ENTRY_FILE_PREFIX}${previousId}(?:${REPORT_SUFFIX.replace(/\./g, '\\.')}|\\.output-[0-9a-f]{32}\\.txt)$`);
    for (const name of this.folder.list(this.location) ?? []) if (ownName.test(name)) this.folder.unlink(path.join(this.location, name));
  }

  /** The content of a cache file whose signature is this user's, or undefined. */
  private readSigned(name: string): string | undefined {
    const read = this.folder.read(path.join(this.location, name), MAX_CACHE_FILE_BYTES);
    return read.ok ? verifySigned(this.secret, name, read.bytes.toString('utf8')) : undefined;
  }

  /** The payload bytes of a cache file whose signature is this user's, or undefined. */
  private readSignedBytes(name: string): Uint8Array | undefined {
    const read = this.folder.read(path.join(this.location, name), MAX_CACHE_FILE_BYTES);
    return read.ok ? verifySignedBytes(this.secret, name, read.bytes) : undefined;
  }

  private writeSigned(name: string, payload: string): boolean {
    if (!this.folder.makeFolder(this.location)) return false;
    return this.folder.writeAtomically(path.join(this.location, name), Buffer.from(signPayload(this.secret, name, payload), 'utf8')).ok;
  }
}

/** A cache file larger than this is not ours (or not worth reading): a miss. */
const MAX_CACHE_FILE_BYTES = 512 * 1024 * 1024;

/** Whether a name in the cache folder is one of the cache's own (the entry file, or an entry's report or output). */
export function isCacheFileName(name: string): boolean {
  return name === CACHE_FILE || /^entry-[0-9a-f-]{36}\.(?:report\.json|output-[0-9a-f]{32}\.txt)$/.test(name);
}

function entryName(entry: CacheEntry, suffix: string): string {
  return `${ENTRY_FILE_PREFIX}${entry.id}${suffix}`;
}

/** What the exit code depends on: errors, warnings, and whether a rule crashed. */
export interface FindingCounts {
  errors: number;
  warnings: number;
  internalError: boolean;
}

export function countsOf(report: Pick<LintReport, 'findings' | 'leftOut'>): FindingCounts {
  let errors = 0;
  let warnings = 0;
  let internalError = false;
  for (const finding of report.findings) {
    if (finding.severity === 'error') errors++;
    else if (finding.severity === 'warning') warnings++;
    if (finding.ruleId === 'internal-error') internalError = true;
  }
  // Findings the per-file cap left out of the list still decide the exit code.
  for (const group of report.leftOut ?? []) {
    if (group.severity === 'error') errors += group.count;
    else if (group.severity === 'warning') warnings += group.count;
  }
  return { errors, warnings, internalError };
}

/** A run found in the cache. */
export interface CacheHit {
  /** The stored report's counts (enough for the exit code). */
  counts: FindingCounts;
  /** The stored report with the texts of the files its findings point into (what formatters need); undefined if one changed meanwhile. */
  withTexts(): LintReport | undefined;
  /** The output stored for these output options (format, colour, paths…), if any, as its UTF-8 bytes. */
  output(options: string): Uint8Array | undefined;
  storeOutput(options: string, output: string): boolean;
}

/** A freshly stored entry, to which the formatted output can be added. */
export interface CacheEntryHandle {
  storeOutput(options: string, output: string): boolean;
}

type StoredReport = Omit<LintReport, 'files'> & { files: Array<Omit<LintedFile, 'text'>> };

function outputSuffix(options: string): string {
  return `.output-${sha256(options).slice(0, 32)}.txt`;
}

function isStoredReport(report: unknown): report is StoredReport {
  const r = report as StoredReport;
  return typeof r === 'object' && r !== null
    && Array.isArray(r.findings) && Array.isArray(r.files) && Array.isArray(r.notAnalysed)
    && Array.isArray(r.rules) && typeof r.complete === 'boolean' && typeof r.toolVersion === 'string'
    && r.files.every((f) => typeof f === 'object' && f !== null && typeof f.file === 'string' && typeof f.language === 'string');
}

function isEntry(value: unknown): value is CacheEntry {
  const entry = value as CacheEntry;
  const text = (v: unknown) => typeof v === 'string' || v === null;
  const pairs = (list: unknown) => Array.isArray(list) && list.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && text(p[1]));
  const triples = (list: unknown) => Array.isArray(list) && list.every((p) => Array.isArray(p) && p.length === 3 && typeof p[0] === 'string' && text(p[1]) && text(p[2]));
  return typeof entry === 'object' && entry !== null && entry.format === CACHE_FORMAT && typeof entry.key === 'string' && typeof entry.id === 'string'
    && /^[0-9a-f-]{36}$/.test(entry.id)
    && typeof entry.counts === 'object' && entry.counts !== null
    && typeof entry.counts.errors === 'number' && typeof entry.counts.warnings === 'number' && typeof entry.counts.internalError === 'boolean'
    && typeof entry.observations === 'object' && entry.observations !== null
    && triples(entry.observations.reads) && pairs(entry.observations.stats) && pairs(entry.observations.dirs);
}

function statText(stat: FileStat | undefined): string | null {
  return stat ? `${stat.size}:${stat.isFile ? 1 : 0}:${stat.isDirectory ? 1 : 0}` : null;
}

/** "size:mtimeMs", or null when the file system does not say when the file changed. */
function metadataOf(stat: FileStat | undefined): string | null {
  return stat?.mtimeMs !== undefined ? `${stat.size}:${stat.mtimeMs}` : null;
}

/** Files a report's findings point into: their own spans, related locations and fix edits. */
function referencedFiles(report: Pick<LintReport, 'findings'>): Set<FileId> {
  const files = new Set<FileId>();
  for (const finding of report.findings) {
    files.add(finding.span.file);
    for (const related of finding.related) files.add(related.span.file);
    for (const fix of finding.fixes) for (const edit of fix.edits) files.add(edit.file);
  }
  return files;
}

function listingText(names: string[] | undefined): string | null {
  return names ? sha256(names.join('\0')) : null;
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** JSON with sorted object keys; Maps become sorted entry lists and Sets sorted arrays, undefined becomes null. */
export function stableJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (value instanceof Map) return stableJson([...value].sort(([a], [b]) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0)));
  if (value instanceof Set) return stableJson([...value].map((v) => stableJson(v)).sort());
  if (Array.isArray(value)) return `[${value.map((v) => stableJson(v)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value as object).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
