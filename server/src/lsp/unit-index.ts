// The per-entry results of a workspace folder: one lint() run per nginx entry, so an edit re-lints only the entries that read the file.
import type { WorkspaceModel } from '../engine/workspace-model.js';
import type { NginxModel } from '../engine/inputs/nginx/model.js';
import type { FileId, Finding, Fix, Span } from '../engine/types.js';

/**
 * The result of linting one entry (a full nginx.conf, or a fragment nothing includes) with
 * everything it includes. Findings of different entries never depend on each other today (every
 * rule walks one nginx model at a time), which is what makes per-entry re-linting exact.
 */
export interface LintUnit {
  /** The entry file, or a group key (KUBERNETES_UNIT, TYPESCRIPT_UNIT, CHAIN_UNIT). */
  entry: FileId;
  /** The candidate files the run was given (the entry alone, or every file of the group). */
  inputs: FileId[];
  /** Every file the run read, with the text (BOM stripped) its spans refer to. */
  texts: Map<FileId, string>;
  findings: Map<FileId, Finding[]>;
  models: NginxModel[];
  /** The whole model of the run (nginx, Kubernetes, TypeScript), for the call-chain features. */
  workspace?: WorkspaceModel;
  /** Versions of the open documents the run read from the editor (absent: read from disk). */
  versions: Map<FileId, number>;
  /** Set when the run was stopped (over its time budget) or failed: why. Its findings then only say so. */
  notAnalysed?: string;
  /**
   * A stopped run that stored parsed files in the parse cache: the next run reuses them and goes
   * further, so the unit is tried again rather than reported (a big cold unit is linted in slices).
   */
  progressed?: true;
}

/** A finding with the unit whose texts its offsets refer to. */
export interface UnitFinding {
  finding: Finding;
  unit: LintUnit;
}

/**
 * Kubernetes rules follow references between manifests (Ingress → Service → Deployment), so all
 * manifests are linted together as one unit. The key holds a NUL, which no file name can.
 */
export const KUBERNETES_UNIT = '\0kubernetes';
/** TypeScript/JavaScript sources, linted together because their rules follow imports between files. */
export const TYPESCRIPT_UNIT = '\0typescript';
/** The call-chain unit: every candidate, with the rules that read several inputs (FolderState.chainUnit). */
export const CHAIN_UNIT = '\0chains';

export function isGroupKey(entry: FileId): boolean {
  return entry.startsWith('\0');
}

const collator = new Intl.Collator();

/** The order lint() gives entries: nginx.conf files first, then by name (server/src/engine/run.ts). */
export function compareEntries(a: FileId, b: FileId): number {
  const isMain = (f: FileId) => (f.endsWith('nginx.conf') ? 0 : 1);
  return isMain(a) - isMain(b) || collator.compare(a, b);
}

export class UnitIndex {
  private readonly units = new Map<FileId, LintUnit>();
  /** file → entries of the units that read it. */
  private readonly readers = new Map<FileId, Set<FileId>>();

  get(entry: FileId): LintUnit | undefined {
    return this.units.get(entry);
  }

  all(): LintUnit[] {
    return [...this.units.values()];
  }

  set(unit: LintUnit): void {
    const before = this.units.get(unit.entry);
    this.units.set(unit.entry, unit);
    // A group unit re-linted after an edit reads the same thousands of files as before: only the
    // files it stopped or started reading change their readers.
    if (before) {
      const given = new Set(unit.inputs);
      forEachFileOf(before, (file) => {
        if (!unit.texts.has(file) && !given.has(file)) this.removeReader(file, unit.entry);
      });
    }
    forEachFileOf(unit, (file) => {
      let set = this.readers.get(file);
      if (!set) this.readers.set(file, (set = new Set()));
      set.add(unit.entry);
    });
  }

  delete(entry: FileId): LintUnit | undefined {
    const unit = this.units.get(entry);
    if (!unit) return undefined;
    this.units.delete(entry);
    forEachFileOf(unit, (file) => this.removeReader(file, entry));
    return unit;
  }

  private removeReader(file: FileId, entry: FileId): void {
    const set = this.readers.get(file);
    set?.delete(entry);
    if (set?.size === 0) this.readers.delete(file);
  }

  clear(): void {
    this.units.clear();
    this.readers.clear();
  }

  /** The units whose run read `file`. */
  unitsReading(file: FileId): LintUnit[] {
    return [...(this.readers.get(file) ?? [])].map((e) => this.units.get(e)!).filter(Boolean);
  }

  /** True when a unit other than `file`'s own reads it, so linting it as an entry would be wasted. */
  isReadByOther(file: FileId): boolean {
    for (const entry of this.readers.get(file) ?? []) if (entry !== file) return true;
    return false;
  }

  /** True when some unit accounts for `file` (as its entry, even an empty one, or as an include). */
  isCovered(file: FileId): boolean {
    return this.units.has(file) || this.readers.has(file);
  }

  /**
   * Makes the units agree with what one lint() over all candidates would pick as entries: units
   * of removed candidates go, then (in lint order) an entry already read by an earlier entry is
   * not one, and an entry that a later entry includes is dropped too. Returns the dropped units
   * and the candidates no unit covers any more (they must be linted as entries of their own).
   */
  reconcile(candidates: ReadonlySet<FileId>, isLive: (entry: FileId) => boolean): { dropped: LintUnit[]; uncovered: FileId[] } {
    const dropped: LintUnit[] = [];
    for (const entry of [...this.units.keys()]) {
      if (!isLive(entry)) dropped.push(this.delete(entry)!);
    }
    const read = new Set<FileId>();
    const parsed: LintUnit[] = [];
    for (const entry of [...this.units.keys()].sort(compareEntries)) {
      if (read.has(entry)) continue;
      const unit = this.units.get(entry)!;
      parsed.push(unit);
      for (const file of unit.texts.keys()) if (file !== entry) read.add(file);
    }
    const parsedEntries = new Set(parsed.map((u) => u.entry));
    for (const entry of [...this.units.keys()]) {
      const includedByParsed = [...(this.readers.get(entry) ?? [])].some((r) => r !== entry && parsedEntries.has(r));
      if (!parsedEntries.has(entry) || includedByParsed) dropped.push(this.delete(entry)!);
    }
    const uncovered = [...candidates].filter((c) => !this.isCovered(c));
    return { dropped, uncovered };
  }

  /**
   * Findings in `file` over every unit that read it. A file included by several entries yields
   * the same finding once per entry: keep one (as lint() does). An unused-suppression is kept
   * only when every entry found it unused, since one lint() over all entries would see the use.
   */
  findingsFor(file: FileId): UnitFinding[] {
    const units = this.unitsReading(file);
    const byKey = new Map<string, UnitFinding & { count: number }>();
    for (const unit of units) {
      for (const finding of unit.findings.get(file) ?? []) {
        const key = findingKey(finding);
        const seen = byKey.get(key);
        if (seen) seen.count++;
        else byKey.set(key, { finding, unit, count: 1 });
      }
    }
    return [...byKey.values()]
      .filter((v) => v.finding.ruleId !== 'unused-suppression' || v.count === units.length)
      .map(({ finding, unit }) => ({ finding, unit }));
  }
}

/**
 * The files whose diagnostics can differ between two runs of one entry: a changed text or
 * document version, different findings, or findings that point into a file whose text changed
 * (their related ranges and fix ranges move). Re-publishing only these keeps an edit in a big
 * include tree from re-sending every file's diagnostics.
 */
/** Every file a unit read or was given (each once). */
function forEachFileOf(unit: LintUnit, visit: (file: FileId) => void): void {
  for (const file of unit.texts.keys()) visit(file);
  for (const file of unit.inputs) if (!unit.texts.has(file)) visit(file);
}

export function filesToRepublish(before: LintUnit | undefined, after: LintUnit): Set<FileId> {
  if (!before) {
    const files = new Set<FileId>();
    forEachFileOf(after, (file) => files.add(file));
    return files;
  }
  // Walked without copying the file lists: a group unit holds thousands, and this runs on each edit.
  const changedTexts = new Set<FileId>();
  for (const [file, text] of before.texts) if (after.texts.get(file) !== text) changedTexts.add(file);
  for (const file of after.texts.keys()) if (!before.texts.has(file)) changedTexts.add(file);
  const result = new Set<FileId>();
  const compare = (file: FileId) => {
    const old = before.findings.get(file) ?? [];
    const now = after.findings.get(file) ?? [];
    if (changedTexts.has(file) || before.versions.get(file) !== after.versions.get(file) || old.length !== now.length) result.add(file);
    else if (now.some((f, i) => !sameFinding(f, old[i]!) || pointsInto(f, changedTexts))) result.add(file);
  };
  for (const file of before.texts.keys()) compare(file);
  for (const file of after.texts.keys()) if (!before.texts.has(file)) compare(file);
  for (const file of after.inputs) if (!before.texts.has(file) && !after.texts.has(file)) compare(file);
  return result;
}

/** Field by field, not via JSON: this runs for every finding of a big include tree on each edit. */
function sameFinding(a: Finding, b: Finding): boolean {
  return a.ruleId === b.ruleId && a.severity === b.severity && a.message === b.message && a.docsUrl === b.docsUrl
    && sameSpan(a.span, b.span)
    && a.related.length === b.related.length && a.related.every((r, i) => r.message === b.related[i]!.message && sameSpan(r.span, b.related[i]!.span))
    && a.fixes.length === b.fixes.length && a.fixes.every((f, i) => sameFix(f, b.fixes[i]!));
}

function sameFix(a: Fix, b: Fix): boolean {
  return a.title === b.title && a.safety === b.safety && a.preferred === b.preferred && a.suggestion === b.suggestion && a.edits.length === b.edits.length
    && a.edits.every((e, i) => e.newText === b.edits[i]!.newText && sameSpan(e, b.edits[i]!));
}

function sameSpan(a: Span, b: Span): boolean {
  return a.file === b.file && a.start === b.start && a.end === b.end;
}

function pointsInto(f: Finding, files: ReadonlySet<FileId>): boolean {
  return f.related.some((r) => files.has(r.span.file)) || f.fixes.some((fix) => fix.edits.some((e) => files.has(e.file)));
}

function findingKey(f: Finding): string {
  return `${f.ruleId}\0${f.messageId}\0${f.span.start}\0${f.span.end}\0${f.message}`;
}
